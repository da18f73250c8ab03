// The lab plan: from a NetworkModel to namespaces, veth pairs, addresses and routes. A pure
// function of the model and the run id; building and tearing down are elsewhere (build.ts,
// teardown.ts).
//
// Layout: one namespace per device; a link is a veth pair between two device namespaces; a
// segment is a namespace holding a bridge (the LAN) with the gateway's interface, a
// representative host address, and a veth to each declared host's own namespace; an external is
// a namespace with a veth to each attach interface, its representative address on `lo`, and (with
// an `asn`) its own bgpd. A device runs as what its platform's row of the platform table says
// (`labRunsAs`): as itself (frr, linux), or as an frr box standing in, whose interfaces are
// renamed to Linux names where the platform's names are not valid ones.
//
// planLab builds the plan in steps, in this order: devices and the links between them,
// segments, hosts, externals (lab-endpoints.ts), then stubs for interfaces nothing is attached to.

import type { DeviceModel, EndpointModel, NetworkModel, Platform } from '../compiler/model.js';
import { parseAddress, type Family } from '../language/address.js';
import { PLATFORM_TRAITS, type LabPlatform } from '../language/platforms.js';
import { addrPart, inEndpoint, usedAddresses } from './addresses.js';
import { planExternals, planHosts, planSegments } from './lab-endpoints.js';

export { pickRepresentative, unusable } from './addresses.js';
import { renameInterfaces } from './rename.js';

export const RUN_ID_PATTERN = /^pl[0-9a-f]{6}$/;
/** Every namespace the lab creates starts with its run id and this dash. */
export const NAMESPACE_PATTERN = /^(pl[0-9a-f]{6})-/;

export interface LabOptions {
  runId: string;
  /** Prefixes an external with `asn` announces beyond its own (a test of the import filters). */
  extraAnnouncements?: Record<string, string[]>;
  /** The party this plan is of, in a lab of two (joint.ts): its tag in every namespace name. */
  party?: string;
  /**
   * Externals not built: another party's devices join their attach interfaces (joint.ts), so
   * neither a namespace nor a stub stands for them.
   */
  joined?: string[];
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
  emulatedAs: LabPlatform;
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
  /**
   * Its sessions, by our address on each; `ttlSecurity` when our side runs GTSM, which both ends
   * must. `device` and `exports`: our device on the session and the prefixes the model says it
   * sends there (its neighbour's `exportPrefixes`), which this speaker must receive, no more.
   */
  neighbors: { address: string; remoteAs: number; ttlSecurity?: number; password?: string; device: string; exports: string[] }[];
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
  /** A device standing as an assertion's end (its namespace is the device's; see deviceEnd). */
  device?: boolean;
}

export interface LabPlan {
  runId: string;
  model: NetworkModel;
  namespaces: NamespacePlan[];
  veths: VethPlan[];
  devices: DevicePlan[];
  endpoints: EndpointPlan[];
}

export function namespaceName(runId: string, kind: NamespaceKind, of: string, party?: string): string {
  const tag = { device: 'd', segment: 's', host: 'h', external: 'x' }[kind];
  // No dots: the name is also FRR's pathspace (`-N`), which refuses them.
  const clean = (text: string, max: number): string => text.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, max);
  return party === undefined ? `${runId}-${tag}-${clean(of, 30)}` : `${runId}-${clean(party, 12)}-${tag}-${clean(of, 30)}`;
}

/** The plan as it is built: what each step adds to, and what the steps share. */
export interface LabDraft {
  model: NetworkModel;
  options: LabOptions;
  namespaceFor: (kind: NamespaceKind, of: string) => string;
  namespaceOfDevice: Map<string, string>;
  deviceById: Map<string, DeviceModel>;
  /** Addresses in use: representatives are picked among the others. */
  taken: Set<string>;
  /** `device|interface` of every device interface a segment or external is attached to. */
  attached: Set<string>;
  namespaces: NamespacePlan[];
  veths: VethPlan[];
  devices: DevicePlan[];
  endpoints: EndpointPlan[];
}

