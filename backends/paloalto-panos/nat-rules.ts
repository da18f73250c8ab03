// The PAN-OS NAT rules that carry out a device's `nat` (compiler/model-nat.ts), as plain data:
// the renderer writes them (nat-render.ts) and the reader, having taken the translations back
// from the rules that stand for one translation each, generates them again and requires the
// file's rules to be exactly these (nat-read.ts). One function decides both, so the two cannot
// drift apart.
//
// PAN-OS matches NAT rules on the packet as it arrived, top down, and applies the FIRST that
// matches, which may rewrite the source, the destination or both. The model instead rewrites
// with the first translation that applies to the source and the first that applies to the
// destination, independently. So a packet that two translations rewrite (ours to theirs when
// both address spaces are translated: source by "ours appear as", destination by "theirs appear
// as") needs one rule that does both: those combined rules come first, ordered by the source
// translation's place then the destination translation's (the first that matches is then the
// model's pair), and the rules of one translation each follow in the model's order. A rule
// names one destination zone (PAN-OS takes one), so a rule toward a side of several zones is
// written once per zone, consecutively.

import type { DeviceModel, NatModel, NatTranslation, StaticNat } from '../../compiler/model.js';
import { prefixOf } from '../../language/address.js';
import { hostOf } from './local.js';

/** A NAT rule's `service`: one protocol, and one destination port or one source port. */
export interface NatService {
  protocol: 6 | 17;
  port?: number;
  sourcePort?: number;
}

export type SourceTranslation =
  | { kind: 'static'; address: string; bidirectional: boolean }
  /** Dynamic IP and port to one address: the outside interface's own (`interface`), or a translated address. */
  | { kind: 'pat'; address: string; interface?: string };

export interface DestinationTranslation {
  /** A prefix (a host is `/32`). */
  address: string;
  /** Absent: the port is kept. */
  port?: number;
}

/** One NAT rule; zones are the model's names, prefixes canonical. */
export interface NatRule {
  from: string[];
  to: string;
  /** Absent: any. */
  sources?: string[];
  destinations?: string[];
  service?: NatService;
  source?: SourceTranslation;
  destination?: DestinationTranslation;
  /** The model translations it carries out (by index): one, or a source and a destination one. */
  translations: number[];
  /** The outbound half of a published server (its packets from the service's port). */
  outbound?: true;
}

/** What makes two rules the same rule on the firewall (not which translations they came from). */
export function ruleKey(r: NatRule): string {
  return JSON.stringify([r.from, r.to, r.sources ?? 'any', r.destinations ?? 'any', r.service ?? 'any', r.source ?? null, r.destination ?? null]);
}

/** `r` in words, for messages. */
export function ruleText(r: NatRule): string {
  const list = (xs: string[] | undefined): string => (xs ? xs.join(' ') : 'any');
  const svc = r.service ? ` service ${r.service.protocol === 6 ? 'tcp' : 'udp'}${r.service.port !== undefined ? ` port ${r.service.port}` : ''}${r.service.sourcePort !== undefined ? ` source-port ${r.service.sourcePort}` : ''}` : '';
  const src = r.source
    ? r.source.kind === 'static'
      ? `, source static-ip ${r.source.address}${r.source.bidirectional ? ' bi-directional' : ''}`
      : `, source dynamic-ip-and-port ${r.source.interface ? `interface-address ${r.source.interface}` : r.source.address}`
    : '';
  const dst = r.destination ? `, destination-translation ${r.destination.address}${r.destination.port !== undefined ? ` port ${r.destination.port}` : ''}` : '';
  return `from ${r.from.join(' ')} to ${r.to} source ${list(r.sources)} destination ${list(r.destinations)}${svc}${src}${dst}`;
}

type Device = Pick<DeviceModel, 'id' | 'interfaces' | 'zones' | 'nat'>;

const isLoopback = (d: Device, name: string): boolean => d.interfaces.find((i) => i.name === name)?.role === 'loopback';

/**
 * The zones of one side: every zone holding one of its interfaces, each of whose other
 * interfaces is on that side too (a loopback, where no packet arrives or leaves, aside);
 * otherwise the side cannot be said in zones and the message says why.
 */
export function sideZones(d: Device, nat: NatModel, side: 'inside' | 'outside'): string[] | string {
  const members = new Set(nat[side]);
  const zones = d.zones.filter((z) => z.interfaces.some((i) => members.has(i)));
  for (const z of zones) {
    const others = z.interfaces.filter((i) => !members.has(i) && !isLoopback(d, i));
    if (others.length > 0) return `zone ${z.name} holds ${[...members].filter((i) => z.interfaces.includes(i)).join(', ')} (NAT ${side}) and ${others.join(', ')} (not ${side})`;
  }
  const loose = [...members].filter((i) => !zones.some((z) => z.interfaces.includes(i)));
  if (loose.length > 0) return `the NAT ${side} interface ${loose.join(', ')} is in no zone`;
  if (zones.length === 0) return `the NAT ${side} side has no interface`;
  return zones.map((z) => z.name).sort();
}

