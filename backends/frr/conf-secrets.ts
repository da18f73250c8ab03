// Authentication in frr.conf: a BGP session's TCP-MD5 password, OSPFv2's MD5 key (key id 1,
// `ip ospf authentication message-digest`) and OSPFv3's RFC 7166 trailer (HMAC-SHA-256, key id
// 1). Each key line follows a `! secret NAME` comment that names its secret; the key itself is
// the secret's placeholder until `plumb compile` fills it (backends/secret-text.ts). FRR 8.4 has
// no key chains for OSPFv2 (`ip ospf authentication key-chain` is 9.x), so OSPFv2 is MD5.

import type { BgpNeighborModel, OspfModel } from '../../compiler/model.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { Span } from '../../language/diagnostic.js';
import type { KeyOwner, ReadSecret } from '../backend.js';
import { lineSpan, type ConfigLine } from '../config-text.js';
import { readSecretComment, secretComment, secretPlaceholder } from '../secret-text.js';
import type { FrrConfRead, ReaderState } from './conf-read-state.js';

type OspfInterface = OspfModel['interfaces'][number];

export function ospfAuthLines(i: OspfInterface, version: 'v2' | 'v3'): string[] {
  if (!i.authentication) return [];
  const key = secretPlaceholder(i.authentication.secret);
  const comment = ` ! ${secretComment(i.authentication.secret)}`;
  return version === 'v2'
    ? [' ip ospf authentication message-digest', comment, ` ip ospf message-digest-key 1 md5 ${key}`]
    : [comment, ` ipv6 ospf6 authentication key-id 1 hash-algo hmac-sha-256 key ${key}`];
}

export function bgpPasswordLines(n: BgpNeighborModel): string[] {
  if (!n.password) return [];
  return [` ! ${secretComment(n.password.secret)}`, ` neighbor ${n.address} password ${secretPlaceholder(n.password.secret)}`];
}

interface ReadKey {
  secret: string;
  value: string;
  span: Span;
}

interface SecretState {
  /** The secret the last `! secret NAME` comment named, for the next key line. */
  pending?: string;
  /** Per interface: `ip ospf authentication message-digest`, and each version's key. */
  ospf: Map<string, { digest?: Span; v2?: ReadKey; v3?: ReadKey }>;
  /** Per neighbour address: its password. */
  bgp: Map<string, ReadKey>;
}

const STATES = new WeakMap<ReaderState, SecretState>();

function secretState(state: ReaderState): SecretState {
  let s = STATES.get(state);
  if (!s) STATES.set(state, (s = { ospf: new Map(), bgp: new Map() }));
  return s;
}

/** A `! secret NAME` comment: remembered for the key line after it. */
export function secretCommentLine(state: ReaderState, comment: string): boolean {
  const name = readSecretComment(comment);
  if (name === undefined) return false;
  secretState(state).pending = name;
  return true;
}

function key(state: ReaderState, line: ConfigLine, value: string): ReadKey {
  const s = secretState(state);
  const secret = s.pending ?? '';
  s.pending = undefined;
  return { secret, value, span: lineSpan(line) };
}

/** An OSPF authentication line of an `interface` block; false when `t` is none. */
export function ospfAuthCommand(state: ReaderState, line: ConfigLine, t: string[]): boolean {
  const name = [...state.ifs].find(([, v]) => v === state.iface)?.[0];
  if (name === undefined) return false;
  const text = t.join(' ');
  const s = secretState(state);
  const entry = s.ospf.get(name) ?? {};
  if (text === 'ip ospf authentication message-digest') entry.digest = lineSpan(line);
  else if (t[0] === 'ip' && t[1] === 'ospf' && t[2] === 'message-digest-key') {
    if (t.length !== 6 || t[3] !== '1' || t[4] !== 'md5') {
      state.err(Codes.readerInexpressible, lineSpan(line), 'Plumb writes one OSPF MD5 key, key id 1: `ip ospf message-digest-key 1 md5 KEY`');
      return true;
    }
    entry.v2 = key(state, line, t[5]!);
  } else if (t[0] === 'ipv6' && t[1] === 'ospf6' && t[2] === 'authentication') {
    if (t.length !== 9 || t[3] !== 'key-id' || t[4] !== '1' || t[5] !== 'hash-algo' || t[6] !== 'hmac-sha-256' || t[7] !== 'key') {
      state.err(Codes.readerInexpressible, lineSpan(line), 'Plumb writes OSPFv3 authentication as `ipv6 ospf6 authentication key-id 1 hash-algo hmac-sha-256 key KEY`');
      return true;
    }
    entry.v3 = key(state, line, t[8]!);
  } else return false;
  s.ospf.set(name, entry);
  return true;
}

/** `neighbor X password KEY` inside `router bgp`. */
export function neighborPassword(state: ReaderState, line: ConfigLine, t: string[]): void {
  if (t.length !== 4) {
    state.err(Codes.readerMalformedValue, lineSpan(line), 'a BGP password is one word: `neighbor ADDRESS password KEY`');
    return;
  }
  secretState(state).bgp.set(t[1]!, key(state, line, t[3]!));
}

/**
 * Puts what was read on the model: each OSPF interface's secret (its OSPFv2 and OSPFv3 keys must
 * name the same one, and an MD5 key needs `authentication message-digest`), each neighbour's
 * password; and lists every key in `result.secrets`.
 */
export function putSecrets(state: ReaderState, result: FrrConfRead): void {
  const s = STATES.get(state);
  if (!s) return;
  const read: ReadSecret[] = [];
  const list = (k: ReadKey, owner: KeyOwner): void => void read.push({ secret: k.secret, value: k.value, file: k.span.file, line: k.span.start.line, owner });
  for (const [name, e] of s.ospf) {
    if (e.v2 && !e.digest) state.err(Codes.readerMissingPart, e.v2.span, `interface ${name} has an OSPF MD5 key but no \`ip ospf authentication message-digest\``, 'add the line: without it the key is not used');
    if (e.digest && !e.v2) state.err(Codes.readerMissingPart, e.digest, `interface ${name} asks for OSPF MD5 authentication but has no key`, 'add `ip ospf message-digest-key 1 md5 KEY`');
    if (e.v2 && e.v3 && e.v2.secret !== e.v3.secret)
      state.err(Codes.readerContradiction, e.v3.span, `interface ${name} authenticates OSPFv2 and OSPFv3 with different secrets`, 'Plumb authenticates both with the one secret of `routing ospf authentication`');
    const k = e.v2 ?? e.v3;
    if (e.v2) list(e.v2, { kind: 'ospf', interface: name });
    if (e.v3) list(e.v3, { kind: 'ospf', interface: name });
    const o = result.ospf?.interfaces.find((i) => i.name === name);
    if (k && o) o.authentication = { secret: k.secret };
    else if (k) state.err(Codes.readerInexpressible, k.span, `interface ${name} has an OSPF key but does not run OSPF`);
  }
  for (const [address, k] of s.bgp) {
    list(k, { kind: 'bgp', neighbor: address });
    const n = result.bgp?.neighbors.find((x) => x.address === address);
    if (n) n.password = { secret: k.secret };
    else state.err(Codes.readerUndefinedReference, k.span, `the password of ${address}, which is no BGP neighbour`);
  }
  if (read.length > 0) result.secrets = read;
}
