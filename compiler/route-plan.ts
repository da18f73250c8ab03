// The routing configuration the compiler writes: static routes, OSPF and eBGP sessions. The
// forwarding tables are not computed here but by converge() from this configuration.
//
// Least cost: a device reaches a prefix through the owner(s) of the prefix at least
// dist(device, owner) + the owner's interface cost (the link's cost for a link prefix, 1 for a
// segment or loopback); an external's prefix through its nearest attach devices. Every
// equal-cost first hop is kept. With `routing static` every device gets a static route per
// first hop for every prefix it does not own. With `routing ospf`, OSPF runs on every device
// but `linux` ones; a linux device gets static routes for everything, and each OSPF neighbour of
// a linux device gets static routes (via the linux device) for the prefixes only linux devices
// own, redistributed into OSPF (defaults by default-originate).

import { match } from 'ts-pattern';
import type { Family } from '../language/address.js';
import type { Diagnostic, Span } from '../language/diagnostic.js';
import type { CheckedIntent } from '../language/intent.js';
import type { DeviceDraft } from './devices.js';
import { compareText } from './interfaces.js';
import type { BgpNeighborModel, OspfModel, StaticRouteModel } from './model.js';
import { addressOf, comparePrefixes } from '../language/address.js';
import { cachedPrefix, compareHops, familyOf, mergeHops, subnetIndex, subnetOf, Topology, type Hop } from './topology.js';
import type { EndpointSets } from './endpoints.js';
import { formatSet } from './prefix-set.js';

interface Destination {
  prefix: string;
  family: Family;
  /** Owner device id → cost of the last step (interface cost). */
  owners: Map<string, number>;
  origin: Span;
}

const DEFAULTS = new Set(['0.0.0.0/0', '::/0']);

