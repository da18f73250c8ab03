// Lint on the compiled network (V800-V899): policy rules that no packet can use, denies that
// change nothing, assertions over empty address sets, and (lint-forwarding.ts) forwarding loops
// and black holes for internal prefixes. Concrete set and path computations; no solver needed.

import type { NetworkModel, PolicyRuleModel, ServiceModel } from '../compiler/model.js';
import { prefixOf, type Family } from '../language/address.js';
import { diagnostic, type Diagnostic } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import { finalDst, forwardingTree, someExit } from './forwarding.js';
import { translates } from './nat.js';
import { everyForm } from './nat-terms.js';
import { lintForwardingSteps } from './lint-forwarding.js';
import { DeliveryPaths } from './lint-reach.js';
import { intersect, isEmpty, subtract, union, type IntervalSet } from './intervals.js';
import { FAMILIES, type NetIndex } from './netindex.js';
import { expandFlow, familiesOf } from './queries.js';
import { netIndex } from './simulate.js';

export function lintModel(model: NetworkModel): Diagnostic[] {
  return drain(lintSteps(model));
}

/**
 * The lint in steps of `every` rules, assertions or prefixes each (a few devices' tables where
 * it sweeps them), the same diagnostics in the same order as `lintModel`: the verifier runs it
 * between the solver workers' answers, so that they are given their next queries while it runs.
 */
export function* lintSteps(model: NetworkModel, every = LINT_STEP): Generator<void, Diagnostic[], void> {
  const idx = netIndex(model);
  const policy = yield* lintPolicySteps(idx, every);
  const assertions = yield* lintAssertionSteps(idx, every);
  const forwarding = yield* lintForwardingSteps(idx, every);
  return [...policy, ...assertions, ...forwarding];
}

