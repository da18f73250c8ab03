// How each filter sees the endpoints' addresses where translations change them (compiler/nat.ts,
// docs/architecture.md "NAT"). A packet's addresses depend on which side of a translating device
// it is on:
//  - *ours*: inside our network (every device that does not translate, and the inside of one
//    that does): our endpoints by their real addresses, an external whose prefixes appear to us
//    as mapped ones by those;
//  - *theirs*: on the outside of a device translating for external X: X by its real addresses,
//    ours as X sees them (static inside translations mapped, a connection's initiator in an
//    `overload`'s sources as the device's overload address, a published host also at its public
//    address for the published service);
//  - *real*: every endpoint by its real addresses: the packet nftables' forward filter sees
//    (`dnat` before it, `snat` after it), and any packet that crosses no translation.
// Which one a filter judges follows from its platform's `nat` trait (language/platforms.ts): a
// filter that sees the packet as arrived or as it leaves judges the side of its interface; one
// that sees it as routed judges `real` where every destination is rewritten before routing and
// every source after (nftables, PAN-OS), and `ours` where packets from outside are translated
// before routing and those to it after (IOS-XE); PAN-OS's security rules see the packet as it
// arrived, i.e. on the side of the rule's sources (`source-side`).

import type { NatOrder, NatView } from '../language/platforms.js';
import { traitsOf } from '../language/platforms.js';
import type { CheckedIntent } from '../language/intent.js';
import { BITS, type Prefix } from '../language/address.js';
import { externalParts, type EndpointSets } from './endpoints.js';
import type { DeviceModel, InterfaceModel } from './model.js';
import { mapInto, overloadAddress, type TranslatingExternal } from './nat.js';
import { difference, intersect, normalize, union, type PrefixSet } from './prefix-set.js';
import type { ServiceMatch } from './services.js';
import { cachedPrefix } from './topology.js';

export type Realm = { kind: 'ours' } | { kind: 'real' } | { kind: 'theirs'; device: string; external: TranslatingExternal };

/** A filter whose packets are judged as they arrived, whichever side their sources are on. */
export type FilterRealm = Realm | { kind: 'source-side'; device: string };

/** A rule's address sets as one filter sees them (undefined: any). */
export interface SeenSets {
  src: PrefixSet | undefined;
  dst: PrefixSet | undefined;
}

const OURS: Realm = { kind: 'ours' };
const REAL: Realm = { kind: 'real' };

export class NatViews {
  private readonly byDevice = new Map<string, TranslatingExternal>();
  /** Endpoint name → the translating external it is (or is a part of). */
  private readonly externalOf = new Map<string, TranslatingExternal>();
  private readonly externals = new Set<string>();
  private readonly cache = new Map<string, PrefixSet>();

  constructor(
    intent: CheckedIntent,
    private readonly sets: EndpointSets,
    translating: readonly TranslatingExternal[],
  ) {
    for (const x of intent.externals) this.externals.add(x.name);
    for (const p of externalParts(intent)) this.externals.add(p.name);
    for (const t of translating) {
      for (const a of t.external.attachments) this.byDevice.set(a.device, t);
      this.externalOf.set(t.external.name, t);
    }
    for (const p of externalParts(intent)) {
      const t = this.externalOf.get(p.external.name);
      if (t) this.externalOf.set(p.name, t);
    }
  }

  /** The realm a router's `filterIn` (`in`) or `filterOut` (`out`) on this interface judges. */
  filterRealm(device: DeviceModel, iface: InterfaceModel, stage: 'in' | 'out'): FilterRealm {
    const t = this.byDevice.get(device.id);
    if (!t) return OURS;
    const order = traitsOf(device.platform).nat;
    const side: Realm = iface.role !== 'external' ? OURS : iface.external === t.external.name ? { kind: 'theirs', device: device.id, external: t } : REAL;
    return realmOfView(order, order.filterSees[stage], device.id, side);
  }

  /** The realm a firewall's zone policy judges. */
  securityRealm(device: DeviceModel): FilterRealm {
    if (!this.byDevice.has(device.id)) return OURS;
    const order = traitsOf(device.platform).nat;
    return realmOfView(order, order.filterSees.security, device.id, undefined);
  }

  /** A rule's sources (`initiator`) and destinations as a filter of `realm` sees them. */
  seen(realm: FilterRealm, sources: readonly string[], destinations: readonly string[], fwd: readonly ServiceMatch[]): SeenSets {
    if (realm.kind !== 'source-side') {
      return { src: this.view(sources, realm, 'initiator', fwd), dst: this.view(destinations, realm, 'responder', fwd) };
    }
    // As arrived: each source on its own side (so by its real addresses), the destinations as
    // seen from the sides those sources are on.
    const t = this.byDevice.get(realm.device)!;
    const theirs: Realm = { kind: 'theirs', device: realm.device, external: t };
    const isTheirs = (n: string) => this.externalOf.get(n) === t;
    const sides = sources.includes('any') ? [OURS, theirs] : [...(sources.some((n) => !isTheirs(n)) ? [OURS] : []), ...(sources.some(isTheirs) ? [theirs] : [])];
    const dsts = sides.map((r) => this.view(destinations, r, 'responder', fwd));
    return { src: this.view(sources, REAL, 'initiator', fwd), dst: dsts.some((d) => d === undefined) ? undefined : union(...(dsts as PrefixSet[])) };
  }