export function planLab(compiled: NetworkModel, options: LabOptions): LabPlan {
  if (!RUN_ID_PATTERN.test(options.runId)) throw new Error(`internal: bad run id ${options.runId}`);
  const runId = options.runId;
  const { model, renamed } = renameInterfaces(compiled);
  const taken = usedAddresses(model);
  for (const ep of model.endpoints)
    if (ep.kind === 'host') for (const p of ep.include) taken.add(addrPart(p));
  const draft: LabDraft = {
    model,
    options,
    namespaceFor: (kind, of) => namespaceName(runId, kind, of, options.party),
    namespaceOfDevice: new Map(model.devices.map((d) => [d.id, namespaceName(runId, 'device', d.id, options.party)])),
    deviceById: new Map(model.devices.map((d) => [d.id, d])),
    taken,
    attached: new Set(),
    namespaces: [],
    veths: [],
    devices: [],
    endpoints: [],
  };
  planDevices(draft, renamed);
  planSegments(draft);
  planHosts(draft);
  planExternals(draft);
  planStubs(draft);
  const { namespaces, veths, devices, endpoints } = draft;
  namespaces.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { runId, model, namespaces, veths, devices, endpoints };
}

/** Devices and the links between them: a namespace each, a veth pair per link. */
function planDevices(draft: LabDraft, renamed: Record<string, Record<string, string>>): void {
  const linkDone = new Set<string>();
  for (const d of draft.model.devices) {
    const ns = draft.namespaceOfDevice.get(d.id)!;
    draft.namespaces.push({ name: ns, kind: 'device', of: d.id });
    const emulatedAs = PLATFORM_TRAITS[d.platform].labRunsAs;
    const native = emulatedAs === d.platform;
    const device: DeviceModel = { ...d, platform: emulatedAs };
    const addresses: AddressPlan[] = [];
    for (const itf of d.interfaces) {
      const ifname = itf.role === 'loopback' ? 'lo' : itf.name;
      for (const a of itf.addresses) addresses.push({ ifname, address: a });
      if (itf.role === 'link' && itf.peer && draft.namespaceOfDevice.has(itf.peer.device)) {
        const key = [`${d.id}|${itf.name}`, `${itf.peer.device}|${itf.peer.interface}`].sort().join('~');
        if (!linkDone.has(key)) {
          linkDone.add(key);
          draft.veths.push({
            a: { ns, ifname: itf.name },
            b: { ns: draft.namespaceOfDevice.get(itf.peer.device)!, ifname: itf.peer.interface },
          });
        }
      }
    }
    draft.devices.push({
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
}

/**
 * Device interfaces nothing is attached to (a segment without an endpoint, a dangling link): a
 * veth whose other end stays in the same namespace, so that the interface exists.
 */
function planStubs(draft: LabDraft): void {
  for (const devicePlan of draft.devices) {
    for (const itf of devicePlan.device.interfaces) {
      if (itf.role === 'loopback') continue;
      const isLink = draft.veths.some(
        (v) => (v.a.ns === devicePlan.ns && v.a.ifname === itf.name) || (v.b.ns === devicePlan.ns && v.b.ifname === itf.name),
      );
      if (!isLink && !draft.attached.has(`${devicePlan.id}|${itf.name}`)) {
        draft.veths.push({
          a: { ns: devicePlan.ns, ifname: itf.name },
          b: { ns: devicePlan.ns, ifname: `${itf.name.slice(0, 11)}-stb` },
        });
      }
    }
  }
}

/** The endpoint plan that owns an address (its representative or any address inside it). */
export function endpointOwning(plan: LabPlan, address: string): EndpointPlan | undefined {
  const a = parseAddress(address);
  if (!a) return undefined;
  // Hosts first: a host's address is also inside its segment; likewise a part of an external.
  const models = new Map(plan.model.endpoints.map((e) => [e.name, e]));
  const order = [...plan.endpoints].sort((x, y) => rank(models.get(x.name)) - rank(models.get(y.name)));
  for (const ep of order) {
    const model = models.get(ep.name);
    if (model && inEndpoint(model, a)) return ep;
  }
  return undefined;
}

function rank(ep: EndpointModel | undefined): number {
  return ep?.kind === 'host' || ep?.partOf !== undefined ? 0 : ep?.kind === 'segment' ? 1 : 2;
}
