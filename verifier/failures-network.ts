// A network with some links and devices failed, and the failure elements that can matter to a
// flow. Failing is done on the model's own configuration, and routing re-converges with the
// compiler's converge() (compiler/routing.ts): the same code that computed the model's forwarding
// tables from the configs computes them for the failed network, so there is no second routing
// model to disagree with the first.
//
//  - A failed link: both of its interfaces are gone (the link is down at both ends): every route,
//    OSPF adjacency and static next hop over it disappears, as on the devices.
//  - A failed device: it is gone with its interfaces and sessions, and so is the interface at the
//    other end of each of its links; endpoints attached to it lose that attachment.

import type { DeviceModel, FailureModel, NetworkModel } from '../compiler/model.js';
import { convergeContextOf, converge } from '../compiler/routing.js';
import type { Family } from '../language/address.js';
import { intersect, isEmpty, normalize, prefixesToSet, union, type IntervalSet } from './intervals.js';
import { FAMILIES } from './netindex.js';
import { netIndex } from './simulate.js';

/** One element that can fail, with the key that identifies it in a failure set. */
export interface FailureElement {
  key: string;
  failure: FailureModel;
}

const endKey = (e: { device: string; interface: string }): string => `${e.device}|${e.interface}`;

/** The key of a failure: a device's id, or a link's two ends in sorted order. */
export function failureKey(f: FailureModel): string {
  if (f.kind === 'device') return `device ${f.device}`;
  const [x, y] = [endKey(f.a), endKey(f.b)].sort();
  return `link ${x} ${y}`;
}

/** Every link of the model once (a link interface with a peer), and every device. */
export function failureElements(model: NetworkModel): { links: FailureElement[]; devices: FailureElement[] } {
  const links = new Map<string, FailureElement>();
  for (const d of model.devices) {
    for (const i of d.interfaces) {
      if (i.role !== 'link' || !i.peer) continue;
      const failure: FailureModel = { kind: 'link', a: { device: d.id, interface: i.name }, b: { device: i.peer.device, interface: i.peer.interface } };
      const key = failureKey(failure);
      if (!links.has(key)) links.set(key, { key, failure });
    }
  }
  const devices = model.devices.map((d) => {
    const failure: FailureModel = { kind: 'device', device: d.id };
    return { key: failureKey(failure), failure };
  });
  return { links: [...links.values()], devices };
}

/**
 * A failure as the reports name it: a device's id, or `A -- B` for a link, its devices in the
 * order of their ids unless `asWritten` (`A:IF -- B:IF` when several links join A and B).
 */
export function failureText(model: NetworkModel, f: FailureModel, asWritten = false): string {
  if (f.kind === 'device') return f.device;
  // Ends in the order of their device ids: one name for a link however it was reached (or as
  // an `under failure of` clause wrote it).
  if (!asWritten && f.a.device > f.b.device) f = { kind: 'link', a: f.b, b: f.a };
  const parallel =
    model.devices
      .find((d) => d.id === f.a.device)
      ?.interfaces.filter((i) => i.role === 'link' && i.peer?.device === f.b.device).length ?? 0;
  const { a, b } = f;
  return parallel > 1 ? `${a.device}:${a.interface} -- ${b.device}:${b.interface}` : `${a.device} -- ${b.device}`;
}

/** The model with these elements failed and every forwarding table re-converged; the input is not changed. */
export function failModel(model: NetworkModel, failed: readonly FailureModel[]): NetworkModel {
  const deadDevices = new Set(failed.flatMap((f) => (f.kind === 'device' ? [f.device] : [])));
  const deadInterfaces = new Set(failed.flatMap((f) => (f.kind === 'link' ? [endKey(f.a), endKey(f.b)] : [])));
  const alive = (device: string, iface: { name: string; peer?: { device: string } }): boolean =>
    !deadInterfaces.has(`${device}|${iface.name}`) && !(iface.peer !== undefined && deadDevices.has(iface.peer.device));
  const devices: DeviceModel[] = model.devices
    .filter((d) => !deadDevices.has(d.id))
    .map((d) => {
      const interfaces = d.interfaces.filter((i) => alive(d.id, i));
      return interfaces.length === d.interfaces.length ? d : { ...d, interfaces };
    });
  const endpoints = model.endpoints.map((e) => {
    const attachments = e.attachments.filter((a) => !deadDevices.has(a.device));
    return attachments.length === e.attachments.length ? e : { ...e, attachments };
  });
  const partial: NetworkModel = { ...model, devices, endpoints };
  return { ...partial, devices: converge(devices, convergeContextOf(partial)) };
}

/**
 * The links and devices some packet of the assertion's flow, or its reply, can cross in this
 * network: forward from every source's entry along every FIB next hop toward the destinations'
 * addresses, and back from every destination's entry toward the sources'. Over-approximated on
 * purpose: every route whose prefix overlaps the address set counts, filters are ignored, and
 * an endpoint's addresses are taken whole (devices' own addresses included).
 */
export function relevantElements(model: NetworkModel, sources: readonly string[], destinations: readonly string[]): Set<string> {
  const idx = netIndex(model);
  const out = new Set<string>();
  const addresses = (names: readonly string[], family: Family): IntervalSet =>
    names.reduce<IntervalSet>((acc, n) => {
      const e = idx.endpoint(n);
      // A device stands for its own addresses.
      return e ? union(acc, prefixesToSet(e.include, family)) : union(acc, idx.addresses(n, family));
    }, []);
  const walk = (from: readonly string[], to: readonly string[], family: Family): void => {
    const target = addresses(to, family);
    if (isEmpty(target)) return;
    const seen = new Set<string>();
    const queue: string[] = [];
    for (const n of from) {
      for (const entry of idx.entries(n)) {
        if (!seen.has(entry.device)) {
          seen.add(entry.device);
          queue.push(entry.device);
        }
      }
    }
    while (queue.length > 0) {
      const d = queue.pop()!;
      out.add(`device ${d}`);
      for (const piece of idx.lpm(d, family)) {
        if (!piece.route || isEmpty(intersect(normalize([[piece.lo, piece.hi]]), target))) continue;
        for (const hop of piece.route.nextHops) {
          if (hop.device === undefined) continue;
          const peer = idx.iface(d, hop.interface)?.peer;
          if (peer) out.add(failureKey({ kind: 'link', a: { device: d, interface: hop.interface }, b: { device: peer.device, interface: peer.interface } }));
          if (!seen.has(hop.device)) {
            seen.add(hop.device);
            queue.push(hop.device);
          }
        }
      }
    }
  };
  for (const family of FAMILIES) {
    walk(sources, destinations, family);
    walk(destinations, sources, family);
  }
  return out;
}

/** The devices an assertion's own endpoints attach to: they fail only when an assertion names them. */
export function gatewaysOf(model: NetworkModel, endpoints: readonly string[]): Set<string> {
  const idx = netIndex(model);
  return new Set(endpoints.flatMap((n) => idx.entries(n).map((e) => `device ${e.device}`)));
}
