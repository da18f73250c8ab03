// The lab plan: from a NetworkModel to namespaces, veth pairs, addresses and routes. A pure
// function of the model and the run id; building and tearing down are elsewhere (build.ts,
// teardown.ts).
//
// Layout: one namespace per device; a link is a veth pair between two device namespaces; a
// segment is a namespace holding a bridge (the LAN) with the gateway's interface, a
// representative host address, and a veth to each declared host's own namespace; an external is
// a namespace with a veth to each attach interface, its representative address on `lo`, and (with
// an `asn`) its own bgpd. Devices of other platforms than frr/linux run as frr boxes whose
// interfaces are renamed to Linux names where the platform's names are not valid ones.

import type { DeviceModel, EndpointModel, NetworkModel, Platform } from '../compiler/model.js';
import {
  addressOf,
  containsAddress,
  formatAddress,
  parseAddress,
  parsePrefix,
  prefixOf,
  type Family,
} from '../language/address.js';
import {
  addrPart,
  familyOf,
  inEndpoint,
  interfaceAddressIn,
  lenPart,
  otherAddress,
  pickRepresentative,
  usedAddresses,
} from './addresses.js';

export { pickRepresentative, unusable } from './addresses.js';
import { renameInterfaces } from './rename.js';

export const RUN_ID_PATTERN = /^pl[0-9a-f]{6}$/;
/** Every namespace the lab creates starts with its run id and this dash. */
export const NAMESPACE_PATTERN = /^(pl[0-9a-f]{6})-/;

export interface LabOptions {
  runId: string;
  /** Prefixes an external with `asn` announces beyond its own (a test of the import filters). */
  extraAnnouncements?: Record<string, string[]>;
}

export type NamespaceKind = 'device' | 'segment' | 'host' | 'external';

export interface NamespacePlan {
  name: string;
  kind: NamespaceKind;
  /** The device id or endpoint name. */
  of: string;
}

export interface VethEnd {
  ns: string;
  ifname: string;
}

export interface VethPlan {
  a: VethEnd;
  b: VethEnd;
}

export interface AddressPlan {
  ifname: string;
  /** Address with its length, e.g. 10.0.0.1/24. */
  address: string;
}

export interface RoutePlan {
  /** `default` or a prefix; the family decides `ip -4`/`ip -6`. */
  family: Family;
  prefix: string;
  /** Next-hop addresses (several: ECMP). */
  via: { address: string; ifname: string }[];
}

export interface DevicePlan {
  id: string;
  ns: string;
  platform: Platform;
  /** How the device runs in the lab: its own platform (`native`) or as an frr box. */
  emulatedAs: 'frr' | 'linux';
  native: boolean;
  /** Who writes its packet filter: the backend (nftables.conf) or the emulator, from the model. */
  filters: 'backend' | 'emulator-stateless' | 'emulator-stateful';
  /** The device model as the lab runs it (renamed interfaces, platform = emulatedAs). */
  device: DeviceModel;
  /** Original interface name → lab interface name (only the renamed ones). */
  renamed: Record<string, string>;
  addresses: AddressPlan[];
}

export interface ExternalBgpPlan {
  asn: number;
  routerId: string;
  neighbors: { address: string; remoteAs: number }[];
  /** Its own prefixes. */
  announce: string[];
  /** More than its prefixes (tests): what our import filter must reject. */
  extra: string[];
}

export interface EndpointPlan {
  name: string;
  kind: EndpointModel['kind'];
  ns: string;
  addresses: AddressPlan[];
  /** Segments: the bridge and its ports. */
  bridge?: { name: string; ports: string[] };
  routes: RoutePlan[];
  /** The address probes use, per family (absent when the endpoint has none of that family). */
  representative: Partial<Record<Family, string>>;
  /** Where representatives and extra probe addresses go: the interface and the length to use. */
  hostInterface: { ifname: string; lengths: Partial<Record<Family, number>> };
  bgp?: ExternalBgpPlan;
}

export interface LabPlan {
  runId: string;
  model: NetworkModel;
  namespaces: NamespacePlan[];
  veths: VethPlan[];
  devices: DevicePlan[];
  endpoints: EndpointPlan[];
}

export function namespaceName(runId: string, kind: NamespaceKind, of: string): string {
  const tag = { device: 'd', segment: 's', host: 'h', external: 'x' }[kind];
  // No dots: the name is also FRR's pathspace (`-N`), which refuses them.
  const clean = of.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 30);
  return `${runId}-${tag}-${clean}`;
}

