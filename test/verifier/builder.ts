// Builds small NetworkModels by hand for the verifier's tests: devices, links, segments,
// externals, filters, and forwarding tables computed as shortest paths (ECMP on ties).

import type {
  AssertionModel,
  DeviceModel,
  EndpointModel,
  FilterRule,
  InterfaceModel,
  Match,
  NatSide,
  NatTranslation,
  NetworkModel,
  PolicyRuleModel,
  RouteModel,
  ServiceModel,
  StaticNat,
} from '../../compiler/model.js';
import { comparePrefixes, formatPrefix, network, prefixOf } from '../../language/address.js';
import type { Span } from '../../language/diagnostic.js';

export function span(line: number, file = 'test.plumb'): Span {
  return { file, start: { line, column: 1, offset: line * 100 }, end: { line, column: 40, offset: line * 100 + 39 } };
}

const net = (text: string): string => formatPrefix(network(prefixOf(text)));

export class ModelBuilder {
  private readonly devices = new Map<string, DeviceModel>();
  private readonly endpoints: EndpointModel[] = [];
  private readonly assertions: AssertionModel[] = [];
  private readonly policy: PolicyRuleModel[] = [];
  private readonly extraRoutes: { device: string; route: RouteModel }[] = [];
  private line = 1;

  constructor(private readonly name = 'test') {}

  device(id: string, opts: { firewall?: boolean; stateful?: boolean } = {}): this {
    const [site = 's', name = id] = id.split('.');
    this.devices.set(id, {
      id,
      site,
      name,
      role: opts.firewall ? 'firewall' : 'router',
      platform: opts.firewall ? 'paloalto-panos' : opts.stateful ? 'frr' : 'cisco-iosxe',
      stateful: opts.stateful ?? Boolean(opts.firewall),
      interfaces: [],
      filters: [],
      zones: [],
      securityRules: [],
      staticRoutes: [],
      fib: [],
      origin: span(this.line++),
    });
    return this;
  }

  dev(id: string): DeviceModel {
    const d = this.devices.get(id);
    if (!d) throw new Error(`no device ${id}`);
    return d;
  }

  private addInterface(device: string, i: Omit<InterfaceModel, 'origin' | 'description'>): InterfaceModel {
    const full: InterfaceModel = { description: '', origin: span(this.line++), ...i };
    const d = this.dev(device);
    d.interfaces.push(full);
    d.interfaces.sort((a, b) => (a.name < b.name ? -1 : 1));
    return full;
  }

  /** A point-to-point link; addresses with length, e.g. 10.255.0.0/31 and 10.255.0.1/31. */
  link(a: string, aIf: string, aAddr: string, b: string, bIf: string, bAddr: string): this {
    this.addInterface(a, { name: aIf, role: 'link', addresses: [aAddr], peer: { device: b, interface: bIf } });
    this.addInterface(b, { name: bIf, role: 'link', addresses: [bAddr], peer: { device: a, interface: aIf } });
    return this;
  }

  segment(name: string, prefixes: string[], device: string, iface: string, addresses: string[], zone?: string): this {
    this.addInterface(device, { name: iface, role: 'segment', addresses, segment: name, ...(zone ? { zone } : {}) });
    this.endpoints.push({ name, kind: 'segment', include: prefixes.map(net), exclude: [], attachments: [{ device, interface: iface }], origin: span(this.line++) });
    return this;
  }

  host(name: string, address: string, segment: string): this {
    const seg = this.endpoints.find((e) => e.name === segment)!;
    const len = address.includes(':') ? 128 : 32;
    this.endpoints.push({ name, kind: 'host', include: [`${address}/${len}`], exclude: [], attachments: [...seg.attachments], segment, origin: span(this.line++) });
    return this;
  }

  /** An external attached at device/iface (our address `address`), reached via `gateway`. */
  external(name: string, prefixes: string[], device: string, iface: string, address: string, gateway: string, zone?: string): this {
    this.addInterface(device, { name: iface, role: 'external', addresses: [address], external: name, ...(zone ? { zone } : {}) });
    const existing = this.endpoints.find((e) => e.name === name);
    if (existing) existing.attachments.push({ device, interface: iface });
    else this.endpoints.push({ name, kind: 'external', include: prefixes.map(net), exclude: [], attachments: [{ device, interface: iface }], origin: span(this.line++) });
    this.gateways.set(`${device}\u0000${iface}`, gateway);
    return this;
  }
  private readonly gateways = new Map<string, string>();

