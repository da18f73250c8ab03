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

import type { DeviceModel, NatSide, NextHopModel, RouteModel } from '../compiler/model.js';
import type { Family } from '../language/address.js';
import { dropsUnsolicitedIcmp } from './conntrack.js';
import { restoreBranch, translateBranches, type Branch, type Coords, type DeviceRestores, type MakeNode } from './forwarding-nat.js';
import { fullSet, intersect, isEmpty, normalize, subtract, type Interval, type IntervalSet } from './intervals.js';
import { directionFrom, sideOf, viewOf, type NatDirection, type NatField, type NatRule } from './nat.js';
import { routeAt } from './lpm.js';
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
  | { stage: 'in' | 'out' | 'local'; device: string; filter: string; at?: PathNode }
  | { stage: 'security'; device: string; fromZone?: string; toZone?: string; at?: PathNode }
  | { stage: 'urpf'; device: string; interface: string }
  | { stage: 'state'; device: string }
  /** A translation's condition on the packet at `at` (its source, its service) holds, or (applies false) does not. */
  | { stage: 'nat'; device: string; rule: NatRule; applies: boolean; at: PathNode };

/**
 * How a node changes the packet's terms (forwarding-nat.ts): a translation rule, or a reply's
 * field set back to what the connection's first packet had before forward node `of` (its
 * source, for the reply's destination; its destination, for the reply's source).
 */
export type TermRewrite = { kind: 'rule'; rule: NatRule } | { kind: 'restore'; field: NatField; of: PathNode };

export interface PathNode {
  id: number;
  parent?: PathNode;
  device: string;
  ingress: string;
  egress?: string;
  /** The packet is addressed to the device itself (the node of its local filter). */
  local?: true;
  /**
   * Guards decide the packet as it is at this node (after its rewrites), or at `at` when they
   * name one (a filter that sees the packet as it arrived, a translation's condition).
   */
  guards: Guard[];
  /** The translations this node applies (absent: the packet is as at its parent). */
  rewrites?: TermRewrite[];
  /** A node with rewrite rules: the direction of the crossing. */
  direction?: NatDirection;
  /** A node that rewrites the source: the sources the packet could have before it. */
  srcBefore?: IntervalSet;
  /** A node that restores a reply's destination: the destinations before it, in the coordinates before it. */
  incoming?: IntervalSet;
}

export type LeafEnd =
  | { kind: 'exit'; device: string; interface: string }
  | { kind: 'no-route'; device: string }
  /** Routed by a discard route (a route to nowhere): dropped there, on purpose. */
  | { kind: 'discarded'; device: string; prefix: string }
  | { kind: 'to-device'; device: string }
  | { kind: 'lost'; device: string; interface: string }
  | { kind: 'loop'; device: string; interface: string };

export interface Leaf {
  /**
   * The destinations that take this path and end this way: as the packet entered (mapped back
   * through the static translations on the way), or, below a node that restored a reply's
   * destination (`coords`), as that node set it.
   */
  dst: IntervalSet;
  node: PathNode;
  end: LeafEnd;
  /** Where translations changed the destinations: the destinations as they end, and the map back to `dst`'s coordinates. */
  final?: IntervalSet;
  back?: (s: IntervalSet) => IntervalSet;
  coords?: PathNode;
  /** Where translations changed the source: the sources the packet may end with. */
  src?: IntervalSet;
}

/** The destinations of a leaf as the packet ends (delivered, dropped...): the coordinates of routing and delivery. */
export const finalDst = (leaf: Leaf): IntervalSet => leaf.final ?? leaf.dst;

/** A set of a leaf's final destinations in the coordinates of its `dst`. */
export const backToLeaf = (leaf: Leaf, s: IntervalSet): IntervalSet => (leaf.back ? leaf.back(s) : s);

export interface ForwardingTree {
  entry: Ingress;
  leaves: Leaf[];
  nodes: number;
}

/** Limits a tree's size so that a pathological model cannot exhaust memory. */
export const MAX_TREE_NODES = 200_000;

export interface TreeOptions {
  /** The sources the packet may have (translated source rules only apply to these); default any. */
  src?: IntervalSet;
  /** A reply: the translations back per device that translated its connection's first packet. */
  restores?: ReadonlyMap<string, DeviceRestores>;
}

