// A model interface with a VLAN but no unit in its name (`ethernet1/3` + vlan 10) is configured
// as the subinterface that carries the tag (`ethernet1/3.10`, `GigabitEthernet3.10`): the only
// way IOS-XE and PAN-OS put addresses on a tagged VLAN. The renderers rename before writing and
// the readers rename back (the subinterface's `plumb` annotation keeps the model's name).

import type { DeviceModel } from '../compiler/model.js';
import { copyWithFib, shareFib } from '../compiler/fib-views.js';

/** Model name → config name for every interface that needs a subinterface. */
export function subinterfaceNames(d: DeviceModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of d.interfaces) {
    if (i.vlan !== undefined && !i.name.endsWith(`.${i.vlan}`)) out.set(i.name, `${i.name}.${i.vlan}`);
  }
  return out;
}

/** `d` with interface names replaced by `map` wherever the configuration mentions them. */
export function renameInterfaces(d: DeviceModel, map: Map<string, string>): DeviceModel {
  if (map.size === 0) return d;
  const n = (name: string): string => map.get(name) ?? name;
  // Not `...d`: a spread reads a converged device's `fib`, which makes its routes; the copy
  // shares them, made when first read (compiler/fib-views.ts).
  const out: DeviceModel = {
    ...copyWithFib(d, []),
    interfaces: d.interfaces.map((i) => ({ ...i, name: n(i.name) })),
    zones: d.zones.map((z) => ({ ...z, interfaces: z.interfaces.map(n) })),
    // Only a route out of a renamed interface is copied: a router has thousands of routes, few by interface.
    staticRoutes: d.staticRoutes.map((r) => {
      const renamed = r.interface !== undefined ? map.get(r.interface) : undefined;
      return renamed !== undefined ? { ...r, interface: renamed } : r;
    }),
    ...(d.ospf ? { ospf: { ...d.ospf, interfaces: d.ospf.interfaces.map((i) => ({ ...i, name: n(i.name) })) } } : {}),
  };
  shareFib(d, out);
  return out;
}
