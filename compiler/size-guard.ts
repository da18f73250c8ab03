// The model-size guard: before anything is built, the sizes that make the model grow faster
// than the intent (parallel links multiply ECMP next hops, devices × prefixes is the size of
// every forwarding table together, sources × destinations × services is what filters and
// proofs expand a rule to) are checked against fixed bounds, and an intent over one of them
// gets a clear error (C705-C709) instead of minutes of work and gigabytes of memory. The
// benchmark's largest generated network (bench/generate.ts) has 400 devices, 4,000 segments,
// at most 1 link between two devices, 20,000 rules that expand to 24,959 source × destination
// × service combinations and about 1.9 million forwarding entries (30 s and 1.4 GB to
// compile); the bounds are 10 to 40 times those, and twice the forwarding entries, which the
// compiler's time and memory grow with. docs/cli.md ("Limits") lists them.

import { diagnostic, type Diagnostic, type RelatedInformation, type Span } from '../language/diagnostic.js';
import { Codes, type DiagnosticCode } from '../language/diagnostics/index.js';
import type { CheckedIntent, IntentLink } from '../language/intent.js';

export interface ModelLimits {
  parallelLinks: number;
  devices: number;
  segments: number;
  forwardingEntries: number;
  ruleExpansion: number;
}

export const MODEL_LIMITS: Readonly<ModelLimits> = {
  /** Links between the same two devices (C705): ECMP over them grows as their square. */
  parallelLinks: 16,
  /** Devices (C706). */
  devices: 4_000,
  /** Segments (C707). */
  segments: 40_000,
  /** Devices × routed prefixes, the forwarding entries of all devices together (C708). */
  forwardingEntries: 4_000_000,
  /** Σ over rules of sources × destinations × service clauses, groups expanded (C709). */
  ruleExpansion: 1_000_000,
};

const count = (n: number): string => n.toLocaleString('en-US');

/** The C705-C709 errors of an intent; empty when the model may be built. */
export function modelSizeDiagnostics(intent: CheckedIntent, limits: Readonly<ModelLimits> = MODEL_LIMITS): Diagnostic[] {
  const out: Diagnostic[] = [];
  const error = (code: DiagnosticCode, span: Span, message: string, hint: string, related: RelatedInformation[] = []): void => {
    out.push(diagnostic(code, span, message, { related, hint }));
  };

  const between = new Map<string, IntentLink[]>();
  for (const link of intent.links) {
    const key = link.a.device < link.b.device ? `${link.a.device} ${link.b.device}` : `${link.b.device} ${link.a.device}`;
    const list = between.get(key) ?? [];
    list.push(link);
    between.set(key, list);
    if (list.length === limits.parallelLinks + 1) {
      const [a, b] = key.split(' ');
      error(
        Codes.tooManyParallelLinks,
        link.span,
        `more than ${limits.parallelLinks} links between \`${a}\` and \`${b}\``,
        'join parallel links into fewer, faster ones: every route between the two devices spreads over all of them',
        [{ span: list[0]!.span, message: 'the first link between them' }],
      );
    }
  }

  if (intent.devices.length > limits.devices) {
    error(Codes.tooManyDevices, intent.devices[limits.devices]!.span, `${count(intent.devices.length)} devices; the limit is ${count(limits.devices)}`, 'split the network into several intents');
  }
  if (intent.segments.length > limits.segments) {
    error(
      Codes.tooManySegments,
      intent.segments[limits.segments]!.span,
      `${count(intent.segments.length)} segments; the limit is ${count(limits.segments)}`,
      'split the network into several intents, or join adjacent segments into larger prefixes',
    );
  }

  // Every device gets a route to every prefix: segments', links' (one per family at most, as
  // allocated), loopbacks' and externals'.
  let prefixes = intent.devices.length;
  for (const s of intent.segments) prefixes += s.prefixes.length;
  for (const l of intent.links) prefixes += Math.max(1, l.prefixes.length);
  for (const x of intent.externals) prefixes += x.prefixes.length;
  const entries = intent.devices.length * prefixes;
  if (entries > limits.forwardingEntries && intent.devices.length > 0) {
    error(
      Codes.forwardingTablesTooLarge,
      intent.devices[0]!.span,
      `the forwarding tables would hold about ${count(entries)} routes (${count(intent.devices.length)} devices × ${count(prefixes)} prefixes); the limit is ${count(limits.forwardingEntries)}`,
      'split the network into several intents, or summarise segments into fewer, larger prefixes',
    );
  }

  let expansion = 0;
  for (const r of intent.rules) {
    expansion += r.sourcesExpanded.length * r.destinationsExpanded.length * Math.max(1, r.clauses.length);
    if (expansion > limits.ruleExpansion) {
      error(
        Codes.policyExpandsTooFar,
        r.span,
        `the policy expands to more than ${count(limits.ruleExpansion)} source × destination × service combinations by this rule`,
        'write rules between groups that are smaller, or between segments that summarise them',
      );
      break;
    }
  }
  return out;
}
