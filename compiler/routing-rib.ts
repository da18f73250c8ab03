// The routing information bases of convergence (routing.ts): candidates by prefix, the
// administrative distances, and the selection of each device's forwarding table from its RIB,
// sorted by prefix ranks numbered once for all devices.

import type { Prefix } from '../language/address.js';
import type { NextHopModel, RouteModel, RouteProtocol } from './model.js';
import { cachedPrefix } from './topology.js';

export const DISTANCE: Record<RouteProtocol, number> = { connected: 0, static: 1, bgp: 20, ospf: 110 };

export interface Candidate {
  protocol: RouteProtocol;
  distance: number;
  metric: number;
  hops: NextHopModel[];
}

/** Candidates by prefix: one candidate as itself (most prefixes have one), several as a list. */
export type Rib = Map<string, Candidate | Candidate[]>;

export function candidatesOf(entry: Candidate | Candidate[] | undefined): readonly Candidate[] {
  return entry === undefined ? [] : Array.isArray(entry) ? entry : [entry];
}

export function push(rib: Rib, prefix: string, c: Candidate): void {
  const entry = rib.get(prefix);
  if (entry === undefined) rib.set(prefix, c);
  else if (Array.isArray(entry)) entry.push(c);
  else rib.set(prefix, [entry, c]);
}

/** The best non-OSPF candidate of a prefix in a RIB. */
export function bestLocal(rib: Rib, prefix: string): Candidate | undefined {
  let best: Candidate | undefined;
  for (const c of candidatesOf(rib.get(prefix))) {
    if (c.protocol === 'ospf') continue;
    if (!best || c.distance < best.distance) best = c;
  }
  return best;
}

function compareNextHops(a: NextHopModel, b: NextHopModel): number {
  if (a.interface !== b.interface) return a.interface < b.interface ? -1 : 1;
  const x = a.address ?? '';
  const y = b.address ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

export function select(rib: Rib, rank: Map<string, number>): RouteModel[] {
  const out: RouteModel[] = [];
  for (const [prefix, entry] of rib) {
    const cands = candidatesOf(entry);
    let best: Candidate[] = [];
    for (const c of cands) {
      if (best.length === 0 || c.distance < best[0]!.distance) best = [c];
      else if (c.distance === best[0]!.distance && c.protocol === best[0]!.protocol) best.push(c);
    }
    const first = best[0]!;
    let hops: NextHopModel[];
    if (best.length === 1 && first.hops.length <= 1) {
      hops = first.hops;
    } else {
      hops = [];
      for (const c of best) {
        for (const h of c.hops) {
          if (!hops.some((x) => x.interface === h.interface && x.address === h.address)) hops.push(h);
        }
      }
      hops.sort(compareNextHops);
    }
    out.push({ prefix, protocol: first.protocol, nextHops: hops, metric: first.metric });
  }
  // Sort by prefix through the prefixes' ranks: numbers, compared without parsing anything.
  const ranks = new Float64Array(out.length);
  out.forEach((r, i) => (ranks[i] = rank.get(r.prefix)!));
  const order = Uint32Array.from(out.keys()).sort((a, b) => ranks[a]! - ranks[b]! || a - b);
  return Array.from(order, (i) => out[i]!);
}

/**
 * Every prefix of every RIB numbered in prefix order. Most prefixes are in every device's RIB:
 * sorting them once, for all devices, replaces a sort of each device's table by prefix.
 */
export function prefixRanks(ribs: Iterable<Rib>): Map<string, number> {
  const all = new Set<string>();
  for (const rib of ribs) for (const prefix of rib.keys()) all.add(prefix);
  const texts = [...all];
  const prefixes = texts.map((t) => cachedPrefix(t));
  const order = Uint32Array.from(texts.keys()).sort((a, b) => compareCanonical(prefixes[a]!, prefixes[b]!));
  // Texts of the same prefix (one with host bits written differently) share a rank: a device's
  // table keeps them in the order its RIB has them.
  const rank = new Map<string, number>();
  order.forEach((i, position) => {
    const previous = position > 0 ? order[position - 1]! : undefined;
    const same = previous !== undefined && compareCanonical(prefixes[previous]!, prefixes[i]!) === 0;
    rank.set(texts[i]!, same ? rank.get(texts[previous]!)! : position);
  });
  return rank;
}

/** comparePrefixes for prefixes already in network form (every FIB prefix), without masking. */
function compareCanonical(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.length - b.length;
}
