// The last step of checking: an intent without errors becomes a CheckedIntent (intent.ts), with
// every name resolved, groups and services expanded and every address in canonical form. Runs
// only when the checks found no error, so every value here is known to be valid.

import type { AssertDecl, DeviceRef, ManageDecl, PolicyRule, ServiceDecl, Token } from './ast.js';
import { BITS, canonicalPrefix, formatAddress, parseAddress, parsePrefix } from './address.js';
import { parseInteger, parsePortText } from './check-common.js';
import { failureElementText, survivedFailures, underOf } from './check-failures.js';
import { checkedSecurity, ruleProfiles } from './check-profiles.js';
import { depthFirst, type Structure } from './check-structure.js';
import { icmpTypeValue, serviceItemParts } from './check-values.js';
import type {
  CheckedIntent,
  EndpointName,
  IntentAttachment,
  IntentExternal,
  IntentSecret,
  IntentService,
  Platform,
  PortRange,
  ServiceClause,
} from './intent.js';
import { loweredTranslations } from './lower-nat.js';
import { ANY, PRELUDE_SERVICES } from './prelude.js';
import { isServiceReference, type Resolution } from './resolve.js';
import type { Span } from './diagnostic.js';

/** The span given to built-in services: they are declared nowhere in the user's files. */
export const PRELUDE_SPAN: Span = {
  file: '<prelude>',
  start: { line: 1, column: 1, offset: 0 },
  end: { line: 1, column: 1, offset: 0 },
};