  loopback(device: string, address: string): this {
    this.addInterface(device, { name: 'lo', role: 'loopback', addresses: [address] });
    return this;
  }

  filter(device: string, name: string, rules: { action: 'permit' | 'deny'; match: Match }[], defaultAction: 'permit' | 'deny' = 'deny'): this {
    const d = this.dev(device);
    const full: FilterRule[] = rules.map((r, i) => ({ ...r, origin: span(this.line++), description: `${name} rule ${i + 1}` }));
    d.filters.push({ name, rules: full, defaultAction });
    d.filters.sort((a, b) => (a.name < b.name ? -1 : 1));
    return this;
  }

  bind(device: string, iface: string, dir: 'in' | 'out', filter: string): this {
    const i = this.dev(device).interfaces.find((x) => x.name === iface)!;
    if (dir === 'in') i.filterIn = filter;
    else i.filterOut = filter;
    return this;
  }

  /** The device's local filter (packets addressed to the device itself). */
  local(device: string, filter: string): this {
    this.dev(device).localFilter = filter;
    return this;
  }

  urpf(device: string, iface: string, mode: 'strict' | 'loose'): this {
    this.dev(device).interfaces.find((x) => x.name === iface)!.urpf = mode;
    return this;
  }

  zones(device: string, zones: Record<string, string[]>): this {
    const d = this.dev(device);
    d.zones = Object.entries(zones).map(([name, interfaces]) => ({ name, interfaces: [...interfaces].sort() }));
    for (const [z, ifs] of Object.entries(zones)) for (const i of ifs) d.interfaces.find((x) => x.name === i)!.zone = z;
    return this;
  }

  security(device: string, rules: { action: 'permit' | 'deny'; match: Match }[]): this {
    this.dev(device).securityRules = rules.map((r, i) => ({ ...r, origin: span(this.line++), description: `security rule ${i + 1}` }));
    return this;
  }

  /** The device's platform (the NAT order and conntrack behaviour follow it). */
  platform(device: string, platform: DeviceModel['platform'], stateful = this.dev(device).stateful): this {
    const d = this.dev(device);
    d.platform = platform;
    d.stateful = stateful;
    return this;
  }

  /** Makes the device translate between these inside and outside interfaces. */
  nat(device: string, inside: string[], outside: string[]): this {
    this.dev(device).nat = { inside: [...inside].sort(), outside: [...outside].sort(), translations: [] };
    return this;
  }

  /** A static 1:1 translation: `real` on `realSide` appears on the other side as `mapped`. */
  staticNat(device: string, realSide: NatSide, real: string, mapped: string, service?: StaticNat['service']): this {
    const what = service ? ` (${service.protocol === TCP ? 'tcp' : 'udp'} ${service.port})` : '';
    this.translation(device, { kind: 'static', realSide, real: net(real), mapped: net(mapped), ...(service ? { service } : {}), description: `${real} appears as ${mapped}${what}`, origin: span(this.line++) });
    return this;
  }

  /** Dynamic source translation of `sources` to `address` (PAT). */
  pat(device: string, sources: string[], address: string): this {
    this.translation(device, { kind: 'pat', sources: sources.map(net), address, description: `${sources.join(', ')} masqueraded as ${address}`, origin: span(this.line++) });
    return this;
  }

  private translation(device: string, t: NatTranslation): void {
    const nat = this.dev(device).nat;
    if (!nat) throw new Error(`device ${device} has no nat sides`);
    nat.translations.push(t);
  }

  /** Narrows an assertion (the last one added) to destinations within these prefixes. */
  scopeDestinations(prefixes: string[]): this {
    const a = this.assertions[this.assertions.length - 1]!;
    a.scope = { ...a.scope, destinations: prefixes.map(net) };
    return this;
  }

  /** Excludes prefixes from an endpoint (e.g. internal prefixes from the internet). */
  exclude(endpoint: string, prefixes: string[]): this {
    const e = this.endpoints.find((x) => x.name === endpoint)!;
    e.exclude = prefixes.map(net).sort((a, b) => comparePrefixes(prefixOf(a), prefixOf(b)));
    return this;
  }

  route(device: string, route: RouteModel): this {
    this.extraRoutes.push({ device, route });
    return this;
  }

