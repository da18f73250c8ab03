// Address translation from the intent's `translate` and `publish` lines (an external's
// `translations`): the `nat` of each device where a translating external attaches, and what
// routing and the endpoints' address sets need to know about it. docs/architecture.md ("NAT")
// is the meaning; compiler/nat-views.ts says how each filter sees the translated addresses.
//
// A device translates for one external at most (the checker refuses two):
//  - inside: its interfaces toward our network (links and segments; not its loopback, not
//    another external's attachment, whose packets it does not translate);
//  - outside: that external's attachments on it;
//  - translations, in order of precedence: the static `translate ... as` lines as written, then
//    the `publish` lines (static, one address, one service), then the `overload` lines (PAT).
// An `overload` without an address uses our address on the attachment, per device.

import { BITS, formatPrefix, mask, overlaps, type Prefix } from '../language/address.js';
import { diagnostic, type Diagnostic } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import type { CheckedIntent, IntentExternal, IntentOverload, IntentPublish, IntentStaticTranslation, ServiceClause } from '../language/intent.js';
import type { BgpModel, DeviceModel, NatModel, NatTranslation, StaticRouteModel } from './model.js';
import { compareText } from './interfaces.js';
import { intersect, difference, normalize, union, type PrefixSet } from './prefix-set.js';
import { addressPart, cachedPrefix, familyOf } from './topology.js';

/** An external that translates, with its lines by kind (each in the order written). */
export interface TranslatingExternal {
  external: IntentExternal;
  statics: IntentStaticTranslation[];
  publishes: IntentPublish[];
  overloads: IntentOverload[];
}

/** The externals with translations, in the intent's order. */
export function translatingExternals(intent: CheckedIntent): TranslatingExternal[] {
  return intent.externals
    .filter((x) => (x.translations ?? []).length > 0)
    .map((x) => {
      const lines = x.translations ?? [];
      return {
        external: x,
        statics: lines.filter((t): t is IntentStaticTranslation => t.kind === 'static'),
        publishes: lines.filter((t): t is IntentPublish => t.kind === 'publish'),
        overloads: lines.filter((t): t is IntentOverload => t.kind === 'overload'),
      };
    });
}

/** Each translating device's `nat` (device id → model); empty when the intent translates nothing. */
export function natModels(translating: readonly TranslatingExternal[], devices: readonly DeviceModel[]): Map<string, NatModel> {
  const out = new Map<string, NatModel>();
  const byId = new Map(devices.map((d) => [d.id, d]));
  for (const t of translating) {
    const x = t.external;
    for (const id of [...new Set(x.attachments.map((a) => a.device))].sort(compareText)) {
      const device = byId.get(id);
      if (!device) continue;
      const inside = device.interfaces.filter((i) => i.role === 'link' || i.role === 'segment').map((i) => i.name);
      const outside = device.interfaces.filter((i) => i.role === 'external' && i.external === x.name).map((i) => i.name);
      const translations: NatTranslation[] = [
        ...t.statics.map((s) => staticModel(x, s)),
        ...t.publishes.map((p) => publishModel(x, p)),
        ...t.overloads.map((o) => patModel(x, o, overloadAddress(x, o, id))),
      ];
      out.set(id, { inside: inside.sort(compareText), outside: outside.sort(compareText), translations });
    }
  }
  return out;
}

function staticModel(x: IntentExternal, s: IntentStaticTranslation): NatTranslation {
  const whom = s.realSide === 'inside' ? x.name : 'us';
  const subject = s.realSide === 'outside' && s.subject !== x.name ? `${s.subject} of ${x.name}` : s.subject;
  return {
    kind: 'static',
    realSide: s.realSide,
    real: s.real,
    mapped: s.mapped,
    description: `${subject} appears to ${whom} as ${s.mapped}`,
    origin: s.span,
  };
}