/** A string literal's value: quotes removed, `\"` and `\\` unescaped. */
export function stringValue(t: Token): string {
  const s = t.text.startsWith('"') && t.text.endsWith('"') && t.text.length >= 2 ? t.text.slice(1, -1) : t.text;
  return s.replace(/\\(["\\])/g, '$1');
}

const canonPrefix = (t: Token): string => canonicalPrefix(t.text) ?? t.text;
const canonAddress = (t: Token): string => {
  const a = parseAddress(t.text);
  return a ? formatAddress(a) : t.text;
};
const num = (t: Token): number => parseInteger(t.text) ?? 0;

export function buildIntent(resolution: Resolution, structure: Structure): CheckedIntent {
  const lowering = loweringOf(resolution, structure);
  const firstFile = resolution.files[0]?.path ?? 'intent';
  const baseName = firstFile.replace(/^.*[\\/]/, '').replace(/\.plumb$/, '');
  const intent: CheckedIntent = {
    name: resolution.network ? resolution.network.name.text : baseName,
    routing: resolution.routing?.mode.text === 'ospf' ? 'ospf' : 'static',
    pools: resolution.pools.map((p) => ({ name: p.name.text, prefix: canonPrefix(p.prefix), span: p.span })),
    sites: resolution.sites.map((site) => {
      const out: CheckedIntent['sites'][number] = { name: site.name.text, span: site.span };
      if (site.description) out.description = stringValue(site.description);
      return out;
    }),
    devices: checkedDevices(resolution),
    links: checkedLinks(lowering),
    segments: checkedSegments(lowering),
    hosts: resolution.hosts.map((h) => ({
      name: h.name.text,
      address: canonAddress(h.address),
      segment: h.segment.text,
      span: h.span,
    })),
    groups: resolution.groups.map((g) => ({
      name: g.name.text,
      members: g.members.map((m) => m.text),
      expanded: structure.groupExpansion.get(g.name.text) ?? [],
      span: g.span,
    })),
    externals: checkedExternals(lowering),
    services: [
      ...resolution.services.map((d): IntentService => ({ name: d.name.text, clauses: lowering.serviceClauses(d.name.text), builtin: false, span: d.span })),
      ...PRELUDE_SERVICES.filter((p) => !resolution.shadowed.has(p.name)).map(
        (p): IntentService => ({ name: p.name, clauses: p.clauses, builtin: true, span: PRELUDE_SPAN }),
      ),
    ],
    rules: checkedRules(lowering),
    assertions: checkedAssertions(lowering),
    manage: checkedManage(lowering),
    security: checkedSecurity(resolution, structure),
  };
  const survive = survivedFailures(resolution);
  if (survive) intent.survive = survive;
  const ospfAuthentication = resolution.routing?.mode.text === 'ospf' ? resolution.routing.authentication : undefined;
  if (ospfAuthentication) intent.ospfAuthentication = { secret: ospfAuthentication.text, span: ospfAuthentication.span };
  if (resolution.secrets.length > 0) intent.secrets = checkedSecrets(resolution);
  if (resolution.network?.description) intent.description = stringValue(resolution.network.description);
  return intent;
}

/** What lowering the declarations needs besides the Resolution: names made ids, endpoint and service expansions. */
interface Lowering {
  resolution: Resolution;
  structure: Structure;
  /** The id (`site.device`) of a device reference. */
  deviceId(ref: DeviceRef): string;
  /** Endpoint names with groups expanded, sorted; `any` alone when any of them is `any`. */
  expandEndpoints(tokens: Token[]): EndpointName[];
  /** The clauses of one service by name (declared or built in). */
  serviceClauses(name: string): ServiceClause[];
  /** The clauses of a rule's or an assertion's service list: a copy of its own. */
  clausesOf(tokens: Token[]): ServiceClause[];
}

function loweringOf(resolution: Resolution, structure: Structure): Lowering {
  const expandEndpoints = (tokens: Token[]): EndpointName[] => {
    if (tokens.length === 1) {
      // The common case, without building a set.
      const e = resolution.lookup(tokens[0]!);
      if (!e || e.kind === 'any') return [ANY];
      if (e.kind === 'segment' || e.kind === 'host' || e.kind === 'external') return [e.decl.name.text];
      if (e.kind === 'device') return [e.id];
    }
    const out = new Set<string>();
    for (const t of tokens) {
      const e = resolution.lookup(t);
      if (!e || e.kind === 'any') return [ANY];
      if (e.kind === 'group') structure.groupExpansion.get(e.decl.name.text)?.forEach((n) => out.add(n));
      else if (e.kind === 'segment' || e.kind === 'host' || e.kind === 'external') out.add(e.decl.name.text);
      else if (e.kind === 'device') out.add(e.id);
    }
    return [...out].sort();
  };

  const clauseCache = new Map<string, ServiceClause[]>();
  const userServices = new Map(resolution.services.map((d) => [d.name.text, d]));
  const serviceClauses = (name: string): ServiceClause[] => {
    const cached = clauseCache.get(name);
    if (cached) return cached;
    const decl = userServices.get(name);
    const builtin = PRELUDE_SERVICES.find((p) => p.name === name);
    const clauses = decl ? declClauses(decl) : builtin ? builtin.clauses : [{}];
    clauseCache.set(name, clauses);
    return clauses;
  };
  const declClauses = (decl: ServiceDecl): ServiceClause[] => {
    const out: ServiceClause[] = [];
    for (const item of decl.items) {
      const e = (isServiceReference(item) ? resolution.lookup(item.protocol) : undefined);
      if (e) {
        out.push(...serviceClauses(e.kind === 'builtin-service' ? e.service.name : e.kind === 'any' ? ANY : item.protocol.text));
        continue;
      }
      const parts = serviceItemParts(item);
      const clause: ServiceClause = {};
      if (parts.protocol !== undefined) clause.protocol = parts.protocol;
      if (parts.ports.length > 0) clause.ports = parts.ports.map(portRange);
      if (parts.icmpType) clause.icmpType = icmpTypeValue(parts.icmpType.text) ?? 0;
      out.push(clause);
    }
    return uniqueClauses(out);
  };
  // Referenced services first (post-order), so that a long chain of services that name each
  // other is expanded without deep recursion.
  const referenced = (name: string): string[] =>
    userServices.get(name)!.items.flatMap((item) => {
      const e = isServiceReference(item) ? resolution.lookup(item.protocol) : undefined;
      return e?.kind === 'service' ? [e.decl.name.text] : [];
    });
  for (const name of depthFirst([...userServices.keys()], referenced, () => undefined)) serviceClauses(name);

  // Many rules name the same services: their clause lists are computed once per combination.
  // Each rule gets its own copy so that a consumer mutating one rule cannot change another.
  const combined = new Map<string, ServiceClause[]>();
  const clausesOf = (tokens: Token[]): ServiceClause[] => {
    if (tokens.length === 0) return [{}];
    const key = tokens.map((t) => t.text).join(',');
    let clauses = combined.get(key);
    if (!clauses) {
      clauses = uniqueClauses(tokens.flatMap((t) => {
        const e = resolution.lookup(t);
        return serviceClauses(e?.kind === 'builtin-service' ? e.service.name : t.text);
      }));
      combined.set(key, clauses);
    }
    return clauses.map(copyClause);
  };

  return {
    resolution,
    structure,
    deviceId: (ref) => resolution.deviceRefs.get(ref)?.id ?? ref.device.text,
    expandEndpoints,
    serviceClauses,
    clausesOf,
  };
}

// ---- the topology ----------------------------------------------------------------------------

function checkedDevices(resolution: Resolution): CheckedIntent['devices'] {
  return [...resolution.devices.values()].map((d) => {
    const out: CheckedIntent['devices'][number] = {
      id: d.id,
      site: d.site,
      name: d.decl.name.text,
      role: d.decl.role.text === 'firewall' ? 'firewall' : 'router',
      platform: d.decl.platform.text as Platform,
      loopbacks: d.decl.loopback ? [canonAddress(d.decl.loopback)] : [],
      span: d.decl.span,
    };
    if (d.decl.asn) out.asn = num(d.decl.asn);
    return out;
  });
}

function checkedLinks(lowering: Lowering): CheckedIntent['links'] {
  return lowering.resolution.links.map(({ decl }) => {
    const end = (e: typeof decl.a): CheckedIntent['links'][number]['a'] => {
      const out: CheckedIntent['links'][number]['a'] = { device: lowering.deviceId(e.device) };
      if (e.ifname) out.ifname = e.ifname.text;
      return out;
    };
    return {
      a: end(decl.a),
      b: end(decl.b),
      prefixes: decl.prefix ? [canonPrefix(decl.prefix)] : [],
      cost: decl.cost ? num(decl.cost) : 1,
      span: decl.span,
    };
  });
}

function checkedSegments(lowering: Lowering): CheckedIntent['segments'] {
  return lowering.resolution.segments.map((seg) => {
    const out: CheckedIntent['segments'][number] = {
      name: seg.name.text,
      prefixes: seg.prefixes.map(canonPrefix),
      gateway: lowering.deviceId(seg.at),
      span: seg.span,
    };
    if (seg.zone) out.zone = seg.zone.text;
    if (seg.vlan) out.vlan = num(seg.vlan);
    if (seg.description) out.description = stringValue(seg.description);
    return out;
  });
}

function checkedExternals(lowering: Lowering): IntentExternal[] {
  return lowering.resolution.externals.map((ext) => {
    const prefixes: string[] = [];
    const attachments: IntentAttachment[] = [];
    const announce = new Set<string>();
    for (const item of ext.items) {
      if (item.kind === 'prefixes') {
        for (const p of item.prefixes.map(canonPrefix)) if (!prefixes.includes(p)) prefixes.push(p);
      } else if (item.kind === 'attach') {
        const a: IntentAttachment = {
          device: lowering.deviceId(item.device),
          address: interfaceAddress(item.address),
          span: item.span,
        };
        if (item.peer) a.peer = canonAddress(item.peer);
        if (item.gateway) a.gateway = canonAddress(item.gateway);
        if (item.vlan) a.vlan = num(item.vlan);
        attachments.push(a);
      } else if (item.kind === 'announce') {
        lowering.expandEndpoints(item.refs).forEach((n) => announce.add(n));
      }
    }
    const out: IntentExternal = { name: ext.name.text, prefixes, attachments, announce: [...announce].sort(), span: ext.span };
    const password = ext.items.find((i) => i.kind === 'password');
    if (password) out.password = { secret: password.secret.text, span: password.span };
    if (ext.description) out.description = stringValue(ext.description);
    const translations = loweredTranslations(ext, lowering);
    if (translations) out.translations = translations;
    const asn = lowering.structure.externalAsn.get(ext.name.text);
    if (asn) out.asn = num(asn.asn);
    if (ext.parts) out.parts = ext.parts.map((p) => ({ name: `${ext.name.text}.${p.name.text}`, prefixes: [canonPrefix(p.prefix)], span: p.name.span }));
    return out;
  });
}

function checkedSecrets(resolution: Resolution): IntentSecret[] {
  return resolution.secrets.map((s) => ({
    name: s.name.text,
    source: s.source.text === 'file' ? 'file' : 'env',
    location: s.source.text === 'file' ? stringValue(s.location) : s.location.text,
    span: s.span,
  }));
}

// ---- the policy and the assertions -----------------------------------------------------------

function checkedRules(lowering: Lowering): CheckedIntent['rules'] {
  return lowering.resolution.policies.flatMap((policy) =>
    policy.rules.map((rule: PolicyRule) => {
      const out: CheckedIntent['rules'][number] = {
        action: rule.action.text === 'deny' ? 'deny' : 'allow',
        sources: rule.sources.map((t) => t.text),
        destinations: rule.destinations.map((t) => t.text),
        sourcesExpanded: lowering.expandEndpoints(rule.sources),
        destinationsExpanded: lowering.expandEndpoints(rule.destinations),
        services: rule.services.map((t) => t.text),
        clauses: lowering.clausesOf(rule.services),
        ...ruleProfiles(rule),
        span: rule.span,
      };
      if (policy.name) out.policy = policy.name.text;
      return out;
    }),
  );
}

function checkedAssertions(lowering: Lowering): CheckedIntent['assertions'] {
  return lowering.resolution.assertions.map((a: AssertDecl) => {
    const via = a.via ? lowering.deviceId(a.via) : undefined;
    const out: CheckedIntent['assertions'][number] = {
      property: a.property.text === 'isolate' ? 'isolate' : 'reach',
      sources: a.sources.map((t) => t.text),
      destinations: a.destinations.map((t) => t.text),
      sourcesExpanded: lowering.expandEndpoints(a.sources),
      destinationsExpanded: lowering.expandEndpoints(a.destinations),
      services: a.services.map((t) => t.text),
      clauses: lowering.clausesOf(a.services),
      text: assertionText(a, via, a.under && underText(lowering.resolution, a.under)),
      span: a.span,
    };
    if (via !== undefined) out.via = via;
    if (a.under) out.under = underOf(lowering.resolution, a.under);
    return out;
  });
}

function checkedManage(lowering: Lowering): CheckedIntent['manage'] {
  const every = [...lowering.resolution.devices.keys()].sort();
  return lowering.resolution.manages.map((m: ManageDecl) => ({
    devices: m.devices.length === 0 ? every : lowering.expandEndpoints(m.devices),
    sources: m.sources.map((t) => t.text),
    sourcesExpanded: lowering.expandEndpoints(m.sources),
    services: m.services.map((t) => t.text),
    clauses: lowering.clausesOf(m.services),
    text: manageText(m),
    span: m.span,
  }));
}

/** `manage fra1.edge1, ams1.gw1 from noc : ssh, ping`: one line, single spaces, `, ` in lists. */
export function manageText(m: ManageDecl): string {
  const list = (ts: Token[]): string => ts.map((t) => t.text).join(', ');
  return `manage ${m.devices.length > 0 ? `${list(m.devices)} ` : ''}from ${list(m.sources)} : ${list(m.services)}`;
}

/** `assert reach office -> web : https via fra1.fw1`: one line, single spaces, `, ` in lists. */
export function assertionText(a: AssertDecl, via: string | undefined, under?: string): string {
  const list = (ts: Token[]): string => ts.map((t) => t.text).join(', ');
  let text = `assert ${a.property.text} ${list(a.sources)} -> ${list(a.destinations)}`;
  if (a.services.length > 0) text += ` : ${list(a.services)}`;
  if (via) text += ` via ${via}`;
  if (under) text += ` ${under}`;
  return text;
}

/** `under 1 failure`, `under failure of fra1.core1 -- ams1.core2, fra1.fw1`. */
function underText(resolution: Resolution, under: NonNullable<AssertDecl['under']>): string {
  if (under.count) return `under ${under.count.text} ${under.count.text === '1' ? 'failure' : 'failures'}`;
  return `under failure of ${under.elements.map((e) => failureElementText(resolution, e)).join(', ')}`;
}

function portRange(t: Token): PortRange {
  const r = parsePortText(t.text);
  const from = r?.from ?? 0;
  return { from, to: r?.to ?? from };
}

function interfaceAddress(t: Token): string {
  const p = parsePrefix(t.text);
  if (!p) return t.text;
  return `${formatAddress(p)}/${Math.min(p.length, BITS[p.family])}`;
}

function copyClause(c: ServiceClause): ServiceClause {
  const out: ServiceClause = {};
  if (c.protocol !== undefined) out.protocol = c.protocol;
  if (c.ports) out.ports = c.ports.map((p) => ({ from: p.from, to: p.to }));
  if (c.icmpType !== undefined) out.icmpType = c.icmpType;
  return out;
}

function uniqueClauses(clauses: ServiceClause[]): ServiceClause[] {
  const seen = new Set<string>();
  const out: ServiceClause[] = [];
  for (const c of clauses) {
    const key = JSON.stringify([c.protocol ?? null, c.ports ?? null, c.icmpType ?? null]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(c);
  }
  return out;
}
