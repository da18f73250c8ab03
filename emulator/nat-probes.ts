// Probes through address translation (docs/architecture.md, "NAT", the assertions' meaning): a
// `reach A -> B` probe goes to B's address as A sees it (mapped where a device has a static
// translation of B's addresses from B's side to A's side) and is judged by what arrives at B's
// real address, from the source the model says B sees (A's address, translated on the way);
// an `isolate A -> B` probe goes to every form of B's address (its own and every address a static
// translation maps it to; those within the assertion's scope when it has one), and any packet that arrives at B's real address, whatever its source,
// is a delivery. The same notion as the verifier's (verifier/nat-terms.ts `seenAs`, `everyForm`),
// for the representative addresses the lab probes with. Pure.

import type { AssertionModel, DeviceModel, NatSide, NetworkModel, ServiceModel, StaticNat } from '../compiler/model.js';
import { addressOf, containsAddress, formatAddress, prefixOf, type Family } from '../language/address.js';
import type { ProbePacket } from './probe-packet.js';

/** One packet of a probe through translations: as sent, and as its destination must receive it. */
export interface NatForm {
  packet: ProbePacket;
  /** The packet as it arrives at the destination: real address and port, the source the model says. */
  arrival: ProbePacket;
  /** Any source counts as a delivery (isolate: a leak is a leak whatever its source). */
  anySource: boolean;
  /** What the translation does to it, for the report. */
  note: string;
}

/** Whether any device of the model translates. */
export function modelTranslates(model: NetworkModel): boolean {
  return model.devices.some((d) => (d.nat?.translations.length ?? 0) > 0);
}

function sideOf(d: DeviceModel, iface: string): NatSide | undefined {
  if (d.nat?.inside.includes(iface)) return 'inside';
  if (d.nat?.outside.includes(iface)) return 'outside';
  return undefined;
}

/** An endpoint's side at a translating device: its attachment's there, else that of the device's route to its first address. */
function endpointSide(model: NetworkModel, d: DeviceModel, name: string, family: Family): NatSide | undefined {
  const ep = model.endpoints.find((e) => e.name === name);
  if (!ep) return undefined;
  const at = ep.attachments.find((a) => a.device === d.id);
  if (at) return sideOf(d, at.interface);
  const first = ep.include.map(prefixOf).find((p) => p.family === family);
  if (!first) return undefined;
  const a = { family, value: first.value };
  let best: { length: number; iface: string } | undefined;
  for (const r of d.fib) {
    const p = prefixOf(r.prefix);
    const iface = r.nextHops[0]?.interface;
    if (iface !== undefined && containsAddress(p, a) && (!best || p.length > best.length)) best = { length: p.length, iface };
  }
  return best ? sideOf(d, best.iface) : undefined;
}

/** `address` (in `from`) moved into `to` with its host bits kept. */
function remap(address: string, from: string, to: string): string {
  const a = addressOf(address);
  const f = prefixOf(from);
  const t = prefixOf(to);
  return formatAddress({ family: a.family, value: t.value + (a.value - f.value) });
}

const inPrefix = (address: string, prefix: string): boolean => {
  const p = prefixOf(prefix);
  const a = addressOf(address);
  return a.family === p.family && containsAddress(p, a);
};

const onlyService = (services: readonly ServiceModel[], s: { protocol: number; port: number }): boolean =>
  services.length > 0 && services.every((x) => x.protocol === s.protocol && x.ports !== undefined && x.ports.every((p) => p.from === s.port && p.to === s.port));

const statics = (model: NetworkModel): { device: DeviceModel; t: StaticNat }[] =>
  model.devices.flatMap((device) => (device.nat?.translations ?? []).flatMap((t) => (t.kind === 'static' ? [{ device, t }] : [])));

/** The destination by which `source` sees `dest`'s address (and the port a published service takes there). */
export function destinationAsSeen(model: NetworkModel, source: string, dest: string, address: string, family: Family, services: readonly ServiceModel[]): { address: string; service?: StaticNat['service']; via: string[] } {
  let seen = address;
  let service: StaticNat['service'];
  const via: string[] = [];
  for (const { device, t } of statics(model)) {
    if (t.service && !onlyService(services, t.service)) continue;
    if (!inPrefix(address, t.real)) continue;
    const destSide = endpointSide(model, device, dest, family);
    const sourceSide = endpointSide(model, device, source, family);
    if (destSide !== t.realSide || sourceSide === undefined || sourceSide === t.realSide) continue;
    seen = remap(address, t.real, t.mapped);
    if (t.service) service = t.service;
    via.push(`${device.id}: ${t.description}`);
  }
  return { address: seen, ...(service ? { service } : {}), via };
}

