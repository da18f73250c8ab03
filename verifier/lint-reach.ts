// V801's path question shared between rules: whether some forwarding path from an entry delivers
// some address of a rule's destinations (someExit in forwarding.ts, the walk per rule and entry).
// An endpoint's addresses exclude every device's own addresses, so each of its address intervals
// that every device on the way routes by one longest-match piece takes the same paths at every
// address: its next hops form a graph over the devices, and whether an entry of the endpoint is
// reached from a device is remembered per device, interval and endpoint, for every rule and
// entry that asks again. Anything else (an interval some device splits, a loop, a tree past its
// bound, a destination that is a device) is left to the walk, which answers it as before.

import type { Family } from '../language/address.js';
import type { IntervalSet } from './intervals.js';
import { MAX_TREE_NODES } from './forwarding.js';
import { routeAt } from './lpm.js';
import type { LpmTable, NetIndex } from './netindex.js';
import type { Ingress } from './verdict.js';

/**
 * A device's answer for one interval: the walk's arrivals from there (bounded), times two, plus
 * one where an exit to the endpoint is reached (at least 2); or, before it is settled, 0 (not yet
 * asked), on the search's current path, or unknown.
 */
type Answer = number;
const VISITING: Answer = 1;
const UNKNOWN: Answer = -1;
const NO_DEVICE = -2;
const NO_PEER = -1;

interface IntervalPaths {
  lo: bigint;
  hi: bigint;
  /** Where the interval's row of per-device states and answers starts in the slab. */
  row: number;
}

interface EndpointPaths {
  /** The endpoint's interfaces of delivery: device index, then interface names. */
  exits: Map<number, Set<string>>;
  intervals: IntervalPaths[];
}

export class DeliveryPaths {
  private readonly endpoints: Record<Family, Map<string, EndpointPaths | undefined>> = { 4: new Map(), 6: new Map() };
  private readonly index = new Map<string, number>();
  /** Each device's interfaces' peer device index (NO_PEER: none; NO_DEVICE: a peer outside the model). */
  private readonly peers: (Map<string, number> | undefined)[];
  /** Each device's longest-match table by family, as asked for. */
  private readonly tables: Record<Family, (LpmTable | undefined)[]>;
  /** Every interval's row of answers, one after the other (a typed array each would cost more to make than to fill). */
  private slab = new Int32Array(1 << 16);
  private used = 0;

  constructor(private readonly idx: NetIndex) {
    idx.model.devices.forEach((d, j) => this.index.set(d.id, j));
    const n = idx.model.devices.length;
    this.peers = new Array<Map<string, number> | undefined>(n).fill(undefined);
    this.tables = { 4: new Array<LpmTable | undefined>(n).fill(undefined), 6: new Array<LpmTable | undefined>(n).fill(undefined) };
  }

  /**
   * What `someExit(idx, family, entry, ∪ addresses(d), accept)` answers, where `accept` takes an
   * exit at an entry of a destination d with some of d's addresses; undefined where the shared
   * answers do not settle it (the caller walks then).
   */
  delivers(entry: Ingress, family: Family, destinations: readonly string[]): boolean | undefined {
    const j = this.index.get(entry.device) ?? NO_DEVICE;
    let found = false;
    // The walk's arrivals over all destinations' addresses are at most the sum of each interval's.
    let arrivals = 0;
    for (const d of destinations) {
      const paths = this.endpointPaths(d, family);
      if (!paths) return undefined;
      for (const interval of paths.intervals) {
        const r = j === NO_DEVICE ? 2 : this.reach(j, family, interval, paths.exits);
        if (r === UNKNOWN) return undefined;
        arrivals += r >> 1;
        if (r & 1) found = true;
      }
    }
    // Past the bound the walk may give up (and the tree be built): leave that to the walk.
    if (arrivals > MAX_TREE_NODES) return undefined;
    return found;
  }

  private endpointPaths(name: string, family: Family): EndpointPaths | undefined {
    const cache = this.endpoints[family];
    if (cache.has(name)) return cache.get(name);
    let paths: EndpointPaths | undefined;
    // A device as a destination has its own addresses, which end the paths at their owner.
    if (this.idx.endpoint(name)) {
      const exits = new Map<number, Set<string>>();
      for (const e of this.idx.entries(name)) {
        const j = this.index.get(e.device);
        if (j !== undefined) (exits.get(j) ?? exits.set(j, new Set()).get(j)!).add(e.interface);
      }
      const set: IntervalSet = this.idx.addresses(name, family);
      paths = { exits, intervals: set.map(([lo, hi]) => ({ lo, hi, row: this.newRow() })) };
    }
    cache.set(name, paths);
    return paths;
  }

  private newRow(): number {
    const n = this.idx.model.devices.length;
    if (this.used + n > this.slab.length) {
      const bigger = new Int32Array(Math.max(this.slab.length * 2, this.used + n));
      bigger.set(this.slab);
      this.slab = bigger;
    }
    const row = this.used;
    this.used += n;
    return row;
  }

  private peersOf(j: number): Map<string, number> {
    let m = this.peers[j];
    if (!m) {
      m = new Map();
      for (const i of this.idx.model.devices[j]!.interfaces) m.set(i.name, i.peer ? (this.index.get(i.peer.device) ?? NO_DEVICE) : NO_PEER);
      this.peers[j] = m;
    }
    return m;
  }

  /** Depth first over the interval's next hops from device `j`; every device's answer remembered. */
  private reach(j: number, family: Family, interval: IntervalPaths, exits: Map<number, Set<string>>): Answer {
    const at = interval.row + j;
    const known = this.slab[at]!;
    if (known >= 2 || known === UNKNOWN) return known;
    // Met again on the current path: a loop, whose paths the walk cuts where they repeat.
    if (known === VISITING) return UNKNOWN;
    const table = (this.tables[family][j] ??= this.idx.lpmTable(this.idx.model.devices[j]!.id, family));
    const k = table.find(interval.lo);
    // A device that routes parts of the interval apart: the walk splits it.
    if (k >= table.his.length || table.his[k]! < interval.hi) {
      this.slab[at] = UNKNOWN;
      return UNKNOWN;
    }
    this.slab[at] = VISITING;
    let delivers = 0;
    let arrivals = 1;
    const hops = routeAt(table, k)?.nextHops;
    if (hops && hops.length > 0) {
      const peers = this.peersOf(j);
      for (const nh of hops) {
        if (nh.device !== undefined) {
          const peer = peers.get(nh.interface) ?? NO_PEER;
          if (peer === NO_PEER) continue;
          // A peer outside the model: one arrival, where the walk stops.
          const r = peer === NO_DEVICE ? 2 : this.reach(peer, family, interval, exits);
          if (r === UNKNOWN) {
            this.slab[at] = UNKNOWN;
            return UNKNOWN;
          }
          delivers |= r & 1;
          arrivals = Math.min(arrivals + (r >> 1), MAX_TREE_NODES + 1);
          continue;
        }
        // A connected route: no device at the other end owns an endpoint's address, so all of it leaves here.
        if (exits.get(j)?.has(nh.interface)) delivers = 1;
      }
    }
    const answer = arrivals * 2 + delivers;
    this.slab[at] = answer;
    return answer;
  }
}
