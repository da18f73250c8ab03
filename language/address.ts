// IPv4 and IPv6 addresses and prefixes as bigints: the arithmetic every stage needs
// (containment, overlap, host bits, allocation). Parsing is strict: what it accepts is exactly
// the text forms the language documents. No dependency beats 150 lines of exact bigint code
// that the verifier's bit-vector encoding can share.

export type Family = 4 | 6;

export interface Address {
  family: Family;
  value: bigint;
}

export interface Prefix {
  family: Family;
  /** The network address as written (may have host bits set; see `hasHostBits`). */
  value: bigint;
  length: number;
}

export const BITS: Record<Family, number> = { 4: 32, 6: 128 };

const IPV4_PART = /^(0|[1-9][0-9]{0,2})$/;

export function parseIPv4(text: string): bigint | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  let value = 0n;
  for (const part of parts) {
    if (!IPV4_PART.test(part)) return undefined;
    const n = Number(part);
    if (n > 255) return undefined;
    value = (value << 8n) | BigInt(n);
  }
  return value;
}

const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

export function parseIPv6(text: string): bigint | undefined {
  if (text.length === 0 || text.length > 45) return undefined;
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parseGroups = (s: string): bigint[] | undefined => {
    if (s === '') return [];
    const groups = s.split(':');
    const out: bigint[] = [];
    for (let i = 0; i < groups.length; i++) {
      const g = groups[i]!;
      if (i === groups.length - 1 && g.includes('.')) {
        const v4 = parseIPv4(g);
        if (v4 === undefined) return undefined;
        out.push(v4 >> 16n, v4 & 0xffffn);
      } else {
        if (!HEX_GROUP.test(g)) return undefined;
        out.push(BigInt(parseInt(g, 16)));
      }
    }
    return out;
  };
  const head = parseGroups(halves[0]!);
  const tail = halves.length === 2 ? parseGroups(halves[1]!) : [];
  if (!head || !tail) return undefined;
  let groups: bigint[];
  if (halves.length === 2) {
    const missing = 8 - head.length - tail.length;
    if (missing < 1) return undefined;
    groups = [...head, ...Array<bigint>(missing).fill(0n), ...tail];
  } else {
    groups = head;
  }
  if (groups.length !== 8) return undefined;
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

export function parseAddress(text: string): Address | undefined {
  const quad = dottedQuad(text, 0, text.length);
  if (quad >= 0) return sharedIPv4Address(quad);
  return parseAddressText(text);
}

function parseAddressText(text: string): Address | undefined {
  const cached = addressCache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  let parsed: Address | undefined;
  if (text.includes(':')) {
    const value = parseIPv6(text);
    parsed = value === undefined ? undefined : { family: 6, value };
  } else {
    const value = parseIPv4(text);
    parsed = value === undefined ? undefined : { family: 4, value };
  }
  remember(addressCache, text, parsed);
  return parsed;
}

/** Parses `ADDR/LEN`. Host bits are kept; check them with `hasHostBits`. */
export function parsePrefix(text: string): Prefix | undefined {
  const value = ipv4Prefix(text);
  if (value >= 0) return sharedIPv4Prefix(value, scannedLength);
  return parsePrefixGeneral(text);
}

/**
 * `parsePrefix` without the digit reader below: every text through the general parser and its
 * memo. Exported for the test that holds the two paths to the same answers.
 */
export function parsePrefixGeneral(text: string): Prefix | undefined {
  const cached = prefixCache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const parsed = parsePrefixText(text);
  remember(prefixCache, text, parsed);
  return parsed;
}

/** `parseAddress` without the digit reader: see `parsePrefixGeneral`. */
export function parseAddressGeneral(text: string): Address | undefined {
  return parseAddressText(text);
}

function parsePrefixText(text: string): Prefix | undefined {
  const slash = text.indexOf('/');
  if (slash < 0) return undefined;
  const addr = parseAddress(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (!addr || !/^(0|[1-9][0-9]{0,2})$/.test(lenText)) return undefined;
  const length = Number(lenText);
  if (length > BITS[addr.family]) return undefined;
  return { family: addr.family, value: addr.value, length };
}

// Every stage parses the same few thousand texts over and over (sort comparators, equality of
// read-back items, renderers): each text is parsed once and its frozen result shared. `null`
// stands for text that does not parse. A cache past its bound starts afresh, so memory stays
// bounded on any input.
const CACHE_BOUND = 1 << 20;
const addressCache = new Map<string, Address | null>();
const prefixCache = new Map<string, Prefix | null>();
const canonicalCache = new Map<string, string | null>();

function remember<T extends object>(cache: Map<string, T | null>, text: string, value: T | undefined): void {
  if (cache.size >= CACHE_BOUND) cache.clear();
  cache.set(text, value === undefined ? null : Object.freeze(value));
}

// Nearly every text the stages parse is an IPv4 address or prefix in its one written form
// (`10.1.2.3`, `10.1.2.0/24`: decimal, no leading zeros; 4.5 million of 4.5 million prefix
// parses at 400 devices). Such text is read digit by digit, and its result shared through a
// table keyed by its numbers: a look-up by a small integer touches far less memory than one by
// text, which hashes the text and compares it with the stored key character by character. The
// digit reader accepts only text that the general parser accepts, with the same value (the
// written form is unique, so each text still has one shared result); any other text (IPv6,
// malformed) takes the general path and its memo.

/** The value of the dotted quad `text[start, end)` in its written form, or -1 when it is not one. */
function dottedQuad(text: string, start: number, end: number): number {
  let i = start;
  let value = 0;
  for (let part = 0; part < 4; part++) {
    if (part > 0) {
      if (i >= end || text.charCodeAt(i) !== 46 /* . */) return -1;
      i++;
    }
    const n = decimal(text, i, end);
    if (n < 0 || n > 255) return -1;
    i = decimalEnd;
    value = value * 256 + n;
  }
  return i === end ? value : -1;
}

/** Where the last `decimal` stopped. */
let decimalEnd = 0;

/**
 * The number written at `text[i]` as `0|[1-9][0-9]{0,2}` (at most three digits, no leading
 * zero), or -1; `decimalEnd` is then the index after it. What follows is the caller's to check.
 */
function decimal(text: string, i: number, end: number): number {
  if (i >= end) return -1;
  let c = text.charCodeAt(i) - 48;
  if (c < 0 || c > 9) return -1;
  let n = c;
  i++;
  if (n !== 0) {
    for (let k = 0; k < 2 && i < end; k++) {
      c = text.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      n = n * 10 + c;
      i++;
    }
  }
  decimalEnd = i;
  return n;
}

/** The length `ipv4Prefix` read last. */
let scannedLength = 0;

/**
 * The address of an IPv4 prefix in its written form (`10.1.2.0/24`, host bits allowed), its
 * length left in `scannedLength`; -1 for any other text (IPv6, malformed: the general parser
 * says which).
 */
function ipv4Prefix(text: string): number {
  const slash = text.indexOf('/');
  if (slash < 0) return -1;
  const value = dottedQuad(text, 0, slash);
  if (value < 0) return -1;
  const length = decimal(text, slash + 1, text.length);
  if (length < 0 || length > 32 || decimalEnd !== text.length) return -1;
  scannedLength = length;
  return value;
}

/**
 * Where an IPv4 prefix in its written form sorts, as one number: its network address (host
 * bits cleared) times 64 plus its length, so that numbers order as `comparePrefixes` orders the
 * prefixes; -1 for any other text (IPv6, malformed: `parsePrefix` says which). For sorting
 * without a parsed object.
 */
export function ipv4PrefixOrder(text: string): number {
  const value = ipv4Prefix(text);
  if (value < 0) return -1;
  const length = scannedLength;
  const network = length === 0 ? 0 : (value & (-1 << (32 - length))) >>> 0;
  return network * 64 + length;
}

// By length, then by address as a 32-bit integer (a small integer to the engine, which a key
// of both in one number would not be).
const ipv4Prefixes: Map<number, Prefix>[] = Array.from({ length: 33 }, () => new Map());
let ipv4PrefixCount = 0;
const ipv4Addresses = new Map<number, Address>();

function sharedIPv4Prefix(value: number, length: number): Prefix {
  const byValue = ipv4Prefixes[length]!;
  const cached = byValue.get(value | 0);
  if (cached !== undefined) return cached;
  if (ipv4PrefixCount >= CACHE_BOUND) {
    for (const m of ipv4Prefixes) m.clear();
    ipv4PrefixCount = 0;
  }
  const p: Prefix = Object.freeze({ family: 4, value: BigInt(value), length });
  byValue.set(value | 0, p);
  ipv4PrefixCount++;
  return p;
}

function sharedIPv4Address(value: number): Address {
  const cached = ipv4Addresses.get(value | 0);
  if (cached !== undefined) return cached;
  if (ipv4Addresses.size >= CACHE_BOUND) ipv4Addresses.clear();
  const a: Address = Object.freeze({ family: 4, value: BigInt(value) });
  ipv4Addresses.set(value | 0, a);
  return a;
}

/** `mask(family, length)` for every length of both families, computed once. */
const MASKS: Record<Family, readonly bigint[]> = {
  4: Array.from({ length: 33 }, (_, n) => ((1n << BigInt(n)) - 1n) << BigInt(32 - n)),
  6: Array.from({ length: 129 }, (_, n) => ((1n << BigInt(n)) - 1n) << BigInt(128 - n)),
};

export function mask(family: Family, length: number): bigint {
  const m = MASKS[family][length];
  if (m !== undefined) return m;
  const bits = BITS[family];
  return ((1n << BigInt(length)) - 1n) << BigInt(bits - length);
}

export function network(p: Prefix): Prefix {
  return { family: p.family, value: p.value & mask(p.family, p.length), length: p.length };
}

export function hasHostBits(p: Prefix): boolean {
  return (p.value & ~mask(p.family, p.length)) !== 0n;
}

/** The host part's bits of a prefix of each length, for both families, computed once. */
const HOST_BITS: Record<Family, readonly bigint[]> = {
  4: Array.from({ length: 33 }, (_, n) => (1n << BigInt(32 - n)) - 1n),
  6: Array.from({ length: 129 }, (_, n) => (1n << BigInt(128 - n)) - 1n),
};

// The network's address with every host bit set is the address with every host bit set: no
// network prefix is made for it (prefix sets ask this of every member, over and over).
export function lastAddress(p: Prefix): bigint {
  const host = HOST_BITS[p.family][p.length] ?? (1n << BigInt(BITS[p.family] - p.length)) - 1n;
  return p.value | host;
}

export function size(p: Prefix): bigint {
  return 1n << BigInt(BITS[p.family] - p.length);
}

export function containsAddress(p: Prefix, a: Address): boolean {
  if (p.family !== a.family) return false;
  const m = mask(p.family, p.length);
  return (a.value & m) === (p.value & m);
}

/** True when `outer` contains every address of `inner`. */
export function containsPrefix(outer: Prefix, inner: Prefix): boolean {
  if (outer.family !== inner.family || outer.length > inner.length) return false;
  const m = mask(outer.family, outer.length);
  return (inner.value & m) === (outer.value & m);
}

export function overlaps(a: Prefix, b: Prefix): boolean {
  return containsPrefix(a, b) || containsPrefix(b, a);
}

export function formatIPv4(value: bigint): string {
  const n = Number(value & 0xffffffffn);
  return `${n >>> 24}.${(n >>> 16) & 0xff}.${(n >>> 8) & 0xff}.${n & 0xff}`;
}

/** RFC 5952 canonical text: lowercase, no leading zeros, the longest zero run (>1) as `::`. */
export function formatIPv6(value: bigint): string {
  const groups: number[] = [];
  for (let i = 7; i >= 0; i--) groups.push(Number((value >> BigInt(i * 16)) & 0xffffn));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const head = hex.slice(0, bestStart).join(':');
  const tail = hex.slice(bestStart + bestLen).join(':');
  return `${head}::${tail}`;
}

export function formatAddress(a: Address): string {
  return a.family === 4 ? formatIPv4(a.value) : formatIPv6(a.value);
}

export function formatPrefix(p: Prefix): string {
  return `${formatAddress({ family: p.family, value: p.value })}/${p.length}`;
}

/** Canonical text of a prefix string (network address, canonical IPv6), or undefined if invalid. */
export function canonicalPrefix(text: string): string | undefined {
  // An IPv4 prefix in its written form without host bits is its own canonical text.
  const value = ipv4Prefix(text);
  if (value >= 0 && (scannedLength === 0 ? value === 0 : (value & ~(-1 << (32 - scannedLength))) === 0)) return text;
  const cached = canonicalCache.get(text);
  if (cached !== undefined) return cached ?? undefined;
  const p = parsePrefix(text);
  const canonical = p ? formatPrefix(network(p)) : undefined;
  if (canonicalCache.size >= CACHE_BOUND) canonicalCache.clear();
  canonicalCache.set(text, canonical ?? null);
  return canonical;
}

/** Orders prefixes: IPv4 first, then by network address, then shorter first. */
export function comparePrefixes(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  const na = a.value & mask(a.family, a.length);
  const nb = b.value & mask(b.family, b.length);
  if (na !== nb) return na < nb ? -1 : 1;
  return a.length - b.length;
}

/** Parses a prefix known to be valid (e.g. one the compiler produced); throws on a bug. */
export function prefixOf(text: string): Prefix {
  const p = parsePrefix(text);
  if (!p) throw new Error(`internal: invalid prefix ${JSON.stringify(text)}`);
  return p;
}

/** Parses an address known to be valid; throws on a bug. */
export function addressOf(text: string): Address {
  const a = parseAddress(text);
  if (!a) throw new Error(`internal: invalid address ${JSON.stringify(text)}`);
  return a;
}
