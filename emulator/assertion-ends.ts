// An assertion's ends in the lab: the namespaces and representative addresses of its sources and
// destinations (endpoints, or devices standing as ends), the address families they share, whether
// a packet between them may cross a stateless device, and where an address outside the
// representatives (a counterexample's) can be placed. Pure.

import type { AssertionModel, RouteModel } from '../compiler/model.js';
import {
  containsAddress,
  formatAddress,
  parseAddress,
  prefixOf,
  type Family,
} from '../language/address.js';
import { endpointOwning, unusable, type EndpointPlan, type LabPlan } from './lab.js';

export interface ExtraAddress {
  ns: string;
  ifname: string;
  address: string;
}

/**
 * A device as an assertion's end ("site.device"): its namespace, and its representative own
 * address per family, the loopback's first, else the first interface's that has one.
 */
export function deviceEnd(plan: LabPlan, id: string): EndpointPlan | undefined {
  const d = plan.devices.find((x) => x.id === id);
  if (!d) return undefined;
  const representative: Partial<Record<Family, string>> = {};
  const order = [...d.device.interfaces].sort((a, b) => Number(b.role === 'loopback') - Number(a.role === 'loopback'));
  for (const itf of order) {
    for (const a of itf.addresses) {
      const text = a.split('/')[0]!;
      representative[text.includes(':') ? 6 : 4] ??= text;
    }
  }
  return {
    name: id,
    kind: 'external',
    device: true,
    ns: d.ns,
    addresses: [],
    routes: [],
    representative,
    hostInterface: { ifname: 'lo', lengths: {} },
  };
}

/** The address families an endpoint has in the model (`any`: both); a device's: its own addresses'. */
export function endpointFamilies(plan: LabPlan, name: string): Family[] {
  if (name === 'any') return [4, 6];
  const dev = plan.devices.find((x) => x.id === name);
  if (dev)
    return ([4, 6] as const).filter((f) =>
      dev.device.interfaces.some((i) => i.addresses.some((a) => (a.includes(':') ? 6 : 4) === f)),
    );
  const ep = plan.model.endpoints.find((e) => e.name === name);
  return ([4, 6] as const).filter((f) => (ep?.include ?? []).some((p) => (p.includes(':') ? 6 : 4) === f));
}

/**
 * The families an assertion's two ends have in common, as the verifier counts them: some
 * source and some destination of that family. None: the assertion is vacuous.
 */
export function sharedFamilies(plan: LabPlan, assertion: AssertionModel): Family[] {
  const of = (names: string[]): Set<Family> => new Set(names.flatMap((n) => endpointFamilies(plan, n)));
  const s = of(assertion.sources);
  const d = of(assertion.destinations);
  return ([4, 6] as const).filter((f) => s.has(f) && d.has(f));
}

/**
 * Whether a packet from an endpoint to an address may cross a stateless device (reply rules,
 * no connection tracking): the devices its forwarding reaches from the endpoint's attachments,
 * by longest prefix match in each FIB, every equal-cost next hop followed.
 */
export function crossesStateless(plan: LabPlan, from: string, destination: string): boolean {
  const ep = plan.model.endpoints.find((e) => e.name === from);
  const dst = parseAddress(destination);
  if (!ep || !dst) return false;
  const byId = new Map(plan.devices.map((d) => [d.id, d.device]));
  const queue = [...new Set(ep.attachments.map((a) => a.device))];
  const seen = new Set(queue);
  for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
    const device = byId.get(id);
    if (!device) continue;
    if (!device.stateful) return true;
    let best: RouteModel | undefined;
    for (const r of device.fib) {
      const p = prefixOf(r.prefix);
      if (containsAddress(p, dst) && (!best || p.length > prefixOf(best.prefix).length)) best = r;
    }
    for (const h of best?.nextHops ?? []) {
      if (h.device && !seen.has(h.device)) {
        seen.add(h.device);
        queue.push(h.device);
      }
    }
  }
  return false;
}


export function endpointsOf(plan: LabPlan, names: string[]): EndpointPlan[] {
  const devices = names.map((n) => deviceEnd(plan, n)).filter((e): e is EndpointPlan => e !== undefined);
  if (names.includes('any')) return [...plan.endpoints, ...devices];
  return [...plan.endpoints.filter((e) => names.includes(e.name)), ...devices];
}

/** Two endpoints on the same LAN: their traffic crosses no device of ours. */
export function sameSegment(plan: LabPlan, a: EndpointPlan, b: EndpointPlan): boolean {
  if (a.name === b.name) return true;
  const seg = (e: EndpointPlan): string | undefined =>
    e.kind === 'segment'
      ? e.name
      : e.kind === 'host'
        ? plan.model.endpoints.find((m) => m.name === e.name)?.segment
        : undefined;
  const sa = seg(a);
  return sa !== undefined && sa === seg(b);
}

export function wayNs(plan: LabPlan, via: string | undefined): string[] | undefined {
  if (!via) return undefined;
  const d = plan.devices.find((x) => x.id === via);
  return d ? [d.ns] : undefined;
}

/** Where an address outside the representatives is added so that probes can use it. */
export function placeAddress(
  plan: LabPlan,
  address: string,
): { ep?: EndpointPlan; extra?: ExtraAddress; why?: string } {
  const a = parseAddress(address);
  if (!a) return { why: `bad address ${address}` };
  const text = formatAddress(a);
  if (unusable(a))
    return { why: `${text} cannot be a host's address (unspecified, loopback, multicast or reserved)` };
  const ep = endpointOwning(plan, text);
  if (!ep) return { why: `${text} belongs to no endpoint` };
  if (Object.values(ep.representative).includes(text)) return { ep };
  // Every device of the lab, both parties' in a joint lab (plan.model is one party's): an
  // address of a device added to an endpoint would take the device's place, e.g. a gateway's.
  for (const { device: d } of plan.devices) {
    for (const i of d.interfaces) {
      if (i.addresses.some((x) => x.split('/')[0] === text))
        return { why: `${text} is ${d.id}'s own address` };
    }
  }
  const len = ep.hostInterface.lengths[a.family];
  if (ep.kind === 'host' || len === undefined) return { why: `${text} cannot be placed in ${ep.name}` };
  return { ep, extra: { ns: ep.ns, ifname: ep.hostInterface.ifname, address: `${text}/${len}` } };
}
