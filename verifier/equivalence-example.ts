// The example packet of a difference between two rule lists. Z3's model is one packet out of the
// many the lists decide differently, and its values look arbitrary (protocol 249 to
// 245.245.254.0). Here it is replaced by the first of a fixed list of candidates, tried in turn,
// that the two lists still decide differently (the simulator's first match, `decide`): TCP, then
// UDP, then ICMP, to the intent's service ports first and then well-known ones; addresses inside
// the intent's endpoint prefixes (the prefixes the expected device's rules name), then inside the
// rules' own prefixes; never a multicast or reserved address while another differs. A pure
// function of the pair, the packet and the hints: the same input gives the same packet, and it
// costs no solver call.

import type { DeviceModel, FilterRule, Match } from '../compiler/model.js';
import { BITS, formatAddress, parseAddress, type Family } from '../language/address.js';
import { CLIENT_PORT } from './canonical.js';
import { decide, type ListPair, type RuleDecision, type RuleList } from './equivalence-filters.js';
import { contains, normalize, prefixRange, type IntervalSet } from './intervals.js';
import type { Packet, TcpFlag } from './verdict.js';

/** What the intent holds, most telling first: where a person's example packet would come from. */
export interface PacketHints {
  /** Prefixes that traffic comes from (endpoints' prefixes, as the rules name them). */
  sources: readonly string[];
  /** Prefixes that traffic goes to. */
  destinations: readonly string[];
  /** Destination ports of the intent's services, with their protocol (6 or 17). */
  ports: readonly { protocol: number; port: number }[];
  /** The device's own addresses (the destinations of packets addressed to the device itself). */
  own: readonly string[];
}

/** Ports people know, most common first: tried after the intent's own. */
export const WELL_KNOWN_PORTS: readonly number[] = [443, 80, 22, 53, 25, 123, 161, 179, 3389, 8080, 21, 23, 110, 143, 389, 636, 993, 995, 1433, 3306, 5432];

/** Hosts of the public Internet, for a difference that holds for any address and no intent prefix. */
const PUBLIC_HOSTS: Record<Family, readonly string[]> = { 4: ['8.8.8.8', '1.1.1.1'], 6: ['2001:4860:4860::8888', '2606:4700:4700::1111'] };

/**
 * Addresses no host sends from or to: unspecified, loopback, multicast, class E, mapped, IPv6
 * link-local (IPv4's 169.254.0.0/16 is not among them: intents number cloud interconnects in it).
 */
const RESERVED: Record<Family, readonly string[]> = {
  4: ['0.0.0.0/8', '127.0.0.0/8', '224.0.0.0/4', '240.0.0.0/4'],
  6: ['::/127', '::ffff:0:0/96', 'fe80::/10', 'ff00::/8'],
};

function reservedValue(family: Family, v: bigint): boolean {
  return RESERVED[family].some((p) => {
    const [, lo, hi] = prefixRange(p);
    return lo <= v && v <= hi;
  });
}

export function isReserved(address: string): boolean {
  const a = parseAddress(address);
  return !a || reservedValue(a.family, a.value);
}

/** The hints a device's own compiled rules give: the prefixes and ports the intent put there. */
export function deviceHints(device: DeviceModel): PacketHints {
  const sources: string[] = [];
  const destinations: string[] = [];
  const ports: { protocol: number; port: number }[] = [];
  const seenPorts = new Set<string>();
  const rules: FilterRule[] = [...device.filters.flatMap((f) => f.rules), ...device.securityRules];
  for (const r of rules) {
    if (r.action !== 'permit') continue;
    for (const p of r.match.sources ?? []) if (!sources.includes(p)) sources.push(p);
    for (const p of r.match.destinations ?? []) if (!destinations.includes(p)) destinations.push(p);
    if ((r.match.protocol === 6 || r.match.protocol === 17) && r.match.sourcePorts === undefined) {
      for (const range of r.match.destinationPorts ?? []) {
        const key = `${r.match.protocol}/${range.from}`;
        if (range.from !== range.to || seenPorts.has(key)) continue;
        seenPorts.add(key);
        ports.push({ protocol: r.match.protocol, port: range.from });
      }
    }
  }
  const own = device.interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0]!));
  const subnets = device.interfaces.flatMap((i) => (i.role === 'loopback' ? [] : i.addresses));
  return { sources: [...sources, ...subnets], destinations: [...destinations, ...subnets], ports, own };
}

/** The lowest address of the prefix that looks like a host (last octet, IPv6 last 16 bits, neither 0 nor all ones). */
function hostIn(prefix: string, family: Family): bigint | undefined {
  const [f, lo, hi] = prefixRange(prefix);
  if (f !== family) return undefined;
  const low = family === 4 ? 0xffn : 0xffffn;
  for (let v = lo; v <= hi && v < lo + 3n; v++) {
    const tail = v & low;
    if (tail !== 0n && tail !== low) return v;
  }
  return lo;
}

