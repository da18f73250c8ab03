// Devices and their interfaces: every link end, segment and external attachment becomes an
// interface with the platform's real name and its addresses; each device gets its loopback.
// Unpinned names are handed out in a stable order that does not depend on declaration order:
// links first (by the peer end, then the link's identity), then segments (by name), then
// external attachments (by external name); a pinned name (`dev:ifname`) is never re-used.
// In a network that carries IPv6, every link end has a fixed link-local address (LINK_LOCAL).

import { BITS, formatAddress, network, prefixOf } from '../language/address.js';
import type { CheckedIntent, IntentDevice } from '../language/intent.js';
import { endKey, linkIdentities, type AddressPlan } from './addressing.js';
import { byName, isStateful, loopbackName, ownConnectionsUntracked, PortNamer } from './interfaces.js';
import type { DeviceModel, InterfaceModel } from './model.js';
import { addressPart, familyOf } from './topology.js';
import { hostsBySegment } from './endpoints.js';

export interface DeviceDraft {
  intent: IntentDevice;
  model: DeviceModel;
  /** The cost of each link interface (by name). */
  linkCost: Map<string, number>;
}

interface Request {
  sortKey: string;
  pinned?: string;
  make(name: string): InterfaceModel;
  cost?: number;
  /** Link ends: called once both ends are named. */
  link?: { index: number; end: 'a' | 'b' };
}

export function buildDevices(intent: CheckedIntent, plan: AddressPlan): Map<string, DeviceDraft> {
  const requests = new Map<string, Request[]>();
  const add = (device: string, r: Request) => {
    let list = requests.get(device);
    if (!list) requests.set(device, (list = []));
    list.push(r);
  };
  const ids = linkIdentities(intent.links);
  const ipv6 = carriesIpv6(intent);
  intent.links.forEach((l, index) => {
    const addrs = plan.links[index]!;
    for (const end of ['a', 'b'] as const) {
      const me = l[end];
      const peer = end === 'a' ? l.b : l.a;
      add(me.device, {
        sortKey: `1|${endKey(peer.device, peer.ifname)}|${ids[index]!}`,
        ...(me.ifname ? { pinned: me.ifname } : {}),
        cost: l.cost,
        link: { index, end },
        make: (name) => ({
          name,
          description: '',
          role: 'link',
          addresses: [...addrs[end]],
          ...(ipv6 ? { linkLocal: LINK_LOCAL[end] } : {}),
          origin: l.span,
        }),
      });
    }
  });
  const hostsOf = hostsBySegment(intent);
  for (const s of intent.segments) {
    const hosts = new Set((hostsOf.get(s.name) ?? []).map((h) => h.address));
    add(s.gateway, {
      sortKey: `2|${s.name}`,
      make: (name) => ({
        name,
        description: s.description ? `segment ${s.name}: ${s.description}` : `segment ${s.name}`,
        role: 'segment',
        addresses: s.prefixes.map((p) => gatewayAddress(p, hosts)),
        segment: s.name,
        ...(s.vlan !== undefined ? { vlan: s.vlan } : {}),
        origin: s.span,
      }),
    });
  }
  for (const x of intent.externals) {
    x.attachments.forEach((att, k) => {
      add(att.device, {
        sortKey: `3|${x.name}|${k}`,
        make: (name) => ({
          name,
          description: x.description ? `external ${x.name}: ${x.description}` : `external ${x.name}`,
          role: 'external',
          addresses: [att.address],
          external: x.name,
          ...(att.vlan !== undefined ? { vlan: att.vlan } : {}),
          origin: att.span,
        }),
      });
    });
  }

  const drafts = new Map<string, DeviceDraft>();
  const linkEnds = new Map<string, { device: string; iface: InterfaceModel }>();
  for (const d of [...intent.devices].sort((a, b) => (a.id < b.id ? -1 : 1))) {
    const reqs = requests.get(d.id) ?? [];
    const namer = new PortNamer(d.platform, new Set(reqs.flatMap((r) => (r.pinned ? [r.pinned] : []))));
    const interfaces: InterfaceModel[] = [];
    const linkCost = new Map<string, number>();
    const ordered = [...reqs].sort((a, b) => (a.sortKey < b.sortKey ? -1 : a.sortKey > b.sortKey ? 1 : 0));
    for (const r of ordered) {
      const iface = r.make(r.pinned ?? namer.take());
      interfaces.push(iface);
      if (r.cost !== undefined) linkCost.set(iface.name, r.cost);
      if (r.link) linkEnds.set(`${r.link.index}${r.link.end}`, { device: d.id, iface });
    }
    const loops = plan.loopbacks.get(d.id) ?? [];
    if (loops.length > 0) {
      interfaces.push({ name: loopbackName(d.platform), description: 'loopback', role: 'loopback', addresses: [...loops], origin: d.span });
    }
    interfaces.sort(byName);
    const v4 = loops.find((a) => familyOf(a) === 4);
    const model: DeviceModel = {
      id: d.id,
      site: d.site,
      name: d.name,
      role: d.role,
      platform: d.platform,
      stateful: isStateful(d.platform, d.role),
      ...(ownConnectionsUntracked(d.platform, d.role) ? { ownConnectionsUntracked: true as const } : {}),
      ...(v4 ? { routerId: addressPart(v4) } : {}),
      interfaces,
      filters: [],
      zones: [],
      securityRules: [],
      staticRoutes: [],
      fib: [],
      origin: d.span,
    };
    drafts.set(d.id, { intent: d, model, linkCost });
  }
  intent.links.forEach((_, index) => {
    const a = linkEnds.get(`${index}a`);
    const b = linkEnds.get(`${index}b`);
    if (!a || !b) return;
    a.iface.peer = { device: b.device, interface: b.iface.name };
    b.iface.peer = { device: a.device, interface: a.iface.name };
    a.iface.description = `link to ${b.device} ${b.iface.name}`;
    b.iface.description = `link to ${a.device} ${a.iface.name}`;
  });
  return drafts;
}

/**
 * The link-local addresses of a link's two ends: fixed, so that configs, the model and a
 * kernel's routing table all name the same next hop (link-local addresses are per link).
 */
const LINK_LOCAL = { a: 'fe80::1', b: 'fe80::2' } as const;

/**
 * Whether the network carries IPv6: some segment, host, external, pool, link or loopback has an
 * IPv6 prefix. Then every link runs IPv6 over its link-local addresses, global ones or not.
 */
export function carriesIpv6(intent: CheckedIntent): boolean {
  const v6 = (text: string) => text.includes(':');
  return (
    intent.segments.some((s) => s.prefixes.some(v6)) ||
    intent.hosts.some((h) => v6(h.address)) ||
    intent.externals.some((x) => x.prefixes.some(v6) || x.attachments.some((a) => v6(a.address))) ||
    intent.pools.some((p) => v6(p.prefix)) ||
    intent.links.some((l) => l.prefixes.some(v6)) ||
    intent.devices.some((d) => d.loopbacks.some(v6))
  );
}

/** The gateway's address in a segment prefix: the first usable address no host is declared at. */
function gatewayAddress(prefixText: string, hosts: ReadonlySet<string>): string {
  const p = network(prefixOf(prefixText));
  const bits = BITS[p.family];
  const fmt = (v: bigint) => formatAddress({ family: p.family, value: v });
  if (p.length >= bits - 1) return `${fmt(p.value)}/${p.length}`;
  let v = p.value + 1n;
  while (hosts.has(fmt(v))) v++;
  return `${fmt(v)}/${p.length}`;
}
