// The counterexample a report shows. Z3's model is one packet out of the many that refute an
// assertion, and a model's values look arbitrary (a network address, source port 0). Here the
// model's packet is replaced, field by field in a fixed order, by a preferred value whenever the
// simulator confirms that the packet with it still refutes the assertion: the result is a pure
// function of the model's packet and the assertion, and reads like traffic a host would send.

import type { AssertionModel, NetworkModel } from '../compiler/model.js';
import { formatAddress, parseAddress, type Family } from '../language/address.js';
import { judgeIsolate, judgeReach, type Flow, type Judgement } from './judge.js';
import { netIndex } from './simulate.js';
import { inScope, inServices } from './scope.js';
import type { Packet } from './verdict.js';

/** The first port of the dynamic range (RFC 6335): the source port of a client's connection. */
export const CLIENT_PORT = 49152;

export { inServices };

/** The simulator's judgement of a packet against the assertion. */
export function judgeAssertion(model: NetworkModel, assertion: AssertionModel, flow: Flow, packet: Packet): Judgement {
  return assertion.property === 'reach' ? judgeReach(model, flow, packet, assertion.via) : judgeIsolate(model, flow, packet);
}

/**
 * The preferred counterexample for `packet` (itself a counterexample of `assertion`). Each step
 * proposes one change; it is kept when the packet stays in the assertion's services and scope and the
 * simulator still refutes the assertion with it.
 */
export function canonicalCounterexample(model: NetworkModel, assertion: AssertionModel, flow: Flow, packet: Packet): Packet {
  const steps: ((p: Packet) => Packet | undefined)[] = [
    (p) => withAddress(p, 'source', representative(model, flow.sources, p.family, p.source)),
    (p) => withAddress(p, 'destination', representative(model, flow.destinations, p.family, p.destination)),
    (p) => (p.sourcePort !== undefined && p.sourcePort !== CLIENT_PORT ? { ...p, sourcePort: CLIENT_PORT } : undefined),
    (p) => {
      const echo = p.family === 4 ? 8 : 128;
      return p.icmpType !== undefined && p.icmpType !== echo ? { ...p, icmpType: echo } : undefined;
    },
    (p) => (p.tcpFlags !== undefined && p.tcpFlags.join() !== 'syn' ? { ...p, tcpFlags: ['syn'] } : undefined),
  ];
  let current = packet;
  for (const step of steps) {
    const candidate = step(current);
    if (candidate && inServices(candidate, assertion.services) && inScope(candidate, assertion.scope) && !judgeAssertion(model, assertion, flow, candidate).holds) current = candidate;
  }
  return current;
}

function withAddress(p: Packet, field: 'source' | 'destination', address: string | undefined): Packet | undefined {
  return address === undefined || address === p[field] ? undefined : { ...p, [field]: address };
}

/**
 * The host address that stands for an endpoint (the first of the list whose addresses hold
 * `address`): its lowest address that is neither network-like nor broadcast-like (last octet,
 * IPv6: last 16 bits, neither all zeros nor all ones); its lowest address when it has none.
 * It depends on the endpoint only, not on where in it `address` lies.
 */
export function representative(model: NetworkModel, endpoints: readonly string[], family: Family, address: string): string | undefined {
  const a = parseAddress(address);
  if (!a || a.family !== family) return undefined;
  const idx = netIndex(model);
  for (const e of endpoints) {
    const set = idx.addresses(e, family);
    if (!set.some(([lo, hi]) => lo <= a.value && a.value <= hi)) continue;
    for (const [lo, hi] of set) {
      const host = hostLike(lo, hi, family);
      if (host !== undefined) return formatAddress({ family, value: host });
    }
    return formatAddress({ family, value: set[0]![0] });
  }
  return undefined;
}

function hostLike(lo: bigint, hi: bigint, family: Family): bigint | undefined {
  const low = family === 4 ? 0xffn : 0xffffn;
  for (let v = lo; v <= hi && v < lo + 3n; v++) {
    const tail = v & low;
    if (tail !== 0n && tail !== low) return v;
  }
  return undefined;
}
