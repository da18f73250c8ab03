// SMT-LIB 2 text for the header space: a packet's fields as bit-vectors, address sets, filter
// matches and first-match filters as functions. Queries are sent to Z3 as text (see
// z3-worker.mjs): no formula objects cross into the solver, so no garbage-collection races.

import type { FilterRule, Match, ServiceModel } from '../compiler/model.js';
import { BITS, type Family } from '../language/address.js';
import { prefixRange, type IntervalSet } from './intervals.js';
import type { NetIndex } from './netindex.js';
import { unplacedIcmpFormula } from './conntrack.js';
import type { Guard } from './forwarding.js';
import type { NatRule } from './nat.js';

/** The declarations of one packet's fields (the names FORWARD uses), in the family's width. */
export function packetDeclarations(family: Family): string[] {
  const w = BITS[family];
  return [
    `(declare-const src (_ BitVec ${w}))`,
    `(declare-const dst (_ BitVec ${w}))`,
    '(declare-const proto (_ BitVec 8))',
    '(declare-const sport (_ BitVec 16))',
    '(declare-const dport (_ BitVec 16))',
    '(declare-const icmp (_ BitVec 8))',
    '(declare-const est Bool)',
  ];
}

/** The names of one packet's fields in a formula (variables or expressions). */
export interface PacketTerms {
  src: string;
  dst: string;
  proto: string;
  sport: string;
  dport: string;
  icmp: string;
  /** TCP ACK or RST set. */
  est: string;
}

export function bv(value: bigint | number, width: number): string {
  const v = BigInt(value);
  return width % 4 === 0 ? `#x${v.toString(16).padStart(width / 4, '0')}` : `#b${v.toString(2).padStart(width, '0')}`;
}

export function or(items: readonly string[]): string {
  const xs = items.filter((x) => x !== 'false');
  if (xs.includes('true')) return 'true';
  if (xs.length === 0) return 'false';
  return xs.length === 1 ? xs[0]! : `(or ${xs.join(' ')})`;
}

export function and(items: readonly string[]): string {
  const xs = items.filter((x) => x !== 'true');
  if (xs.includes('false')) return 'false';
  if (xs.length === 0) return 'true';
  return xs.length === 1 ? xs[0]! : `(and ${xs.join(' ')})`;
}

export function not(x: string): string {
  return x === 'true' ? 'false' : x === 'false' ? 'true' : `(not ${x})`;
}

/** `v` is in the interval set (width = the family's address bits). */
export function inSet(v: string, set: IntervalSet, width: number): string {
  const max = (1n << BigInt(width)) - 1n;
  return or(
    set.map(([lo, hi]) => {
      if (lo === hi) return `(= ${v} ${bv(lo, width)})`;
      if (lo === 0n && hi === max) return 'true';
      // An aligned block is one masked comparison; anything else two bounds.
      const span = hi - lo + 1n;
      if ((span & (span - 1n)) === 0n && lo % span === 0n) {
        return `(= (bvand ${v} ${bv(max ^ (span - 1n), width)}) ${bv(lo, width)})`;
      }
      if (lo === 0n) return `(bvule ${v} ${bv(hi, width)})`;
      if (hi === max) return `(bvuge ${v} ${bv(lo, width)})`;
      return `(and (bvuge ${v} ${bv(lo, width)}) (bvule ${v} ${bv(hi, width)}))`;
    }),
  );
}

function prefixMatch(v: string, prefixes: readonly string[], family: Family): string {
  const width = BITS[family];
  const all = (1n << BigInt(width)) - 1n;
  return or(
    prefixes.map((t) => {
      const [f, lo, hi] = prefixRange(t);
      if (f !== family) return 'false';
      if (lo === 0n && hi === all) return 'true';
      if (lo === hi) return `(= ${v} ${bv(lo, width)})`;
      return `(= (bvand ${v} ${bv(all ^ (hi - lo), width)}) ${bv(lo, width)})`;
    }),
  );
}

function portMatch(v: string, ranges: readonly { from: number; to: number }[]): string {
  return or(
    ranges.map((r) =>
      r.from === r.to ? `(= ${v} ${bv(r.from, 16)})` : and([r.from === 0 ? 'true' : `(bvuge ${v} ${bv(r.from, 16)})`, r.to === 65535 ? 'true' : `(bvule ${v} ${bv(r.to, 16)})`]),
    ),
  );
}

const isPorted = (p: string): string => `(or (= ${p} #x06) (= ${p} #x11))`;
const isIcmp = (p: string): string => `(or (= ${p} #x01) (= ${p} #x3a))`;

