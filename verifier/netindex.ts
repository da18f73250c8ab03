// Read-only indexes over a NetworkModel that the simulator, the path analysis and the lint share:
// devices, interfaces, filters and zones by name, endpoints' address sets, and who is attached
// to which interface. Built once per model; pure functions of it.

import type { DeviceModel, EndpointModel, FilterModel, InterfaceModel, NetworkModel, RouteModel } from '../compiler/model.js';
import { BITS, lastAddress, network, parseAddress, prefixOf, type Family } from '../language/address.js';
import { normalize, prefixesToSet, subtract, type Interval, type IntervalSet } from './intervals.js';
import type { Ingress } from './verdict.js';

export const FAMILIES: readonly Family[] = [4, 6];

/** One piece of a device's forwarding table: every address in [lo, hi] uses `route` (or none). */
export interface LpmPiece {
  lo: bigint;
  hi: bigint;
  route?: RouteModel;
}

export interface NetIndex {
  model: NetworkModel;
  device(id: string): DeviceModel | undefined;
  iface(device: string, name: string): InterfaceModel | undefined;
  filter(device: string, name: string): FilterModel | undefined;
  zoneOf(device: string, iface: string): string | undefined;
  endpoint(name: string): EndpointModel | undefined;
  /**
   * Whether an assertion's end names a device ("site.device") rather than an endpoint: it stands
   * for the device's own addresses, and a flow from it is originated by the device itself.
   */
  isDevice(name: string): boolean;
  /** Endpoint names with `any` expanded to every segment and external (never to devices). */
  expand(names: readonly string[]): string[];
  /**
   * An endpoint's addresses of one family: include minus exclude, minus our devices' own
   * interface addresses (a packet to those is delivered to the device, never to a host). For a
   * device id: the device's own addresses (ownAddresses).
   */
  addresses(endpoint: string, family: Family): IntervalSet;
  /**
   * Where the endpoint's traffic enters (a host without attachments uses its segment's). For a
   * device id: the device itself with no ingress interface (`ORIGIN`): its packets are locally
   * originated.
   */
  entries(endpoint: string): Ingress[];
  /** Endpoints attached at this interface (traffic leaving by it is delivered to them). */
  attachedAt(device: string, iface: string): EndpointModel[];
  /** The device's own interface addresses of one family (link-locals excluded). */
  ownAddresses(device: string, family: Family): IntervalSet;
  /**
   * The sources a packet entering by this interface may have under uRPF (docs/architecture.md,
   * "One hop"): strict, those whose longest-prefix route leaves by this interface (by any of its
   * equal-cost next hops); loose, those with any route. Undefined when the interface has no uRPF.
   */
  urpfSources(device: string, iface: string, family: Family): IntervalSet | undefined;
  /** The device's forwarding table as pieces covering the whole address space, sorted. */
  lpm(device: string, family: Family): LpmPiece[];
}

const key = (a: string, b: string): string => `${a}\u0000${b}`;

/**
 * The ingress interface of a packet the device originates itself (a device as an assertion's
 * source, a reply the device sends): no inbound filter, zone policy or outbound filter of that
 * device decides it.
 */
export const ORIGIN = '';