/** Interface names of a NAT model renamed (interface-names.ts: subinterfaces). */
export function renameNat(nat: NatModel, map: Map<string, string>): NatModel {
  const n = (name: string): string => map.get(name) ?? name;
  return { ...nat, inside: nat.inside.map(n).sort(), outside: nat.outside.map(n).sort() };
}

const rewritesSourceOutward = (t: NatTranslation): boolean => t.kind === 'pat' || t.realSide === 'inside';
const rewritesDestinationOutward = (t: NatTranslation): t is StaticNat => t.kind === 'static' && t.realSide === 'outside';
const rewritesSourceInward = (t: NatTranslation): t is StaticNat => t.kind === 'static' && t.realSide === 'outside';
const rewritesDestinationInward = (t: NatTranslation): t is StaticNat => t.kind === 'static' && t.realSide === 'inside';

/** Why a device's NAT cannot be written as NAT rules: its zones, or a translation PAN-OS cannot do. */
export interface NatUnwritable {
  kind: 'zones' | 'translation';
  message: string;
}

/** The NAT rules of a device, in order, or why they cannot be written. */
export function natRules(d: Device): NatRule[] | NatUnwritable {
  const nat = d.nat;
  if (!nat || nat.translations.length === 0) return [];
  const inside = sideZones(d, nat, 'inside');
  if (typeof inside === 'string') return { kind: 'zones', message: inside };
  const outside = sideZones(d, nat, 'outside');
  if (typeof outside === 'string') return { kind: 'zones', message: outside };
  const ts = nat.translations;
  const wrong = ts.find((t) => (t.kind === 'static' ? prefixOf(t.real).family : prefixOf(t.sources[0] ?? '0.0.0.0/0').family) !== 4);
  if (wrong) return { kind: 'translation', message: `${wrong.description}: PAN-OS NAT rules are written for IPv4 translations only` };
  const rules: NatRule[] = [];
  const toEach = (zones: string[], r: Omit<NatRule, 'to'>): void => {
    for (const to of zones) rules.push({ ...r, to });
  };
  // The source half of an outward translation: its match and its source translation.
  const outwardSource = (t: NatTranslation, bidirectional: boolean): Pick<NatRule, 'sources' | 'service' | 'source'> => {
    if (t.kind === 'pat') {
      const owner = d.interfaces.find((i) => nat.outside.includes(i.name) && i.addresses.some((a) => hostOf(a) === `${t.address}/32`));
      return { sources: [...t.sources], source: { kind: 'pat', address: t.address, ...(owner ? { interface: owner.name } : {}) } };
    }
    return {
      sources: [t.real],
      ...(t.service ? { service: { protocol: t.service.protocol, sourcePort: t.service.realPort } } : {}),
      source: { kind: 'static', address: t.mapped, bidirectional },
    };
  };
  const inwardDestination = (t: StaticNat): Pick<NatRule, 'destinations' | 'service' | 'destination'> => ({
    destinations: [t.mapped],
    ...(t.service ? { service: { protocol: t.service.protocol, port: t.service.port } } : {}),
    destination: { address: t.real, ...(t.service && t.service.realPort !== t.service.port ? { port: t.service.realPort } : {}) },
  });
  // Rewritten both ways in one crossing: one rule each, before the rest.
  ts.forEach((s, i) => {
    if (!rewritesSourceOutward(s)) return;
    ts.forEach((t, j) => {
      if (!rewritesDestinationOutward(t)) return;
      toEach(outside, { from: inside, ...outwardSource(s, false), destinations: [t.mapped], destination: { address: t.real }, translations: [i, j] });
    });
  });
  ts.forEach((s, i) => {
    if (!rewritesSourceInward(s)) return;
    ts.forEach((t, j) => {
      if (!rewritesDestinationInward(t)) return;
      toEach(inside, { from: outside, sources: [s.real], source: { kind: 'static', address: s.mapped, bidirectional: false }, ...inwardDestination(t), translations: [i, j] });
    });
  });
  for (const [i, t] of ts.entries()) {
    if (t.kind === 'pat') toEach(outside, { from: inside, ...outwardSource(t, false), translations: [i] });
    else if (t.realSide === 'outside') toEach(inside, { from: outside, sources: [t.real], source: { kind: 'static', address: t.mapped, bidirectional: true }, translations: [i] });
    else if (!t.service) toEach(outside, { from: inside, ...outwardSource(t, true), translations: [i] });
    else {
      // A published server: its address and port for packets from outside (PAN-OS matches them
      // on the zone the published address routes to, the outside: see docs), and its own
      // packets from the service's port on the way out (static-ip keeps the port).
      if (t.service.realPort !== t.service.port) return { kind: 'translation', message: `${t.description}: PAN-OS cannot give a published server's own packets from port ${t.service.realPort} the source port ${t.service.port}` };
      toEach(outside, { from: outside, ...inwardDestination(t), translations: [i] });
      toEach(outside, { from: inside, ...outwardSource(t, false), translations: [i], outbound: true });
    }
  }
  return rules;
}
