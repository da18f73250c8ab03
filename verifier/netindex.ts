// Read-only indexes over a NetworkModel that the simulator, the path analysis and the lint share:
// devices, interfaces, filters and zones by name, endpoints' address sets, and who is attached
// to which interface, and each device's longest-match tables (lpm.ts). Built once per model;
// pure functions of it.

import type { DeviceModel, EndpointModel, FilterModel, InterfaceModel, NetworkModel } from '../compiler/model.js';
import { parseAddress, type Family } from '../language/address.js';
import { normalize, prefixesToSet, subtract, type Interval, type IntervalSet } from './intervals.js';
import { LpmTables, piecesOf, routeAt, type LpmPiece, type LpmTable } from './lpm.js';
import type { Ingress } from './verdict.js';

export type { LpmPiece, LpmTable } from './lpm.js';

export const FAMILIES: readonly Family[] = [4, 6];

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
  /** The same table as columns (lpm.ts), without an object per piece: for the walks over many tables. */
  lpmTable(device: string, family: Family): LpmTable;
  /** The position in `lpm(device, family)` of the piece that holds `address`. */
  lpmFind(device: string, family: Family, address: bigint): number;
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
  // By device, then by name: the forwarding walk looks interfaces up at every hop, and a map per
  // device spares building a key text for each lookup.
  const ifaces = new Map<string, Map<string, InterfaceModel>>();
  const filters = new Map<string, Map<string, FilterModel>>();
  const zones = new Map<string, Map<string, string>>();
  for (const d of model.devices) {
    const own = new Map<string, InterfaceModel>();
    for (const i of d.interfaces) own.set(i.name, i);
    ifaces.set(d.id, own);
    filters.set(d.id, new Map(d.filters.map((f) => [f.name, f])));
    const zoneOf = new Map<string, string>();
    for (const z of d.zones) for (const i of z.interfaces) zoneOf.set(i, z.name);
    for (const i of d.interfaces) if (i.zone !== undefined && !zoneOf.has(i.name)) zoneOf.set(i.name, i.zone);
    zones.set(d.id, zoneOf);
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
  // Caches by family, then by name: looked up at every hop of every forwarding walk.
  const byFamily = <T>(): Record<Family, Map<string, T>> => ({ 4: new Map(), 6: new Map() });
  const addrCache = byFamily<IntervalSet>();
  const ownCache = byFamily<IntervalSet>();
  const lpmCache = byFamily<LpmTable>();
  const pieceCache = byFamily<LpmPiece[]>();
  const urpfCache = byFamily<UrpfSources>();
  const tables = new LpmTables();
  const ownAddresses = (id: string, family: Family): IntervalSet => {
    let s = ownCache[family].get(id);
    if (!s) {
      const items: Interval[] = [];
      for (const i of devices.get(id)?.interfaces ?? []) {
        for (const text of i.addresses) {
          const a = parseAddress(text.split('/')[0]!);
          if (a && a.family === family) items.push([a.value, a.value]);
        }
      }
      s = normalize(items);
      ownCache[family].set(id, s);
    }
    return s;
  };
  const lpmTable = (id: string, family: Family): LpmTable => {
    let t = lpmCache[family].get(id);
    if (!t) {
      t = tables.table(devices.get(id)?.fib ?? NO_ROUTES, family);
      lpmCache[family].set(id, t);
    }
    return t;
  };
  const lpm = (id: string, family: Family): LpmPiece[] => {
    let pieces = pieceCache[family].get(id);
    if (!pieces) {
      pieces = piecesOf(lpmTable(id, family));
      pieceCache[family].set(id, pieces);
    }
    return pieces;
  };
  return {
    model,
    device: (id) => devices.get(id),
    iface: (d, n) => ifaces.get(d)?.get(n),
    filter: (d, n) => filters.get(d)?.get(n),
    zoneOf: (d, i) => zones.get(d)?.get(i),
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
      let s = addrCache[family].get(name);
      if (!s) {
        const e = endpoints.get(name);
        if (e) s = subtract(subtract(prefixesToSet(e.include, family), prefixesToSet(e.exclude, family)), deviceAddresses(family));
        else s = devices.has(name) ? ownAddresses(name, family) : [];
        addrCache[family].set(name, s);
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
      const mode = ifaces.get(id)?.get(name)?.urpf;
      if (mode === undefined) return undefined;
      let sources = urpfCache[family].get(id);
      if (!sources) {
        sources = new UrpfSources(lpmTable(id, family));
        urpfCache[family].set(id, sources);
      }
      return mode === 'loose' ? sources.loose() : sources.by(name);
    },
    lpm,
    lpmTable,
    lpmFind: (id, family, address) => lpmTable(id, family).find(address),
  };
}

/**
 * The sources each interface of a device admits under uRPF, from one pass over its table for
 * all its interfaces: strict, per interface, those whose longest-prefix route leaves by it (by
 * any of its equal-cost next hops); loose, those with any route (with a next hop).
 */
class UrpfSources {
  private strict?: Map<string, IntervalSet>;
  private looseSet?: IntervalSet;

  constructor(private readonly table: LpmTable) {}

  loose(): IntervalSet {
    if (!this.looseSet) {
      const { los, his } = this.table;
      const set: [bigint, bigint][] = [];
      let last = -2;
      for (let k = 0; k < los.length; k++) {
        const route = routeAt(this.table, k);
        if (!route || route.nextHops.length === 0) continue;
        if (last === k - 1) set[set.length - 1]![1] = his[k]!;
        else set.push([los[k]!, his[k]!]);
        last = k;
      }
      this.looseSet = set;
    }
    return this.looseSet;
  }

  by(iface: string): IntervalSet {
    return (this.strict ??= this.group()).get(iface) ?? NO_SOURCES;
  }

  /**
   * Every interface's set at once, and only the sets kept: the pieces' intervals grouped by
   * interface are as many as the table's pieces, and holding them for every device of a large
   * network cost a tenth of `plumb verify`'s peak memory. The pieces cover the address space in
   * order, one after the other, so each set comes out sorted and a piece that follows the last
   * one taken for the same interface only extends it: the sets are normalized as they are made
   * (what `normalize` would give), without sorting or a list per piece.
   */
  private group(): Map<string, IntervalSet> {
    const { los, his } = this.table;
    const sets = new Map<string, { set: [bigint, bigint][]; last: number }>();
    for (let k = 0; k < los.length; k++) {
      const hops = routeAt(this.table, k)?.nextHops;
      if (!hops) continue;
      for (let h = 0; h < hops.length; h++) {
        const name = hops[h]!.interface;
        const grouped = sets.get(name);
        if (!grouped) sets.set(name, { set: [[los[k]!, his[k]!]], last: k });
        // A piece counts once for an interface however many of its next hops leave by it.
        else if (grouped.last === k) continue;
        else {
          if (grouped.last === k - 1) grouped.set[grouped.set.length - 1]![1] = his[k]!;
          else grouped.set.push([los[k]!, his[k]!]);
          grouped.last = k;
        }
      }
    }
    const out = new Map<string, IntervalSet>();
    for (const [name, grouped] of sets) out.set(name, grouped.set);
    return out;
  }
}

const NO_SOURCES: IntervalSet = [];
const NO_ROUTES: readonly never[] = [];