/** The source `dest` sees a connection from `source` come from: translated at each device it crosses between sides. */
export function sourceAsSeen(model: NetworkModel, source: string, dest: string, address: string, family: Family): { address: string; via: string[] } {
  let seen = address;
  const via: string[] = [];
  for (const device of model.devices) {
    const nat = device.nat;
    if (!nat || nat.translations.length === 0) continue;
    const from = endpointSide(model, device, source, family);
    const to = endpointSide(model, device, dest, family);
    if (from === undefined || to === undefined || from === to) continue;
    for (const t of nat.translations) {
      // A published server's translation takes the packets from its real port only, not a client's connection.
      if (t.kind === 'static' && t.realSide === from && !t.service && inPrefix(seen, t.real)) {
        seen = remap(seen, t.real, t.mapped);
        via.push(`${device.id}: ${t.description}`);
        break;
      }
      if (t.kind === 'pat' && from === 'inside' && t.sources.some((p) => inPrefix(seen, p))) {
        seen = t.address;
        via.push(`${device.id}: ${t.description}`);
        break;
      }
    }
  }
  return { address: seen, via };
}

/** Every address a static translation maps `address` to, with the translation's service: what an isolate probes. */
export function everyForm(model: NetworkModel, address: string): { address: string; service?: StaticNat['service']; via: string }[] {
  const out: { address: string; service?: StaticNat['service']; via: string }[] = [];
  for (const { device, t } of statics(model)) {
    if (!inPrefix(address, t.real)) continue;
    out.push({ address: remap(address, t.real, t.mapped), ...(t.service ? { service: t.service } : {}), via: `${device.id}: ${t.description}` });
  }
  return out;
}

/** The real address behind a mapped one (the first static translation whose mapped prefix holds it), if any. */
export function realAddress(model: NetworkModel, address: string): { address: string; service?: StaticNat['service'] } | undefined {
  for (const { t } of statics(model)) {
    if (inPrefix(address, t.mapped)) return { address: remap(address, t.mapped, t.real), ...(t.service ? { service: t.service } : {}) };
  }
  return undefined;
}

/**
 * The packets of one probe shape between two endpoints of a network that translates: for reach
 * one, to the address as the source sees it; for isolate one per form of the destination's
 * address (its own first).
 */
export function natForms(model: NetworkModel, assertion: AssertionModel, source: string, dest: string, family: Family, packet: ProbePacket): NatForm[] {
  const arrivePort = (service: StaticNat['service'] | undefined, sentPort: number | undefined): number | undefined =>
    service && packet.protocol === service.protocol && sentPort === service.port ? service.realPort : sentPort;
  const withPort = (p: ProbePacket, port: number | undefined): ProbePacket => (port === undefined ? p : { ...p, destinationPort: port });
  if (assertion.property === 'reach') {
    const d = destinationAsSeen(model, source, dest, packet.destination, family, assertion.services);
    const s = sourceAsSeen(model, source, dest, packet.source, family);
    const sent = { ...packet, destination: d.address };
    const arrival = withPort({ ...packet, source: s.address }, arrivePort(d.service, packet.destinationPort));
    const via = [...d.via, ...s.via];
    const note = via.length === 0 ? '' : `, sent to ${d.address}, arrives at ${packet.destination} from ${s.address} (${via.join('; ')})`;
    return [{ packet: sent, arrival, anySource: false, note }];
  }
  // An assertion about part of the destinations (its scope) is about those forms only.
  const inScope = (address: string): boolean => assertion.scope?.destinations?.some((p) => inPrefix(address, p)) ?? true;
  const forms: NatForm[] = inScope(packet.destination) ? [{ packet, arrival: packet, anySource: true, note: '' }] : [];
  for (const f of everyForm(model, packet.destination)) {
    if (f.address === packet.destination || !inScope(f.address)) continue;
    forms.push({
      packet: { ...packet, destination: f.address },
      arrival: withPort(packet, arrivePort(f.service, packet.destinationPort)),
      anySource: true,
      note: `, sent to ${f.address} (${f.via})`,
    });
  }
  return forms;
}
