// What the `! plumb` comments of Plumb's own files would have carried, copied from the compiled
// device onto a device read from running files: interface roles, peers, segments, externals and
// origins by interface name, a BGP neighbour's external by address, the router id where the
// configuration has none (a linux box keeps it only in a comment). Never an address, a rule, a
// route or a setting: the comparison that follows must still see every hand edit.

import type { DeviceModel } from '../../compiler/model.js';

export function withIntentAnnotations(read: DeviceModel, compiled: DeviceModel): DeviceModel {
  const ifs = new Map(compiled.interfaces.map((i) => [i.name, i]));
  const peers = new Map((compiled.bgp?.neighbors ?? []).map((n) => [n.address, n]));
  return {
    ...read,
    ...(read.routerId === undefined && compiled.routerId !== undefined ? { routerId: compiled.routerId } : {}),
    interfaces: read.interfaces.map((i) => {
      const c = ifs.get(i.name);
      if (!c) return i;
      return {
        ...i,
        role: c.role,
        ...(c.peer ? { peer: c.peer } : {}),
        ...(c.segment !== undefined ? { segment: c.segment } : {}),
        ...(c.external !== undefined ? { external: c.external } : {}),
        ...(i.zone === undefined && c.zone !== undefined ? { zone: c.zone } : {}),
      };
    }),
    ...(read.bgp
      ? { bgp: { ...read.bgp, neighbors: read.bgp.neighbors.map((n) => ({ ...n, external: n.external || (peers.get(n.address)?.external ?? '') })) } }
      : {}),
  };
}