function publishModel(x: IntentExternal, p: IntentPublish): NatTranslation {
  return {
    kind: 'static',
    realSide: 'inside',
    real: hostPrefix(p.address),
    mapped: hostPrefix(p.publicAddress),
    service: { protocol: p.protocol, port: p.port, realPort: p.port },
    description: `${p.host} : ${p.service} published to ${x.name} at ${p.publicAddress}`,
    origin: p.span,
  };
}

function patModel(x: IntentExternal, o: IntentOverload, address: string): NatTranslation {
  return {
    kind: 'pat',
    sources: [...o.sources],
    address,
    description: `${o.subjects.join(', ')} share ${address} toward ${x.name}`,
    origin: o.span,
  };
}

/** The address an `overload` line translates to at one device: the one given, or ours on the attachment there. */
export function overloadAddress(x: IntentExternal, o: IntentOverload, device: string): string {
  if (o.address) return o.address;
  const attachment = x.attachments.find((a) => a.device === device && familyOf(a.address) === 4);
  // The checker refuses an overload without an IPv4 attachment to take the address from.
  if (!attachment) throw new Error(`internal: external ${x.name} overloads at ${device} without an IPv4 attachment`);
  return addressPart(attachment.address);
}

function hostPrefix(address: string): string {
  return `${address}/${BITS[familyOf(address)]}`;
}

/**
 * The prefixes of an external that our network knows only as mapped (realSide outside): every
 * declared prefix that overlaps one of its outside translations' real prefixes. They are routed
 * at the attach devices only (where the translation happens), never inside.
 */
export function hiddenPrefixes(t: TranslatingExternal): string[] {
  const reals = t.statics.filter((s) => s.realSide === 'outside').map((s) => cachedPrefix(s.real));
  return t.external.prefixes.filter((p) => reals.some((r) => overlaps(cachedPrefix(p), r)));
}

/** The prefixes our network routes toward an external instead of its real ones (its outside translations' mapped prefixes). */
export function mappedPrefixes(t: TranslatingExternal): string[] {
  return t.statics.filter((s) => s.realSide === 'outside').map((s) => s.mapped);
}

/**
 * What an eBGP session to the external exports instead of `prefix`: the image of the prefix
 * under the first static inside translation whose real prefix contains it; the prefix itself
 * when none does (a published address is not announced: it stands for one service only).
 */
export function exportedAs(t: TranslatingExternal | undefined, prefix: string): string {
  if (!t) return prefix;
  const p = cachedPrefix(prefix);
  for (const s of t.statics) {
    if (s.realSide !== 'inside') continue;
    const real = cachedPrefix(s.real);
    if (within(p, real)) return formatPrefix(mapInto(p, real, cachedPrefix(s.mapped)));
  }
  return prefix;
}

/**
 * The discard routes a device needs for its eBGP exports to a translating external: one per
 * exported prefix within a static inside translation's mapped prefix (an image of ours, which no
 * route of our network holds), because a BGP `network` is announced only while a route for its
 * exact prefix exists. Packets to it never use the route: the device translates their
 * destination back into the real prefix before routing them (outside to inside, on every
 * platform), and our network routes nothing to a mapped prefix of ours (the discard routes are
 * not redistributed).
 */
export function discardRoutes(t: TranslatingExternal, exportPrefixes: readonly string[]): StaticRouteModel[] {
  const out: StaticRouteModel[] = [];
  for (const prefix of exportPrefixes) {
    const p = cachedPrefix(prefix);
    const s = t.statics.find((x) => x.realSide === 'inside' && within(p, cachedPrefix(x.mapped)));
    if (s) out.push({ prefix, discard: true, origin: s.span });
  }
  return out;
}

