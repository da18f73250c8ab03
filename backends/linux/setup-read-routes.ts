// setup.sh's route commands read back (setup-read.ts reads the rest of the file): `route replace
// PREFIX [via A] [dev I] [metric N]`, with `nexthop ...` groups (ECMP), and `route replace
// blackhole PREFIX [metric N]`; each static route takes the origin of its `# route` comment.

import type { Span } from '../../language/diagnostic.js';
import type { StaticRouteModel } from '../../compiler/model.js';
import { canonicalPrefix, formatAddress, formatPrefix, parseAddress, parsePrefix } from '../../language/address.js';
import { lineSpan, wordSpan, type ConfigLine, type Word } from '../config-text.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { BLACKHOLE_TYPE } from './setup-render.js';
import { isLinkLocal } from './setup-read-ipv6.js';

export type ErrorAt = (code: DiagnosticCode, span: Span, message: string, hint?: string) => void;

/** The part of the reader's state a route command reads and changes. */
export interface RouteState {
  readonly error: ErrorAt;
  /** The origins of the `# route` comments above the next route command, one per next hop; emptied by the route that takes them. */
  routeOrigins: Span[];
  readonly staticRoutes: StaticRouteModel[];
}

/**
 * `route replace PREFIX [via A] [dev I] [metric N]`, or with `nexthop ...` groups (ECMP): one
 * static route per next hop, each with the origin of its `# route` comment. `route replace
 * blackhole PREFIX [metric N]` is a discard route. `allTexts` are the command's words from
 * `route` on, `allWords` their positions (made only for a diagnostic).
 */
export function readRoute(state: RouteState, line: ConfigLine, allTexts: readonly string[], allWords: () => Word[]): void {
  const discard = allTexts[2] === BLACKHOLE_TYPE;
  const t = discard ? [...allTexts.slice(0, 2), ...allTexts.slice(3)] : allTexts;
  // the words' positions, only for a diagnostic
  const lazyWords = (): Word[] => {
    const w = allWords();
    return discard ? [...w.slice(0, 2), ...w.slice(3)] : w;
  };
  // the line's span: only for a diagnostic or a route without its `# route` comment
  const span = (): Span => lineSpan(line);
  const prefix = t[2] === undefined ? undefined : canonicalPrefix(t[2]);
  // The text is its canonical form (as written by setup-render.ts): it has no host bits.
  if (!prefix || (prefix !== t[2] && prefix !== formatPrefix(parsePrefix(t[2]!)!))) {
    return state.error(
      Codes.readerMalformedValue,
      t[2] !== undefined ? wordSpan(line, lazyWords()[2]!) : span(),
      `\`${t[2] ?? ''}\` is not a network prefix (with its length, no host bits)`,
    );
  }
  if (discard) return discardRoute(state, t, lazyWords, line, prefix);
  const hops: { nextHop?: string; interface?: string }[] = [];
  let distance: number | undefined;
  let i = 3;
  let hop: { nextHop?: string; interface?: string } | undefined;
  const multipath = t[3] === 'nexthop';
  if (!multipath) {
    hop = {};
    hops.push(hop);
  }
  while (i < t.length) {
    if (t[i] === 'nexthop' && multipath) {
      hop = {};
      hops.push(hop);
      i++;
    } else if (t[i] === 'via' && hop && t[i + 1] !== undefined) {
      const a = parseAddress(t[i + 1]!);
      if (!a)
        return state.error(
          Codes.readerMalformedValue,
          wordSpan(line, lazyWords()[i + 1]!),
          `\`${t[i + 1]}\` is not an address`,
        );
      hop.nextHop = formatAddress(a);
      i += 2;
    } else if (t[i] === 'dev' && hop && t[i + 1] !== undefined) {
      hop.interface = t[i + 1]!;
      i += 2;
    } else if (t[i] === 'metric' && t[i + 1] !== undefined && /^\d+$/.test(t[i + 1]!)) {
      distance = Number(t[i + 1]);
      i += 2;
    } else {
      return state.error(
        Codes.readerUnknownCommand,
        wordSpan(line, lazyWords()[i]!),
        `unknown route argument \`${t[i]}\``,
        'routes have `via ADDRESS`, `dev NAME`, `metric N` or `nexthop ...` groups',
      );
    }
  }
  if (hops.length === 0 || hops.some((h) => h.nextHop === undefined && h.interface === undefined)) {
    return state.error(Codes.readerMissingPart, span(), 'a route without a next hop or an interface');
  }
  const bare = hops.find((h) => h.nextHop !== undefined && h.interface === undefined && isLinkLocal(h.nextHop));
  if (bare)
    return state.error(
      Codes.readerMissingPart,
      span(),
      `the link-local next hop ${bare.nextHop} without its interface`,
      'a link-local address is only an address on one link: add `dev NAME`',
    );
  let origins = state.routeOrigins;
  if (origins.length !== hops.length) {
    const lineAt = span();
    origins = hops.map(() => lineAt);
  }
  state.routeOrigins = [];
  hops.forEach((h, k) => {
    state.staticRoutes.push({
      prefix,
      ...h,
      ...(distance !== undefined ? { distance } : {}),
      origin: origins[k]!,
    });
  });
}

/** The rest of `route replace blackhole PREFIX`: nothing, or `metric N`. */
function discardRoute(state: RouteState, t: readonly string[], words: () => Word[], line: ConfigLine, prefix: string): void {
  const metric = t[3] === 'metric' && t.length === 5 && /^\d+$/.test(t[4]!) ? Number(t[4]) : undefined;
  if (t.length > 3 && metric === undefined)
    return state.error(
      Codes.readerUnknownCommand,
      wordSpan(line, words()[3]!),
      `unknown argument \`${t[3]}\` of a blackhole route`,
      'a blackhole route has only `metric N`',
    );
  const origin = state.routeOrigins.length === 1 ? state.routeOrigins[0]! : lineSpan(line);
  state.routeOrigins = [];
  state.staticRoutes.push({ prefix, discard: true, ...(metric !== undefined ? { distance: metric } : {}), origin });
}
