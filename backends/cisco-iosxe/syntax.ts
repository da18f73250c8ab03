// IOS-XE spellings shared by the renderer and the reader: masks, wildcards, port operators,
// ICMP type names, and the names Plumb gives to the objects it generates.

import {
  formatIPv4,
  formatIPv6,
  mask,
  network,
  parseAddress,
  parseIPv4,
  type Prefix,
} from '../../language/address.js';
import type { PortRange } from '../../compiler/model.js';
import { ByNetwork } from './by-network.js';

export const CONFIG_SUFFIX = '.cfg';

/** The interface a discard route (StaticRouteModel.discard) points at: packets sent there are dropped. */
export const NULL_INTERFACE = 'Null0';

/** IOS remarks are at most 100 characters. */
export const REMARK_MAX = 100;
/** The remark that marks the explicit final entry of every ACL (IOS's implicit deny, written out). */
export const DEFAULT_REMARK = 'default action for packets no entry above matched';
/** The remark on the IPv6 neighbour-discovery entries that precede the explicit final deny. */
export const ND_REMARK = 'IPv6 neighbour discovery (IOS permits it implicitly only before its implicit deny)';
/**
 * The remark on the entries an inbound list starts with so that the router's own routing
 * sessions survive it (IOS filters traffic to the router too): BGP with the neighbours on the
 * interface, OSPF hellos and updates. They admit packets addressed to the router only, so no
 * forwarded packet's fate changes; the reader checks that and leaves them out of the model.
 */
export const CONTROL_REMARK = 'control plane: routing sessions of this router, not forwarded traffic';
/**
 * The infrastructure ACL (docs/backends/cisco-iosxe.md): with a local filter in the model, every
 * inbound list starts with the local filter's rules restricted to this router's own addresses,
 * under this head remark (`local filter NAME: ...`), and ends that part with SELF_REMARK's entry
 * (`deny ip any object-group SELF-...`); the forwarded filter follows.
 */
export const LOCAL_HEAD = 'local filter ';
export const LOCAL_HEAD_TAIL = ': packets addressed to this router, first match';
/** The entry that ends the local part: the local filter's default for the router's own addresses. */
export const SELF_REMARK = 'anything else addressed to this router (the local filter default)';
/** The IPv4 object-group of the router's own addresses is SELF- and a short hash of its lines. */
export const SELF_GROUP_PREFIX = 'SELF-';
/** The tail of the local filter's own list, bound where an interface has no inbound filter. */
export const NO_FILTER_REMARK = 'no inbound filter on these interfaces: forwarded packets pass';
/** The vty lines' access-class (standard IPv4 list; the IPv6 list is this + IPV6_ACL_SUFFIX). */
export const VTY_ACL = 'VTY-IN';
export const VTY_REMARK = "ssh to this router: the sources of the local filter's ssh rules";
/** The vty lines a Catalyst 8000V has, as `show running-config` groups them (0-4 exist by default). */
export const VTY_RANGES: readonly (readonly [number, number])[] = [
  [0, 4],
  [5, 15],
];
/** uRPF modes: `reachable-via rx` (strict) and `any` (loose); `allow-default` counts the default route, as the model does. */
export const URPF_MODE = { strict: 'rx', loose: 'any' } as const;
/** Prefix of the remark that carries the intent span of the entries below it. */
export const INTENT_REMARK = 'intent ';
/** The OSPF process id Plumb uses (one process per device). */
export const OSPF_PROCESS = 1;
/** The IPv6 ACL of filter F is F + this suffix (IOS keeps one namespace for IPv4 and IPv6 ACL names). */
export const IPV6_ACL_SUFFIX = '-ipv6';
/**
 * The line every IPv6 interface carries: IOS-XE sends router advertisements on an interface
 * with IPv6 by default, and the model has none (no host learns a default route from a router).
 */
export const RA_SUPPRESS = 'ipv6 nd ra suppress all';

