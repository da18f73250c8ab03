// The failures an intent speaks of: the network's `survive N failures` line and each assertion's
// `under N failures` or `under failure of LINK|DEVICE, ...`. Checks them (P411-P414) and lowers
// them into the CheckedIntent. A failed link is named as a `link` line writes it: its two
// devices in either order, with an end's pinned interface (`fra1.core1:eth2 -- ams1.core2`)
// when the devices have several links between them.

import type { FailureElement, LinkEnd, SurviveDecl, UnderClause } from './ast.js';
import { parseInteger, type DiagnosticSink } from './check-common.js';
import { Codes } from './diagnostics/index.js';
import { MAX_FAILURES, type IntentFailedElement, type IntentUnder } from './intent.js';
import type { Resolution } from './resolve.js';

/** Reports every problem with the `survive` lines and the assertions' `under` clauses. */
export function checkFailures(resolution: Resolution, sink: DiagnosticSink): void {
  const [first, ...others] = resolution.survives;
  for (const again of others) {
    sink.report(Codes.surviveTwice, again.span, '`survive` is declared more than once', {
      related: [{ span: first!.span, message: 'first declared here' }],
      hint: 'keep one `survive` line across all the files of the intent',
    });
  }
  if (first) checkCount(first.count, 0, sink, 'survive');
  for (const a of resolution.assertions) {
    if (!a.under) continue;
    if (a.under.count) checkCount(a.under.count, 1, sink, 'under');
    for (const e of a.under.elements) if (e.kind === 'link') linkIndex(resolution, e, sink);
  }
}

function checkCount(t: { text: string; span: UnderClause['span'] }, min: number, sink: DiagnosticSink, what: 'survive' | 'under'): void {
  const n = parseInteger(t.text);
  if (n !== undefined && n >= min && n <= MAX_FAILURES) return;
  sink.report(Codes.failureCountOutOfRange, t.span, `\`${what} ${t.text}\`: the number of failures is out of range`, {
    hint:
      what === 'survive'
        ? `a network survives 0 to ${MAX_FAILURES} failures (\`survive 0 failures\`: placement follows today's best paths only)`
        : `an assertion is proven under 1 to ${MAX_FAILURES} failures`,
  });
}

/** The `survive` line's number, when the intent has one. */
export function survivedFailures(resolution: Resolution): { failures: number; span: SurviveDecl['span'] } | undefined {
  const s = resolution.survives[0];
  return s ? { failures: parseInteger(s.count.text) ?? 0, span: s.span } : undefined;
}

/** An assertion's `under` clause for the CheckedIntent (the checks found no error). */
export function underOf(resolution: Resolution, under: UnderClause): IntentUnder {
  if (under.count) return { failures: parseInteger(under.count.text) ?? 1, span: under.span };
  const failed: IntentFailedElement[] = under.elements.map((e) =>
    e.kind === 'device' ? { kind: 'device', device: deviceId(resolution, e.device) } : { kind: 'link', link: linkIndex(resolution, e) ?? -1 },
  );
  return { failed, span: under.span };
}

const deviceId = (resolution: Resolution, ref: LinkEnd['device']): string => resolution.deviceRefs.get(ref)?.id ?? ref.device.text;

/** The text of a failure element as the canonical assertion text shows it. */
export function failureElementText(resolution: Resolution, e: FailureElement): string {
  if (e.kind === 'device') return deviceId(resolution, e.device);
  const end = (x: LinkEnd): string => `${deviceId(resolution, x.device)}${x.ifname ? `:${x.ifname.text}` : ''}`;
  return `${end(e.a)} -- ${end(e.b)}`;
}

/**
 * The index in `resolution.links` of the link an element names, or undefined (reported to
 * `sink` when given: P412 none, P413 several). Unresolved devices were reported already.
 */
function linkIndex(resolution: Resolution, e: Extract<FailureElement, { kind: 'link' }>, sink?: DiagnosticSink): number | undefined {
  const a = resolution.deviceRefs.get(e.a.device)?.id;
  const b = resolution.deviceRefs.get(e.b.device)?.id;
  if (a === undefined || b === undefined) return undefined;
  const endMatches = (named: LinkEnd, id: string, end: LinkEnd): boolean =>
    resolution.deviceRefs.get(end.device)?.id === id && (named.ifname === undefined || named.ifname.text === end.ifname?.text);
  const between: number[] = [];
  const matching: number[] = [];
  resolution.links.forEach(({ decl }, i) => {
    const ids = [resolution.deviceRefs.get(decl.a.device)?.id, resolution.deviceRefs.get(decl.b.device)?.id];
    if (!((ids[0] === a && ids[1] === b) || (ids[0] === b && ids[1] === a))) return;
    between.push(i);
    if ((endMatches(e.a, a, decl.a) && endMatches(e.b, b, decl.b)) || (endMatches(e.a, a, decl.b) && endMatches(e.b, b, decl.a))) matching.push(i);
  });
  if (matching.length === 1) return matching[0];
  if (!sink) return undefined;
  const text = failureElementText(resolution, e);
  if (matching.length === 0) {
    const hint =
      between.length > 0
        ? `the links between ${a} and ${b} pin other interfaces: name one as its \`link\` line writes it`
        : `name a link some \`link\` line declares (\`link ${a} -- ${b}\` declares this one)`;
    sink.report(Codes.unknownLink, e.span, `no link joins ${text}`, { hint });
  } else {
    sink.report(Codes.ambiguousLink, e.span, `${matching.length} links join ${text}`, {
      related: matching.map((i) => ({ span: resolution.links[i]!.decl.span, message: 'one of them' })),
      hint: 'pin an interface on one end of each in its `link` line (`link A:eth2 -- B`) and name the link with it',
    });
  }
  return undefined;
}
