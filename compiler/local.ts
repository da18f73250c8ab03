// What each device accepts addressed to itself: its `local` filter (DeviceModel.localFilter).
// First match, default deny, in this order:
//   1. BGP with each neighbour: TCP from the peer's address to our session address, destination
//      port 179 (the peer opens) and source port 179 (we opened), origin the attach line;
//   2. OSPF (protocol 89) from the neighbour at the other end of each OSPF link, by its link
//      addresses and its IPv6 link-local; no destination, since OSPF speaks to the multicast
//      groups as well as to our address (the platform keeps it to those), origin the link line;
//   3. ICMP errors from anywhere (IPv4 unreachable and time-exceeded, ICMPv6 unreachable,
//      packet-too-big and time-exceeded), for the families the device has (an address or a
//      link-local: a rule of another family has no list to live in its config), so that path-MTU
//      discovery and traceroute work; origin the device line. Their sources are the family's
//      whole range (0.0.0.0/0, ::/0), which pins the family as placement's ICMP rules do;
//   4. each `manage` line that names the device: its sources (endpoint address sets, a device's
//      own addresses, or any) with each of its services, to any of our addresses, in the
//      families the device has addresses of (C712 warns of a line that admits nothing).
// Nothing else reaches the device: not even ping unless a `manage` line admits it. These rules
// are only in `local`, which decides packets to the device itself, so they never widen what is
// forwarded.

import { addressOf, BITS, containsAddress, parsePrefix, type Family } from '../language/address.js';
import { diagnostic, type Diagnostic } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import type { CheckedIntent, IntentManage, IntentRule } from '../language/intent.js';
import type { EndpointSets } from './endpoints.js';
import { byName } from './interfaces.js';
import type { DeviceModel, FilterModel, FilterRule, InterfaceModel, Match, ManageModel, ServiceModel } from './model.js';
import { where } from './placement.js';
import { familiesOf, formatSet, normalize, parseSet, type PrefixSet } from './prefix-set.js';
import { forwardMatches } from './services.js';
import { addressPart, familyOf } from './topology.js';

export const LOCAL_FILTER = 'local';

const BGP_PORT = [{ from: 179, to: 179 }];
const OSPF = 89;
/** ICMP errors: IPv4 destination unreachable (3) and time exceeded (11). */
const ICMP4_ERRORS = [3, 11];
/** ICMPv6 errors: destination unreachable (1), packet too big (2), time exceeded (3). */
const ICMP6_ERRORS = [1, 2, 3];

/** Every device's `local` filter, by device id. */
export function localFilters(intent: CheckedIntent, devices: readonly DeviceModel[], sets: EndpointSets): Map<string, FilterModel> {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const spans = new Map(intent.devices.map((d) => [d.id, d.span]));
  // Each line's sources once for all the devices it names (their texts are shared, as placement's are).
  const manages = intent.manage.map((line) => preparedManage(line, sets, byId));
  const out = new Map<string, FilterModel>();
  for (const device of devices) {
    const rules: FilterRule[] = [
      ...bgpRules(device),
      ...ospfRules(device, byId),
      // Only the families the device has (an address or a link-local): a rule of another family
      // is one its configuration has no list to hold.
      ...icmpErrorRules(networkFamilies([device]), spans.get(device.id) ?? device.origin),
      ...manages.filter((m) => m.devices.has(device.id)).flatMap((m) => manageRules(m, familiesOf(deviceAddresses(device)))),
    ];
    out.set(device.id, { name: localFilterName(device), rules, defaultAction: 'deny' });
  }
  return out;
}

/**
 * C712: a `manage` line whose sources have no address of a family the named device has an
 * address of: the device admits none of them.
 */
export function manageDiagnostics(intent: CheckedIntent, devices: readonly DeviceModel[], sets: EndpointSets): Diagnostic[] {
  const byId = new Map(devices.map((d) => [d.id, d]));
  const out: Diagnostic[] = [];
  for (const m of intent.manage) {
    const src = manageSources(m, sets, byId);
    const srcFamilies: Family[] = src ? familiesOf(src) : [4, 6];
    const mute = m.devices.filter((id) => {
      const d = byId.get(id);
      return d !== undefined && !familiesOf(deviceAddresses(d)).some((f) => srcFamilies.includes(f));
    });
    if (mute.length === 0) continue;
    const shown = mute.slice(0, 5).join(', ') + (mute.length > 5 ? `, and ${mute.length - 5} more` : '');
    const what = srcFamilies.length === 0 ? 'its sources have no address' : `its sources are ${srcFamilies.map((f) => `IPv${f}`).join(' and ')} only`;
    out.push(
      diagnostic(Codes.manageAdmitsNothing, m.span, `this \`manage\` line admits nothing on ${shown}: ${what}, and ${mute.length === 1 ? 'that device has' : 'those devices have'} no address of that family`, {
        hint: 'add a source of the devices\' family, or give the devices addresses of the sources\' family',
      }),
    );
  }
  return out;
}