/** A host just past the prefix (where the next region of the address space starts). */
function pastEnd(prefix: string, family: Family): bigint | undefined {
  const [f, , hi] = prefixRange(prefix);
  const next = hi + 2n;
  return f === family && next < 1n << BigInt(BITS[family]) ? next : undefined;
}

/** Candidate addresses for one field, most preferred first, as numbers of the packet's family. */
function addressCandidates(field: 'source' | 'destination', pair: ListPair, hints: PacketHints, family: Family): bigint[] {
  const out: bigint[] = [];
  const seen = new Set<bigint>();
  const add = (v: bigint | undefined, reservedToo = false): void => {
    if (v === undefined || seen.has(v) || (!reservedToo && reservedValue(family, v))) return;
    seen.add(v);
    out.push(v);
  };
  const addText = (a: string): void => {
    const p = parseAddress(a);
    if (p?.family === family) add(p.value);
  };
  const unique = (ps: readonly string[]): string[] => [...new Set(ps)];
  const [near, far] = field === 'source' ? [hints.sources, hints.destinations] : [hints.destinations, hints.sources];
  if (field === 'destination' && pair.scope.kind === 'local') for (const a of hints.own) addText(a);
  // A prefix as short as a default route says nothing of the intent: its lowest host is no example.
  const telling = (p: string): boolean => {
    const [f, lo, hi] = prefixRange(p);
    return hi - lo < 1n << BigInt(BITS[f] - 8);
  };
  const ruleField = field === 'source' ? 'sources' : 'destinations';
  const named = (rules: readonly FilterRule[], action: FilterRule['action']): string[] => rules.filter((r) => r.action === action).flatMap((r) => r.match[ruleField] ?? []);
  // what the intent admits at this place first, then the intent's other prefixes on this device,
  // then whatever either side's rules name (a bogon list, a hand-written prefix)
  for (const p of unique(named(pair.expected.rules, 'permit'))) if (telling(p)) add(hostIn(p, family));
  for (const p of unique([...near, ...far])) if (telling(p)) add(hostIn(p, family));
  const ruled = unique([...pair.expected.rules, ...pair.actual.rules].flatMap((r) => r.match[ruleField] ?? []));
  for (const p of ruled) add(hostIn(p, family));
  for (const p of ruled) add(pastEnd(p, family));
  for (const a of PUBLIC_HOSTS[family]) addText(a);
  // only reserved addresses differ (a multicast group): a host-like one of the rules' prefixes
  for (const p of ruled) add(hostIn(p, family), true);
  return out;
}

function transportCandidates(pair: ListPair, hints: PacketHints, family: Family): Partial<Packet>[] {
  const rules = [...pair.expected.rules, ...pair.actual.rules];
  const ports = (protocol: number): number[] => {
    const out: number[] = [];
    const add = (n: number): void => {
      if (!out.includes(n)) out.push(n);
    };
    for (const h of hints.ports) if (h.protocol === protocol) add(h.port);
    for (const n of WELL_KNOWN_PORTS) add(n);
    for (const r of rules) {
      if (r.match.protocol !== undefined && r.match.protocol !== protocol) continue;
      for (const range of [...(r.match.destinationPorts ?? []), ...(r.match.sourcePorts ?? [])]) {
        const known = WELL_KNOWN_PORTS.find((n) => range.from <= n && n <= range.to);
        add(known ?? range.from);
        if (range.to < 65535) add(range.to + 1);
      }
    }
    return out;
  };
  const out: Partial<Packet>[] = [];
  for (const protocol of [6, 17]) {
    const list = ports(protocol);
    const flagSets: (TcpFlag[] | undefined)[] = protocol === 6 ? [['syn'], ['ack']] : [undefined];
    for (const tcpFlags of flagSets) {
      const flags = tcpFlags ? { tcpFlags } : {};
      // a client's first packet, then a server's reply, then pairs of the first known ports
      for (const d of list) out.push({ protocol, sourcePort: CLIENT_PORT, destinationPort: d, ...flags });
      for (const s of list) out.push({ protocol, sourcePort: s, destinationPort: CLIENT_PORT, ...flags });
      for (const s of list.slice(0, 8)) for (const d of list.slice(0, 8)) out.push({ protocol, sourcePort: s, destinationPort: d, ...flags });
    }
  }
  const icmp = family === 4 ? 1 : 58;
  const types = family === 4 ? [8, 0, 3, 11] : [128, 129, 1, 2, 3];
  for (const r of rules) if (r.match.icmpType !== undefined && !types.includes(r.match.icmpType)) types.push(r.match.icmpType);
  for (const icmpType of types) out.push({ protocol: icmp, icmpType });
  return out;
}