export function planLab(model0: NetworkModel, opts: LabOptions): LabPlan {
  if (!RUN_ID_PATTERN.test(opts.runId)) throw new Error(`internal: bad run id ${opts.runId}`);
  const runId = opts.runId;
  const { model, renamed } = renameInterfaces(model0);
  const nsOfDevice = new Map(model.devices.map((d) => [d.id, namespaceName(runId, 'device', d.id)]));
  const namespaces: NamespacePlan[] = [];
  const veths: VethPlan[] = [];
  const devices: DevicePlan[] = [];
  const endpoints: EndpointPlan[] = [];
  const taken = usedAddresses(model);
  for (const ep of model.endpoints)
    if (ep.kind === 'host') for (const p of ep.include) taken.add(addrPart(p));

  // Devices and the links between them.
  const linkDone = new Set<string>();
  for (const d of model.devices) {
    const ns = nsOfDevice.get(d.id)!;
    namespaces.push({ name: ns, kind: 'device', of: d.id });
    const native = d.platform === 'frr' || d.platform === 'linux';
    const emulatedAs: 'frr' | 'linux' = d.platform === 'linux' ? 'linux' : 'frr';
    const device: DeviceModel = { ...d, platform: emulatedAs };
    const addresses: AddressPlan[] = [];
    for (const itf of d.interfaces) {
      const ifname = itf.role === 'loopback' ? 'lo' : itf.name;
      for (const a of itf.addresses) addresses.push({ ifname, address: a });
      if (itf.role === 'link' && itf.peer && nsOfDevice.has(itf.peer.device)) {
        const key = [`${d.id}|${itf.name}`, `${itf.peer.device}|${itf.peer.interface}`].sort().join('~');
        if (!linkDone.has(key)) {
          linkDone.add(key);
          veths.push({
            a: { ns, ifname: itf.name },
            b: { ns: nsOfDevice.get(itf.peer.device)!, ifname: itf.peer.interface },
          });
        }
      }
    }
    devices.push({
      id: d.id,
      ns,
      platform: d.platform,
      emulatedAs,
      native,
      filters: native ? 'backend' : d.stateful ? 'emulator-stateful' : 'emulator-stateless',
      device,
      renamed: renamed[d.id] ?? {},
      addresses,
    });
  }

  const deviceById = new Map(model.devices.map((d) => [d.id, d]));
  const attached = new Set<string>();

  // Segments first (hosts hang off their bridges).
  const segmentNs = new Map<string, string>();
  for (const ep of model.endpoints) {
    if (ep.kind !== 'segment') continue;
    const ns = namespaceName(runId, 'segment', ep.name);
    segmentNs.set(ep.name, ns);
    namespaces.push({ name: ns, kind: 'segment', of: ep.name });
    const ports: string[] = [];
    const routes: RoutePlan[] = [];
    const lengths: Partial<Record<Family, number>> = {};
    const addresses: AddressPlan[] = [];
    const representative: Partial<Record<Family, string>> = {};
    ep.attachments.forEach((att, k) => {
      const port = `gw${k}`;
      ports.push(port);
      attached.add(`${att.device}|${att.interface}`);
      veths.push({ a: { ns: nsOfDevice.get(att.device)!, ifname: att.interface }, b: { ns, ifname: port } });
    });
    for (const family of [4, 6] as const) {
      const rep = pickRepresentative(ep, family, taken);
      if (!rep) continue;
      const prefix = ep.include.find((p) => containsAddress(prefixOf(p), addressOf(rep)))!;
      representative[family] = rep;
      taken.add(rep);
      lengths[family] = prefixOf(prefix).length;
      addresses.push({ ifname: 'br0', address: `${rep}/${prefixOf(prefix).length}` });
      const via = ep.attachments
        .map((att) => interfaceAddressIn(deviceById.get(att.device)!, att.interface, family, prefix))
        .filter((a): a is string => a !== undefined)
        .map((a) => ({ address: addrPart(a), ifname: 'br0' }));
      if (via.length > 0) routes.push({ family, prefix: 'default', via: via.slice(0, 1) });
    }
    endpoints.push({
      name: ep.name,
      kind: ep.kind,
      ns,
      addresses,
      bridge: { name: 'br0', ports },
      routes,
      representative,
      hostInterface: { ifname: 'br0', lengths },
    });
  }

  // Hosts: their own namespace, a veth into their segment's bridge.
  for (const ep of model.endpoints) {
    if (ep.kind !== 'host') continue;
    const ns = namespaceName(runId, 'host', ep.name);
    namespaces.push({ name: ns, kind: 'host', of: ep.name });
    const seg = model.endpoints.find((e) => e.name === ep.segment && e.kind === 'segment');
    const segPlan = endpoints.find((e) => e.name === ep.segment);
    const addresses: AddressPlan[] = [];
    const routes: RoutePlan[] = [];
    const representative: Partial<Record<Family, string>> = {};
    const lengths: Partial<Record<Family, number>> = {};
    if (seg && segPlan?.bridge) {
      const port = `h${segPlan.bridge.ports.length}`;
      segPlan.bridge.ports.push(port);
      veths.push({ a: { ns: segPlan.ns, ifname: port }, b: { ns, ifname: 'eth0' } });
      for (const p of ep.include) {
        const a = addressOf(addrPart(p));
        const segPrefix = seg.include.find((s) => containsAddress(prefixOf(s), a));
        const len = segPrefix ? prefixOf(segPrefix).length : a.family === 4 ? 32 : 128;
        const text = formatAddress(a);
        representative[a.family] ??= text;
        lengths[a.family] = len;
        addresses.push({ ifname: 'eth0', address: `${text}/${len}` });
        const gw = segPlan.routes.find((r) => r.family === a.family);
        if (gw && !routes.some((r) => r.family === a.family)) {
          routes.push({
            family: a.family,
            prefix: 'default',
            via: gw.via.map((v) => ({ ...v, ifname: 'eth0' })),
          });
        }
      }
    }
    endpoints.push({
      name: ep.name,
      kind: ep.kind,
      ns,
      addresses,
      routes,
      representative,
      hostInterface: { ifname: 'eth0', lengths },
    });
  }

  // Externals: a veth per attachment, the representative on lo, eBGP when it has an asn.
  for (const ep of model.endpoints) {
    if (ep.kind !== 'external') continue;
    const ns = namespaceName(runId, 'external', ep.name);
    namespaces.push({ name: ns, kind: 'external', of: ep.name });
    const addresses: AddressPlan[] = [];
    const via: Record<Family, { address: string; ifname: string }[]> = { 4: [], 6: [] };
    const neighbors: { address: string; remoteAs: number }[] = [];
    let asn: number | undefined;
    let routerId: string | undefined;
    ep.attachments.forEach((att, k) => {
      const ifname = `up${k}`;
      const dev = deviceById.get(att.device)!;
      attached.add(`${att.device}|${att.interface}`);
      veths.push({ a: { ns: nsOfDevice.get(att.device)!, ifname: att.interface }, b: { ns, ifname } });
      const itf = dev.interfaces.find((i) => i.name === att.interface);
      for (const ours of itf?.addresses ?? []) {
        const fam = familyOf(ours);
        const subnet = parsePrefix(ours)!;
        const nbr = dev.bgp?.neighbors.find(
          (n) =>
            n.external === ep.name &&
            familyOf(n.address) === fam &&
            containsAddress(subnet, addressOf(n.address)),
        );
        const gw = dev.staticRoutes.find(
          (r) => r.nextHop && familyOf(r.nextHop) === fam && containsAddress(subnet, addressOf(r.nextHop)),
        );
        const theirs = nbr?.address ?? gw?.nextHop ?? otherAddress(ours);
        addresses.push({ ifname, address: `${theirs}/${lenPart(ours)}` });
        via[fam].push({ address: addrPart(ours), ifname });
        if (nbr && dev.bgp) {
          asn = nbr.remoteAs;
          if (fam === 4) routerId ??= theirs;
          neighbors.push({ address: addrPart(ours), remoteAs: dev.bgp.asn });
        }
      }
    });
    const representative: Partial<Record<Family, string>> = {};
    const lengths: Partial<Record<Family, number>> = {};
    for (const family of [4, 6] as const) {
      const rep = pickRepresentative(ep, family, taken);
      if (rep) {
        representative[family] = rep;
        taken.add(rep);
        lengths[family] = family === 4 ? 32 : 128;
        addresses.push({ ifname: 'lo', address: `${rep}/${lengths[family]}` });
      }
    }
    const routes: RoutePlan[] = [];
    for (const family of [4, 6] as const) {
      if (via[family].length > 0) routes.push({ family, prefix: 'default', via: via[family] });
    }
    const plan: EndpointPlan = {
      name: ep.name,
      kind: ep.kind,
      ns,
      addresses,
      routes,
      representative,
      hostInterface: { ifname: 'lo', lengths },
    };
    if (asn !== undefined && neighbors.length > 0) {
      plan.bgp = {
        asn,
        routerId: routerId ?? representative[4] ?? '192.0.2.1',
        neighbors,
        announce: [...ep.include],
        extra: [...(opts.extraAnnouncements?.[ep.name] ?? [])],
      };
    }
    endpoints.push(plan);
  }

  // Device interfaces nothing is attached to (a segment without an endpoint, a dangling link):
  // a veth whose other end stays in the same namespace, so that the interface exists.
  for (const dp of devices) {
    for (const itf of dp.device.interfaces) {
      if (itf.role === 'loopback') continue;
      const isLink = veths.some(
        (v) => (v.a.ns === dp.ns && v.a.ifname === itf.name) || (v.b.ns === dp.ns && v.b.ifname === itf.name),
      );
      if (!isLink && !attached.has(`${dp.id}|${itf.name}`)) {
        veths.push({
          a: { ns: dp.ns, ifname: itf.name },
          b: { ns: dp.ns, ifname: `${itf.name.slice(0, 11)}-stb` },
        });
      }
    }
  }

  namespaces.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { runId, model, namespaces, veths, devices, endpoints };
}

/** The endpoint plan that owns an address (its representative or any address inside it). */
export function endpointOwning(plan: LabPlan, address: string): EndpointPlan | undefined {
  const a = parseAddress(address);
  if (!a) return undefined;
  // Hosts first: a host's address is also inside its segment.
  const order = [...plan.endpoints].sort((x, y) => rank(x.kind) - rank(y.kind));
  for (const ep of order) {
    const model = plan.model.endpoints.find((e) => e.name === ep.name)!;
    if (inEndpoint(model, a)) return ep;
  }
  return undefined;
}

function rank(kind: EndpointModel['kind']): number {
  return kind === 'host' ? 0 : kind === 'segment' ? 1 : 2;
}