/** Whether an address is an IPv6 link-local address (fe80::/10). */
export function isLinkLocal(address: string): boolean {
  // an IPv4 address (most next hops) has no colon: no parse needed to tell it is not one
  if (!address.includes(':')) return false;
  const a = parseAddress(address);
  return a !== undefined && a.family === 6 && a.value >> 118n === 0x3fan;
}

/** ICMPv6 types IOS needs permitted before an explicit `deny ipv6 any any`. */
export const ND_TYPES = ['nd-na', 'nd-ns'] as const;

// The 33 IPv4 masks and wildcards as written, by length: a route or an entry of a large file
// looks its mask up rather than formatting it again.
const MASK_LENGTHS = Array.from({ length: 33 }, (_, len) => len);
const DOTTED_MASKS = MASK_LENGTHS.map((len) => formatIPv4(mask(4, len)));
const WILDCARD_MASKS = MASK_LENGTHS.map((len) => formatIPv4(~mask(4, len) & 0xffffffffn));

export function dottedMask(length: number): string {
  return DOTTED_MASKS[length] ?? formatIPv4(mask(4, length));
}

export function wildcardMask(length: number): string {
  return WILDCARD_MASKS[length] ?? formatIPv4(~mask(4, length) & 0xffffffffn);
}

const WRITTEN_MASKS = new Map(MASK_LENGTHS.map((len) => [DOTTED_MASKS[len]!, len]));
const WRITTEN_WILDCARDS = new Map(MASK_LENGTHS.map((len) => [WILDCARD_MASKS[len]!, len]));

/** The prefix length of a contiguous dotted mask (`wildcard` true: the inverted form); undefined if not contiguous. */
export function maskLength(text: string, wildcard: boolean): number | undefined {
  // the 33 masks as IOS writes them are looked up; other spellings are parsed
  const written = (wildcard ? WRITTEN_WILDCARDS : WRITTEN_MASKS).get(text);
  if (written !== undefined) return written;
  const v = parseIPv4(text);
  if (v === undefined) return undefined;
  const m = wildcard ? ~v & 0xffffffffn : v;
  for (let len = 0; len <= 32; len++) if (mask(4, len) === m) return len;
  return undefined;
}

/**
 * Operands already written, per Prefix object. Only frozen prefixes are kept (those of
 * `parsePrefix`, which gives one object per text): they cannot change after their text is kept.
 * A large policy writes the same few networks in most of its entries.
 */
const ACL_OPERANDS = new WeakMap<Prefix, string>();

/** An ACL address operand for one prefix: `host A`, `A W` (IPv4) or `P/len` (IPv6). */
export function aclAddress(p: Prefix): string {
  const known = ACL_OPERANDS.get(p);
  if (known !== undefined) return known;
  const text = aclAddressText(p);
  if (Object.isFrozen(p)) ACL_OPERANDS.set(p, text);
  return text;
}

function aclAddressText(p: Prefix): string {
  const n = network(p);
  if (p.family === 4) {
    return n.length === 32 ? `host ${formatIPv4(n.value)}` : `${formatIPv4(n.value)} ${wildcardMask(n.length)}`;
  }
  return n.length === 128 ? `host ${formatIPv6(n.value)}` : `${formatIPv6(n.value)}/${n.length}`;
}

/** An object-group line for one prefix: `host A`, `A M` (IPv4 network groups take a mask) or `P/len`. */
export function groupAddress(p: Prefix): string {
  const n = network(p);
  if (p.family === 4) {
    return n.length === 32 ? `host ${formatIPv4(n.value)}` : `${formatIPv4(n.value)} ${dottedMask(n.length)}`;
  }
  return n.length === 128 ? `host ${formatIPv6(n.value)}` : `${formatIPv6(n.value)}/${n.length}`;
}

export function portOperand(range: PortRange): string {
  return range.from === range.to ? `eq ${range.from}` : `range ${range.from} ${range.to}`;
}