/** The packet with a new transport: the fields of the old protocol that the new one has not are dropped. */
function withTransport(p: Packet, t: Partial<Packet>): Packet {
  return { family: p.family, source: p.source, destination: p.destination, ...t } as Packet;
}

export interface ExampleOutcome {
  packet: Packet;
  expected: RuleDecision;
  actual: RuleDecision;
}

/** A rule list for trying many packets of one family: its prefixes as interval sets. */
interface FastList {
  rules: { action: 'permit' | 'deny'; match: Match; src?: IntervalSet; dst?: IntervalSet }[];
  defaultAction: 'permit' | 'deny';
}

/** The prefixes' addresses of one family (prefixRange keeps every prefix it has parsed). */
function setOf(prefixes: readonly string[], family: Family): IntervalSet {
  const items: [bigint, bigint][] = [];
  for (const p of prefixes) {
    const [f, lo, hi] = prefixRange(p);
    if (f === family) items.push([lo, hi]);
  }
  return normalize(items);
}

function fastList(list: RuleList, family: Family): FastList {
  return {
    defaultAction: list.defaultAction,
    rules: list.rules.map((r) => ({
      action: r.action,
      match: r.match,
      ...(r.match.sources ? { src: setOf(r.match.sources, family) } : {}),
      ...(r.match.destinations ? { dst: setOf(r.match.destinations, family) } : {}),
    })),
  };
}

/** The action of the list's first match: simulate.ts's `matches`, with the addresses as numbers. */
function fastAction(list: FastList, p: Packet, src: bigint, dst: bigint, fromZone: string | undefined, toZone: string | undefined): 'permit' | 'deny' {
  const ported = p.protocol === 6 || p.protocol === 17;
  const inRanges = (rs: Match['sourcePorts'], port: number | undefined): boolean => ported && rs!.some((r) => r.from <= (port ?? 0) && (port ?? 0) <= r.to);
  for (const r of list.rules) {
    const m = r.match;
    if (r.src && !contains(r.src, src)) continue;
    if (r.dst && !contains(r.dst, dst)) continue;
    if (m.protocol !== undefined && m.protocol !== p.protocol) continue;
    if (m.sourcePorts && !inRanges(m.sourcePorts, p.sourcePort)) continue;
    if (m.destinationPorts && !inRanges(m.destinationPorts, p.destinationPort)) continue;
    if (m.icmpType !== undefined && !((p.protocol === 1 || p.protocol === 58) && p.icmpType === m.icmpType)) continue;
    if (m.tcpEstablished && !(p.protocol === 6 && (p.tcpFlags ?? []).some((f) => f === 'ack' || f === 'rst'))) continue;
    if (m.fromZones && !(fromZone !== undefined && m.fromZones.includes(fromZone))) continue;
    if (m.toZones && !(toZone !== undefined && m.toZones.includes(toZone))) continue;
    return r.action;
  }
  return list.defaultAction;
}

/**
 * The realistic example for a packet the two lists decide differently: transport, then
 * destination, then source, each replaced by its first candidate that still differs; once more
 * when an address changed, since a new address may admit a better transport. The result is
 * checked with the simulator's own `decide`; should that disagree, the solver's packet is kept.
 */
export function realisticExample(pair: ListPair, packet: Packet, hints: PacketHints): ExampleOutcome {
  const family = packet.family;
  const [fromZone, toZone] = pair.scope.kind === 'security' ? [pair.scope.fromZone, pair.scope.toZone] : [undefined, undefined];
  const expected = fastList(pair.expected, family);
  const actual = fastList(pair.actual, family);
  const differs = (p: Packet, src: bigint, dst: bigint): boolean => fastAction(expected, p, src, dst, fromZone, toZone) !== fastAction(actual, p, src, dst, fromZone, toZone);
  let current = packet;
  let src = parseAddress(packet.source)!.value;
  let dst = parseAddress(packet.destination)!.value;
  const transports = transportCandidates(pair, hints, family).map((t) => withTransport(packet, t));
  const sources = addressCandidates('source', pair, hints, family);
  const destinations = addressCandidates('destination', pair, hints, family);
  for (let pass = 0; pass < 2; pass++) {
    const before = [src, dst];
    const t = transports.find((c) => differs(c, src, dst));
    if (t) current = t;
    // a packet from an address to itself is no example while another one differs
    dst = destinations.find((v) => v !== src && differs(current, src, v)) ?? dst;
    src = sources.find((v) => v !== dst && differs(current, v, dst)) ?? src;
    if (before[0] === src && before[1] === dst) break;
  }
  current = { ...current, source: formatAddress({ family, value: src }), destination: formatAddress({ family, value: dst }) };
  const outcome = (p: Packet): ExampleOutcome => ({ packet: p, expected: decide(pair.expected, p, pair.scope), actual: decide(pair.actual, p, pair.scope) });
  const shown = outcome(current);
  return shown.expected.action !== shown.actual.action ? shown : outcome(packet);
}
