// NAT in the forwarding tree: where a device translates (verifier/nat.ts says which rules apply
// at which stage), a branch of the tree splits into one child per outcome, each a node that
// rewrites the packet's terms. A destination rule splits the destination intervals (the part it
// maps continues in the mapped prefix: routing decides on the translated address); a source rule
// and a rule's service are conditions on the symbolic packet (`nat` guards, matched or not).
// A reply translated back by its connection switches the tree to new coordinates: its
// destination is then the first packet's source before that device (docs/architecture.md, "NAT").

import type { DeviceModel } from '../compiler/model.js';
import type { Family } from '../language/address.js';
import type { NatStage } from '../language/platforms.js';
import { fullSet, intersect, isEmpty, normalize, subtract, type Interval, type IntervalSet } from './intervals.js';
import { natRules, stageOf, type NatDirection, type NatRule } from './nat.js';
import type { Guard, PathNode, TermRewrite } from './forwarding.js';

/**
 * How a branch's destination intervals relate to the leaves' sets: `back` maps a set of the
 * current destinations to the coordinates the leaf is stated in (the entry's destination, or
 * since `coords`, a node that restored a reply's destination), through the static maps on the
 * way. `src`: the sources the packet may have here (the entry's, translated).
 */
export interface Coords {
  back: (s: IntervalSet) => IntervalSet;
  coords?: PathNode;
  src: IntervalSet;
  /** Some node on the way rewrote the packet. */
  translated?: true;
}

export interface Branch {
  node: PathNode;
  set: IntervalSet;
  ctx: Coords;
}

/** Makes a child node of `parent` with these rewrites and guards (the tree numbers it). */
export type MakeNode = (parent: PathNode, fields: Pick<PathNode, 'rewrites' | 'guards' | 'srcBefore' | 'incoming' | 'direction'>) => PathNode;

/** The reply's translations back at a device, per stage (the tree's `restores`). */
export type DeviceRestores = Partial<Record<NatStage, TermRewrite[]>>;

const natGuard = (d: DeviceModel, rule: NatRule, applies: boolean, at: PathNode): Guard => ({ stage: 'nat', device: d.id, rule, applies, at });

/** The image of a set within one prefix block (host bits `hostMask`) in the block at `toBase`: a static map, or its inverse. */
function mapSet(set: IntervalSet, toBase: bigint, hostMask: bigint): IntervalSet {
  return normalize(set.map(([lo, hi]) => [toBase | (lo & hostMask), toBase | (hi & hostMask)] as Interval));
}

/**
 * The branches of the device's translations at one stage of a crossing in `dir`: per
 * destination rule, the part of the set it maps (with its service as a guard); per source rule,
 * a guarded branch. Returns `[base]` when no rule can apply.
 */
export function translateBranches(d: DeviceModel, dir: NatDirection, stage: NatStage, family: Family, base: Branch, mk: MakeNode): Branch[] {
  const parent = base.node;
  const stageRules = (field: 'source' | 'destination'): NatRule[] => (stageOf(d, dir, field) === stage ? natRules(d, dir, field, family) : []);
  // Destination: split the intervals, first rule first.
  type DstOutcome = { set: IntervalSet; guards: Guard[]; rule?: NatRule };
  const dst: DstOutcome[] = [];
  let pending: DstOutcome[] = [{ set: base.set, guards: [] }];
  for (const rule of stageRules('destination')) {
    const next: DstOutcome[] = [];
    for (const p of pending) {
      const inside = intersect(p.set, rule.from);
      const rest = subtract(p.set, rule.from);
      if (!isEmpty(inside)) {
        dst.push({ set: inside, guards: rule.service ? [...p.guards, natGuard(d, rule, true, parent)] : p.guards, rule });
        if (rule.service) next.push({ set: inside, guards: [...p.guards, natGuard(d, rule, false, parent)] });
      }
      if (!isEmpty(rest)) next.push({ set: rest, guards: p.guards });
    }
    pending = next;
  }
  dst.push(...pending);
  // Source: a condition on the symbolic source, first rule first.
  type SrcOutcome = { src: IntervalSet; guards: Guard[]; rule?: NatRule };
  const src: SrcOutcome[] = [];
  const missed: Guard[] = [];
  let always = false;
  for (const rule of stageRules('source')) {
    const within = intersect(base.ctx.src, rule.from);
    if (isEmpty(within)) continue;
    const unconditional = !rule.service && isEmpty(subtract(base.ctx.src, rule.from));
    const image: IntervalSet = rule.hostMask === 0n ? [[rule.base, rule.base]] : mapSet(within, rule.base, rule.hostMask);
    src.push({ src: image, guards: unconditional ? [...missed] : [...missed, natGuard(d, rule, true, parent)], rule });
    if (unconditional) {
      always = true;
      break;
    }
    missed.push(natGuard(d, rule, false, parent));
  }
  if (!always) src.push({ src: base.ctx.src, guards: missed });
  const out: Branch[] = [];
  for (const x of dst) {
    for (const y of src) {
      const rewrites: TermRewrite[] = [...(x.rule ? [{ kind: 'rule' as const, rule: x.rule }] : []), ...(y.rule ? [{ kind: 'rule' as const, rule: y.rule }] : [])];
      const guards = [...x.guards, ...y.guards];
      if (rewrites.length === 0 && guards.length === 0) {
        out.push({ node: parent, set: x.set, ctx: base.ctx });
        continue;
      }
      const node = mk(parent, { rewrites, guards, direction: dir, ...(y.rule ? { srcBefore: base.ctx.src } : {}) });
      const r = x.rule;
      const set = r ? mapSet(x.set, r.base, r.hostMask) : x.set;
      const back = r ? (s: IntervalSet): IntervalSet => base.ctx.back(mapSet(s, r.from[0]![0], r.hostMask)) : base.ctx.back;
      out.push({ node, set, ctx: { back, ...(base.ctx.coords ? { coords: base.ctx.coords } : {}), src: y.src, translated: true } });
    }
  }
  return out;
}

/** A reply's translations back at one stage of a device: one node; a restored destination starts new coordinates. */
export function restoreBranch(family: Family, restores: readonly TermRewrite[], base: Branch, mk: MakeNode): Branch {
  if (restores.length === 0) return base;
  const dst = restores.find((r) => r.kind === 'restore' && r.field === 'destination');
  const node = mk(base.node, { rewrites: [...restores], guards: [], ...(dst ? { incoming: base.ctx.back(base.set) } : {}) });
  const restoresSource = restores.some((r) => r.kind === 'restore' && r.field === 'source');
  const src = restoresSource ? fullSet(family) : base.ctx.src;
  if (dst?.kind !== 'restore') return { node, set: base.set, ctx: { ...base.ctx, src, translated: true } };
  return { node, set: dst.of.srcBefore ?? fullSet(family), ctx: { back: (s) => s, coords: node, src, translated: true } };
}