/** IOS's names for the ICMP types engineers know; other types are written as numbers. */
export const ICMP_NAMES: Record<4 | 6, Record<number, string>> = {
  4: { 0: 'echo-reply', 3: 'unreachable', 8: 'echo', 11: 'time-exceeded' },
  6: { 1: 'unreachable', 2: 'packet-too-big', 3: 'time-exceeded', 128: 'echo-request', 129: 'echo-reply', 135: 'nd-ns', 136: 'nd-na' },
};

export function icmpTypeText(family: 4 | 6, type: number): string {
  return ICMP_NAMES[family][type] ?? String(type);
}

/**
 * ICMP_NAMES the other way, per family (a name to its type): an entry's type word is looked up
 * here rather than by a walk over the names' entries, an array of pairs made for each entry read.
 */
const ICMP_TYPES: Record<4 | 6, ReadonlyMap<string, number>> = {
  4: new Map(Object.entries(ICMP_NAMES[4]).map(([type, name]) => [name, Number(type)])),
  6: new Map(Object.entries(ICMP_NAMES[6]).map(([type, name]) => [name, Number(type)])),
};

export function icmpTypeOf(family: 4 | 6, text: string): number | undefined {
  if (/^\d{1,3}$/.test(text)) {
    const n = Number(text);
    return n <= 255 ? n : undefined;
  }
  return ICMP_TYPES[family].get(text);
}

/** IP protocols IOS names in IPv4 ACEs (and shows by name in `show running-config`). IPv6
 * ACLs know fewer names: there they are written as numbers. */
const PROTOCOL_NAMES: Record<string, number> = { igmp: 2, gre: 47, esp: 50, ahp: 51, eigrp: 88, ospf: 89, pim: 103 };

/** IOS names for IP protocols in ACEs; others are numbers. IPv6 ACLs call ICMPv6 `icmp`. */
export function protocolText(family: 4 | 6, protocol: number | undefined): string {
  if (protocol === undefined) return family === 4 ? 'ip' : 'ipv6';
  if (protocol === 6) return 'tcp';
  if (protocol === 17) return 'udp';
  if (family === 4 && protocol === 1) return 'icmp';
  if (family === 6 && protocol === 58) return 'icmp';
  if (family === 4) for (const [name, n] of Object.entries(PROTOCOL_NAMES)) if (n === protocol) return name;
  return String(protocol);
}

/** The inverse of `protocolText`: null for `ip`/`ipv6` (any protocol), undefined when invalid. */
export function protocolOf(family: 4 | 6, text: string): number | null | undefined {
  if (text === (family === 4 ? 'ip' : 'ipv6')) return null;
  if (text === 'tcp') return 6;
  if (text === 'udp') return 17;
  if (text === 'icmp') return family === 4 ? 1 : 58;
  if (PROTOCOL_NAMES[text] !== undefined) return PROTOCOL_NAMES[text];
  if (/^\d{1,3}$/.test(text) && Number(text) <= 255) return Number(text);
  return undefined;
}

/** Object names Plumb generates: letters, digits, `-`, `_`, `.`; anything else becomes `_`. */
export function safeName(text: string): string {
  const s = text.replace(/[^A-Za-z0-9_.-]/g, '_');
  return s === '' ? '_' : s;
}

/** Splits a description into remark texts of at most REMARK_MAX characters, at single spaces. */
export function wrapRemark(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > REMARK_MAX) {
    let cut = -1;
    for (let i = Math.min(REMARK_MAX, rest.length - 1); i > 0; i--) {
      if (rest[i] === ' ' && rest[i - 1] !== ' ' && rest[i + 1] !== ' ' && rest[i + 1] !== undefined) {
        cut = i;
        break;
      }
    }
    if (cut < 0) break; // no clean break point: one long remark (IOS truncates; the reader keeps it)
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut + 1);
  }
  if (rest !== '') out.push(rest);
  return out;
}