export function forwardingTree(idx: NetIndex, family: Family, entry: Ingress, dst: IntervalSet, options: TreeOptions = {}): ForwardingTree {
  const leaves: Leaf[] = [];
  let nextId = 0;
  const restores = options.restores ?? new Map<string, DeviceRestores>();
  const mk: MakeNode = (parent, fields) => ({ id: nextId++, parent, device: parent.device, ingress: parent.ingress, ...(parent.egress !== undefined ? { egress: parent.egress } : {}), ...fields });
  /** A leaf; with its translation coordinates where a translation changed them. */
  const leaf = (set: IntervalSet, node: PathNode, end: LeafEnd, ctx: Coords): void => {
    if (!ctx.translated) {
      leaves.push({ dst: set, node, end });
      return;
    }
    leaves.push({ dst: ctx.back(set), node, end, final: set, back: ctx.back, ...(ctx.coords ? { coords: ctx.coords } : {}), src: ctx.src });
  };
  /** Whether the path up to `node` already arrived at this device by this interface. */
  const arrivedBefore = (node: PathNode | undefined, device: string, ingress: string): boolean => {
    for (let n = node; n; n = n.parent) if (n.egress === undefined && !n.local && n.device === device && n.ingress === ingress) return true;
    return false;
  };
  const arrive = (device: string, ingress: string, set: IntervalSet, parent: PathNode | undefined, ctx: Coords): void => {
    if (arrivedBefore(parent, device, ingress)) {
      leaf(set, parent!, { kind: 'loop', device, interface: ingress }, ctx);
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
      leaf(set, node, { kind: 'lost', device, interface: ingress }, ctx);
      return;
    }
    // Translations before routing (a reply's back where its connection was translated).
    const restoring = restores.get(device);
    const inSide = origin ? undefined : sideOf(d, ingress);
    const base: Branch = { node, set, ctx };
    const branches = restoring
      ? [restoreBranch(family, restoring['before-routing'] ?? [], base, mk)]
      : inSide
        ? translateBranches(d, directionFrom(inSide), 'before-routing', family, base, mk)
        : [base];
    for (const br of branches) forward(d, node, br, inSide, restoring);
  };
  /** A packet at device `d` past its arrival checks and translations before routing. */
  const forward = (d: DeviceModel, arrival: PathNode, br: Branch, inSide: NatSide | undefined, restoring: DeviceRestores | undefined): void => {
    const { device, ingress } = arrival;
    const origin = ingress === ORIGIN;
    const here = idx.iface(device, ingress);
    const translating = d.nat !== undefined || restoring !== undefined;
    /** The node whose packet a filter stage sees (undefined: the node the guard is on). */
    const seen = (stage: 'in' | 'out' | 'security' | 'local', routed: PathNode | undefined): { at?: PathNode } => {
      if (!translating) return {};
      const view = viewOf(d, stage);
      const at = view === 'arrival' ? arrival : view === 'routed' ? routed : undefined;
      return at ? { at } : {};
    };
    const own = intersect(br.set, idx.ownAddresses(device, family));
    if (!isEmpty(own)) {
      // Packets to the device itself: its local filter decides (none on what it sends itself).
      const guards: Guard[] = !origin && d.localFilter !== undefined ? [{ stage: 'local', device, filter: d.localFilter, ...seen('local', br.node) }] : [];
      const local: PathNode = { id: nextId++, parent: br.node, device, ingress, local: true, guards };
      leaf(own, local, { kind: 'to-device', device }, br.ctx);
    }
    const rest = subtract(br.set, own);
    if (isEmpty(rest)) return;
    const inFilter = origin ? undefined : here?.filterIn;
    const forwarded: PathNode =
      inFilter === undefined ? br.node : { id: nextId++, parent: br.node, device, ingress, guards: [{ stage: 'in', device, filter: inFilter, ...seen('in', br.node) }] };
    for (const [route, pieces] of splitByRoute(idx, device, family, rest)) {
      const part = normalize(pieces);
      if (!route) {
        leaf(part, forwarded, { kind: 'no-route', device }, br.ctx);
        continue;
      }
      if (route.nextHops.length === 0) {
        leaf(part, forwarded, { kind: 'discarded', device, prefix: route.prefix }, br.ctx);
        continue;
      }
      for (const nh of route.nextHops) {
        const guards: Guard[] = [];
        if (d.zones.length > 0 && !origin) {
          const fromZone = idx.zoneOf(device, ingress);
          const toZone = idx.zoneOf(device, nh.interface);
          guards.push({ stage: 'security', device, ...(fromZone !== undefined ? { fromZone } : {}), ...(toZone !== undefined ? { toZone } : {}), ...seen('security', br.node) });
        }
        const egress = idx.iface(device, nh.interface);
        if (egress?.filterOut !== undefined && !origin) guards.push({ stage: 'out', device, filter: egress.filterOut, ...seen('out', br.node) });
        const out: PathNode = { id: nextId++, parent: forwarded, device, ingress, egress: nh.interface, guards: [] };
        // Translations after routing, each outcome a node below `out`; the filters are guards of
        // the node the packet leaves by (those that see it as it leaves, on its translated terms).
        const outSide = sideOf(d, nh.interface);
        const leaving: Branch = { node: out, set: part, ctx: br.ctx };
        const exits = restoring
          ? [restoreBranch(family, restoring['after-routing'] ?? [], leaving, mk)]
          : inSide && outSide && inSide !== outSide
            ? translateBranches(d, directionFrom(inSide), 'after-routing', family, leaving, mk)
            : [leaving];
        for (const x of exits) {
          if (x.node === out && exits.length === 1) out.guards = guards;
          else if (x.node === out) x.node = mk(out, { guards: [...guards] });
          else x.node.guards.push(...guards);
          leave(x, nh);
        }
      }
    }
  };
  /** A packet leaving a device by a next hop: to the next device, or out of our network. */
  const leave = (x: Branch, nh: NextHopModel): void => {
    const { device } = x.node;
    const egress = idx.iface(device, nh.interface);
    if (nh.device !== undefined) {
      if (egress?.peer) arrive(egress.peer.device, egress.peer.interface, x.set, x.node, x.ctx);
      else leaf(x.set, x.node, { kind: 'lost', device, interface: nh.interface }, x.ctx);
      return;
    }
    // A connected route on a link: the device at the other end receives its own addresses.
    const peerOwn = egress?.peer ? intersect(x.set, idx.ownAddresses(egress.peer.device, family)) : [];
    if (!isEmpty(peerOwn)) arrive(egress!.peer!.device, egress!.peer!.interface, peerOwn, x.node, x.ctx);
    const beyond = isEmpty(peerOwn) ? x.set : subtract(x.set, peerOwn);
    if (!isEmpty(beyond)) leaf(beyond, x.node, { kind: 'exit', device, interface: nh.interface }, x.ctx);
  };
  arrive(entry.device, entry.interface, dst, undefined, { back: (x) => x, src: options.src ?? fullSet(family) });
  return { entry, leaves, nodes: nextId };
}

