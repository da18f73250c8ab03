// The exact half of device equivalence: everything of a DeviceModel that is not a first-match
// list is compared item by item — identity, interfaces (addresses, roles, peers, zones), static
// routes, OSPF and BGP sessions with their import and export prefixes, address translation. Descriptions and origins
// are documentation, not behaviour, and are left out; lists whose order means nothing are
// compared as sets.

import type { BgpNeighborModel, DeviceModel, InterfaceModel, StaticRouteModel } from '../compiler/model.js';
import { canonicalPrefix } from '../language/address.js';
import type { Span } from '../language/diagnostic.js';
import { compareNat } from './equivalence-nat.js';
import { compareProfiles } from './equivalence-profiles.js';

/** One configuration item that one side has and the other has not, or has with another value. */
export interface ItemDifference {
  kind: 'item';
  /** What the item is, e.g. `static route 10.2.0.0/24 via 10.255.0.1`. */
  item: string;
  /** The item's value on each side; absent: that side does not have the item. */
  expected?: string;
  actual?: string;
  /** Where the item is on the actual side (a config line or the intent line it came from). */
  actualOrigin?: Span;
  expectedOrigin?: Span;
}

const canon = (p: string): string => canonicalPrefix(p) ?? p;
/** A set of prefixes (networks: host bits cleared) as sorted text. */
const set = (xs: readonly string[] | undefined): string => [...new Set((xs ?? []).map(canon))].sort().join(', ') || '(none)';
/** Interface addresses keep their host bits: `10.0.0.1/31` is not `10.0.0.0/31`. */
const addressSet = (xs: readonly string[]): string => [...new Set(xs.map((x) => x.toLowerCase()))].sort().join(', ') || '(none)';

/**
 * Compares two keyed collections: missing, extra and changed items. `sameItem`, when given, is a
 * cheap test that is true only when two items have the same key and the same value (it reads the
 * fields `keyOf` and `valueOf` read, uncanonicalized).
 */
function compareKeyed<T>(
  label: (key: string) => string,
  expected: readonly T[],
  actual: readonly T[],
  keyOf: (t: T) => string,
  valueOf: (t: T) => string,
  originOf: (t: T) => Span | undefined,
  out: ItemDifference[],
  sameItem?: (x: T, y: T) => boolean,
): void {
  if (aligned(expected, actual, keyOf, valueOf, sameItem)) return;
  const e = new Map(expected.map((t) => [keyOf(t), t]));
  const a = new Map(actual.map((t) => [keyOf(t), t]));
  // Only the keys that differ are sorted: a router's thousands of equal routes are not.
  const differing: string[] = [];
  for (const [k, x] of e) {
    const y = a.get(k);
    if (y === undefined || valueOf(x) !== valueOf(y)) differing.push(k);
  }
  for (const k of a.keys()) if (!e.has(k)) differing.push(k);
  for (const k of differing.sort()) {
    const x = e.get(k);
    const y = a.get(k);
    const xo = x !== undefined ? originOf(x) : undefined;
    const yo = y !== undefined ? originOf(y) : undefined;
    out.push({
      kind: 'item',
      item: label(k),
      ...(x !== undefined ? { expected: valueOf(x) } : {}),
      ...(y !== undefined ? { actual: valueOf(y) } : {}),
      ...(yo ? { actualOrigin: yo } : {}),
      ...(xo ? { expectedOrigin: xo } : {}),
    });
  }
}

/**
 * True when the two lists have, index by index, items of the same key and value: then the keyed
 * comparison finds nothing (both sides' key sequences are the same, so each key's last item, the
 * one the maps keep, is at the same index on both sides), and no key is made. A read-back list
 * comes in the model's order, so this is the common case.
 */
