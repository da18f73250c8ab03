// OSPF in convergence as it was before advertisements were kept by router index and prefix
// number (compiler/routing-ospf.ts at 68a8d74): the reference of converge-reference.test.ts.

import type { Family } from '../../language/address.js';
import type { DeviceModel, InterfaceModel } from '../../compiler/model.js';
import { DISTANCE, type Candidate, type PrefixNumbers, type Rib } from '../../compiler/routing-rib.js';
import { compareHops, familyOf, mergeHops, subnetOf, Topology, type Hop, type SubnetMember } from '../../compiler/topology.js';

export const OSPF_EXTERNAL_METRIC = 20;

interface Advert {
  prefix: string;
  router: string;
  cost: number;
}

export function addOspfBefore(
  devices: readonly DeviceModel[],
  family: Family,
  ribs: Map<string, Rib>,
  numbers: PrefixNumbers,
  subnets: Map<string, SubnetMember[]>,
): void {
  const ospfDevices = devices.filter((d) => d.ospf);
  if (ospfDevices.length === 0) return;
  const active = (d: DeviceModel, i: InterfaceModel) => {
    const o = d.ospf?.interfaces.find((x) => x.name === i.name);
    return o && !o.passive ? o.cost : undefined;
  };
  const topo = new Topology(ospfDevices, family, active, subnets);

  const stubs: Advert[] = [];
  const externals: Advert[] = [];
  const universe = family === 4 ? '0.0.0.0/0' : '::/0';
  for (const d of ospfDevices) {
    const ospf = d.ospf!;
    for (const oi of ospf.interfaces) {
      const iface = d.interfaces.find((i) => i.name === oi.name);
      for (const a of iface?.addresses ?? []) {
        if (familyOf(a) === family) stubs.push({ prefix: subnetOf(a), router: d.id, cost: oi.cost });
      }
    }
    const rib = ribs.get(d.id)!;
    const seen = new Set<string>();
    for (const r of ospf.redistribute) {
      for (const p of r.prefixes) {
        if (familyOf(p) !== family || p === universe || seen.has(p)) continue;
        if (rib.bestLocal(numbers.get(p))?.protocol !== r.protocol) continue;
        seen.add(p);
        externals.push({ prefix: p, router: d.id, cost: OSPF_EXTERNAL_METRIC });
      }
    }
    const wantsDefault = family === 4 ? ospf.defaultOriginate.ipv4 : ospf.defaultOriginate.ipv6;
    const local = rib.bestLocal(numbers.get(universe));
    if (wantsDefault && local && (local.protocol === 'static' || local.protocol === 'bgp')) {
      externals.push({ prefix: universe, router: d.id, cost: OSPF_EXTERNAL_METRIC });
    }
  }
  const stubClasses = advertClasses(stubs, numbers);
  const extClasses = advertClasses(externals, numbers);
  // Every stub prefix's class (by prefix number), for "intra-area routes beat external ones" per class.
  const stubClassOf = new Int32Array(numbers.texts.length).fill(-1);
  stubClasses.forEach((c, i) => {
    for (const id of c.prefixes) stubClassOf[id] = i;
  });
  const intra = new Uint8Array(stubClasses.length);

  for (const d of ospfDevices) {
    const tree = topo.spf(d.id);
    const rib = ribs.get(d.id)!;
    const best = (ads: readonly Advert[]): { metric: number; hops: Hop[] } | undefined => {
      let metric = Infinity;
      let hops: Hop[] = [];
      let merged = false;
      for (const a of ads) {
        if (a.router === d.id) return undefined; // our own prefix: connected or local route
        const dist = tree.dist.get(a.router);
        if (dist === undefined) continue;
        const m = dist + a.cost;
        const via = tree.first.get(a.router) ?? [];
        if (m < metric) {
          metric = m;
          hops = via; // shared, sorted, never changed: the model is plain data
          merged = false;
        } else if (m === metric) {
          hops = mergeHops(hops, via);
          merged = true;
        }
      }
      return metric === Infinity ? undefined : { metric, hops: merged ? hops.sort(compareHops) : hops };
    };
    // One route per class, the same candidate object for each of its prefixes.
    stubClasses.forEach((c, i) => {
      // A stub of a device in another part of a partitioned network is not in this LSDB.
      const own = c.ads.some((a) => a.router === d.id);
      const r = best(c.ads);
      intra[i] = own || r ? 1 : 0;
      if (!r) return;
      const candidate: Candidate = { protocol: 'ospf', distance: DISTANCE.ospf, metric: r.metric, hops: r.hops };
      for (const id of c.prefixes) rib.push(id, candidate);
    });
    for (const c of extClasses) {
      let candidate: Candidate | null | undefined; // computed on the class's first external prefix
      for (const id of c.prefixes) {
        const stubClass = stubClassOf[id]!;
        if (stubClass !== -1 && intra[stubClass] === 1) continue; // intra-area routes beat external ones
        if (candidate === undefined) {
          const r = best(c.ads);
          candidate = r ? { protocol: 'ospf', distance: DISTANCE.ospf, metric: r.metric, hops: r.hops } : null;
        }
        if (candidate) rib.push(id, candidate);
      }
    }
  }
}

/**
 * Prefixes advertised by the same routers at the same costs (in the same order) form one class:
 * every device reaches them over the same next hops at the same metric, so each device computes
 * a class's route once, not once per prefix (a site's segments are one class per gateway).
 */
function advertClasses(ads: readonly Advert[], numbers: PrefixNumbers): { ads: Advert[]; prefixes: number[] }[] {
  const byPrefix = new Map<string, Advert[]>();
  for (const a of ads) {
    let l = byPrefix.get(a.prefix);
    if (!l) byPrefix.set(a.prefix, (l = []));
    l.push(a);
  }
  // Prefixes by number: every advertised prefix is one a RIB can hold (a subnet of an OSPF
  // interface, or one with a local route to redistribute).
  const classes = new Map<string, { ads: Advert[]; prefixes: number[] }>();
  for (const [prefix, list] of byPrefix) {
    const key = list.map((a) => `${a.router} ${a.cost}`).join('|');
    const id = numbers.get(prefix)!;
    const c = classes.get(key);
    if (c) c.prefixes.push(id);
    else classes.set(key, { ads: list, prefixes: [id] });
  }
  return [...classes.values()];
}
