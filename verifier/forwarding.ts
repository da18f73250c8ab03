// Forwarding paths, enumerated concretely: from an entry interface, a set of destination
// addresses is split hop by hop by each device's longest-prefix match into the pieces whose
// forwarding decision is constant; every ECMP next hop is a branch. The result is a tree whose
// nodes carry the filters a packet must pass there, and whose leaves say where each piece ends.
// Only the header space along each path is left to Z3.
//
// At each device a packet arrives at, the arrival node carries uRPF (it decides every packet
// entering by the interface); below it, a packet to the device's own addresses passes the local
// filter (a `local` node, whose leaf is `to-device`), and a forwarded one the inbound filter (a
// node of its own when there is one), then per next hop the zone policy and the outbound filter.
// A packet the device originates (entry interface ORIGIN) passes none of its own filters.
// On a device whose conntrack drops the ICMP it cannot place, the arrival node also carries that
// check (a `state` guard): an unsolicited ICMP error or reply is dropped before any filter, forwarded or not.

import type { Family } from '../language/address.js';
import { dropsUnsolicitedIcmp } from './conntrack.js';
import { intersect, isEmpty, normalize, subtract, type Interval, type IntervalSet } from './intervals.js';
import { ORIGIN, type NetIndex } from './netindex.js';
import type { Ingress } from './verdict.js';

/**
 * A check a packet must pass at a node: an interface filter, the device's local filter (packets
 * to the device itself), a firewall's zone policy, or uRPF on its source (entering by
 * `interface`), or connection state (`state`: the packet is no ICMP that the device's
 * conntrack calls invalid, verifier/conntrack.ts). Connection state admits replies through
 * filters, never through uRPF.
 */
export type Guard =
  | { stage: 'in' | 'out' | 'local'; device: string; filter: string }
  | { stage: 'security'; device: string; fromZone?: string; toZone?: string }
  | { stage: 'urpf'; device: string; interface: string }
  | { stage: 'state'; device: string };

export interface PathNode {
  id: number;
  parent?: PathNode;
  device: string;
  ingress: string;
  egress?: string;
  /** The packet is addressed to the device itself (the node of its local filter). */
  local?: true;
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
    for (let n = node; n; n = n.parent) if (n.egress === undefined && !n.local && n.device === device && n.ingress === ingress) return true;
    return false;
  };
  const arrive = (device: string, ingress: string, set: IntervalSet, parent: PathNode | undefined): void => {
    if (arrivedBefore(parent, device, ingress)) {
      leaves.push({ dst: set, node: parent!, end: { kind: 'loop', device, interface: ingress } });
      return;
    }
    if (nextId > MAX_TREE_NODES) throw new TreeTooLarge();
    const d = idx.device(device);
    const origin = ingress === ORIGIN;
    const here = idx.iface(device, ingress);
    const arrival: Guard[] = [];
    if (d && !origin && here?.urpf !== undefined) arrival.push({ stage: 'urpf', device, interface: ingress });
    if (d && !origin && dropsUnsolicitedIcmp(d)) arrival.push({ stage: 'state', device });
    const node: PathNode = { id: nextId++, ...(parent ? { parent } : {}), device, ingress, guards: arrival };
    if (!d) {
      leaves.push({ dst: set, node, end: { kind: 'lost', device, interface: ingress } });
      return;
    }
    const own = intersect(set, idx.ownAddresses(device, family));
    if (!isEmpty(own)) {
      // Packets to the device itself: its local filter decides (none on what it sends itself).
      const guards: Guard[] = !origin && d.localFilter !== undefined ? [{ stage: 'local', device, filter: d.localFilter }] : [];
      const local: PathNode = { id: nextId++, parent: node, device, ingress, local: true, guards };
      leaves.push({ dst: own, node: local, end: { kind: 'to-device', device } });
    }
    const rest = subtract(set, own);
    if (isEmpty(rest)) return;
    const inFilter = origin ? undefined : here?.filterIn;
    const forwarded: PathNode = inFilter === undefined ? node : { id: nextId++, parent: node, device, ingress, guards: [{ stage: 'in', device, filter: inFilter }] };
    for (const [route, pieces] of splitByRoute(idx, device, family, rest)) {
      const part = normalize(pieces);
      if (!route) {
        leaves.push({ dst: part, node: forwarded, end: { kind: 'no-route', device } });
        continue;
      }
      for (const nh of route.nextHops) {
        const guards: Guard[] = [];
        if (d.zones.length > 0 && !origin) {
          const fromZone = idx.zoneOf(device, ingress);
          const toZone = idx.zoneOf(device, nh.interface);
          guards.push({ stage: 'security', device, ...(fromZone !== undefined ? { fromZone } : {}), ...(toZone !== undefined ? { toZone } : {}) });
        }
        const egress = idx.iface(device, nh.interface);
        if (egress?.filterOut !== undefined && !origin) guards.push({ stage: 'out', device, filter: egress.filterOut });
        const out: PathNode = { id: nextId++, parent: forwarded, device, ingress, egress: nh.interface, guards };
        if (nh.device !== undefined) {
          if (egress?.peer) arrive(egress.peer.device, egress.peer.interface, part, out);
          else leaves.push({ dst: part, node: out, end: { kind: 'lost', device, interface: nh.interface } });
          continue;
        }
        // A connected route on a link: the device at the other end receives its own addresses.
        const peerOwn = egress?.peer ? intersect(part, idx.ownAddresses(egress.peer.device, family)) : [];
        if (!isEmpty(peerOwn)) arrive(egress!.peer!.device, egress!.peer!.interface, peerOwn, out);
        const beyond = isEmpty(peerOwn) ? part : subtract(part, peerOwn);
        if (!isEmpty(beyond)) leaves.push({ dst: beyond, node: out, end: { kind: 'exit', device, interface: nh.interface } });
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
