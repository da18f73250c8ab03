// The part of an assertion's flow that a question is about: an assertion's `scope` (the
// contract guarantees narrow their flows to prefixes, leave out the packets of the offers, and
// ask about connection-opening packets only) and the offers a `reach` to a contract's other
// party assumes. The SMT reading is here next to the concrete one, so that the queries and the
// confirmation of their counterexamples cannot disagree on which packets count.

import type { AssertionScope, AssumedOffers, PacketBox, ServiceModel } from '../compiler/model.js';
import { parseAddress, BITS, type Family } from '../language/address.js';
import { contains, intersect, prefixesToSet, type IntervalSet } from './intervals.js';
import type { NetIndex } from './netindex.js';
import { and, bv, ICMP4_TO_6, inSet, not, or, serviceFormula, type PacketTerms } from './smt.js';
import type { Packet } from './verdict.js';

/** An endpoint's addresses of one family, within the scope's prefixes when it has them. */
export function scopedAddresses(idx: NetIndex, name: string, family: Family, within: readonly string[] | undefined): IntervalSet {
  const all = idx.addresses(name, family);
  return within === undefined ? all : intersect(all, prefixesToSet(within, family));
}

/** The packets of the box, for one family: false when a prefix list holds none of the family. */
export function boxFormula(box: PacketBox, t: PacketTerms, family: Family): string {
  const w = BITS[family];
  const parts: string[] = [];
  if (box.sources !== undefined) parts.push(inSet(t.src, prefixesToSet(box.sources, family), w));
  if (box.destinations !== undefined) parts.push(inSet(t.dst, prefixesToSet(box.destinations, family), w));
  parts.push(serviceFormula(box.services, t, family));
  return and(parts);
}

/** The scope's constraints on the forward packet beyond its address sets: no `except` box, opening only. */
export function scopeFormulas(scope: AssertionScope | undefined, t: PacketTerms, family: Family): string[] {
  if (!scope) return [];
  const out = (scope.except ?? []).map((b) => not(boxFormula(b, t, family)));
  if (scope.opening) {
    out.push(`(not ${t.est})`);
    const requests = (proto: number, types: readonly number[]): string => `(not (and (= ${t.proto} ${bv(proto, 8)}) (not ${or(types.map((x) => `(= ${t.icmp} ${bv(x, 8)})`))})))`;
    out.push(requests(1, OPENING_ICMP[1]), requests(58, OPENING_ICMP[58]));
  }
  return out;
}

/**
 * The ICMP types that open a connection (echo, timestamp, information and address mask
 * requests; ICMPv6 echo request and node information query): errors and replies belong to a
 * connection and are never a packet that opens one.
 */
const OPENING_ICMP = { 1: [8, 13, 15, 17], 58: [128, 139] } as const;

/** A packet to the assumed party's addresses that no offer of it covers (a `reach` it cannot rely on). */
export function uncoveredFormula(idx: NetIndex, assumes: AssumedOffers, t: PacketTerms, family: Family): string {
  const theirs = idx.addresses(assumes.external, family);
  return and([inSet(t.dst, theirs, BITS[family]), not(or(assumes.offers.map((o) => boxFormula(o, t, family))))]);
}

function inPrefixes(address: string, prefixes: readonly string[]): boolean {
  const a = parseAddress(address);
  return a !== undefined && contains(prefixesToSet(prefixes, a.family), a.value);
}

/** Whether the packet is one of the box. */
export function inBox(p: Packet, box: PacketBox): boolean {
  if (box.sources !== undefined && !inPrefixes(p.source, box.sources)) return false;
  if (box.destinations !== undefined && !inPrefixes(p.destination, box.destinations)) return false;
  return inServices(p, box.services);
}

/** Whether the packet is one the scope asks about (the concrete reading of the formulas above). */
export function inScope(p: Packet, scope: AssertionScope | undefined): boolean {
  if (!scope) return true;
  if (scope.sources !== undefined && !inPrefixes(p.source, scope.sources)) return false;
  if (scope.destinations !== undefined && !inPrefixes(p.destination, scope.destinations)) return false;
  if ((scope.except ?? []).some((b) => inBox(p, b))) return false;
  if (scope.opening && p.protocol === 6 && (p.tcpFlags ?? []).some((f) => f === 'ack' || f === 'rst')) return false;
  if (scope.opening && (p.protocol === 1 || p.protocol === 58) && !(OPENING_ICMP[p.protocol] as readonly number[]).includes(p.icmpType ?? -1)) return false;
  return true;
}

/** Whether the packet goes to the assumed party outside every one of its offers. */
export function uncovered(idx: NetIndex, p: Packet, assumes: AssumedOffers): boolean {
  const a = parseAddress(p.destination);
  if (!a || !contains(idx.addresses(assumes.external, a.family), a.value)) return false;
  return !assumes.offers.some((o) => inBox(p, o));
}

/** Whether the packet is one of the services (the concrete reading of smt.ts's serviceFormula). */
export function inServices(p: Packet, services: readonly ServiceModel[]): boolean {
  return services.some((s) => {
    let protocol = s.protocol;
    let icmpType = s.icmpType;
    if (p.family === 6 && protocol === 1) {
      protocol = 58;
      if (icmpType !== undefined) icmpType = ICMP4_TO_6[icmpType] ?? icmpType;
    }
    if (p.family === 4 && protocol === 58) return false;
    if (protocol !== undefined && p.protocol !== protocol) return false;
    if (s.ports) {
      if (p.destinationPort === undefined) return false;
      const port = p.destinationPort;
      if (!s.ports.some((r) => r.from <= port && port <= r.to)) return false;
    }
    if (icmpType !== undefined && p.icmpType !== icmpType) return false;
    return true;
  });
}