  /** The union of the names' sets as seen in `realm`; undefined for `any`. */
  view(names: readonly string[], realm: Realm, role: 'initiator' | 'responder', fwd: readonly ServiceMatch[]): PrefixSet | undefined {
    if (names.includes('any')) return undefined;
    if (realm.kind === 'real') return this.sets.setOf(names);
    const parts = names.map((n) => this.viewOne(n, realm, role, fwd));
    return parts.length === 1 ? parts[0]! : union(...parts);
  }

  private viewOne(name: string, realm: Exclude<Realm, { kind: 'real' }>, role: 'initiator' | 'responder', fwd: readonly ServiceMatch[]): PrefixSet {
    const real = this.sets.sets.get(name) ?? [];
    if (realm.kind === 'ours') {
      const t = this.externalOf.get(name);
      if (!t) return real;
      return this.memo(`ours\u0000${name}`, () => translated(real, t.statics.filter((s) => s.realSide === 'outside')));
    }
    if (this.externals.has(name)) return real;
    const t = realm.external;
    const published = role === 'responder' ? t.publishes.filter((p) => fwd.some((sm) => carries(sm, p.protocol, p.port))) : [];
    const key = `theirs\u0000${realm.device}\u0000${name}\u0000${role}\u0000${published.map((p) => p.publicAddress).join(',')}`;
    return this.memo(key, () => {
      let out = translated(real, t.statics.filter((s) => s.realSide === 'inside'));
      if (role === 'initiator') {
        // Sources no static translation took share the overload address (first line first).
        // (the statics moved their parts out of our ranges already)
        for (const o of t.overloads) {
          const shared = intersect(out, normalize(o.sources.map(cachedPrefix)));
          if (shared.length === 0) continue;
          const address = overloadAddress(t.external, o, realm.device);
          out = union(difference(out, shared), [host(address)]);
        }
      }
      for (const p of published) if (intersect(real, [host(p.address)]).length > 0) out = union(out, [host(p.publicAddress)]);
      return out;
    });
  }

  private memo(key: string, make: () => PrefixSet): PrefixSet {
    let v = this.cache.get(key);
    if (!v) this.cache.set(key, (v = make()));
    return v;
  }
}

/** A realm's identity: the same for every device in `ours` and `real`, per device otherwise. */
export function realmKey(realm: FilterRealm): string {
  return realm.kind === 'ours' || realm.kind === 'real' ? realm.kind : `${realm.kind}\u0000${realm.device}`;
}

/** The realm of a filter stage's view on a translating device, given its interface's side. */
function realmOfView(order: NatOrder, view: NatView, device: string, side: Realm | undefined): FilterRealm {
  if (view === 'routed') {
    const both = [order.rewrites['inside-to-outside'], order.rewrites['outside-to-inside']];
    if (both.every((r) => r.destination === 'before-routing' && r.source === 'after-routing')) return REAL;
    const i2o = order.rewrites['inside-to-outside'];
    const o2i = order.rewrites['outside-to-inside'];
    if (i2o.source === 'after-routing' && i2o.destination === 'after-routing' && o2i.source === 'before-routing' && o2i.destination === 'before-routing') return OURS;
    throw new Error('internal: a platform translates in an order the compiler has no filter view for');
  }
  // As arrived or as it leaves: the side of the interface; a zone policy sees the sources' side.
  return side ?? { kind: 'source-side', device };
}

/** `set` through static translations, first match first: each part moved by the first whose real prefix holds it. */
function translated(set: PrefixSet, statics: readonly { real: string; mapped: string }[]): PrefixSet {
  let rest: PrefixSet = set;
  const moved: Prefix[] = [];
  for (const s of statics) {
    const r = cachedPrefix(s.real);
    const inside = intersect(rest, [r]);
    if (inside.length === 0) continue;
    const m = cachedPrefix(s.mapped);
    moved.push(...inside.map((p) => mapInto(p, r, m)));
    rest = difference(rest, [r]);
  }
  return moved.length === 0 ? set : union(rest, normalize(moved));
}

/** Whether a filter match can hold packets of a published service. */
function carries(sm: ServiceMatch, protocol: number, port: number): boolean {
  if (sm.family === 6) return false;
  if (sm.protocol !== undefined && sm.protocol !== protocol) return false;
  return !sm.destinationPorts || sm.destinationPorts.some((r) => r.from <= port && port <= r.to);
}

function host(address: string): Prefix {
  return cachedPrefix(`${address}/${BITS[address.includes(':') ? 6 : 4]}`);
}