export function indexModel(model: NetworkModel): NetIndex {
  const devices = new Map(model.devices.map((d) => [d.id, d]));
  const ifaces = new Map<string, InterfaceModel>();
  const filters = new Map<string, FilterModel>();
  const zones = new Map<string, string>();
  for (const d of model.devices) {
    for (const i of d.interfaces) ifaces.set(key(d.id, i.name), i);
    for (const f of d.filters) filters.set(key(d.id, f.name), f);
    for (const z of d.zones) for (const i of z.interfaces) zones.set(key(d.id, i), z.name);
    for (const i of d.interfaces) if (i.zone !== undefined && !zones.has(key(d.id, i.name))) zones.set(key(d.id, i.name), i.zone);
  }
  const endpoints = new Map(model.endpoints.map((e) => [e.name, e]));
  const attached = new Map<string, EndpointModel[]>();
  const entriesOf = (e: EndpointModel): Ingress[] => {
    // A host enters where its segment does, a part of an external where its external does.
    const owner = e.segment ?? e.partOf;
    if (e.attachments.length > 0 || owner === undefined) return e.attachments.map((a) => ({ ...a }));
    const outer = endpoints.get(owner);
    return outer ? outer.attachments.map((a) => ({ ...a })) : [];
  };
  for (const e of model.endpoints) {
    for (const a of entriesOf(e)) {
      const k = key(a.device, a.interface);
      const list = attached.get(k) ?? [];
      if (!list.includes(e)) list.push(e);
      attached.set(k, list);
    }
  }
  const addrCache = new Map<string, IntervalSet>();
  const allOwn = new Map<Family, IntervalSet>();
  const deviceAddresses = (family: Family): IntervalSet => {
    let s = allOwn.get(family);
    if (!s) {
      const items: Interval[] = [];
      for (const d of model.devices) {
        for (const i of d.interfaces) {
          for (const text of i.addresses) {
            const a = parseAddress(text.split('/')[0]!);
            if (a && a.family === family) items.push([a.value, a.value]);
          }
        }
      }
      s = normalize(items);
      allOwn.set(family, s);
    }
    return s;
  };
  const ownCache = new Map<string, IntervalSet>();
  const lpmCache = new Map<string, LpmPiece[]>();
  const urpfCache = new Map<string, IntervalSet>();
  const ownAddresses = (id: string, family: Family): IntervalSet => {
    const k = key(id, String(family));
    let s = ownCache.get(k);
    if (!s) {
      const items: Interval[] = [];
      for (const i of devices.get(id)?.interfaces ?? []) {
        for (const text of i.addresses) {
          const a = parseAddress(text.split('/')[0]!);
          if (a && a.family === family) items.push([a.value, a.value]);
        }
      }
      s = normalize(items);
      ownCache.set(k, s);
    }
    return s;
  };
  const lpm = (id: string, family: Family): LpmPiece[] => {
    const k = key(id, String(family));
    let t = lpmCache.get(k);
    if (!t) {
      t = buildLpm(devices.get(id)?.fib ?? [], family);
      lpmCache.set(k, t);
    }
    return t;
  };
  return {
    model,
    device: (id) => devices.get(id),
    iface: (d, n) => ifaces.get(key(d, n)),
    filter: (d, n) => filters.get(key(d, n)),
    zoneOf: (d, i) => zones.get(key(d, i)),
    endpoint: (n) => endpoints.get(n),
    isDevice: (n) => !endpoints.has(n) && devices.has(n),
    expand(names) {
      const out = new Set<string>();
      for (const n of names) {
        if (n === 'any' && !endpoints.has('any')) {
          for (const e of model.endpoints) if (e.kind !== 'host') out.add(e.name);
        } else out.add(n);
      }
      return [...out].sort();
    },
    addresses(name, family) {
      const k = key(name, String(family));
      let s = addrCache.get(k);
      if (!s) {
        const e = endpoints.get(name);
        if (e) s = subtract(subtract(prefixesToSet(e.include, family), prefixesToSet(e.exclude, family)), deviceAddresses(family));
        else s = devices.has(name) ? ownAddresses(name, family) : [];
        addrCache.set(k, s);
      }
      return s;
    },
    entries(name) {
      const e = endpoints.get(name);
      if (e) return entriesOf(e);
      return devices.has(name) ? [{ device: name, interface: ORIGIN }] : [];
    },
    attachedAt: (d, i) => attached.get(key(d, i)) ?? [],
    ownAddresses,
    urpfSources(id, name, family) {
      const mode = ifaces.get(key(id, name))?.urpf;
      if (mode === undefined) return undefined;
      const k = `${id}\u0000${name}\u0000${mode}\u0000${family}`;
      let s = urpfCache.get(k);
      if (!s) {
        const items: Interval[] = [];
        for (const piece of lpm(id, family)) {
          if (piece.route && piece.route.nextHops.some((h) => mode === 'loose' || h.interface === name)) items.push([piece.lo, piece.hi]);
        }
        s = normalize(items);
        urpfCache.set(k, s);
      }
      return s;
    },
    lpm,
  };
}

/** Prefixes are nested or disjoint, so one sweep with a stack yields the longest match per piece. */
function buildLpm(fib: readonly RouteModel[], family: Family): LpmPiece[] {
  const routes = fib
    .map((r) => ({ r, p: prefixOf(r.prefix) }))
    .filter((x) => x.p.family === family)
    .map((x) => ({ route: x.r, lo: network(x.p).value, hi: lastAddress(x.p), len: x.p.length }))
    .sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : a.len - b.len));
  const max = (1n << BigInt(BITS[family])) - 1n;
  const out: LpmPiece[] = [];
  const stack: typeof routes = [];
  let cursor = 0n;
  const emit = (hi: bigint): void => {
    if (cursor > hi) return;
    const top = stack[stack.length - 1];
    const last = out[out.length - 1];
    if (last && last.route === top?.route && last.hi + 1n === cursor) last.hi = hi;
    else out.push(top ? { lo: cursor, hi, route: top.route } : { lo: cursor, hi });
    cursor = hi + 1n;
  };
  for (const r of routes) {
    while (stack.length > 0 && stack[stack.length - 1]!.hi < r.lo) {
      emit(stack[stack.length - 1]!.hi);
      stack.pop();
    }
    if (r.lo > 0n) emit(r.lo - 1n);
    stack.push(r);
  }
  while (stack.length > 0) {
    emit(stack[stack.length - 1]!.hi);
    stack.pop();
  }
  emit(max);
  return out;
}