/** Runs steps to the end. */
function drain<T>(steps: Generator<void, T, void>): T {
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/** Rules, assertions or prefixes per step: small enough that a step takes a millisecond or so. */
export const LINT_STEP = 64;

const setCache = new WeakMap<NetIndex, Map<string, IntervalSet>>();

function setOf(idx: NetIndex, names: readonly string[], family: Family): IntervalSet {
  let cache = setCache.get(idx);
  if (!cache) setCache.set(idx, (cache = new Map()));
  const key = `${family}\u0000${names.join('\u0000')}`;
  let set = cache.get(key);
  if (!set) {
    set = idx.expand(names).reduce<IntervalSet>((acc, n) => union(acc, idx.addresses(n, family)), []);
    cache.set(key, set);
  }
  return set;
}

/** The endpoint names a rule side touches: expanded, plus the segments of its hosts. */
function touched(idx: NetIndex, names: readonly string[]): string[] {
  const out = new Set<string>();
  for (const n of idx.expand(names)) {
    out.add(n);
    const seg = idx.endpoint(n)?.segment;
    if (seg !== undefined) out.add(seg);
  }
  return [...out];
}

const covers = (outer: IntervalSet, inner: IntervalSet): boolean => isEmpty(subtract(inner, outer));

function clauseCovers(outer: ServiceModel, inner: ServiceModel): boolean {
  if (outer.protocol !== undefined && outer.protocol !== inner.protocol) return false;
  if (outer.icmpType !== undefined && outer.icmpType !== inner.icmpType) return false;
  if (outer.ports) {
    if (!inner.ports) return false;
    return inner.ports.every((r) => outer.ports!.some((o) => o.from <= r.from && r.to <= o.to));
  }
  return true;
}

function clausesOverlap(a: ServiceModel, b: ServiceModel): boolean {
  if (a.protocol !== undefined && b.protocol !== undefined && a.protocol !== b.protocol) return false;
  if (a.icmpType !== undefined && b.icmpType !== undefined && a.icmpType !== b.icmpType) return false;
  if (a.ports && b.ports) return a.ports.some((r) => b.ports!.some((o) => r.from <= o.to && o.from <= r.to));
  return true;
}

const servicesOf = (r: PolicyRuleModel): ServiceModel[] => (r.services.length === 0 ? [{}] : r.services);

export function lintPolicy(idx: NetIndex): Diagnostic[] {
  return drain(lintPolicySteps(idx, Infinity));
}

function* lintPolicySteps(idx: NetIndex, every: number): Generator<void, Diagnostic[], void> {
  const out: Diagnostic[] = [];
  const rules = idx.model.policy;
  const allows = rules.filter((r) => r.action === 'allow');
  const denies = rules.filter((r) => r.action === 'deny');
  // Endpoints are disjoint but for hosts inside segments: a rule can only cover or overlap
  // another that names one of the same endpoints (or a host's segment) as destination.
  const byDestination = (list: readonly PolicyRuleModel[]): Map<string, PolicyRuleModel[]> => {
    const m = new Map<string, PolicyRuleModel[]>();
    for (const r of list) for (const n of touched(idx, r.destinations)) (m.get(n) ?? m.set(n, []).get(n)!).push(r);
    return m;
  };
  const candidates = (index: Map<string, PolicyRuleModel[]>, r: PolicyRuleModel): PolicyRuleModel[] => [
    ...new Set(touched(idx, r.destinations).flatMap((n) => index.get(n) ?? [])),
  ];
  const deniesByDst = byDestination(denies);
  const allowsByDst = byDestination(allows);
  yield;
  const paths = new DeliveryPaths(idx);
  const nat = translates(idx.model.devices);
  yield;
  let n = 0;
  for (const allow of allows) {
    if (++n % every === 0) yield;
    if (!sharesDeclaredFamily(idx, allow)) continue;
    const shadow = candidates(deniesByDst, allow).find(
      (d) =>
        FAMILIES.every((f) => covers(setOf(idx, d.sources, f), setOf(idx, allow.sources, f)) && covers(setOf(idx, d.destinations, f), setOf(idx, allow.destinations, f))) &&
        servicesOf(allow).every((c) => servicesOf(d).some((o) => clauseCovers(o, c))),
    );
    if (shadow) {
      out.push(
        diagnostic(Codes.unusableRule, allow.origin, `no packet can use this rule: "${shadow.text}" denies all of its traffic`, {
          hint: 'remove the rule, or narrow the deny',
          related: [{ span: shadow.origin, message: 'the deny that wins' }],
        }),
      );
      continue;
    }
    if (!anyPath(idx, allow, paths, nat)) {
      out.push(diagnostic(Codes.unusableRule, allow.origin, `no packet can use this rule: no route leads from its sources to its destinations`, { hint: 'check the segments\' gateways, the links and the externals\' attachments' }));
    }
  }
  for (const deny of denies) {
    if (++n % every === 0) yield;
    if (!sharesDeclaredFamily(idx, deny)) continue;
    const overlapping = candidates(allowsByDst, deny).some(
      (a) =>
        FAMILIES.some((f) => !isEmpty(intersect(setOf(idx, a.sources, f), setOf(idx, deny.sources, f))) && !isEmpty(intersect(setOf(idx, a.destinations, f), setOf(idx, deny.destinations, f)))) &&
        servicesOf(a).some((c) => servicesOf(deny).some((o) => clausesOverlap(o, c))),
    );
    if (!overlapping) {
      out.push(diagnostic(Codes.ineffectiveDeny, deny.origin, 'this deny changes nothing: no allow rule admits any of its traffic, and the default is deny', { hint: 'remove it, or check its endpoints and services' }));
    }
  }
  return out;
}

/** Whether some forwarding path delivers some address of the rule's destinations from its sources (`nat`: the model translates addresses). */
function anyPath(idx: NetIndex, rule: PolicyRuleModel, paths: DeliveryPaths, nat: boolean): boolean {
  const sources = idx.expand(rule.sources);
  const destinations = idx.expand(rule.destinations);
  for (const f of FAMILIES) {
    // With NAT a destination may be reached by its translated addresses only.
    const real = setOf(idx, rule.destinations, f);
    const dst = nat ? destinations.reduce<IntervalSet>((acc, d) => union(acc, everyForm(idx, f, d)), real) : real;
    if (isEmpty(dst) || isEmpty(setOf(idx, rule.sources, f))) continue;
    for (const s of sources) {
      if (isEmpty(idx.addresses(s, f))) continue;
      for (const e of idx.entries(s)) {
        // Traffic inside one segment reaches its destination without any device.
        if (idx.attachedAt(e.device, e.interface).some((x) => x.kind === 'segment' && !isEmpty(intersect(idx.addresses(x.name, f), dst)))) return true;
        // Without translations the tree's paths are walked alone, to the first exit that delivers.
        const delivers = (device: string, iface: string, set: IntervalSet): boolean =>
          destinations.some((d) => idx.entries(d).some((i) => i.device === device && i.interface === iface) && !isEmpty(intersect(set, idx.addresses(d, f))));
        // The answers shared between rules first (lint-reach.ts), the walk where they do not settle it.
        const walked = nat ? undefined : (paths.delivers(e, f, destinations) ?? someExit(idx, f, e, dst, delivers));
        if (walked === true) return true;
        if (walked === false) continue;
        for (const leaf of forwardingTree(idx, f, e, dst).leaves) {
          const end = leaf.end;
          if (end.kind !== 'exit') continue;
          if (destinations.some((d) => idx.entries(d).some((i) => i.device === end.device && i.interface === end.interface) && !isEmpty(intersect(finalDst(leaf), idx.addresses(d, f))))) return true;
        }
      }
    }
  }
  return false;
}

export function lintAssertions(idx: NetIndex): Diagnostic[] {
  return drain(lintAssertionSteps(idx, Infinity));
}

function* lintAssertionSteps(idx: NetIndex, every: number): Generator<void, Diagnostic[], void> {
  const out: Diagnostic[] = [];
  let n = 0;
  for (const a of idx.model.assertions) {
    if (++n % every === 0) yield;
    // A contract's guarantee is no line of the intent: one about nothing (an offer at none of
    // our addresses) is a vacuous verdict with its reason, and "announces only" is about no packet.
    if (a.contract) continue;
    const flow = expandFlow(idx, a);
    if (familiesOf(idx, flow).length > 0) continue;
    const emptySide = FAMILIES.every((f) => flow.sources.every((s) => isEmpty(idx.addresses(s, f)))) ? 'source' : FAMILIES.every((f) => flow.destinations.every((d) => isEmpty(idx.addresses(d, f)))) ? 'destination' : 'pair';
    // Ends whose declared prefixes share no family are the front end's P604 already; here only
    // those that the exclusion of internal prefixes leaves without a common family.
    if (emptySide === 'pair' && !sharesDeclaredFamily(idx, a)) continue;
    const message =
      emptySide === 'pair'
        ? 'this assertion is about nothing: its source and destination have no address family in common'
        : `this assertion is about nothing: its ${emptySide} has no addresses`;
    out.push(diagnostic(Codes.assertionAboutNothing, a.origin, message, { hint: 'check the endpoints: an external\'s addresses exclude every more specific internal prefix' }));
  }
  return out;
}

/** A rule whose ends declare no family in common is the front end's P604, not the lint's. */
const sharesDeclaredFamily = (idx: NetIndex, r: { sources: readonly string[]; destinations: readonly string[] }): boolean => {
  const sources = idx.expand(r.sources);
  const destinations = idx.expand(r.destinations);
  return FAMILIES.some((f) => declares(idx, sources, f) && declares(idx, destinations, f));
};

/** Whether some of the endpoints declare a prefix of the family (before internal prefixes are excluded). */
function declares(idx: NetIndex, endpoints: readonly string[], family: Family): boolean {
  return endpoints.some((n) => idx.endpoint(n)?.include.some((p) => prefixOf(p).family === family));
}
