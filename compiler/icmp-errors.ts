// ICMP errors for forwarded connections on stateless routers. A router that does not track
// connections (IOS-XE ACLs) admits the replies of an allowed connection by reply rules
// (placement.ts), but the ICMP errors a connection provokes are not replies of that shape:
// "fragmentation needed" / "packet too big" (path-MTU discovery), "time exceeded" and
// "unreachable" travel back toward the connection's source from the destination host or from any
// router on the path. Without rules of their own a host behind a stateless filter never learns
// its path MTU, and large transfers hang (a PMTUD black hole). Stateful devices admit these
// errors through connection tracking (`ct state established,related` on nftables, the session on
// PAN-OS): they get no rules here.
//
// For every allowed connection a stateless edge filter enforces, the filter admits ICMP errors
// (IPv4 types 3 and 11, ICMPv6 types 1, 2 and 3; any code) in the direction its replies take:
//   - on the filter toward the connection's sources (`filterOut` of their edge): from any source
//     to the sources' addresses on this edge. The routers that send these errors have addresses
//     the intent does not know (a carrier's routers are not in its declared prefixes), so this
//     is the usual `permit icmp any <sources> packet-too-big`. What reaches this filter is
//     already held by the filter where the error entered the network (next point), and our own
//     routers' errors pass no filter of the router that sends them;
//   - on the filter from the connection's destinations (`filterIn` of their edge), to the
//     connection's sources: on a segment's edge from the destinations' addresses there (the
//     destination hosts); on an external's edge from any source, since the filter's first rule
//     already drops every source outside the external's address set (anti-spoofing): the routers
//     beyond it count as far as the addresses it declares.
// These rules come right after the reply rules, before the denies, for the same reason: a deny
// of the other direction must not drop the errors of a connection this direction may open.
// Rules equal to one already in the filter are left out (the first one's origin stays).

import { formatPrefix, type Family } from '../language/address.js';
import type { Span } from '../language/diagnostic.js';
import type { FilterRule, Match } from './model.js';
import { familiesOf, type PrefixSet } from './prefix-set.js';

/** ICMP errors of IPv4: destination unreachable (3, with "fragmentation needed"), time exceeded (11). */
export const ICMP4_ERROR_TYPES = [3, 11] as const;
/** ICMPv6 errors: destination unreachable (1), packet too big (2), time exceeded (3). */
export const ICMP6_ERROR_TYPES = [1, 2, 3] as const;

/** The description prefix of these rules (the rest is the policy rule's description). */
export const ICMP_ERRORS_OF = 'icmp errors of ';

/** One allowed connection as placement sees it: its address sets (undefined: any) and its line. */
export interface ErrorFlow {
  src: PrefixSet | undefined;
  dst: PrefixSet | undefined;
  origin: Span;
  description: string;
}

/** The rules already made in one filter, by (sources, destinations) set objects. */
export type SeenErrorRules = Map<PrefixSet | 'any', Set<PrefixSet | 'any'>>;

/**
 * The ICMP error rules of one allowed connection on one edge filter of a stateless router.
 * `side` 'to': the filter toward the edge's endpoint, which holds (some of) the sources, `mine`
 * the sources' addresses there; 'from': the filter from the edge's endpoint, which holds (some
 * of) the destinations, `mine` the destinations' addresses there.
 */
export function icmpErrorRules(
  flow: ErrorFlow,
  side: 'from' | 'to',
  mine: PrefixSet,
  edge: 'segment' | 'external',
  seen: SeenErrorRules,
): FilterRule[] {
  if (mine.length === 0) return [];
  const sources = side === 'to' || edge === 'external' ? undefined : mine;
  const destinations = side === 'to' ? mine : flow.src;
  const key = (s: PrefixSet | undefined) => s ?? 'any';
  let row = seen.get(key(sources));
  if (!row) seen.set(key(sources), (row = new Set()));
  if (row.has(key(destinations))) return [];
  row.add(key(destinations));
  let fams: Family[] = familiesOf(mine);
  if (sources) fams = fams.filter((f) => familiesOf(sources).includes(f));
  if (destinations) fams = fams.filter((f) => familiesOf(destinations).includes(f));
  const out: FilterRule[] = [];
  for (const family of fams) {
    // A side that is any pins nothing: the other side's prefixes pin the family, or, with both
    // sides any, the family's whole range as the sources (as placement's ICMP rules do).
    const s = sources ? textOf(sources, family) : destinations ? undefined : [family === 4 ? '0.0.0.0/0' : '::/0'];
    const d = destinations ? textOf(destinations, family) : undefined;
    const protocol = family === 4 ? 1 : 58;
    for (const icmpType of family === 4 ? ICMP4_ERROR_TYPES : ICMP6_ERROR_TYPES) {
      const match: Match = { ...(s ? { sources: s } : {}), ...(d ? { destinations: d } : {}), protocol, icmpType };
      out.push({ action: 'permit', match, origin: flow.origin, description: `${ICMP_ERRORS_OF}${flow.description}` });
    }
  }
  return out;
}

const textCache = new WeakMap<PrefixSet, Map<Family, string[]>>();

function textOf(set: PrefixSet, family: Family): string[] {
  let m = textCache.get(set);
  if (!m) textCache.set(set, (m = new Map()));
  let t = m.get(family);
  if (!t) m.set(family, (t = set.filter((p) => p.family === family).map(formatPrefix)));
  return t;
}
