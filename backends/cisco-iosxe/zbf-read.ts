// The IOS-XE zone-based firewall read back (zbf-render.ts writes it): zones, zone-members,
// inspect class-maps and policy-maps and zone-pairs become the model's zones and its ordered
// zone policy. Strict, as the rest of the reader: each interface is in a zone once one is; every
// ordered pair of zones (a zone with itself too) has its zone-pair with a policy; no zone-pair
// touches the self zone; each class matches the access-lists of one rule; the classes of every
// policy are in rule order, each `inspect` or `drop` (a `pass` admits without state: R947),
// ending with `class class-default` / `drop`; and a rule's zone-pairs are the zones it names.

import type { FilterModel, FilterRule, InterfaceModel, Match, ZoneModel } from '../../compiler/model.js';
import { fileSpan } from '../../language/diagnostic.js';
import { Codes } from '../../language/diagnostics/index.js';
import { textSpan, wordSpanAt } from '../config-text.js';
import type { IosLine, Section } from './lines.js';
import type { IfaceDraft, IosState } from './read-state.js';
import { IPV6_ACL_SUFFIX } from './syntax.js';
import { ZBF_RULE_PREFIX, ZONE_RULE_ANNOTATION } from './zbf-render.js';

interface ClassDraft {
  line: IosLine;
  name: string;
  /** The access-lists it matches (`match access-group name X`). */
  acls: [string, IosLine][];
  /** From the annotation above it: the rule's zones (undefined: any). */
  zones?: { from?: string[]; to?: string[]; line: IosLine };
}

interface PolicyDraft {
  line: IosLine;
  name: string;
  classes: { name: string; action: 'inspect' | 'drop' | 'pass'; line: IosLine }[];
  /** `class class-default` and its action. */
  fallback?: { action: string; line: IosLine };
}

interface PairDraft {
  line: IosLine;
  name: string;
  from: string;
  to: string;
  policy?: [string, IosLine];
}

interface ZbfDraft {
  zones: Map<string, IosLine>;
  classes: Map<string, ClassDraft>;
  policies: Map<string, PolicyDraft>;
  pairs: PairDraft[];
  members: Map<IfaceDraft, [string, IosLine]>;
}

const drafts = new WeakMap<IosState, ZbfDraft>();

function draftOf(state: IosState): ZbfDraft {
  let d = drafts.get(state);
  if (!d) drafts.set(state, (d = { zones: new Map(), classes: new Map(), policies: new Map(), pairs: [], members: new Map() }));
  return d;
}

function shape(state: IosState, line: IosLine, message: string, hint?: string): void {
  state.reporter.error(Codes.readerZonePolicyShape, textSpan(line), message, hint);
}

/** `zone-member security Z` on an interface. */
export function readZoneMember(state: IosState, iface: IfaceDraft, l: IosLine): void {
  const z = draftOf(state);
  if (l.texts.length !== 3) return state.unknown(l, 'interface line');
  if (z.members.has(iface)) shape(state, l, `interface ${iface.name} is a member of a second zone`);
  else z.members.set(iface, [l.texts[2]!, l]);
}

/**
 * Whether a top-level line heads a section of the zone-based firewall (zones, zone-pairs,
 * inspect class-maps and policy-maps): Plumb's, so managed in a running configuration.
 */
export function isZbfHead(words: readonly string[]): boolean {
  const [a, b, c] = words;
  return ((a === 'zone' || a === 'zone-pair') && b === 'security') || ((a === 'class-map' || a === 'policy-map') && b === 'type' && c === 'inspect');
}

