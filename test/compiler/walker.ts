// A small concrete packet walker over a NetworkModel, following docs/architecture.md's packet
// semantics hop by hop (filters, longest-prefix match, every ECMP next hop, zones, connection
// state). The compiler tests use it to check that the placed filters enforce the policy.

import { BITS, parseAddress, prefixOf, type Family } from '../../language/address.js';
import type { DeviceModel, FilterRule, Match, NetworkModel, PortRange } from '../../compiler/model.js';

export interface Packet {
  family: Family;
  src: bigint;
  dst: bigint;
  protocol: number;
  srcPort?: number;
  dstPort?: number;
  icmpType?: number;
  ack?: boolean;
}

interface P {
  family: Family;
  value: bigint;
  length: number;
}

const cache = new Map<string, P>();
function pfx(text: string): P {
  let p = cache.get(text);
  if (!p) cache.set(text, (p = prefixOf(text)));
  return p;
}

export function inPrefix(text: string, family: Family, addr: bigint): boolean {
  const p = pfx(text);
  if (p.family !== family) return false;
  const shift = BigInt(BITS[family] - p.length);
  return addr >> shift === p.value >> shift;
}

const inList = (list: string[], f: Family, a: bigint) => list.some((t) => inPrefix(t, f, a));
const inPorts = (ranges: PortRange[], port: number | undefined) => port !== undefined && ranges.some((r) => port >= r.from && port <= r.to);

export function matches(m: Match, p: Packet, fromZone?: string, toZone?: string): boolean {
  if (m.sources && !inList(m.sources, p.family, p.src)) return false;
  if (m.destinations && !inList(m.destinations, p.family, p.dst)) return false;
  if (m.protocol !== undefined && m.protocol !== p.protocol) return false;
  const ported = p.protocol === 6 || p.protocol === 17;
  if (m.sourcePorts && (!ported || !inPorts(m.sourcePorts, p.srcPort))) return false;
  if (m.destinationPorts && (!ported || !inPorts(m.destinationPorts, p.dstPort))) return false;
  if (m.icmpType !== undefined && ((p.protocol !== 1 && p.protocol !== 58) || p.icmpType !== m.icmpType)) return false;
  if (m.tcpEstablished && (p.protocol !== 6 || !p.ack)) return false;
  if (m.fromZones && (!fromZone || !m.fromZones.includes(fromZone))) return false;
  if (m.toZones && (!toZone || !m.toZones.includes(toZone))) return false;
  return true;
}

function decide(rules: FilterRule[], defaultAction: 'permit' | 'deny', p: Packet, fromZone?: string, toZone?: string): boolean {
  for (const r of rules) if (matches(r.match, p, fromZone, toZone)) return r.action === 'permit';
  return defaultAction === 'permit';
}

export interface PathResult {
  /** Where it left the network: (device, interface), or undefined when dropped. */
  exit?: { device: string; interface: string };
  dropped?: string;
  /** Stateful devices that admitted the packet on this path. */
  admittedBy: Set<string>;
}

export function walk(
  model: NetworkModel,
  start: { device: string; interface: string },
  p: Packet,
  established: ReadonlySet<string> = new Set(),
): PathResult[] {
  const byId = new Map(model.devices.map((d) => [d.id, d]));
  const results: PathResult[] = [];
  const step = (dev: DeviceModel, inIf: string, seen: Set<string>, admitted: Set<string>) => {
    const key = `${dev.id}|${inIf}`;
    if (seen.has(key)) return void results.push({ dropped: `loop at ${key}`, admittedBy: admitted });
    seen = new Set(seen).add(key);
    const passes = established.has(dev.id) && dev.stateful;
    const ingress = dev.interfaces.find((i) => i.name === inIf);
    if (!ingress) return void results.push({ dropped: `no interface ${key}`, admittedBy: admitted });
    if (!passes && ingress.filterIn) {
      const f = dev.filters.find((x) => x.name === ingress.filterIn)!;
      if (!decide(f.rules, f.defaultAction, p)) return void results.push({ dropped: `${key} ${f.name}`, admittedBy: admitted });
    }
    if (dev.interfaces.some((i) => i.addresses.some((a) => parseAddress(a.split('/')[0]!)?.value === p.dst && a.includes(':') === (p.family === 6)))) {
      return void results.push({ dropped: `delivered to device ${dev.id}`, admittedBy: admitted });
    }
    let best: { length: number; route: DeviceModel['fib'][number] } | undefined;
    for (const r of dev.fib) {
      if (!inPrefix(r.prefix, p.family, p.dst)) continue;
      const len = pfx(r.prefix).length;
      if (!best || len > best.length) best = { length: len, route: r };
    }
    if (!best) return void results.push({ dropped: `no route at ${dev.id}`, admittedBy: admitted });
    for (const hop of best.route.nextHops) {
      const egress = dev.interfaces.find((i) => i.name === hop.interface)!;
      let adm = admitted;
      if (dev.zones.length > 0 && !passes) {
        const fz = dev.zones.find((z) => z.interfaces.includes(inIf))?.name;
        const tz = dev.zones.find((z) => z.interfaces.includes(hop.interface))?.name;
        if (!decide(dev.securityRules, 'deny', p, fz, tz)) {
          results.push({ dropped: `${dev.id} security rules`, admittedBy: admitted });
          continue;
        }
      }
      if (!passes && egress.filterOut) {
        const f = dev.filters.find((x) => x.name === egress.filterOut)!;
        if (!decide(f.rules, f.defaultAction, p)) {
          results.push({ dropped: `${dev.id}|${egress.name} ${f.name}`, admittedBy: admitted });
          continue;
        }
      }
      if (dev.stateful) adm = new Set(admitted).add(dev.id);
      if (hop.device) {
        const next = byId.get(hop.device)!;
        const peerIf = egress.peer?.interface ?? next.interfaces.find((i) => i.addresses.some((a) => a.startsWith(`${hop.address}/`)))?.name;
        step(next, peerIf!, seen, adm);
      } else {
        results.push({ exit: { device: dev.id, interface: egress.name }, admittedBy: adm });
      }
    }
  };
  step(byId.get(start.device)!, start.interface, new Set(), new Set());
  return results;
}