/** Port names IOS shows in `show running-config` instead of numbers (the reader accepts both). */
export const PORT_NAMES: Record<string, number> = {
  'ftp-data': 20, ftp: 21, ssh: 22, telnet: 23, smtp: 25, domain: 53, bootps: 67, bootpc: 68, tftp: 69,
  www: 80, pop3: 110, ntp: 123, snmp: 161, snmptrap: 162, bgp: 179, ldap: 389, isakmp: 500, syslog: 514,
};

export function portOf(text: string): number | undefined {
  if (/^\d{1,5}$/.test(text)) {
    const n = Number(text);
    return n <= 65535 ? n : undefined;
  }
  return PORT_NAMES[text];
}

/**
 * A dotted IPv4 address as a number, accepting exactly what parseIPv4 accepts (four parts of
 * 0-255 without leading zeros), without its bigint and its cache: a router's thousands of static
 * routes are read, masked, formatted and sorted as numbers (read.ts).
 */
export function ipv4Number(text: string): number | undefined {
  const value = ipv4NumberIn(text, 0, text.length);
  return value < 0 ? undefined : value;
}

/** Where the last address ipv4NumberAt read ended. */
export const ipv4Scanned = { end: 0 };

/**
 * The dotted IPv4 address that starts `text` at `at` (four parts of 1-3 digits, no leading zero,
 * at most 255, before `end`) as a number, its end in `ipv4Scanned.end`; -1 when none starts there.
 * The caller checks what follows it.
 */
export function ipv4NumberAt(text: string, at: number, end: number): number {
  let value = 0;
  let i = at;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= end || text.charCodeAt(i) !== 0x2e) return -1;
      i++;
    }
    const start = i;
    let n = 0;
    while (i < end && i - start < 4) {
      const d = text.charCodeAt(i) - 48;
      if (d < 0 || d > 9) break;
      n = n * 10 + d;
      i++;
    }
    const digits = i - start;
    if (digits === 0 || digits > 3 || (digits > 1 && text.charCodeAt(start) === 48) || n > 255) return -1;
    value = value * 256 + n;
  }
  ipv4Scanned.end = i;
  return value;
}

/** The dotted IPv4 address spelled in `text`'s [at, end) as a number, as ipv4Number reads it;
 * -1 otherwise. The readers and the renderer take it from a line or a prefix without a slice. */
export function ipv4NumberIn(text: string, at: number, end: number): number {
  const value = ipv4NumberAt(text, at, end);
  return value >= 0 && ipv4Scanned.end === end ? value : -1;
}

/**
 * Whether the IPv4 address `a` has bits set past its first `length` (0-32): the address shifted
 * left by the length keeps only those bits. (Integer shifts, not `a % 2 ** (32 - length)`: a
 * power and a floating-point remainder for each of a large router's thousands of entries.)
 */
export function ipv4HostBits(a: number, length: number): boolean {
  // a shift counts modulo 32: a /32 has no host bits, and `a << 0` is the address itself
  return length < 32 && a << length !== 0;
}

/**
 * The texts ipv4NetworkText made, by length and network: the routers of a large network route to
 * the same networks (at 400 devices, 385,000 static routes to about 4,800), and a text made once
 * is one string for every route, not a new string of five pieces each. Emptied past
 * 65,536 entries.
 */
const networkTexts = new ByNetwork<string>(1 << 16);

/** How many network texts are kept (for the tests of the bound). */
export function keptNetworkTextCount(): number {
  return networkTexts.size;
}

/** `A.B.C.D/len` of the network of `value`/`length` (IPv4), as formatPrefix(network(p)) writes it. */
export function ipv4NetworkText(value: number, length: number): string {
  const n = length === 0 ? 0 : (value & (0xffffffff << (32 - length))) >>> 0;
  const known = networkTexts.get(length, n);
  if (known !== undefined) return known;
  const text = `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}/${length}`;
  networkTexts.set(length, n, text);
  return text;
}
