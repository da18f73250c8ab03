// Forwarding paths, enumerated concretely: from an entry interface, a set of destination
// addresses is split hop by hop by each device's longest-prefix match into the pieces whose
// forwarding decision is constant; every ECMP next hop is a branch. The result is a tree whose
// nodes carry the filters a packet must pass there, and whose leaves say where each piece ends.
// Only the header space along each path is left to Z3.

import type { Family } from '../language/address.js';
import { intersect, isEmpty, normalize, subtract, type Interval, type IntervalSet } from './intervals.js';
import type { NetIndex } from './netindex.js';
import type { Ingress } from './verdict.js';

/** A filter a packet must pass at a node: an interface filter, or a firewall's zone policy. */
export type Guard =
  | { stage: 'in' | 'out'; device: string; filter: string }
  | { stage: 'security'; device: string; fromZone?: string; toZone?: string };

export interface PathNode {
  id: number;
  parent?: PathNode;
  device: string;
  ingress: string;
  egress?: string;
  guards: Guard[];
}

export type LeafEnd =
  | { kind: 'exit'; device: string; interface: string }
  | { kind: 'no-route'; device: string }
  | { kind: 'to-device'; device: string }
  | { kind: 'lost'; device: string; interface: string }
  | { kind: 'loop'; device: string; interface: string };

export interface Leaf {
  /** The destinations that take this path and end this way. */
  dst: IntervalSet;
  node: PathNode;
  end: LeafEnd;
}

export interface ForwardingTree {
  entry: Ingress;
  leaves: Leaf[];
  nodes: number;
}

/** Limits a tree's size so that a pathological model cannot exhaust memory. */
export const MAX_TREE_NODES = 200_000;

export function forwardingTree(idx: NetIndex, family: Family, entry: Ingress, dst: IntervalSet): ForwardingTree {
  const leaves: Leaf[] = [];
  let nextId = 0;
  /** Whether the path up to `node` already arrived at this device by this interface. */
  const arrivedBefore = (node: PathNode | undefined, device: string, ingress: string): boolean => {
    for (let n = node; n; n = n.parent) if (n.egress === undefined && n.device === device && n.ingress === ingress) return true;
    return false;
  };
  const arrive = (device: string, ingress: string, set: IntervalSet, parent: PathNode | undefined): void => {
    if (arrivedBefore(parent, device, ingress)) {
      leaves.push({ dst: set, node: parent!, end: { kind: 'loop', device, interface: ingress } });
      return;
    }
    if (nextId > MAX_TREE_NODES) throw new TreeTooLarge();
    const d = idx.device(device);
    const inFilter = idx.iface(device, ingress)?.filterIn;
    const node: PathNode = {
      id: nextId++,
      ...(parent ? { parent } : {}),
      device,
      ingress,
      guards: d && inFilter !== undefined ? [{ stage: 'in', device, filter: inFilter }] : [],
    };
    if (!d) {
      leaves.push({ dst: set, node, end: { kind: 'lost', device, interface: ingress } });
      return;
    }
    const own = intersect(set, idx.ownAddresses(device, family));
    if (!isEmpty(own)) leaves.push({ dst: own, node, end: { kind: 'to-device', device } });
    const rest = subtract(set, own);
    for (const [route, pieces] of splitByRoute(idx, device, family, rest)) {
      const part = normalize(pieces);
      if (!route) {
        leaves.push({ dst: part, node, end: { kind: 'no-route', device } });
        continue;
      }
      for (const nh of route.nextHops) {
        const guards: Guard[] = [];
        if (d.zones.length > 0) {
          const fromZone = idx.zoneOf(device, ingress);
          const toZone = idx.zoneOf(device, nh.interface);
          guards.push({ stage: 'security', device, ...(fromZone !== undefined ? { fromZone } : {}), ...(toZone !== undefined ? { toZone } : {}) });
        }
        const egress = idx.iface(device, nh.interface);
        if (egress?.filterOut !== undefined) guards.push({ stage: 'out', device, filter: egress.filterOut });
        const out: PathNode = { id: nextId++, parent: node, device, ingress, egress: nh.interface, guards };
        if (nh.device !== undefined) {
          if (egress?.peer) arrive(egress.peer.device, egress.peer.interface, part, out);
          else leaves.push({ dst: part, node: out, end: { kind: 'lost', device, interface: nh.interface } });
        } else {
          leaves.push({ dst: part, node: out, end: { kind: 'exit', device, interface: nh.interface } });
        }
      }
    }
  };
  arrive(entry.device, entry.interface, dst, undefined);
  return { entry, leaves, nodes: nextId };
}

export class TreeTooLarge extends Error {
  constructor() {
    super(`the forwarding paths have more than ${MAX_TREE_NODES} branches`);
    this.name = 'TreeTooLarge';
  }
}

type RouteOf = ReturnType<NetIndex['lpm']>[number]['route'];

/** Splits a destination set by the device's longest-prefix match, in address order. */
function splitByRoute(idx: NetIndex, device: string, family: Family, set: IntervalSet): Map<RouteOf, Interval[]> {
  const table = idx.lpm(device, family);
  const groups = new Map<RouteOf, Interval[]>();
  for (const [lo, hi] of set) {
    // First piece whose end reaches lo (binary search).
    let a = 0;
    let b = table.length - 1;
    while (a < b) {
      const mid = (a + b) >> 1;
      if (table[mid]!.hi < lo) a = mid + 1;
      else b = mid;
    }
    for (let k = a; k < table.length && table[k]!.lo <= hi; k++) {
      const piece = table[k]!;
      const l = piece.lo > lo ? piece.lo : lo;
      const h = piece.hi < hi ? piece.hi : hi;
      if (l > h) continue;
      const list = groups.get(piece.route) ?? [];
      list.push([l, h]);
      groups.set(piece.route, list);
    }
  }
  return groups;
}

/** The nodes from the entry down to `node`. */
export function pathTo(node: PathNode): PathNode[] {
  const out: PathNode[] = [];
  for (let n: PathNode | undefined = node; n; n = n.parent) out.push(n);
  return out.reverse();
}