/** A filter rule's match (docs/architecture.md, "Filters"); zones are known per hop. */
export function matchFormula(m: Match, t: PacketTerms, family: Family, fromZone?: string, toZone?: string): string {
  if (m.fromZones && !(fromZone !== undefined && m.fromZones.includes(fromZone))) return 'false';
  if (m.toZones && !(toZone !== undefined && m.toZones.includes(toZone))) return 'false';
  const parts: string[] = [];
  if (m.sources) parts.push(prefixMatch(t.src, m.sources, family));
  if (m.destinations) parts.push(prefixMatch(t.dst, m.destinations, family));
  if (m.protocol !== undefined) parts.push(`(= ${t.proto} ${bv(m.protocol, 8)})`);
  if (m.sourcePorts) parts.push(isPorted(t.proto), portMatch(t.sport, m.sourcePorts));
  if (m.destinationPorts) parts.push(isPorted(t.proto), portMatch(t.dport, m.destinationPorts));
  if (m.icmpType !== undefined) parts.push(isIcmp(t.proto), `(= ${t.icmp} ${bv(m.icmpType, 8)})`);
  if (m.tcpEstablished) parts.push(`(= ${t.proto} #x06)`, t.est);
  return and(parts);
}

/**
 * First match as one nested term: rule i permits -> (or m_i rest), denies -> (and (not m_i) rest).
 * Built as a list and joined once (string folding would copy the growing term for every rule).
 * Rules whose match cannot hold inside `space` are left out: for packets of the space they
 * never decide, so the function is unchanged there.
 */
export function firstMatchFormula(
  rules: readonly FilterRule[],
  defaultAction: 'permit' | 'deny',
  t: PacketTerms,
  family: Family,
  fromZone?: string,
  toZone?: string,
  space?: AddressSpace,
): string {
  const open: string[] = [];
  let depth = 0;
  let tail = defaultAction === 'permit' ? 'true' : 'false';
  const bounds = space ? boundsOf(rules, family) : undefined;
  for (let k = 0; k < rules.length; k++) {
    const r = rules[k]!;
    if (bounds && space && !(touches(bounds.src[k], space.src) && touches(bounds.dst[k], space.dst))) continue;
    const m = matchFormula(r.match, t, family, fromZone, toZone);
    if (m === 'false') continue;
    if (m === 'true') {
      // Every packet matches: later rules never decide.
      tail = r.action === 'permit' ? 'true' : 'false';
      break;
    }
    open.push(r.action === 'permit' ? `(or ${m} ` : `(and (not ${m}) `);
    depth++;
  }
  return depth === 0 ? tail : `${open.join('')}${tail}${')'.repeat(depth)}`;
}

/** The addresses a packet can have in one query, to leave out rules that cannot match. */
export interface AddressSpace {
  src: IntervalSet;
  dst: IntervalSet;
}

/**
 * Each rule's prefixes of one family as bounds [lo, hi, lo, hi, ...] (undefined: the rule names
 * none, any address matches), read once per rule list and family: a filter's rules are pruned
 * again for every query, and one lookup per list costs less than one per rule.
 */
interface RuleBounds {
  src: (readonly bigint[] | undefined)[];
  dst: (readonly bigint[] | undefined)[];
}

const ruleBounds = new WeakMap<readonly FilterRule[], Partial<Record<Family, RuleBounds>>>();

function boundsOf(rules: readonly FilterRule[], family: Family): RuleBounds {
  let byFamily = ruleBounds.get(rules);
  if (!byFamily) {
    byFamily = {};
    ruleBounds.set(rules, byFamily);
  }
  let bounds = byFamily[family];
  if (!bounds) {
    const side = (prefixes: readonly string[] | undefined): bigint[] | undefined => {
      if (!prefixes) return undefined;
      const out: bigint[] = [];
      for (const t of prefixes) {
        const [f, lo, hi] = prefixRange(t);
        if (f === family) out.push(lo, hi);
      }
      return out;
    };
    bounds = { src: rules.map((r) => side(r.match.sources)), dst: rules.map((r) => side(r.match.destinations)) };
    byFamily[family] = bounds;
  }
  return bounds;
}

/** Whether some range of a rule's side meets the set (a side without prefixes meets any). */
function touches(bounds: readonly bigint[] | undefined, set: IntervalSet): boolean {
  if (bounds === undefined) return true;
  for (let k = 0; k < bounds.length; k += 2) if (intersects(set, bounds[k]!, bounds[k + 1]!)) return true;
  return false;
}

function intersects(set: IntervalSet, lo: bigint, hi: bigint): boolean {
  let a = 0;
  let b = set.length - 1;
  while (a <= b) {
    const mid = (a + b) >> 1;
    const [l, h] = set[mid]!;
    if (h < lo) a = mid + 1;
    else if (l > hi) b = mid - 1;
    else return true;
  }
  return false;
}

const PARAMS: PacketTerms = { src: 's', dst: 'd', proto: 'p', sport: 'sp', dport: 'dp', icmp: 'it', est: 'e' };

/**
 * Collects the definitions a script needs: one function per filter (and per firewall zone pair),
 * defined once and applied to the forward and reply packets alike.
 */
export class GuardFunctions {
  private readonly names = new Map<string, string>();
  readonly definitions: string[] = [];

  /** `spaces`: the address space of each packet role (forward, reply) for pruning. */
  constructor(
    private readonly idx: NetIndex,
    private readonly family: Family,
    private readonly spaces: Record<string, AddressSpace> = {},
  ) {}