/**
 * Whether some path of `forwardingTree(idx, family, entry, dst)` ends in an `exit` leaf whose
 * destinations `accept` takes: the tree's paths walked without building its nodes and guards,
 * stopped at the first accepted exit. For a model without translations (their coordinates need
 * the tree). Undefined when the walk passes the tree's bound: the caller builds the tree then.
 */
export function someExit(idx: NetIndex, family: Family, entry: Ingress, dst: IntervalSet, accept: (device: string, iface: string, set: IntervalSet) => boolean): boolean | undefined {
  /** The (device, ingress) arrivals on the path so far: arriving again is a loop. */
  const path: string[] = [];
  let arrivals = 0;
  const arrive = (device: string, ingress: string, set: IntervalSet): boolean | undefined => {
    for (let k = 0; k < path.length; k += 2) if (path[k] === device && path[k + 1] === ingress) return false;
    if (++arrivals > MAX_TREE_NODES) return undefined;
    if (!idx.device(device)) return false;
    // Packets to the device itself end there.
    const rest = subtract(set, idx.ownAddresses(device, family));
    if (isEmpty(rest)) return false;
    path.push(device, ingress);
    try {
      for (const [route, pieces] of splitByRoute(idx, device, family, rest)) {
        if (!route) continue;
        const part = normalize(pieces);
        for (const nh of route.nextHops) {
          const egress = idx.iface(device, nh.interface);
          if (nh.device !== undefined) {
            if (!egress?.peer) continue;
            const found = arrive(egress.peer.device, egress.peer.interface, part);
            if (found !== false) return found;
            continue;
          }
          // A connected route on a link: the device at the other end receives its own addresses.
          const peerOwn = egress?.peer ? intersect(part, idx.ownAddresses(egress.peer.device, family)) : [];
          if (!isEmpty(peerOwn)) {
            const found = arrive(egress!.peer!.device, egress!.peer!.interface, peerOwn);
            if (found !== false) return found;
          }
          const beyond = isEmpty(peerOwn) ? part : subtract(part, peerOwn);
          if (!isEmpty(beyond) && accept(device, nh.interface, beyond)) return true;
        }
      }
      return false;
    } finally {
      path.length -= 2;
    }
  };
  return arrive(entry.device, entry.interface, dst);
}

export class TreeTooLarge extends Error {
  constructor() {
    super(`the forwarding paths have more than ${MAX_TREE_NODES} branches`);
    this.name = 'TreeTooLarge';
  }
}

/** Splits a destination set by the device's longest-prefix match, in address order. */
function splitByRoute(idx: NetIndex, device: string, family: Family, set: IntervalSet): Map<RouteModel | undefined, Interval[]> {
  const table = idx.lpmTable(device, family);
  const { los, his } = table;
  const groups = new Map<RouteModel | undefined, Interval[]>();
  for (const [lo, hi] of set) {
    // From the piece that holds lo.
    for (let k = table.find(lo); k < los.length && los[k]! <= hi; k++) {
      const l = los[k]! > lo ? los[k]! : lo;
      const h = his[k]! < hi ? his[k]! : hi;
      if (l > h) continue;
      const route = routeAt(table, k);
      const list = groups.get(route);
      if (list) list.push([l, h]);
      else groups.set(route, [[l, h]]);
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
