// DeviceModels written by hand, as a reader of configuration files builds them: no `peer`
// fields, no descriptions, empty FIBs. The convergence tests share these builders; the tests of
// placement under failures share the seeded OSPF graphs at the end (with `peer` fields).

import type { DeviceModel, InterfaceModel } from '../../compiler/model.js';

export const span = { file: 'r.conf', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };

export function iface(name: string, role: InterfaceModel['role'], ...addresses: string[]): InterfaceModel {
  return { name, description: '', role, addresses, origin: span };
}

/** An FRR router `SITE.NAME` with the interfaces given and no filters, routes or FIB. */
export function router(id: string, interfaces: InterfaceModel[], extra: Partial<DeviceModel> = {}): DeviceModel {
  const [site, name] = id.split('.') as [string, string];
  return { id, site, name, role: 'router', platform: 'frr', stateful: true, interfaces, filters: [], zones: [], securityRules: [], staticRoutes: [], fib: [], origin: span, ...extra };
}

/** OSPF on the interfaces given as [name, cost, passive]. */
export const ospf = (routerId: string, ifs: [string, number, boolean][], extra: Partial<NonNullable<DeviceModel['ospf']>> = {}) => ({
  routerId,
  interfaces: ifs.map(([name, cost, passive]) => ({ name, cost, passive })),
  redistribute: [],
  defaultOriginate: { ipv4: false, ipv6: false },
  ...extra,
});

/**
 * Seeded OSPF routers `s.d0` … for `links` (pairs of device indexes): each link's cost 1-3 from
 * `rnd`, a third of them different the other way, and each device a firewall with odds
 * `firewallShare`. `rnd` is read in the same order for the same links, so a seed gives one graph.
 */
export function seededOspfDevices(rnd: () => number, n: number, links: readonly [number, number][], firewallShare: number): DeviceModel[] {
  const ifs: InterfaceModel[][] = Array.from({ length: n }, () => []);
  const costs: [string, number, boolean][][] = Array.from({ length: n }, () => []);
  const cost = (): number => 1 + Math.floor(rnd() * 3);
  links.forEach(([a, b], k) => {
    ifs[a]!.push({ ...iface(`l${k}a`, 'link'), peer: { device: `s.d${b}`, interface: `l${k}b` } });
    ifs[b]!.push({ ...iface(`l${k}b`, 'link'), peer: { device: `s.d${a}`, interface: `l${k}a` } });
    const ab = cost();
    costs[a]!.push([`l${k}a`, ab, false]);
    costs[b]!.push([`l${k}b`, rnd() < 0.3 ? cost() : ab, false]);
  });
  return ifs.map((interfaces, i) => {
    const d = router(`s.d${i}`, interfaces, { ospf: ospf(`10.0.${i >> 8}.${i & 255}`, costs[i]!) });
    return rnd() < firewallShare ? { ...d, role: 'firewall' as const } : d;
  });
}