  assert(property: 'reach' | 'isolate', sources: string[], destinations: string[], services: ServiceModel[] = [{}], via?: string): this {
    const text = `${property} ${sources.join(', ')} -> ${destinations.join(', ')}${via ? ` via ${via}` : ''}#${this.assertions.length}`;
    this.assertions.push({ property, sources, destinations, services, ...(via ? { via } : {}), text, origin: span(this.line++) });
    return this;
  }

  rule(action: 'allow' | 'deny', sources: string[], destinations: string[], services: ServiceModel[] = []): this {
    this.policy.push({ action, sources, destinations, services, text: `${action} ${sources.join(', ')} -> ${destinations.join(', ')}`, origin: span(this.line++) });
    return this;
  }

  /** Shortest-path FIBs (hop count, ECMP on ties) for every connected prefix; externals' prefixes too. */
  build(opts: { routes?: boolean } = {}): NetworkModel {
    const devices = [...this.devices.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
    if (opts.routes !== false) for (const d of devices) d.fib = this.computeFib(d, devices);
    for (const { device, route } of this.extraRoutes) {
      const d = this.dev(device);
      d.fib = [...d.fib.filter((r) => r.prefix !== route.prefix), route].sort((a, b) => comparePrefixes(prefixOf(a.prefix), prefixOf(b.prefix)));
    }
    return {
      version: 1,
      name: this.name,
      routing: 'static',
      devices,
      endpoints: [...this.endpoints].sort((a, b) => (a.name < b.name ? -1 : 1)),
      policy: this.policy,
      assertions: this.assertions,
    };
  }

  private computeFib(d: DeviceModel, devices: DeviceModel[]): RouteModel[] {
    // Distances from every device to d's neighbours, by BFS over links.
    const dist = (from: string): Map<string, number> => {
      const m = new Map([[from, 0]]);
      const q = [from];
      while (q.length > 0) {
        const x = q.shift()!;
        for (const i of this.dev(x).interfaces) {
          if (i.role !== 'link' || !i.peer || m.has(i.peer.device)) continue;
          m.set(i.peer.device, m.get(x)! + 1);
          q.push(i.peer.device);
        }
      }
      return m;
    };
    const fromD = dist(d.id);
    const routes = new Map<string, RouteModel>();
    for (const owner of devices) {
      const ownerDist = fromD.get(owner.id);
      if (ownerDist === undefined) continue;
      const prefixes: { prefix: string; iface: string; gateway?: string }[] = [];
      for (const i of owner.interfaces) {
        for (const a of i.addresses) prefixes.push({ prefix: net(a), iface: i.name });
        if (i.role === 'external') {
          const ext = this.endpoints.find((e) => e.name === i.external)!;
          for (const p of ext.include) prefixes.push({ prefix: p, iface: i.name, gateway: this.gateways.get(`${owner.id}\u0000${i.name}`)! });
        }
      }
      for (const p of prefixes) {
        let route: RouteModel;
        if (owner.id === d.id) {
          route = { prefix: p.prefix, protocol: p.gateway ? 'static' : 'connected', nextHops: [{ interface: p.iface, ...(p.gateway ? { address: p.gateway } : {}) }], metric: 0 };
        } else {
          const distOwner = dist(owner.id);
          const hops = d.interfaces
            .filter((i) => i.role === 'link' && i.peer && distOwner.get(i.peer.device) === ownerDist - 1)
            .map((i) => ({ interface: i.name, address: this.dev(i.peer!.device).interfaces.find((x) => x.name === i.peer!.interface)!.addresses[0]!.split('/')[0]!, device: i.peer!.device }));
          if (hops.length === 0) continue;
          route = { prefix: p.prefix, protocol: 'static', nextHops: hops, metric: ownerDist };
        }
        const old = routes.get(p.prefix);
        if (!old || old.metric > route.metric) routes.set(p.prefix, route);
      }
    }
    return [...routes.values()].sort((a, b) => comparePrefixes(prefixOf(a.prefix), prefixOf(b.prefix)));
  }
}

export const TCP = 6;
export const UDP = 17;
export const https: ServiceModel = { protocol: TCP, ports: [{ from: 443, to: 443 }] };
export const ssh: ServiceModel = { protocol: TCP, ports: [{ from: 22, to: 22 }] };
export const ping: ServiceModel = { protocol: 1, icmpType: 8 };