  /** The formula "packet t (of role `role`) passes this guard". */
  apply(g: Guard, t: PacketTerms, role = ''): string {
    if (g.stage === 'urpf') return this.urpf(g, t);
    // Connection state: the packet is not ICMP the device's conntrack calls invalid (verifier/conntrack.ts).
    if (g.stage === 'state') return not(unplacedIcmpFormula(t, this.family));
    if (g.stage === 'nat') return g.applies ? natCondition(g.rule, t, this.family) : not(natCondition(g.rule, t, this.family));
    const fn = this.functionFor(g, role);
    if (fn === 'true' || fn === 'false') return fn;
    return `(${fn} ${t.src} ${t.dst} ${t.proto} ${t.sport} ${t.dport} ${t.icmp} ${t.est})`;
  }

  /** uRPF: the packet's source is one that the interface's check admits (netindex.ts: urpfSources). */
  private urpf(g: Extract<Guard, { stage: 'urpf' }>, t: PacketTerms): string {
    const k = `U\u0000${g.device}\u0000${g.interface}`;
    let name = this.names.get(k);
    if (name === undefined) {
      const sources = this.idx.urpfSources(g.device, g.interface, this.family);
      const w = BITS[this.family];
      const body = sources === undefined ? 'true' : inSet('s', sources, w);
      name = body;
      if (body !== 'true' && body !== 'false') {
        name = `g${this.names.size}`;
        this.definitions.push(`(define-fun ${name} ((s (_ BitVec ${w}))) Bool\n  ${body})`);
      }
      this.names.set(k, name);
    }
    return name === 'true' || name === 'false' ? name : `(${name} ${t.src})`;
  }

  private functionFor(g: Exclude<Guard, { stage: 'urpf' | 'state' | 'nat' }>, role: string): string {
    const space = this.spaces[role];
    const k = `${space ? role : ''}\u0000${g.stage === 'security' ? `S\u0000${g.device}\u0000${g.fromZone ?? ''}\u0000${g.toZone ?? ''}` : `F\u0000${g.device}\u0000${g.filter}`}`;
    const known = this.names.get(k);
    if (known !== undefined) return known;
    let body: string;
    if (g.stage === 'security') {
      body = firstMatchFormula(this.idx.device(g.device)?.securityRules ?? [], 'deny', PARAMS, this.family, g.fromZone, g.toZone, space);
    } else {
      const f = this.idx.filter(g.device, g.filter);
      body = f ? firstMatchFormula(f.rules, f.defaultAction, PARAMS, this.family, undefined, undefined, space) : 'false';
    }
    let name = body;
    if (body !== 'true' && body !== 'false') {
      name = `g${this.names.size}`;
      const w = BITS[this.family];
      this.definitions.push(
        `(define-fun ${name} ((s (_ BitVec ${w})) (d (_ BitVec ${w})) (p (_ BitVec 8)) (sp (_ BitVec 16)) (dp (_ BitVec 16)) (it (_ BitVec 8)) (e Bool)) Bool\n  ${body})`,
      );
    }
    this.names.set(k, name);
    return name;
  }
}

/**
 * A translation rule's condition on the packet beyond the destination intervals the tree splits
 * by: a source rule's source addresses, and a published service's protocol and port.
 */
export function natCondition(rule: NatRule, t: PacketTerms, family: Family): string {
  const parts: string[] = [];
  if (rule.field === 'source') parts.push(inSet(t.src, rule.from, BITS[family]));
  if (rule.service) {
    parts.push(`(= ${t.proto} ${bv(rule.service.protocol, 8)})`, `(= ${rule.field === 'source' ? t.sport : t.dport} ${bv(rule.service.port, 16)})`);
  }
  return and(parts);
}

/** The packets of a service list, for one family (`icmp` means ICMPv6 in IPv6). */
export function serviceFormula(services: readonly ServiceModel[], t: PacketTerms, family: Family): string {
  return or(
    services.flatMap((s) => {
      let protocol = s.protocol;
      let icmpType = s.icmpType;
      if (family === 6 && protocol === 1) {
        protocol = 58;
        if (icmpType !== undefined) icmpType = ICMP4_TO_6[icmpType] ?? icmpType;
      }
      if (family === 4 && protocol === 58) return [];
      const parts: string[] = [];
      if (protocol !== undefined) parts.push(`(= ${t.proto} ${bv(protocol, 8)})`);
      if (s.ports) parts.push(isPorted(t.proto), portMatch(t.dport, s.ports));
      if (icmpType !== undefined) parts.push(isIcmp(t.proto), `(= ${t.icmp} ${bv(icmpType, 8)})`);
      return [and(parts)];
    }),
  );
}

/** ICMP types with an ICMPv6 counterpart: echo reply/request, unreachable, time exceeded. */
export const ICMP4_TO_6: Record<number, number> = { 0: 129, 8: 128, 3: 1, 11: 3 };
