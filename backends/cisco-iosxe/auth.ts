// Authentication in an IOS-XE configuration: a BGP session's TCP-MD5 password (`neighbor X
// password KEY` in `router bgp`) and OSPFv2's MD5 key on each OSPF interface (`ip ospf
// authentication message-digest`, `ip ospf message-digest-key 1 md5 KEY`). Each key line follows
// a `! secret NAME` comment that names its secret; the key is the secret's placeholder until
// `plumb compile` fills it (backends/secret-text.ts). OSPFv3 is not authenticated on IOS-XE
// (C720): docs/backends/cisco-iosxe.md says why.
//
// Read back in both forms IOS prints a key: as typed (`KEY`, `0 KEY`) and, under `service
// password-encryption`, type 7 (`7 HEX`), a reversible encoding that is decoded here. Under
// `password encryption aes` IOS prints type 6 (`6 TEXT`), encrypted with the device's master key:
// it is read, but only as `encrypted` (the drift check does not compare it), as are the one-way
// hashes of types 8 and 9. IOS drops comments, so a running configuration names no secret: the
// key is read with the secret '' and its owner (the neighbour or interface), and the pipeline
// finds the name in the intent (pipeline/running.ts, pipeline/key-drift.ts).

import type { BgpNeighborModel, DeviceModel, OspfModel } from '../../compiler/model.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { Span } from '../../language/diagnostic.js';
import type { KeyOwner, ReadSecret } from '../backend.js';
import { textSpan, wordSpanAt } from '../config-text.js';
import { readSecretComment, secretComment, secretPlaceholder } from '../secret-text.js';
import type { IosLine } from './lines.js';
import type { IosState } from './read-state.js';

type OspfInterface = OspfModel['interfaces'][number];

/** The lines of an OSPFv2 interface that authenticates, after its other `ip ospf` lines. */
export function ospfAuthLines(i: OspfInterface): string[] {
  if (!i.authentication) return [];
  const name = i.authentication.secret;
  return [' ip ospf authentication message-digest', ` ! ${secretComment(name)}`, ` ip ospf message-digest-key 1 md5 ${secretPlaceholder(name)}`];
}

/** A neighbour's password in `router bgp`, with the comment that names its secret. */
export function bgpPasswordLines(n: BgpNeighborModel): string[] {
  if (!n.password) return [];
  return [` ! ${secretComment(n.password.secret)}`, ` neighbor ${n.address} password ${secretPlaceholder(n.password.secret)}`];
}

/** The table of Cisco's type 7 encoding (`service password-encryption`). */
const TYPE7 = 'dsfd;kfoA,.iyewrkldJKDHSUBsgvca69834ncxv9873254k;fg87';

/**
 * A type 7 string decoded: two decimal digits (the table offset), then one hex byte per character,
 * each XORed with the table from that offset on. Undefined when it is not one.
 */
export function decodeType7(text: string): string | undefined {
  if (!/^[0-9]{2}(?:[0-9A-Fa-f]{2})+$/.test(text)) return undefined;
  const seed = Number(text.slice(0, 2));
  if (seed >= TYPE7.length) return undefined;
  let out = '';
  for (let i = 2; i < text.length; i += 2) out += String.fromCharCode(parseInt(text.slice(i, i + 2), 16) ^ TYPE7.charCodeAt((seed + (i - 2) / 2) % TYPE7.length));
  return out;
}

/** A key as IOS encodes it under `service password-encryption`, from table offset `seed` (tests, docs). */
export function encodeType7(key: string, seed = 2): string {
  let out = String(seed).padStart(2, '0');
  for (let i = 0; i < key.length; i++) out += (key.charCodeAt(i) ^ TYPE7.charCodeAt((seed + i) % TYPE7.length)).toString(16).toUpperCase().padStart(2, '0');
  return out;
}

interface ReadKey {
  secret: string;
  value: string;
  span: Span;
  /** The encryption type of a key that cannot be decoded (`6`, `8`, `9`). */
  encrypted?: string;
}

/** Key types IOS prints that cannot be turned back into the key: AES-encrypted (6), hashed (8, 9). */
const UNDECODABLE_TYPES = new Set(['6', '8', '9']);

interface AuthState {
  /** The secret the last `! secret NAME` comment named, for the next key line. */
  pending?: string;
  /** Per interface (IOS name): `ip ospf authentication message-digest` and its key. */
  ospf: Map<string, { digest?: Span; key?: ReadKey }>;
  /** Per neighbour address: its password. */
  bgp: Map<string, ReadKey>;
}

const STATES = new WeakMap<IosState, AuthState>();

function authState(reader: IosState): AuthState {
  let s = STATES.get(reader);
  if (!s) STATES.set(reader, (s = { ospf: new Map(), bgp: new Map() }));
  return s;
}

