// Filter equivalence as SMT: two first-match rule lists (a filter bound to one interface and
// direction, or a firewall's zone policy for one zone pair) over one symbolic packet, and the
// question "is there a packet on which their decisions differ?". The formulas are the
// verifier's own (smt.ts: `firstMatchFormula`), so the equivalence proof and the assertion
// proofs read filters the same way. A model of the query is replayed concretely with the
// simulator's `matches`, which names the rule that decided on each side.

import type { FilterRule, Match } from '../compiler/model.js';
import { canonicalPrefix, type Family } from '../language/address.js';
import type { Span } from '../language/diagnostic.js';
import { packetFromValues, type SectionResult } from './results.js';
import { matches } from './simulate.js';
import { firstMatchFormula, packetDeclarations } from './smt.js';
import { FORWARD, VALUE_NAMES } from './queries.js';
import type { Packet } from './verdict.js';

/** Where a rule list applies on a device. */
export type FilterScope =
  | { kind: 'filter'; interface: string; direction: 'in' | 'out' }
  | { kind: 'security'; fromZone: string; toZone: string }
  /** The local filter: packets addressed to the device itself. */
  | { kind: 'local' };

/** One side of a comparison: the rule list in force there (absent filter: every packet passes). */
export interface RuleList {
  /** The filter's name, or `security` for a zone policy; absent when no filter is bound. */
  name?: string;
  rules: readonly FilterRule[];
  defaultAction: 'permit' | 'deny';
}

export interface ListPair {
  scope: FilterScope;
  expected: RuleList;
  actual: RuleList;
}

/** A decision of one side about one packet. */
export interface RuleDecision {
  action: 'permit' | 'deny';
  /** The filter's name (or `security`); absent when no filter is bound. */
  list?: string;
  /** 0-based index of the matching rule; absent when the default action decided. */
  rule?: number;
  description: string;
  /** The matching rule's origin: the intent line, or the config line of an untagged rule. */
  origin?: Span;
  /** The rule's line in the configuration files, when the caller knows it (pipeline/config-lines.ts). */
  configLine?: Span;
}

const PASS_ALL: RuleList = { rules: [], defaultAction: 'permit' };
export { PASS_ALL };

/**
 * Remembers, for one comparison of whole devices, the match keys and the rule arrays already
 * found equal: a firewall's zone policy is one rule array compared for every pair of zones, and
 * the same match objects recur across lists. Keyed by object identity, so it must not outlive the
 * models it saw unchanged (callers make one per call; tests edit models in place between calls).
 */
export class ListMemo {
  private readonly keys = new WeakMap<Match, string>();
  private readonly equal = new WeakMap<readonly FilterRule[], WeakMap<readonly FilterRule[], boolean>>();

  key(m: Match): string {
    let key = this.keys.get(m);
    if (key === undefined) this.keys.set(m, (key = matchKey(m)));
    return key;
  }

  sameRules(a: readonly FilterRule[], b: readonly FilterRule[]): boolean {
    let known = this.equal.get(a);
    if (!known) this.equal.set(a, (known = new WeakMap()));
    let same = known.get(b);
    if (same === undefined) {
      same = a.length === b.length && a.every((r, i) => r.action === b[i]!.action && (sameAsWritten(r.match, b[i]!.match) || this.key(r.match) === this.key(b[i]!.match)));
      known.set(b, same);
    }
    return same;
  }
}

/** The two lists decide every packet alike without asking a solver: same rules, same default. */
export function identicalLists(a: RuleList, b: RuleList, memo: ListMemo = new ListMemo()): boolean {
  return a.defaultAction === b.defaultAction && a.rules.length === b.rules.length && memo.sameRules(a.rules, b.rules);
}

const sameList = <T>(a: readonly T[] | undefined, b: readonly T[] | undefined, same: (x: T, y: T) => boolean): boolean => {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!same(a[i]!, b[i]!)) return false;
  return true;
};
const sameText = (x: string, y: string): boolean => x === y;
const sameRange = (x: { from: number; to: number }, y: { from: number; to: number }): boolean => x.from === y.from && x.to === y.to;

/**
 * Whether two matches are written alike, field for field of `matchKey` (lists in the same order):
 * then their keys are equal without being made. The model's rules and a file's read back nearly
 * always are (tens of thousands of rules at 20,000 policy rules); matches written otherwise are
 * compared by their keys.
 */
