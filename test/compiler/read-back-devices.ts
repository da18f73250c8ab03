// DeviceModels written by hand, as a reader of configuration files builds them: no `peer`
// fields, no descriptions, empty FIBs. The convergence tests share these builders.

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