/** A `! secret NAME` comment: remembered for the key line after it. */
export function secretCommentLine(reader: IosState, l: IosLine): boolean {
  const name = readSecretComment(l.text.trim().replace(/^!/, ''));
  if (name === undefined) return false;
  authState(reader).pending = name;
  return true;
}

/** The key of `words[at..]`: `KEY`, `0 KEY`, `7 HEX` (decoded) or `6|8|9 TEXT` (encrypted); undefined after an error. */
function keyOf(reader: IosState, l: IosLine, w: readonly string[], at: number): ReadKey | undefined {
  const s = authState(reader);
  const secret = s.pending ?? '';
  s.pending = undefined;
  const rest = w.slice(at);
  if (rest.length === 1) return { secret, value: rest[0]!, span: textSpan(l) };
  if (rest.length === 2 && rest[0] === '0') return { secret, value: rest[1]!, span: textSpan(l) };
  if (rest.length === 2 && rest[0] === '7') {
    const value = decodeType7(rest[1]!);
    if (value === undefined) reader.bad(l, at + 1, `\`${rest[1]}\` is not a type 7 key`);
    return value === undefined ? undefined : { secret, value, span: textSpan(l) };
  }
  if (rest.length === 2 && UNDECODABLE_TYPES.has(rest[0]!)) return { secret, value: '', span: textSpan(l), encrypted: rest[0]! };
  reader.reporter.error(Codes.readerInexpressible, wordSpanAt(l, at), 'Plumb reads a key as one word, as typed (`KEY`, `0 KEY`), type 7 (`7 HEX`) or encrypted (`6 TEXT`)', 'A key with blanks or another encryption type is not one Plumb writes.');
  return undefined;
}

/** `neighbor X password [0|7] KEY` in `router bgp`. */
export function neighborPassword(reader: IosState, l: IosLine, w: readonly string[], address: string): void {
  const k = keyOf(reader, l, w, 3);
  if (k) authState(reader).bgp.set(address, k);
}

/** An OSPF authentication line of interface `name`; false when `w` is none. */
export function ospfAuthLine(reader: IosState, name: string, l: IosLine, w: readonly string[]): boolean {
  const text = w.join(' ');
  if (!text.startsWith('ip ospf authentication') && !text.startsWith('ip ospf message-digest-key')) return false;
  const s = authState(reader);
  const entry = s.ospf.get(name) ?? {};
  s.ospf.set(name, entry);
  if (text === 'ip ospf authentication message-digest') entry.digest = textSpan(l);
  else if (w[3] === '1' && w[4] === 'md5' && w[2] === 'message-digest-key') {
    const k = keyOf(reader, l, w, 5);
    if (k) entry.key = k;
  } else
    reader.reporter.error(Codes.readerInexpressible, textSpan(l), 'Plumb authenticates OSPF with one MD5 key, key id 1: `ip ospf authentication message-digest` and `ip ospf message-digest-key 1 md5 KEY`');
  return true;
}

/**
 * Puts what was read on the device (before its interfaces are renamed): each OSPF interface's
 * secret (an MD5 key needs `authentication message-digest`, and the other way round), each
 * neighbour's password; returns every key read, for `ReadResult.secrets`.
 */
export function putAuthentication(reader: IosState, device: DeviceModel): ReadSecret[] | undefined {
  const s = STATES.get(reader);
  if (!s) return undefined;
  const read: ReadSecret[] = [];
  const list = (k: ReadKey, owner: KeyOwner): void =>
    void read.push({ secret: k.secret, value: k.value, file: k.span.file, line: k.span.start.line, owner, ...(k.encrypted !== undefined ? { encrypted: `type ${k.encrypted}` } : {}) });
  for (const [name, e] of s.ospf) {
    if (e.key && !e.digest) reader.reporter.error(Codes.readerMissingPart, e.key.span, `interface ${name} has an OSPF MD5 key but no \`ip ospf authentication message-digest\``, 'Add the line: without it the key is not used.');
    if (e.digest && !e.key) reader.reporter.error(Codes.readerMissingPart, e.digest, `interface ${name} asks for OSPF MD5 authentication but has no key`, 'Add `ip ospf message-digest-key 1 md5 KEY`.');
    if (!e.key) continue;
    list(e.key, { kind: 'ospf', interface: name });
    const o = device.ospf?.interfaces.find((i) => i.name === name);
    if (o && !o.passive) o.authentication = { secret: e.key.secret };
    else reader.reporter.error(Codes.readerInexpressible, e.key.span, `interface ${name} has an OSPF key but ${o ? 'is passive' : 'does not run OSPF'}`, 'Plumb authenticates the interfaces that form adjacencies.');
  }
  for (const [address, k] of s.bgp) {
    list(k, { kind: 'bgp', neighbor: address });
    const n = device.bgp?.neighbors.find((x) => x.address === address);
    if (n) n.password = { secret: k.secret };
  }
  return read.length > 0 ? read : undefined;
}