/** A top-level section of the zone-based firewall; false when the section is none of them. */
export function readZbfSection(state: IosState, s: Section): boolean {
  const w = s.head.texts;
  const z = draftOf(state);
  const body = s.body.filter((l) => !l.isComment);
  if (w[0] === 'zone' && w[1] === 'security' && w.length === 3) {
    if (z.zones.has(w[2]!)) state.reporter.error(Codes.readerDuplicate, textSpan(s.head), `zone ${w[2]} is defined twice`);
    z.zones.set(w[2]!, s.head);
    for (const l of body) if (l.texts[0] !== 'description') state.unknown(l, 'zone line');
    return true;
  }
  if (w[0] === 'class-map' && w[1] === 'type' && w[2] === 'inspect' && (w[3] === 'match-any' || (w[3] === 'match-all' && body.length <= 1)) && w.length === 5) {
    const c: ClassDraft = { line: s.head, name: w[4]!, acls: [] };
    for (const l of body) {
      const lw = l.texts;
      if (lw[0] === 'match' && lw[1] === 'access-group' && lw[2] === 'name' && lw.length === 4) c.acls.push([lw[3]!, l]);
      else state.unknown(l, 'class-map line');
    }
    const ann = s.before[s.before.length - 1];
    if (ann && ann.text.trim().startsWith(`${ZONE_RULE_ANNOTATION} `)) {
      const aw = ann.texts;
      const list = (t: string | undefined): string[] | undefined => (t === undefined || t === 'any' ? undefined : t.split(','));
      if (aw.length === 7 && aw[3] === 'from' && aw[5] === 'to') c.zones = { from: list(aw[4]), to: list(aw[6]), line: ann };
      else state.reporter.warning(Codes.readerBadAnnotation, textSpan(ann), 'this zone-rule annotation cannot be read', `Expected \`${ZONE_RULE_ANNOTATION} from ZONES|any to ZONES|any\`.`);
    }
    if (z.classes.has(c.name)) state.reporter.error(Codes.readerDuplicate, textSpan(s.head), `class-map ${c.name} is defined twice`);
    z.classes.set(c.name, c);
    return true;
  }
  if (w[0] === 'policy-map' && w[1] === 'type' && w[2] === 'inspect' && w.length === 4) {
    const p: PolicyDraft = { line: s.head, name: w[3]!, classes: [] };
    let current: { name: string; line: IosLine; actions: IosLine[] } | undefined;
    const close = (): void => {
      if (!current) return;
      const [first, ...more] = current.actions;
      for (const extra of more) shape(state, extra, `class ${current.name} has a second action`);
      const a = first?.texts.join(' ');
      if (current.name === 'class-default') p.fallback = { action: a ?? '', line: first ?? current.line };
      else if (a === 'inspect' || a === 'drop' || a === 'pass') p.classes.push({ name: current.name, action: a, line: first! });
      else if (first) state.unknown(first, 'policy-map action');
      else shape(state, current.line, `class ${current.name} has no action`, 'Plumb writes `inspect` or `drop` under every class.');
      current = undefined;
    };
    for (const l of body) {
      const lw = l.texts;
      if (l.indent === s.body[0]!.indent && lw[0] === 'class') {
        close();
        if (p.fallback) shape(state, l, '`class class-default` must be the last class of the policy');
        if (lw[1] === 'type' && lw[2] === 'inspect' && lw.length === 4) current = { name: lw[3]!, line: l, actions: [] };
        else if (lw[1] === 'class-default' && lw.length === 2) current = { name: 'class-default', line: l, actions: [] };
        else state.unknown(l, 'policy-map line');
      } else if (current && l.indent > s.body[0]!.indent) current.actions.push(l);
      else state.unknown(l, 'policy-map line');
    }
    close();
    if (z.policies.has(p.name)) state.reporter.error(Codes.readerDuplicate, textSpan(s.head), `policy-map ${p.name} is defined twice`);
    z.policies.set(p.name, p);
    return true;
  }
  if (w[0] === 'zone-pair' && w[1] === 'security' && w[3] === 'source' && w[5] === 'destination' && w.length === 7) {
    const pair: PairDraft = { line: s.head, name: w[2]!, from: w[4]!, to: w[6]! };
    for (const l of body) {
      const lw = l.texts;
      if (lw.slice(0, 3).join(' ') === 'service-policy type inspect' && lw.length === 4 && !pair.policy) pair.policy = [lw[3]!, l];
      else if (lw[0] !== 'description') state.unknown(l, 'zone-pair line');
    }
    z.pairs.push(pair);
    return true;
  }
  return false;
}

export interface ZbfRead {
  zones: ZoneModel[];
  securityRules: FilterRule[];
}

const ruleNumber = (name: string): number | undefined => {
  const m = name.startsWith(ZBF_RULE_PREFIX) ? /^[1-9][0-9]{0,5}$/.exec(name.slice(ZBF_RULE_PREFIX.length)) : null;
  return m ? Number(m[0]) : undefined;
};

/**
 * The zone policy: takes the classes' access-lists out of `filters` (they are rule matches, not
 * interface filters), puts each interface in its zone, and returns the zones and the rules;
 * undefined when the configuration has no zone-based firewall.
 */