function aligned<T>(expected: readonly T[], actual: readonly T[], keyOf: (t: T) => string, valueOf: (t: T) => string, sameItem: ((x: T, y: T) => boolean) | undefined): boolean {
  if (expected.length !== actual.length) return false;
  for (let i = 0; i < expected.length; i++) {
    const x = expected[i]!;
    const y = actual[i]!;
    if (x === y) continue;
    if (sameItem ? !sameItem(x, y) : keyOf(x) !== keyOf(y) || valueOf(x) !== valueOf(y)) return false;
  }
  return true;
}

/** The same strings in the same order (`undefined` is an empty list, as `set` reads it). */
function sameTexts(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  const x = a ?? [];
  const y = b ?? [];
  if (x.length !== y.length) return false;
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

function scalar(item: string, expected: string, actual: string, out: ItemDifference[], origins: { e?: Span; a?: Span } = {}): void {
  if (expected === actual) return;
  out.push({ kind: 'item', item, expected, actual, ...(origins.a ? { actualOrigin: origins.a } : {}), ...(origins.e ? { expectedOrigin: origins.e } : {}) });
}

function interfaceValue(i: InterfaceModel): string {
  const parts = [`role ${i.role}`, `addresses ${addressSet(i.addresses)}`];
  if (i.linkLocal !== undefined) parts.push(`link-local ${i.linkLocal}`);
  if (i.peer) parts.push(`peer ${i.peer.device} ${i.peer.interface}`);
  if (i.segment !== undefined) parts.push(`segment ${i.segment}`);
  if (i.external !== undefined) parts.push(`external ${i.external}`);
  if (i.vlan !== undefined) parts.push(`vlan ${i.vlan}`);
  if (i.zone !== undefined) parts.push(`zone ${i.zone}`);
  if (i.urpf !== undefined) parts.push(`uRPF ${i.urpf}`);
  return parts.join('; ');
}

/** A discard route has its own key, so one turned into a next hop, or lost, is a difference. */
function routeKey(r: StaticRouteModel): string {
  return `${canon(r.prefix)}${r.discard ? ' discard' : ''}${r.nextHop !== undefined ? ` via ${r.nextHop}` : ''}${r.interface !== undefined ? ` dev ${r.interface}` : ''}`;
}

/** `routeKey` and the route's value (`distance`) alike, without canonicalizing the prefix. */
function sameRoute(x: StaticRouteModel, y: StaticRouteModel): boolean {
  return x.prefix === y.prefix && !x.discard === !y.discard && x.nextHop === y.nextHop && x.interface === y.interface && x.distance === y.distance;
}

function neighborValue(n: BgpNeighborModel): string {
  const guards = `${n.ttlSecurity !== undefined ? `; ttl-security hops ${n.ttlSecurity}` : ''}${n.maxPrefixes !== undefined ? `; maximum-prefix ${n.maxPrefixes}` : ''}`;
  return `remote-as ${n.remoteAs}; external ${n.external}; import ${set(n.importPrefixes)}; export ${set(n.exportPrefixes)}${guards}${n.password ? `; password ${keyName(n.password.secret)}` : ''}`;
}

/**
 * How a key shows in a difference: by its secret's name, never its value (a key read where the
 * intent has none has no name: `a key of no secret`). A key removed on the device, added, or
 * moved to another secret is a difference; whether the value is the secret's is decided by the
 * drift check's key comparison (pipeline/key-drift.ts), since the model holds no values.
 */
/** `address` and `neighborValue` alike, without canonicalizing the prefixes. */
function sameNeighbor(x: BgpNeighborModel, y: BgpNeighborModel): boolean {
  return (
    x.address === y.address &&
    x.remoteAs === y.remoteAs &&
    x.external === y.external &&
    x.ttlSecurity === y.ttlSecurity &&
    x.maxPrefixes === y.maxPrefixes &&
    (x.password ? keyName(x.password.secret) : undefined) === (y.password ? keyName(y.password.secret) : undefined) &&
    sameTexts(x.importPrefixes, y.importPrefixes) &&
    sameTexts(x.exportPrefixes, y.exportPrefixes)
  );
}

function keyName(secret: string): string {
  return secret === '' ? 'a key of no secret' : `secret ${secret}`;
}

/** Every configuration difference between two models of one device, sorted by item. */
export function compareConfiguration(expected: DeviceModel, actual: DeviceModel): ItemDifference[] {
  const out: ItemDifference[] = [];
  scalar('device id', expected.id, actual.id, out);
  scalar('role', expected.role, actual.role, out);
  scalar('platform', expected.platform, actual.platform, out);
  const tracking = (d: DeviceModel): string => (d.stateful ? (d.ownConnectionsUntracked ? 'forwarded connections only' : 'true') : 'false');
  scalar('connection tracking', tracking(expected), tracking(actual), out);
  scalar('router id', expected.routerId ?? '(none)', actual.routerId ?? '(none)', out);
  compareKeyed((k) => `interface ${k}`, expected.interfaces, actual.interfaces, (i) => i.name, interfaceValue, (i) => i.origin, out);
  const zoneMembers = (d: DeviceModel): { name: string; members: string }[] => d.zones.map((z) => ({ name: z.name, members: [...new Set(z.interfaces)].sort().join(', ') }));
  compareKeyed((k) => `zone ${k}`, zoneMembers(expected), zoneMembers(actual), (z) => z.name, (z) => `interfaces ${z.members}`, () => undefined, out);
  compareKeyed(
    (k) => `static route ${k}`,
    expected.staticRoutes,
    actual.staticRoutes,
    routeKey,
    (r) => `distance ${r.distance ?? 'default'}`,
    (r) => r.origin,
    out,
    sameRoute,
  );
  compareOspf(expected, actual, out);
  compareBgp(expected, actual, out);
  compareProfiles(expected, actual, out);
  compareNat(expected, actual, out);
  return out;
}

function compareOspf(expected: DeviceModel, actual: DeviceModel, out: ItemDifference[]): void {
  const e = expected.ospf;
  const a = actual.ospf;
  if (!e || !a) {
    if (e || a) scalar('OSPF', e ? 'configured' : '(none)', a ? 'configured' : '(none)', out);
    return;
  }
  scalar('OSPF router id', e.routerId, a.routerId, out);
  compareKeyed((k) => `OSPF interface ${k}`, e.interfaces, a.interfaces, (i) => i.name, (i) => `cost ${i.cost}${i.passive ? ', passive' : ''}${i.authentication ? `, authentication ${keyName(i.authentication.secret)}` : ''}`, () => undefined, out);
  compareKeyed(
    (k) => `OSPF redistribution of ${k}`,
    e.redistribute,
    a.redistribute,
    (r) => r.protocol,
    (r) => `prefixes ${set(r.prefixes)}`,
    () => undefined,
    out,
    (x, y) => x.protocol === y.protocol && sameTexts(x.prefixes, y.prefixes),
  );
  scalar('OSPF default route (IPv4)', String(e.defaultOriginate.ipv4), String(a.defaultOriginate.ipv4), out);
  scalar('OSPF default route (IPv6)', String(e.defaultOriginate.ipv6), String(a.defaultOriginate.ipv6), out);
}

function compareBgp(expected: DeviceModel, actual: DeviceModel, out: ItemDifference[]): void {
  const e = expected.bgp;
  const a = actual.bgp;
  if (!e || !a) {
    if (e || a) scalar('BGP', e ? `AS ${e.asn}` : '(none)', a ? `AS ${a.asn}` : '(none)', out);
    return;
  }
  scalar('BGP AS', String(e.asn), String(a.asn), out);
  scalar('BGP router id', e.routerId, a.routerId, out);
  compareKeyed((k) => `BGP neighbor ${k}`, e.neighbors, a.neighbors, (n) => n.address, neighborValue, (n) => n.origin, out, sameNeighbor);
}
