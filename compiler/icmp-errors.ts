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
// The connections whose errors come from the same sources on a filter share their rules, one per
// ICMP type, with the union of their destinations: from S to A1 and from S to A2 is exactly from
// S to A1 ∪ A2. So a filter gets one set of rules per source set (on the filter toward the
// sources and on an external's, one in all), whatever the number of connections: the origin is
// the first connection's line, and the description counts the others.

import { formatPrefix, type Family } from '../language/address.js';
import type { Span } from '../language/diagnostic.js';
import type { FilterRule, Match } from './model.js';
import { normalize, union, type PrefixSet } from './prefix-set.js';

/** ICMP errors of IPv4: destination unreachable (3, with "fragmentation needed"), time exceeded (11). */
export const ICMP4_ERROR_TYPES = [3, 11] as const;
/** ICMPv6 errors: destination unreachable (1), packet too big (2), time exceeded (3). */
export const ICMP6_ERROR_TYPES = [1, 2, 3] as const;

/** The description prefix of these rules (the rest is the policy rule's description). */
export const ICMP_ERRORS_OF = 'icmp errors of ';

/**
 * One allowed connection on one edge filter, as placement sees it: its address sets (undefined:
 * any), its line, and `mine`: on the filter toward the edge's endpoint ('to'), the connection's
 * sources there; on the filter from it ('from'), its destinations there.
 */
export interface ErrorFlow {
  src: PrefixSet | undefined;
  dst: PrefixSet | undefined;
  mine: PrefixSet;
  origin: Span;
  description: string;
}

/** The ICMP error rules of the allowed connections of one edge filter of a stateless router. */
export function icmpErrorRules(flows: readonly ErrorFlow[], side: 'from' | 'to', edge: 'segment' | 'external'): FilterRule[] {
  // Connections by the sources of their errors on this filter: the set object, or any.
  const groups = new Map<PrefixSet | 'any', ErrorFlow[]>();
  for (const flow of flows) {
    if (flow.mine.length === 0) continue;
    const key = side === 'to' || edge === 'external' ? 'any' : flow.mine;
    const g = groups.get(key);
    if (g) g.push(flow);
    else groups.set(key, [flow]);
  }
  const out: FilterRule[] = [];
  for (const [key, group] of groups) {
    const sources = key === 'any' ? undefined : key;
    const destinations = side === 'to' ? unionOf(group.map((f) => f.mine)) : group.some((f) => f.src === undefined) ? undefined : unionOf(group.map((f) => f.src!));
    // The families of the sources' addresses here that the destinations hold too.
    let bits = 0;
    for (const f of group) bits |= familyBits(f.mine);
    if (destinations) bits &= familyBits(destinations);
    const has4 = (bits & 1) !== 0;
    const has6 = (bits & 2) !== 0;
    const first = group[0]!;
    const description = `${ICMP_ERRORS_OF}${first.description}${group.length > 1 ? ` and ${group.length - 1} more` : ''}`;
    for (const family of has4 ? (has6 ? BOTH : ONLY4) : has6 ? ONLY6 : NEITHER) {
      // A side that is any pins nothing: the other side's prefixes pin the family, or, with both
      // sides any, the family's whole range as the sources (as placement's ICMP rules do).
      const s = sources ? textOf(sources, family) : destinations ? undefined : [family === 4 ? '0.0.0.0/0' : '::/0'];
      const d = destinations ? textOf(destinations, family) : undefined;
      const protocol = family === 4 ? 1 : 58;
      for (const icmpType of family === 4 ? ICMP4_ERROR_TYPES : ICMP6_ERROR_TYPES) {
        // Each key only when it has a value, in this order (the model's JSON keeps it).
        const match: Match = {};
        if (s) match.sources = s;
        if (d) match.destinations = d;
        match.protocol = protocol;
        match.icmpType = icmpType;
        out.push({ action: 'permit', match, origin: first.origin, description });
      }
    }
  }
  return out;
}

const BOTH = [4, 6] as const;
const ONLY4 = [4] as const;
const ONLY6 = [6] as const;
const NEITHER = [] as const;

/** The families a set holds: 1 for IPv4, 2 for IPv6 (familiesOf without its lists). */
function familyBits(set: PrefixSet): number {
  let bits = 0;
  for (const p of set) {
    bits |= p.family === 4 ? 1 : 2;
    if (bits === 3) break;
  }
  return bits;
}

// The union of one set with itself (a segment's connections grouped on its filter mostly have
// the same set on that side) is the set normalized: kept per set object, so that its texts are
// formatted once (textOf) rather than for a new union on every filter.
const normalizedOf = new WeakMap<PrefixSet, PrefixSet>();

function unionOf(sets: readonly PrefixSet[]): PrefixSet {
  const first = sets[0]!;
  for (const s of sets) if (s !== first) return union(...sets);
  let n = normalizedOf.get(first);
  if (n === undefined) normalizedOf.set(first, (n = normalize(first)));
  return n;
}

const textCache = new WeakMap<PrefixSet, Map<Family, string[]>>();

function textOf(set: PrefixSet, family: Family): string[] {
  let m = textCache.get(set);
  if (!m) textCache.set(set, (m = new Map()));
  let t = m.get(family);
  if (!t) m.set(family, (t = set.filter((p) => p.family === family).map(formatPrefix)));
  return t;
}