export function finishZbf(state: IosState, filters: FilterModel[], ifaceDrafts: IfaceDraft[], interfaces: InterfaceModel[]): ZbfRead | undefined {
  const z = drafts.get(state);
  if (!z || (z.zones.size === 0 && z.members.size === 0 && z.classes.size === 0 && z.policies.size === 0 && z.pairs.length === 0)) return undefined;
  const report = (line: IosLine, message: string, hint?: string): void => shape(state, line, message, hint);

  // zones: the zone-member lines decide; the interface annotation must agree
  const members = new Map<string, string[]>();
  ifaceDrafts.forEach((d, k) => {
    const iface = interfaces[k]!;
    const m = z.members.get(d);
    if (!m) {
      if (iface.role !== 'loopback' || d.v4.length + d.v6.length > 0) report(d.line, `interface ${d.name} is in no zone: IOS-XE drops what it forwards between it and the zoned interfaces`, 'Add `zone-member security ZONE`: every interface of a zone-based firewall is in one zone.');
      delete iface.zone;
      return;
    }
    const [zone, line] = m;
    if (!z.zones.has(zone)) state.reporter.error(Codes.readerUndefinedReference, wordSpanAt(line, 2), `zone ${zone} is not defined`, `Define it with \`zone security ${zone}\`.`);
    if (d.zone !== undefined && d.zone !== zone) report(line, `interface ${d.name} is a member of zone ${zone}, its annotation says ${d.zone}`);
    iface.zone = zone;
    members.set(zone, [...(members.get(zone) ?? []), iface.name]);
  });
  for (const [d, [, line]] of z.members) {
    if (!ifaceDrafts.includes(d)) report(line, `interface ${d.name} is the physical interface under a tagged subinterface: its zone is the subinterface's`, 'Plumb puts the subinterface in the zone, not its parent.');
  }
  const zoneNames = [...members.keys()].sort();
  for (const [name, line] of z.zones) if (!members.has(name)) report(line, `zone ${name} has no interface`, 'Plumb writes the zones that have interfaces.');

  // zone-pairs: one per ordered pair of zones, none with self
  const byPair = new Map<string, PairDraft>();
  for (const p of z.pairs) {
    if (p.from === 'self' || p.to === 'self') {
      report(p.line, `zone-pair ${p.name} filters traffic of the self zone`, 'The local filter (the infrastructure access list) decides what is addressed to the router; Plumb writes no zone-pair with self.');
      continue;
    }
    for (const zone of [p.from, p.to]) if (!z.zones.has(zone)) state.reporter.error(Codes.readerUndefinedReference, textSpan(p.line), `zone ${zone} is not defined`);
    const key = `${p.from}\u0000${p.to}`;
    if (byPair.has(key)) report(p.line, `a second zone-pair from ${p.from} to ${p.to}`);
    else byPair.set(key, p);
    if (!p.policy) report(p.line, `zone-pair ${p.name} has no inspect policy`, 'Plumb attaches one (`service-policy type inspect NAME`) to every zone-pair.');
    else if (!z.policies.has(p.policy[0])) state.reporter.error(Codes.readerUndefinedReference, wordSpanAt(p.policy[1], 3), `policy-map ${p.policy[0]} is not defined`);
  }
  const pairLine = z.pairs[0]?.line ?? z.zones.values().next().value;
  for (const from of zoneNames) {
    for (const to of zoneNames) {
      if (byPair.has(`${from}\u0000${to}`)) continue;
      const what = from === to ? `IOS-XE passes traffic between interfaces of zone ${from} unfiltered` : `IOS-XE drops everything from zone ${from} to zone ${to}`;
      if (pairLine) report(pairLine, `no zone-pair from ${from} to ${to}: ${what}, where the model's zone policy decides`, `Add \`zone-pair security NAME source ${from} destination ${to}\` with its policy.`);
      else state.reporter.error(Codes.readerZonePolicyShape, fileSpan(state.file), `no zone-pair from ${from} to ${to}`);
    }
  }

  // classes → rules: the access-lists of each class are one filter
  const filterByName = new Map(filters.map((f) => [f.name, f]));
  const taken = new Set<string>();
  const rules = new Map<number, { cls: ClassDraft; rule: FilterRule; pairs: [string, string][]; actions: Set<string> }>();
  for (const c of z.classes.values()) {
    const n = ruleNumber(c.name);
    if (n === undefined) {
      report(c.line, `class-map ${c.name} is not named as a rule (${ZBF_RULE_PREFIX}N)`, 'Plumb names the class of rule N, and its access-lists, by N: the policy is first-match in that order.');
      continue;
    }
    const bases = new Set(c.acls.map(([a]) => (a.endsWith(IPV6_ACL_SUFFIX) ? a.slice(0, -IPV6_ACL_SUFFIX.length) : a)));
    const base = [...bases][0];
    const filter = base !== undefined ? filterByName.get(base) : undefined;
    if (bases.size !== 1 || base !== c.name) {
      report(c.line, `class-map ${c.name} must match its own access-lists ${c.name} and ${c.name}${IPV6_ACL_SUFFIX}, and only them`);
      continue;
    }
    for (const [a, l] of c.acls) checkAclDefined(state, a, l);
    if (!filter) continue;
    taken.add(filter.name);
    if (filter.rules.length !== 1 || filter.defaultAction !== 'deny' || filter.rules[0]!.action !== 'permit') {
      report(c.line, `the access-lists of class ${c.name} must permit exactly one rule's packets`, 'Plumb writes one rule per class, under its remarks, then the default deny.');
      continue;
    }
    rules.set(n, { cls: c, rule: filter.rules[0]!, pairs: [], actions: new Set() });
  }

  // policies: classes in rule order, each rule once, class-default drop
  for (const p of byPair.values()) {
    const policy = p.policy ? z.policies.get(p.policy[0]) : undefined;
    if (!policy) continue;
    let last = 0;
    for (const c of policy.classes) {
      const n = ruleNumber(c.name);
      const r = n !== undefined ? rules.get(n) : undefined;
      if (!r) {
        if (!z.classes.has(c.name)) state.reporter.error(Codes.readerUndefinedReference, textSpan(c.line), `class-map ${c.name} is not defined`);
        continue;
      }
      if (n! <= last) report(c.line, `class ${c.name} comes after a later rule's class in policy-map ${policy.name}: the policy is first match, in rule order`, 'Keep the classes in the order of their rules, as compiling writes them.');
      last = Math.max(last, n!);
      if (c.action === 'pass') state.reporter.error(Codes.readerZonePass, textSpan(c.line), `class ${c.name} passes packets from zone ${p.from} to zone ${p.to} without inspecting them: their replies are not admitted as the model's firewall admits them`, 'Write `inspect`: the firewall tracks the connections it admits.');
      r.actions.add(c.action);
      r.pairs.push([p.from, p.to]);
    }
    if (!policy.fallback) report(policy.line, `policy-map ${policy.name} has no \`class class-default\``, 'End it with `class class-default` and `drop`: the zone policy denies what no rule admits.');
    else if (policy.fallback.action !== 'drop') {
      if (policy.fallback.action === 'pass') state.reporter.error(Codes.readerZonePass, textSpan(policy.fallback.line), `the default class of ${policy.name} passes what no rule admits`, 'Write `drop`: the zone policy denies what no rule admits.');
      else report(policy.fallback.line, `the default class of ${policy.name} must \`drop\``);
    }
  }

  // each rule: one action, and zone-pairs that are its zones' product
  const securityRules: FilterRule[] = [];
  for (const n of [...rules.keys()].sort((a, b) => a - b)) {
    const r = rules.get(n)!;
    if (r.pairs.length === 0) {
      report(r.cls.line, `class ${r.cls.name} is in no zone-pair's policy`);
      continue;
    }
    if (r.actions.size !== 1) {
      report(r.cls.line, `rule ${r.cls.name} is inspected in some policies and dropped in others`);
      continue;
    }
    const froms = [...new Set(r.pairs.map(([f]) => f))].sort();
    const tos = [...new Set(r.pairs.map(([, t]) => t))].sort();
    const any = (list: string[]): boolean => list.length === zoneNames.length;
    let from: string[] | undefined = any(froms) ? undefined : froms;
    let to: string[] | undefined = any(tos) ? undefined : tos;
    if (r.cls.zones) {
      from = r.cls.zones.from ? [...r.cls.zones.from].sort() : undefined;
      to = r.cls.zones.to ? [...r.cls.zones.to].sort() : undefined;
    }
    const expected = new Set((from ?? zoneNames).flatMap((f) => (to ?? zoneNames).map((t) => `${f} -> ${t}`)));
    const got = new Set(r.pairs.map(([f, t]) => `${f} -> ${t}`));
    const missing = [...expected].filter((x) => !got.has(x));
    const extra = [...got].filter((x) => !expected.has(x));
    if (missing.length + extra.length > 0) {
      report(r.cls.zones?.line ?? r.cls.line, `rule ${r.cls.name} is ${extra.length > 0 ? `in the policies of ${extra.join(', ')}` : `missing from the policies of ${missing.join(', ')}`}, which its zones ${r.cls.zones ? 'annotation ' : ''}do not say`, 'A rule is in the policy of every pair of its source and destination zones, and no other.');
      continue;
    }
    const match: Match = { ...r.rule.match, ...(from ? { fromZones: from } : {}), ...(to ? { toZones: to } : {}) };
    securityRules.push({ ...r.rule, action: [...r.actions][0] === 'drop' ? 'deny' : 'permit', match });
  }
  for (let k = filters.length - 1; k >= 0; k--) if (taken.has(filters[k]!.name)) filters.splice(k, 1);

  const zones = zoneNames.map((name): ZoneModel => ({ name, interfaces: [...members.get(name)!].sort() }));
  return { zones, securityRules };
}

/** A class's access-list must be defined (either family's list). */
function checkAclDefined(state: IosState, name: string, line: IosLine): void {
  const defined = state.aclSections.some(({ section, family }) => section.head.texts[family === 4 ? 3 : 2] === name);
  if (!defined) state.reporter.error(Codes.readerUndefinedReference, wordSpanAt(line, 3), `access-list ${name} is not defined`, `Define it with \`${name.endsWith(IPV6_ACL_SUFFIX) ? 'ipv6 access-list' : 'ip access-list extended'} ${name}\`.`);
}