/** Puts each device's local filter among its filters (sorted by name) and names it. */
export function putLocalFilters(devices: readonly DeviceModel[], filters: Map<string, FilterModel>): void {
  for (const device of devices) {
    const filter = filters.get(device.id);
    if (!filter) continue;
    device.filters = [...device.filters, filter].sort(byName);
    device.localFilter = filter.name;
  }
}

/** `local`, unless the device already has a filter of that name (then `local-1`, ...). */
function localFilterName(device: DeviceModel): string {
  const taken = new Set(device.filters.map((f) => f.name));
  let name = LOCAL_FILTER;
  for (let i = 1; taken.has(name); i++) name = `${LOCAL_FILTER}-${i}`;
  return name;
}

/**
 * Each `manage` line as an allow rule from its sources to the devices it names, for placement:
 * the filters and zone policies on the way let its packets through to the devices' addresses
 * (which no endpoint holds, so nothing else is widened); each device's `local` filter then
 * decides what reaches it.
 */
export function manageRulesForPlacement(intent: CheckedIntent): IntentRule[] {
  return intent.manage.map((m) => ({
    action: 'allow',
    sources: [...m.sources],
    destinations: m.text.startsWith('manage from ') ? ['every device'] : m.text.slice('manage '.length, m.text.indexOf(' from ')).split(', '),
    sourcesExpanded: [...m.sourcesExpanded],
    destinationsExpanded: [...m.devices],
    services: [...m.services],
    clauses: m.clauses.map((c) => ({ ...c, ...(c.ports ? { ports: c.ports.map((p) => ({ ...p })) } : {}) })),
    span: m.span,
  }));
}

/** The model's `manage` lines. */
export function manageModels(intent: CheckedIntent): ManageModel[] {
  return intent.manage.map((m) => ({
    devices: [...m.devices],
    sources: [...m.sourcesExpanded],
    services: m.clauses.map(serviceModel),
    text: m.text,
    origin: m.span,
  }));
}

function serviceModel(c: IntentManage['clauses'][number]): ServiceModel {
  return {
    ...(c.protocol !== undefined ? { protocol: c.protocol } : {}),
    ...(c.ports ? { ports: c.ports.map((p) => ({ ...p })) } : {}),
    ...(c.icmpType !== undefined ? { icmpType: c.icmpType } : {}),
  };
}

const hostPrefix = (address: string): string => `${address}/${BITS[familyOf(address)]}`;

function bgpRules(device: DeviceModel): FilterRule[] {
  const out: FilterRule[] = [];
  for (const n of device.bgp?.neighbors ?? []) {
    const own = sessionAddress(device, n.external, n.address);
    if (own === undefined) continue;
    const peer = [hostPrefix(n.address)];
    const mine = [hostPrefix(own)];
    const description = `bgp with ${n.external} ${n.address}`;
    out.push(
      { action: 'permit', match: { sources: peer, destinations: mine, protocol: 6, destinationPorts: BGP_PORT }, origin: n.origin, description },
      { action: 'permit', match: { sources: peer, destinations: mine, protocol: 6, sourcePorts: BGP_PORT }, origin: n.origin, description },
    );
  }
  return out;
}

/** Our address on the external's interface in the peer's subnet. */
function sessionAddress(device: DeviceModel, external: string, peer: string): string | undefined {
  for (const iface of device.interfaces) {
    if (iface.role !== 'external' || iface.external !== external) continue;
    for (const a of iface.addresses) {
      const subnet = parsePrefix(a);
      if (subnet && containsAddress(subnet, addressOf(peer))) return addressPart(a);
    }
  }
  return undefined;
}

function ospfRules(device: DeviceModel, byId: Map<string, DeviceModel>): FilterRule[] {
  const out: FilterRule[] = [];
  for (const o of device.ospf?.interfaces ?? []) {
    if (o.passive) continue;
    const iface = device.interfaces.find((i) => i.name === o.name);
    if (!iface || iface.role !== 'link' || !iface.peer) continue;
    const peer = peerInterface(byId, iface);
    if (!peer) continue;
    const sources = [...peer.addresses.map((a) => hostPrefix(addressPart(a))), ...(peer.linkLocal ? [hostPrefix(peer.linkLocal)] : [])];
    if (sources.length === 0) continue;
    out.push({
      action: 'permit',
      match: { sources, protocol: OSPF },
      origin: iface.origin,
      description: `ospf from ${iface.peer.device} ${iface.peer.interface}`,
    });
  }
  return out;
}