export function sameAsWritten(a: Match, b: Match): boolean {
  return (
    a.protocol === b.protocol &&
    a.icmpType === b.icmpType &&
    (a.tcpEstablished === true) === (b.tcpEstablished === true) &&
    sameList(a.sources, b.sources, sameText) &&
    sameList(a.destinations, b.destinations, sameText) &&
    sameList(a.sourcePorts, b.sourcePorts, sameRange) &&
    sameList(a.destinationPorts, b.destinationPorts, sameRange) &&
    sameList(a.fromZones, b.fromZones, sameText) &&
    sameList(a.toZones, b.toZones, sameText)
  );
}

/** A canonical text of a match: prefix and zone lists sorted, port ranges sorted. */
export function matchKey(m: Match): string {
  const prefixes = (ps: readonly string[] | undefined): string[] | undefined => ps && [...new Set(ps.map((p) => canonicalPrefix(p) ?? p))].sort();
  const ports = (rs: Match['sourcePorts']): string[] | undefined => rs && [...new Set(rs.map((r) => `${r.from}-${r.to}`))].sort();
  return JSON.stringify([
    prefixes(m.sources),
    prefixes(m.destinations),
    m.protocol,
    ports(m.sourcePorts),
    ports(m.destinationPorts),
    m.icmpType,
    m.tcpEstablished === true,
    m.fromZones && [...m.fromZones].sort(),
    m.toZones && [...m.toZones].sort(),
  ]);
}

function zonesOf(scope: FilterScope): [string | undefined, string | undefined] {
  return scope.kind === 'security' ? [scope.fromZone, scope.toZone] : [undefined, undefined];
}

/** One SMT-LIB section (after a reset) whose models are the packets the two lists decide differently. */
export function differenceQuery(pair: ListPair, family: Family, timeoutMs: number): string {
  const [fromZone, toZone] = zonesOf(pair.scope);
  const side = (l: RuleList): string => firstMatchFormula(l.rules, l.defaultAction, FORWARD, family, fromZone, toZone);
  return [
    '(reset)',
    `(set-option :timeout ${timeoutMs})`,
    '(set-option :produce-models true)',
    ...packetDeclarations(family),
    `(define-fun expected () Bool ${side(pair.expected)})`,
    `(define-fun actual () Bool ${side(pair.actual)})`,
    '(assert (distinct expected actual))',
    '(check-sat)',
    '(echo "@reason")',
    '(get-info :reason-unknown)',
    '(echo "@values")',
    `(get-value (${VALUE_NAMES.join(' ')}))`,
    '(echo "@end")',
  ].join('\n');
}

/** How one side decides a concrete packet (the simulator's first match). */
export function decide(list: RuleList, packet: Packet, scope: FilterScope): RuleDecision {
  const [fromZone, toZone] = zonesOf(scope);
  const name = list.name !== undefined ? { list: list.name } : {};
  for (let i = 0; i < list.rules.length; i++) {
    const r = list.rules[i]!;
    if (matches(r.match, packet, fromZone, toZone)) return { action: r.action, ...name, rule: i, description: r.description, origin: r.origin };
  }
  const description = list.name === undefined ? 'no filter: every packet passes' : `no rule matched: default ${list.defaultAction}`;
  return { action: list.defaultAction, ...name, description };
}

export type PairOutcome =
  | { status: 'equal' }
  | { status: 'different'; packet: Packet; expected: RuleDecision; actual: RuleDecision }
  | { status: 'unknown'; reason: string };

/** Thrown when the solver's packet is decided alike by both lists: a bug in Plumb. */
export class EquivalenceBug extends Error {
  override name = 'EquivalenceBug';
}

/** Reads one section's answer: a differing packet (replayed concretely), equality, or unknown. */
export function outcomeOf(pair: ListPair, family: Family, section: SectionResult | undefined): PairOutcome {
  if (!section) return { status: 'unknown', reason: 'the solver gave no answer' };
  if (section.status === 'unsat') return { status: 'equal' };
  if (section.status === 'unknown') return { status: 'unknown', reason: `the solver could not decide (IPv${family}): ${section.reason}` };
  if (section.status === 'error') throw new EquivalenceBug(`the solver rejected an equivalence query: ${section.reason}`);
  // `isolate` keeps the ACK flag the model chose, which `tcpEstablished` rules look at.
  const packet = packetFromValues(section.values, family, 'isolate');
  const expected = decide(pair.expected, packet, pair.scope);
  const actual = decide(pair.actual, packet, pair.scope);
  if (expected.action === actual.action) {
    throw new EquivalenceBug(`the simulator decides the solver's packet alike on both sides: ${JSON.stringify(packet)}`);
  }
  return { status: 'different', packet, expected, actual };
}
