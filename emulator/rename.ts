// Linux interface names for devices whose platform names are not valid ones (IOS-XE
// `GigabitEthernet2` is 16 characters; PAN-OS `ethernet1/1` has a slash). Such a device's
// interfaces become eth1, eth2, ... (in name order) and its loopbacks `lo`, everywhere the model
// names them: the device's own interfaces, zones, routes, OSPF, FIB, its NAT's inside and outside,
// its peers' `peer` fields and the endpoints' attachments. Pure.

import type { NetworkModel } from '../compiler/model.js';

const LINUX_IFNAME = /^[A-Za-z0-9_.-]{1,15}$/;

export function validLinuxName(name: string): boolean {
  return LINUX_IFNAME.test(name) && name !== '.' && name !== '..';
}

export interface Renamed {
  model: NetworkModel;
  /** device id → original interface name → lab name (only devices that needed it). */
  renamed: Record<string, Record<string, string>>;
}

export function renameInterfaces(model: NetworkModel): Renamed {
  const maps: Record<string, Record<string, string>> = {};
  for (const d of model.devices) {
    const needs = d.interfaces.some((i) =>
      i.role === 'loopback' ? i.name !== 'lo' : !validLinuxName(i.name) || i.name === 'lo',
    );
    if (!needs) continue;
    const map: Record<string, string> = {};
    let n = 1;
    for (const i of [...d.interfaces].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      map[i.name] = i.role === 'loopback' ? 'lo' : `eth${n++}`;
    }
    maps[d.id] = map;
  }
  if (Object.keys(maps).length === 0) return { model, renamed: {} };
  const out = structuredClone(model);
  const rn = (device: string, name: string): string => maps[device]?.[name] ?? name;
  for (const d of out.devices) {
    const map = maps[d.id];
    for (const i of d.interfaces) {
      if (i.peer) i.peer = { ...i.peer, interface: rn(i.peer.device, i.peer.interface) };
      if (map) i.name = rn(d.id, i.name);
    }
    if (!map) continue;
    // Several loopbacks collapse onto `lo`: keep one interface carrying all their addresses.
    const loops = d.interfaces.filter((i) => i.name === 'lo');
    if (loops.length > 1) {
      const first = loops[0]!;
      first.addresses = loops.flatMap((l) => l.addresses);
      d.interfaces = d.interfaces.filter((i) => i.name !== 'lo' || i === first);
    }
    d.interfaces.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const z of d.zones) z.interfaces = [...new Set(z.interfaces.map((x) => rn(d.id, x)))].sort();
    for (const r of d.staticRoutes) if (r.interface) r.interface = rn(d.id, r.interface);
    if (d.ospf) {
      const seen = new Set<string>();
      d.ospf.interfaces = d.ospf.interfaces
        .map((i) => ({ ...i, name: rn(d.id, i.name) }))
        .filter((i) => (seen.has(i.name) ? false : (seen.add(i.name), true)))
        .sort((a, b) => (a.name < b.name ? -1 : 1));
    }
    for (const route of d.fib) for (const h of route.nextHops) h.interface = rn(d.id, h.interface);
    if (d.nat) {
      d.nat.inside = d.nat.inside.map((x) => rn(d.id, x)).sort();
      d.nat.outside = d.nat.outside.map((x) => rn(d.id, x)).sort();
    }
  }
  for (const e of out.endpoints) {
    e.attachments = e.attachments.map((a) => ({ ...a, interface: rn(a.device, a.interface) }));
  }
  return { model: out, renamed: maps };
}
