// Authentication on the virtual router: a BGP session's TCP-MD5 password (`protocol bgp
// auth-profile NAME secret KEY`, named by the peer's `connection-options authentication NAME`)
// and OSPFv2's MD5 key (`protocol ospf auth-profile NAME md5 1 key KEY`, named by each OSPF
// interface's `authentication NAME`). One profile per secret, named after it; the key element
// follows a `<!-- secret NAME -->` comment that names its secret, and holds the secret's
// placeholder until `plumb compile` fills it (backends/secret-text.ts). OSPFv3 is not
// authenticated on PAN-OS (C720): its profiles are IPsec (an SPI with ESP or AH, RFC 4552), not
// the model's authentication trailer (RFC 7166).
//
// Read back from Plumb's files by the comment's name and the key as written. PAN-OS drops the
// comments and prints a key encrypted with its master key (`-AQ==…`): a running configuration
// names no secret, so the key is read with the secret '' and its owner (the neighbour or
// interface), for the pipeline to find the name in the intent, and only as `encrypted` (its
// value is not compared).

import type { KeyOwner, ReadSecret } from '../backend.js';
import { Codes } from '../../language/diagnostics/index.js';
import { readSecretComment, secretComment, secretPlaceholder } from '../secret-text.js';
import { NameTable } from './names.js';
import type { XmlReading } from './read-xml.js';
import { comment, comments, el, entry, type XmlElement } from './xml.js';

/** PAN-OS's longest name of an authentication profile. */
const PROFILE_NAME_MAX = 31;
/** The OSPF MD5 key id, as the FRR and IOS-XE backends write it (both ends must agree). */
export const OSPF_KEY_ID = '1';
/** How PAN-OS prints a key it has encrypted with its master key. */
const ENCRYPTED = /^-AQ==/;

/** Secret name → the name of its authentication profile, sorted by secret, each once. */
export function authProfileNames(secrets: string[]): Map<string, string> {
  const names = new NameTable(PROFILE_NAME_MAX);
  return new Map([...new Set(secrets)].sort().map((s) => [s, names.take(s)]));
}

/** `<auth-profile>` of `protocol bgp`: one TCP-MD5 secret per profile. */
export function bgpAuthProfilesXml(profiles: Map<string, string>): XmlElement | undefined {
  if (profiles.size === 0) return undefined;
  return el('auth-profile', [...profiles].map(([secret, name]) => entry(name, [comment(secretComment(secret)), el('secret', secretPlaceholder(secret))])));
}

/** `<auth-profile>` of `protocol ospf`: one MD5 key, key id 1, per profile. */
export function ospfAuthProfilesXml(profiles: Map<string, string>): XmlElement | undefined {
  if (profiles.size === 0) return undefined;
  return el(
    'auth-profile',
    [...profiles].map(([secret, name]) =>
      entry(name, [el('md5', [entry(OSPF_KEY_ID, [comment(secretComment(secret)), el('key', secretPlaceholder(secret)), el('preferred', 'yes')])])]),
    ),
  );
}

/** A profile read: its secret's name ('' without the comment) and its key element. */
export interface ProfileKey {
  secret: string;
  key: XmlElement;
}

/** The secret named by the comment of the element holding the key; '' when none names one. */
function secretOf(holder: XmlElement): string {
  for (const c of comments(holder)) {
    const name = readSecretComment(c);
    if (name !== undefined) return name;
  }
  return '';
}

/** `protocol bgp auth-profile`: profile name → its secret. */
export function readBgpAuthProfiles(reader: XmlReading, bgp: XmlElement): Map<string, ProfileKey> {
  const out = new Map<string, ProfileKey>();
  for (const p of reader.entries(reader.child(bgp, 'auth-profile'))) {
    reader.refs.define('BGP auth profile', p.attrs.name!, reader.span(p));
    reader.checkKids(p, ['secret']);
    const key = reader.child(p, 'secret');
    if (!key || (reader.text(key) ?? '') === '') reader.reporter.error(Codes.readerMissingPart, reader.span(p), `BGP auth profile ${p.attrs.name} has no <secret>`);
    else out.set(p.attrs.name!, { secret: secretOf(p), key });
  }
  return out;
}

/** `protocol ospf auth-profile`: profile name → its MD5 key (one, key id 1). */
export function readOspfAuthProfiles(reader: XmlReading, ospf: XmlElement): Map<string, ProfileKey> {
  const out = new Map<string, ProfileKey>();
  for (const p of reader.entries(reader.child(ospf, 'auth-profile'))) {
    reader.refs.define('OSPF auth profile', p.attrs.name!, reader.span(p));
    for (const k of reader.kids(p, ['md5', 'password'])) {
      if (k.name === 'password') reader.reporter.error(Codes.readerInexpressible, reader.span(k), `OSPF auth profile ${p.attrs.name} uses a simple password`, 'Plumb authenticates OSPF with MD5: `md5 1 key KEY`.');
    }
    const keys = reader.entries(reader.child(p, 'md5'));
    if (keys.length !== 1 || keys[0]!.attrs.name !== OSPF_KEY_ID) {
      if (reader.child(p, 'password') === undefined) reader.reporter.error(Codes.readerInexpressible, reader.span(p), `OSPF auth profile ${p.attrs.name} must hold one MD5 key, key id ${OSPF_KEY_ID}`, 'Both ends of a link use key id 1, as Plumb writes them on every platform.');
      continue;
    }
    const k = keys[0]!;
    reader.checkKids(k, ['key', 'preferred']);
    const key = reader.child(k, 'key');
    if (!key || (reader.text(key) ?? '') === '') reader.reporter.error(Codes.readerMissingPart, reader.span(k), `OSPF auth profile ${p.attrs.name} has no <key>`);
    else out.set(p.attrs.name!, { secret: secretOf(k), key });
  }
  return out;
}

/** The profile an `<authentication>` element names, recorded as a use of it; undefined if none. */
export function authenticationOf(reader: XmlReading, holder: XmlElement, kind: 'BGP auth profile' | 'OSPF auth profile', profiles: Map<string, ProfileKey>, usedBy: string, owner: KeyOwner): string | undefined {
  const a = reader.child(holder, 'authentication');
  if (!a) return undefined;
  const name = reader.text(a) ?? '';
  reader.refs.reference(kind, name, reader.span(a), usedBy);
  const p = profiles.get(name);
  if (!p) return undefined;
  reader.secrets.push(keyRead(reader, p, owner));
  return p.secret;
}

/** What `ReadResult.secrets` lists of a key: its value as written, or only that it is encrypted. */
function keyRead(reader: XmlReading, p: ProfileKey, owner: KeyOwner): ReadSecret {
  const text = reader.text(p.key) ?? '';
  const line = reader.span(p.key).start.line;
  if (ENCRYPTED.test(text)) return { secret: p.secret, value: '', file: reader.file, line, owner, encrypted: '-AQ==' };
  return { secret: p.secret, value: text, file: reader.file, line, owner };
}