export function planRouting(intent: CheckedIntent, drafts: Map<string, DeviceDraft>, sets: EndpointSets): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  const devices = [...drafts.values()].map((d) => d.model);
  const byId = new Map(devices.map((d) => [d.id, d]));
  const isLinux = (id: string) => byId.get(id)?.platform === 'linux';

  // Destinations: every internal subnet and every external prefix.
  const dests = new Map<string, Destination>();
  const addDest = (prefix: string, owner: string, cost: number, origin: Span) => {
    let d = dests.get(prefix);
    if (!d) dests.set(prefix, (d = { prefix, family: familyOf(prefix), owners: new Map(), origin }));
    const old = d.owners.get(owner);
    if (old === undefined || cost < old) d.owners.set(owner, cost);
  };
  for (const draft of drafts.values()) {
    for (const i of draft.model.interfaces) {
      if (i.role === 'external') continue;
      for (const a of i.addresses) addDest(subnetOf(a), draft.model.id, i.role === 'link' ? (draft.linkCost.get(i.name) ?? 1) : 1, i.origin);
    }
  }
  for (const x of intent.externals) {
    for (const p of x.prefixes) for (const att of x.attachments) addDest(p, att.device, 0, x.span);
  }
  const destList = [...dests.values()].sort((a, b) => comparePrefixes(cachedPrefix(a.prefix), cachedPrefix(b.prefix)));

  const subnets = subnetIndex(devices);
  const topo = new Map<Family, Topology>();
  for (const f of [4, 6] as Family[]) {
    topo.set(f, new Topology(devices, f, (d, i) => (i.role === 'link' ? (drafts.get(d.id)!.linkCost.get(i.name) ?? 1) : undefined), subnets));
  }

  // The parts of the OSPF network: devices connected by links that avoid linux devices.
  const components = new Map<Family, Map<string, number>>();
  for (const f of [4, 6] as Family[]) {
    const comp = new Map<string, number>();
    for (const d of devices) {
      if (d.platform === 'linux' || comp.has(d.id)) continue;
      const id = comp.size;
      const queue = [d.id];
      comp.set(d.id, id);
      while (queue.length > 0) {
        const u = queue.pop()!;
        for (const h of topo.get(f)!.neighbors(u)) {
          if (isLinux(h.device) || comp.has(h.device)) continue;
          comp.set(h.device, id);
          queue.push(h.device);
        }
      }
    }
    components.set(f, comp);
  }

  const staticFor = (id: string, filter: (dest: Destination) => boolean, viaLinuxOnly: boolean): StaticRouteModel[] => {
    const out: StaticRouteModel[] = [];
    const trees = new Map<Family, ReturnType<Topology['spf']>>();
    for (const dest of destList) {
      if (dest.owners.has(id) || !filter(dest)) continue;
      let tree = trees.get(dest.family);
      if (!tree) trees.set(dest.family, (tree = topo.get(dest.family)!.spf(id)));
      let best = Infinity;
      let hops: Hop[] = [];
      for (const [owner, cost] of dest.owners) {
        const dist = tree.dist.get(owner);
        if (dist === undefined) continue;
        const m = dist + cost;
        const via = tree.first.get(owner) ?? [];
        if (m < best) {
          best = m;
          hops = [...via];
        } else if (m === best) hops = mergeHops(hops, via);
      }
      if (viaLinuxOnly) hops = hops.filter((h) => isLinux(h.device));
      for (const h of hops.sort(compareHops)) {
        out.push({ prefix: dest.prefix, nextHop: h.address, interface: h.interface, origin: dest.origin });
      }
    }
    return out;
  };

  const ospfMode = intent.routing === 'ospf';
  for (const draft of drafts.values()) {
    const m = draft.model;
    // Static externals: the route to the gateway at the attach device.
    for (const x of intent.externals) {
      if (x.asn !== undefined) continue;
      for (const att of x.attachments) {
        if (att.device !== m.id || !att.gateway) continue;
        const iface = m.interfaces.find((i) => i.role === 'external' && i.external === x.name && i.addresses.includes(att.address));
        for (const p of x.prefixes) {
          m.staticRoutes.push({ prefix: p, nextHop: att.gateway, ...(iface ? { interface: iface.name } : {}), origin: att.span });
        }
      }
    }
    if (!ospfMode || m.platform === 'linux') {
      m.staticRoutes.push(...staticFor(m.id, () => true, false));
    } else if (topo.get(4)!.neighbors(m.id).some((h) => isLinux(h.device)) || topo.get(6)!.neighbors(m.id).some((h) => isLinux(h.device))) {
      // OSPF cannot deliver a prefix none of whose owners is an OSPF router of this device's
      // OSPF part (a linux device owns it, or only linux devices lead to its owners).
      const part = (f: Family) => components.get(f)!.get(m.id);
      m.staticRoutes.push(
        ...staticFor(m.id, (d) => ![...d.owners.keys()].some((o) => !isLinux(o) && components.get(d.family)!.get(o) === part(d.family)), true),
      );
    }
    m.staticRoutes = m.staticRoutes
      .map((r) => ({ r, p: cachedPrefix(r.prefix) }))
      .sort((a, b) => comparePrefixes(a.p, b.p) || compareStatic(a.r, b.r))
      .map((x) => x.r);
  }

  // eBGP sessions.
  for (const x of intent.externals) {
    if (x.asn === undefined) continue;
    for (const att of x.attachments) {
      const draft = drafts.get(att.device);
      if (!draft || !att.peer) continue;
      const m = draft.model;
      if (draft.intent.asn === undefined) {
        // The checker reports this (P504); a CheckedIntent without it breaks the contract.
        throw new Error(`internal: external ${x.name} speaks eBGP at ${m.id}, which has no asn`);
      }
      if (!m.routerId) continue; // reported below
      m.bgp ??= { asn: draft.intent.asn, routerId: m.routerId, neighbors: [] };
      const neighbor: BgpNeighborModel = {
        address: att.peer,
        remoteAs: x.asn,
        description: x.description ?? x.name,
        external: x.name,
        importPrefixes: sortPrefixes(x.prefixes),
        exportPrefixes: sortPrefixes(x.announce.flatMap((n) => announced(n, intent, sets))),
        origin: att.span,
      };
      m.bgp.neighbors.push(neighbor);
      m.bgp.neighbors.sort((a, b) => compareAddress(a.address, b.address));
    }
  }

  // OSPF.
  if (ospfMode) {
    for (const draft of drafts.values()) {
      const m = draft.model;
      if (m.platform === 'linux' || !m.routerId) continue;
      const interfaces: OspfModel['interfaces'] = [];
      for (const i of m.interfaces) {
        const entry = match(i.role)
          // A linux peer speaks no OSPF: the link is advertised, not an adjacency.
          .with('link', () => ({ name: i.name, cost: draft.linkCost.get(i.name) ?? 1, passive: i.peer ? isLinux(i.peer.device) : false }))
          .with('segment', 'loopback', () => ({ name: i.name, cost: 1, passive: true }))
          .with('external', () => undefined)
          .exhaustive();
        if (entry) interfaces.push(entry);
      }
      const staticPrefixes = unique(m.staticRoutes.map((r) => r.prefix));
      const bgpPrefixes = unique((m.bgp?.neighbors ?? []).flatMap((n) => n.importPrefixes));
      const redistribute: OspfModel['redistribute'] = [];
      const nonDefault = (ps: string[]) => ps.filter((p) => !DEFAULTS.has(p));
      if (nonDefault(bgpPrefixes).length > 0) redistribute.push({ protocol: 'bgp', prefixes: sortPrefixes(nonDefault(bgpPrefixes)) });
      if (nonDefault(staticPrefixes).length > 0) redistribute.push({ protocol: 'static', prefixes: sortPrefixes(nonDefault(staticPrefixes)) });
      const all = new Set([...staticPrefixes, ...bgpPrefixes]);
      m.ospf = {
        routerId: m.routerId,
        interfaces: interfaces.sort((a, b) => compareText(a.name, b.name)),
        redistribute,
        defaultOriginate: { ipv4: all.has('0.0.0.0/0'), ipv6: all.has('::/0') },
      };
    }
  }

  for (const draft of drafts.values()) {
    const m = draft.model;
    const needs = (ospfMode && m.platform !== 'linux') || intent.externals.some((x) => x.asn !== undefined && x.attachments.some((a) => a.device === m.id));
    if (needs && !m.routerId) {
      // The checker gives every device an IPv4 loopback (written, or from a pool: P308).
      throw new Error(`internal: ${m.id} needs a router id for ${ospfMode ? 'OSPF' : 'BGP'} but has no IPv4 loopback`);
    }
  }
  return diagnostics;
}

function announced(name: string, intent: CheckedIntent, sets: EndpointSets): string[] {
  const seg = intent.segments.find((s) => s.name === name);
  if (seg) return seg.prefixes;
  const ext = intent.externals.find((x) => x.name === name);
  if (ext) return ext.prefixes;
  return formatSet(sets.sets.get(name) ?? []);
}

function unique(xs: string[]): string[] {
  return [...new Set(xs)];
}

function sortPrefixes(xs: string[]): string[] {
  return unique(xs).sort((a, b) => comparePrefixes(cachedPrefix(a), cachedPrefix(b)));
}

/** Static routes of one prefix: by distance (default first), next hop address, interface. */
function compareStatic(a: StaticRouteModel, b: StaticRouteModel): number {
  return (
    (a.distance ?? -1) - (b.distance ?? -1) ||
    compareAddress(a.nextHop, b.nextHop) ||
    compareText(a.interface ?? '', b.interface ?? '')
  );
}

/** Addresses by family, then numeric value; an absent one first. */
export function compareAddress(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const x = addressOf(a);
  const y = addressOf(b);
  if (x.family !== y.family) return x.family - y.family;
  return x.value < y.value ? -1 : x.value > y.value ? 1 : 0;
}
