// The SMT side of NAT: the packet terms in force at each node of a forwarding tree (a node that
// rewrites defines new terms from its parent's), the replies' translations back, and the
// destination addresses an assertion is about when translations sit between its ends
// (docs/architecture.md, "NAT": the addresses by which the source sees the destination).

import type { ServiceModel } from '../compiler/model.js';
import { BITS, type Family } from '../language/address.js';
import type { DeviceRestores } from './forwarding-nat.js';
import { pathTo, type PathNode, type TermRewrite } from './forwarding.js';
import { intersect, isEmpty, prefixRange, subtract, union, type IntervalSet } from './intervals.js';
import { reverse, sideOf, stageOf } from './nat.js';
import type { NetIndex } from './netindex.js';
import { bv, type PacketTerms } from './smt.js';

/** The terms of each node of the trees of one query, defined once per (role, node). */
export class NodeTerms {
  private readonly memo = new Map<string, PacketTerms>();
  private count = 0;

  constructor(
    private readonly family: Family,
    private readonly definitions: string[],
    private readonly keyOf: (node: PathNode) => string,
    /** The forward packet's terms at a node (a reply's translation back reads them). */
    private readonly forwardAt: (node: PathNode) => PacketTerms,
  ) {}

  /** The packet's terms at `node` of a tree whose entry terms are `base` (role: which packet). */
  at(node: PathNode | undefined, role: string, base: PacketTerms): PacketTerms {
    if (!node) return base;
    const k = `${role}\u0000${this.keyOf(node)}`;
    const known = this.memo.get(k);
    if (known) return known;
    const parent = this.at(node.parent, role, base);
    const t = node.rewrites ? node.rewrites.reduce((acc, r) => this.rewrite(acc, r), parent) : parent;
    this.memo.set(k, t);
    return t;
  }

  private rewrite(t: PacketTerms, r: TermRewrite): PacketTerms {
    const w = BITS[this.family];
    if (r.kind === 'restore') {
      // The reply's field goes back to what the first packet had before that device.
      const before = this.forwardAt(r.of.parent!);
      return r.field === 'destination' ? { ...t, dst: before.src, dport: before.sport } : { ...t, src: before.dst, sport: before.dport };
    }
    const rule = r.rule;
    const old = rule.field === 'source' ? t.src : t.dst;
    const value = rule.hostMask === 0n ? bv(rule.base, w) : this.define(`(bvor (bvand ${old} ${bv(rule.hostMask, w)}) ${bv(rule.base, w)})`, w);
    const port = rule.service ? bv(rule.service.newPort, 16) : undefined;
    return rule.field === 'source' ? { ...t, src: value, ...(port ? { sport: port } : {}) } : { ...t, dst: value, ...(port ? { dport: port } : {}) };
  }

  private define(expr: string, width: number): string {
    const name = `nat${this.count++}`;
    this.definitions.push(`(define-fun ${name} () (_ BitVec ${width}) ${expr})`);
    return name;
  }
}

/** The reply's translations back, per device: the inverse of each rule the forward path's nodes applied. */
export function replyRestores(idx: NetIndex, leafNode: PathNode): Map<string, DeviceRestores> {
  const out = new Map<string, DeviceRestores>();
  for (const n of pathTo(leafNode)) {
    const d = idx.device(n.device);
    if (!d || !n.direction || !n.rewrites) continue;
    const back = reverse(n.direction);
    for (const r of n.rewrites) {
      if (r.kind !== 'rule') continue;
      const field = r.rule.field === 'source' ? 'destination' : 'source';
      const stage = stageOf(d, back, field);
      const at = out.get(n.device) ?? {};
      at[stage] = [...(at[stage] ?? []), { kind: 'restore', field, of: n }];
      out.set(n.device, at);
    }
  }
  return out;
}

/** An endpoint's side at a translating device: that of its attachment there, else of the device's route to its first address. */
function endpointSide(idx: NetIndex, device: string, endpoint: string, family: Family): 'inside' | 'outside' | undefined {
  const d = idx.device(device)!;
  const at = idx.entries(endpoint).find((e) => e.device === device);
  if (at) return sideOf(d, at.interface);
  const first = idx.addresses(endpoint, family)[0]?.[0];
  if (first === undefined) return undefined;
  const piece = idx.lpm(device, family).find((p) => p.lo <= first && first <= p.hi);
  const nh = piece?.route?.nextHops[0];
  return nh ? sideOf(d, nh.interface) : undefined;
}

const onlyService = (services: readonly ServiceModel[], s: { protocol: number; port: number }): boolean =>
  services.length > 0 && services.every((x) => x.protocol === s.protocol && x.ports !== undefined && x.ports.every((p) => p.from === s.port && p.to === s.port));

/**
 * The destinations by which `source` sees `dest`: its addresses, where a device has a static
 * translation of them from dest's side to source's side, mapped (a published service: only when
 * every service asked about is that one).
 */
export function seenAs(idx: NetIndex, family: Family, source: string, dest: string, services: readonly ServiceModel[]): IntervalSet {
  let set = idx.addresses(dest, family);
  for (const d of idx.model.devices) {
    if (!d.nat) continue;
    for (const t of d.nat.translations) {
      if (t.kind !== 'static' || (t.service && !onlyService(services, t.service))) continue;
      const [f, lo, hi] = prefixRange(t.real);
      const [, mlo] = prefixRange(t.mapped);
      if (f !== family) continue;
      const part = intersect(set, [[lo, hi]]);
      if (isEmpty(part)) continue;
      const destSide = endpointSide(idx, d.id, dest, family);
      const sourceSide = endpointSide(idx, d.id, source, family);
      if (destSide !== t.realSide || sourceSide === undefined || sourceSide === t.realSide) continue;
      const mapped = part.map(([a, b]) => [mlo + (a - lo), mlo + (b - lo)] as const);
      set = union(subtract(set, part), mapped);
    }
  }
  return set;
}

/** Every address a static translation maps `dest`'s addresses to, and its own: what an isolate is about. */
export function everyForm(idx: NetIndex, family: Family, dest: string): IntervalSet {
  let set = idx.addresses(dest, family);
  const own = set;
  for (const d of idx.model.devices) {
    for (const t of d.nat?.translations ?? []) {
      if (t.kind !== 'static') continue;
      const [f, lo, hi] = prefixRange(t.real);
      const [, mlo] = prefixRange(t.mapped);
      if (f !== family) continue;
      const part = intersect(own, [[lo, hi]]);
      set = union(set, part.map(([a, b]) => [mlo + (a - lo), mlo + (b - lo)] as const));
    }
  }
  return set;
}
