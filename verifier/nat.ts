// NAT as the verifier and the simulator read it: a device's translations turned into rewrite
// rules per direction of crossing and field, with their place in the hop from the platform table
// (docs/architecture.md, "NAT"). Pure functions of the model, shared by the concrete walk
// (simulate.ts) and the forwarding tree (forwarding-nat.ts), so that the two cannot disagree on
// which translation applies where.

import type { DeviceModel, NatSide, NatTranslation } from '../compiler/model.js';
import { BITS, parseAddress, type Family } from '../language/address.js';
import { traitsOf, type NatStage, type NatView } from '../language/platforms.js';
import { prefixesToSet, prefixRange, type IntervalSet } from './intervals.js';

export type NatDirection = 'inside-to-outside' | 'outside-to-inside';
export type NatField = 'source' | 'destination';

/** One way a translation rewrites one field of packets crossing in one direction. */
export interface NatRule {
  device: string;
  /** The translation's index in `nat.translations` (its precedence). */
  index: number;
  translation: NatTranslation;
  field: NatField;
  /** The field's addresses it applies to. */
  from: IntervalSet;
  /** The new address: `base` plus the old address's host bits (`hostMask`; 0 for one address). */
  base: bigint;
  hostMask: bigint;
  /** Only packets of this protocol whose port of the field (source or destination) is `port`; that port becomes `newPort`. */
  service?: { protocol: number; port: number; newPort: number };
}

const rulesCache = new WeakMap<DeviceModel, Map<string, NatRule[]>>();

/** The side of an interface of a translating device, if any. */
export function sideOf(d: DeviceModel, iface: string): NatSide | undefined {
  if (!d.nat) return undefined;
  if (d.nat.inside.includes(iface)) return 'inside';
  if (d.nat.outside.includes(iface)) return 'outside';
  return undefined;
}

export const directionFrom = (side: NatSide): NatDirection => (side === 'inside' ? 'inside-to-outside' : 'outside-to-inside');
export const reverse = (dir: NatDirection): NatDirection => (dir === 'inside-to-outside' ? 'outside-to-inside' : 'inside-to-outside');

/** When the platform rewrites this field of packets crossing in this direction. */
export function stageOf(d: DeviceModel, dir: NatDirection, field: NatField): NatStage {
  return traitsOf(d.platform).nat.rewrites[dir][field];
}

/** Which packet a filter stage of the device judges. */
export function viewOf(d: DeviceModel, stage: 'in' | 'out' | 'security' | 'local'): NatView {
  return traitsOf(d.platform).nat.filterSees[stage];
}

/** The rules that rewrite `field` of packets crossing in `dir`, in precedence order (first applicable wins). */
export function natRules(d: DeviceModel, dir: NatDirection, field: NatField, family: Family): NatRule[] {
  if (!d.nat) return [];
  let byKey = rulesCache.get(d);
  if (!byKey) rulesCache.set(d, (byKey = new Map()));
  const k = `${dir}\u0000${field}\u0000${family}`;
  let rules = byKey.get(k);
  if (rules) return rules;
  rules = [];
  const fromSide: NatSide = dir === 'inside-to-outside' ? 'inside' : 'outside';
  d.nat.translations.forEach((t, index) => {
    if (t.kind === 'pat') {
      const a = parseAddress(t.address);
      if (dir !== 'inside-to-outside' || field !== 'source' || !a || a.family !== family) return;
      rules!.push({ device: d.id, index, translation: t, field, from: prefixesToSet(t.sources, family), base: a.value, hostMask: 0n });
      return;
    }
    const [f, realLo, realHi] = prefixRange(t.real);
    const [, mappedLo] = prefixRange(t.mapped);
    if (f !== family) return;
    const hostMask = realHi - realLo;
    // Leaving the real side: the source is mapped; arriving at it: the destination is mapped back.
    if (fromSide === t.realSide && field === 'source') {
      const service = t.service ? { protocol: t.service.protocol, port: t.service.realPort, newPort: t.service.port } : undefined;
      rules!.push({ device: d.id, index, translation: t, field, from: [[realLo, realHi]], base: mappedLo, hostMask, ...(service ? { service } : {}) });
    } else if (fromSide !== t.realSide && field === 'destination') {
      const service = t.service ? { protocol: t.service.protocol, port: t.service.port, newPort: t.service.realPort } : undefined;
      rules!.push({ device: d.id, index, translation: t, field, from: [[mappedLo, mappedLo + hostMask]], base: realLo, hostMask, ...(service ? { service } : {}) });
    }
  });
  byKey.set(k, rules);
  return rules;
}

/** The new address a rule gives `value` (one of `from`). */
export function rewriteAddress(rule: NatRule, value: bigint): bigint {
  return rule.base | (value & rule.hostMask);
}

/** The host-bit mask of the family's width, complemented: the bits a static map replaces. */
export function netMask(rule: NatRule, family: Family): bigint {
  return ((1n << BigInt(BITS[family])) - 1n) ^ rule.hostMask;
}

/** Whether any device of the model translates. */
export function translates(devices: readonly DeviceModel[]): boolean {
  return devices.some((d) => d.nat !== undefined && d.nat.translations.length > 0);
}