/** The static routes of a translated external's mapped prefixes at `device`, to its peer or gateway where it attaches there. */
export function mappedRoutes(translating: Iterable<TranslatingExternal>, device: DeviceModel): StaticRouteModel[] {
  const routes: StaticRouteModel[] = [];
  for (const t of translating) {
    for (const att of t.external.attachments) {
      const next = att.peer ?? att.gateway;
      if (att.device !== device.id || !next) continue;
      const iface = device.interfaces.find((i) => i.role === 'external' && i.external === t.external.name && i.addresses.includes(att.address));
      for (const p of mappedPrefixes(t).filter((q) => familyOf(q) === familyOf(next))) {
        routes.push({ prefix: p, nextHop: next, ...(iface ? { interface: iface.name } : {}), origin: att.span });
      }
    }
  }
  return routes;
}

/** The discard routes a device's BGP exports to translating externals need, one per prefix. */
export function exportDiscards(translating: ReadonlyMap<string, TranslatingExternal>, bgp: BgpModel | undefined): StaticRouteModel[] {
  const seen = new Set<string>();
  return (bgp?.neighbors ?? [])
    .flatMap((n) => {
      const t = translating.get(n.external);
      return t ? discardRoutes(t, n.exportPrefixes) : [];
    })
    .filter((r) => !seen.has(r.prefix) && seen.add(r.prefix));
}

function within(p: Prefix, outer: Prefix): boolean {
  return outer.family === p.family && outer.length <= p.length && (p.value & mask(p.family, outer.length)) === outer.value;
}

/** `p` (within `real`) moved into `mapped`, its host bits below `real`'s length kept. */
export function mapInto(p: Prefix, real: Prefix, mapped: Prefix): Prefix {
  const host = ~mask(p.family, real.length) & mask(p.family, BITS[p.family]);
  return { family: p.family, value: mapped.value | (p.value & host), length: p.length };
}

/** `set` as it appears through a static translation: its part within `real` moved into `mapped`, the rest as it is. */
export function mapSet(set: PrefixSet, real: string, mapped: string): PrefixSet {
  const r = cachedPrefix(real);
  const inside = intersect(set, [r]);
  if (inside.length === 0) return set;
  const m = cachedPrefix(mapped);
  return union(difference(set, [r]), normalize(inside.map((p) => mapInto(p, r, m))));
}


/**
 * C726: a `publish` line whose service no allow rule admits from its external to its host (a
 * rule naming the host, its segment or `any`, and the external, one of its parts or `any`): the
 * translation opens nothing by itself, so nothing would reach the host at its public address.
 */
export function unallowedPublishes(intent: CheckedIntent, translating: readonly TranslatingExternal[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const segmentOf = new Map(intent.hosts.map((h) => [h.name, h.segment]));
  for (const t of translating) {
    const x = t.external;
    const fromX = new Set(['any', x.name, ...(x.parts ?? []).map((p) => p.name)]);
    for (const p of t.publishes) {
      const toHost = new Set(['any', p.host, segmentOf.get(p.host) ?? p.host]);
      const allowed = intent.rules.some(
        (r) =>
          r.action === 'allow' &&
          r.sourcesExpanded.some((n) => fromX.has(n)) &&
          r.destinationsExpanded.some((n) => toHost.has(n)) &&
          (r.clauses.length === 0 || r.clauses.some((c) => holds(c, p.protocol, p.port))),
      );
      if (allowed) continue;
      out.push(
        diagnostic(Codes.publishNotAllowed, p.span, `${p.host} : ${p.service} is published to ${x.name} at ${p.publicAddress}, but no rule allows ${x.name} -> ${p.host} : ${p.service}: nothing reaches it`, {
          severity: 'warning',
          hint: `allow it in the policy (\`allow ${x.name} -> ${p.host} : ${p.service}\`), or leave the \`publish\` line out`,
        }),
      );
    }
  }
  return out;
}

/** Whether a rule's service clause holds the packets of a published service. */
function holds(c: ServiceClause, protocol: number, port: number): boolean {
  if (c.protocol !== undefined && c.protocol !== protocol) return false;
  return !c.ports || c.ports.some((r) => r.from <= port && port <= r.to);
}