function peerInterface(byId: Map<string, DeviceModel>, iface: InterfaceModel): InterfaceModel | undefined {
  return byId.get(iface.peer!.device)?.interfaces.find((i) => i.name === iface.peer!.interface);
}

function icmpErrorRules(families: readonly Family[], origin: FilterRule['origin']): FilterRule[] {
  const out: FilterRule[] = [];
  // From any source of the family: the prefix pins the family, as placement's ICMP rules do.
  const rule = (sources: string, protocol: number, icmpType: number): FilterRule => ({
    action: 'permit',
    match: { sources: [sources], protocol, icmpType },
    origin,
    description: 'icmp errors',
  });
  if (families.includes(4)) out.push(...ICMP4_ERRORS.map((t) => rule('0.0.0.0/0', 1, t)));
  if (families.includes(6)) out.push(...ICMP6_ERRORS.map((t) => rule('::/0', 58, t)));
  return out;
}

/** The families some interface of these devices has an address (or a link-local) of. */
function networkFamilies(devices: readonly DeviceModel[]): Family[] {
  const seen = new Set<Family>();
  for (const d of devices) {
    for (const i of d.interfaces) {
      for (const a of i.addresses) seen.add(familyOf(addressPart(a)));
      if (i.linkLocal) seen.add(6);
    }
  }
  return ([4, 6] as const).filter((f) => seen.has(f));
}

/** A device's own addresses as host prefixes: what it sends from when it is a manage source. */
function deviceAddresses(device: DeviceModel): PrefixSet {
  return normalize(parseSet(device.interfaces.flatMap((i) => i.addresses.map((a) => hostPrefix(addressPart(a))))));
}

/** The address set of a manage line's sources; undefined for `any`. */
function manageSources(m: IntentManage, sets: EndpointSets, byId: Map<string, DeviceModel>): PrefixSet | undefined {
  if (m.sourcesExpanded.includes('any')) return undefined;
  return normalize(
    m.sourcesExpanded.flatMap((n) => {
      const device = byId.get(n);
      return device ? deviceAddresses(device) : (sets.sets.get(n) ?? []);
    }),
  );
}

/** A manage line with its sources' address set (undefined for any) and their texts by family. */
interface PreparedManage {
  line: IntentManage;
  devices: ReadonlySet<string>;
  src: PrefixSet | undefined;
  texts: Map<Family | 0, string[]>;
  description: string;
}

function preparedManage(line: IntentManage, sets: EndpointSets, byId: Map<string, DeviceModel>): PreparedManage {
  return { line, devices: new Set(line.devices), src: manageSources(line, sets, byId), texts: new Map(), description: `${line.text} (${where(line.span)})` };
}

/** A manage line's rules on a device whose addresses are of `reachable` families (C712 for none). */
function manageRules(m: PreparedManage, reachable: readonly Family[]): FilterRule[] {
  const { src } = m;
  const textOf = (only: Family | undefined): string[] => {
    let t = m.texts.get(only ?? 0);
    if (!t) m.texts.set(only ?? 0, (t = formatSet(only ? src!.filter((p) => p.family === only) : src!)));
    return t;
  };
  const out: FilterRule[] = [];
  for (const clause of m.line.clauses) {
    for (const sm of forwardMatches(clause)) {
      let fams: Family[] = (src ? familiesOf(src) : ([4, 6] as Family[])).filter((f) => reachable.includes(f));
      if (sm.family) fams = fams.filter((f) => f === sm.family);
      if (fams.length === 0) continue;
      const only = fams.length === 1 ? fams[0]! : undefined;
      // From any source, an ICMP match's family is pinned by the family's whole range.
      const sources = src ? textOf(only) : only && sm.family ? [only === 4 ? '0.0.0.0/0' : '::/0'] : undefined;
      const match: Match = {
        ...(sources ? { sources } : {}),
        ...(sm.protocol !== undefined ? { protocol: sm.protocol } : {}),
        ...(sm.destinationPorts ? { destinationPorts: sm.destinationPorts.map((p) => ({ ...p })) } : {}),
        ...(sm.icmpType !== undefined ? { icmpType: sm.icmpType } : {}),
      };
      out.push({ action: 'permit', match, origin: m.line.span, description: m.description });
    }
  }
  return out;
}
