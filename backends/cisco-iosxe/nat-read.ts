// The IOS-XE reader's address translation (nat-render.ts writes it): the global `ip nat` lines,
// the standard access lists of the dynamic ones' sources and the interfaces' `ip nat inside` /
// `ip nat outside` → DeviceModel.nat. Static entries come first, in the order of their lines,
// then the dynamic ones (IOS applies every static entry before any dynamic one). What the model
// cannot say is refused at its line (R913), a source translation that never happens (R914) and
// entries whose order IOS does not keep (R915).

import type { NatModel, NatTranslation, SourcePat, StaticNat } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { comparePrefixes, formatIPv4, formatPrefix, hasHostBits, mask, overlaps, parseAddress, prefixOf, type Prefix } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import { textAfter, textSpan, wordSpanAt } from '../config-text.js';
import { parseOriginTag } from '../origin-tag.js';
import type { IosLine, Section } from './lines.js';
import { cmp, intOf, type IfaceDraft, type IosState } from './read-state.js';
import { maskLength, portOf } from './syntax.js';
import { readText } from './text.js';

const HINT_FORMS =
  'Plumb writes `ip nat inside|outside source static [network] REAL MAPPED [/LEN]`, `ip nat inside source static tcp|udp REAL PORT MAPPED PORT extendable` and `ip nat inside source list ACL interface NAME|pool NAME overload` (docs/backends/cisco-iosxe.md).';

interface Pool {
  address: bigint;
  line: IosLine;
}

interface Annotated {
  description?: string;
  origin?: Span;
}

/** The `! plumb nat` comments above a line. */
function annotationsOf(reader: IosState, s: Section): Annotated {
  const out: Annotated = {};
  for (const l of s.before) {
    const w = l.texts;
    if (w[0] !== '!' || w[1] !== 'plumb' || w[2] !== 'nat') continue;
    if (w[3] === 'description') out.description = readText(textAfter(l, 4));
    else if (w[3] === 'origin') {
      out.origin = parseOriginTag(textAfter(l, 4));
      if (!out.origin) reader.reporter.warning(Codes.readerBadAnnotation, textSpan(l), 'this NAT annotation does not hold a span');
    } else reader.reporter.warning(Codes.readerBadAnnotation, textSpan(l), 'this NAT annotation cannot be read', 'Expected `! plumb nat description TEXT` or `! plumb nat origin SPAN`.');
  }
  return out;
}

/** A prefix length written as `/N` or as a dotted netmask. */
function lengthOf(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (text.startsWith('/')) return intOf(text.slice(1), 0, 32);
  return maskLength(text, false);
}

function v4(text: string | undefined): bigint | undefined {
  const a = text === undefined ? undefined : parseAddress(text);
  return a && a.family === 4 ? a.value : undefined;
}

const prefixText = (value: bigint, length: number): string => formatPrefix({ family: 4, value, length });

/** The entries of a standard access list as PAT sources; undefined when one cannot be one. */
function readSources(reader: IosState, s: Section): string[] | undefined {
  const sources: Prefix[] = [];
  let last = 0;
  let ok = true;
  for (const l of s.body) {
    if (l.isComment) continue;
    const w = l.texts;
    let i = 0;
    if (/^\d+$/.test(w[0] ?? '')) {
      const seq = Number(w[0]);
      if (seq <= last) {
        reader.reporter.error(Codes.readerMalformedValue, wordSpanAt(l, 0), 'sequence numbers must increase down the list');
        ok = false;
      }
      last = seq;
      i = 1;
    }
    if (w[i] === 'remark') continue;
    if (w[i] === 'deny') {
      reader.reporter.error(Codes.readerNatInexpressible, textSpan(l), `a \`deny\` in ${s.head.texts[3]}, the sources of a translation`, 'The model translates the sources a list permits: write the sources to translate as `permit` entries only.');
      ok = false;
      continue;
    }
    const rest = w.slice(i + 1);
    const source = w[i] === 'permit' ? standardPrefix(rest) : null;
    if (source === null) {
      reader.unknown(l, 'access-list entry');
      ok = false;
      continue;
    }
    sources.push(source);
  }
  if (!ok) return undefined;
  sources.sort(comparePrefixes);
  return [...new Set(sources.map(formatPrefix))];
}

/** A standard list's source (`any`, `A`, `host A`, `A W`); null when it is not one. */
function standardPrefix(w: string[]): Prefix | null {
  if (w.length === 1 && w[0] === 'any') return { family: 4, value: 0n, length: 0 };
  const [a, wildcard] = w[0] === 'host' ? [w[1], undefined] : [w[0], w[1]];
  if (w.length !== (w[0] === 'host' ? 2 : wildcard === undefined ? 1 : 2)) return null;
  const value = v4(a);
  const len = wildcard === undefined ? 32 : maskLength(wildcard, true);
  if (value === undefined || len === undefined) return null;
  const p: Prefix = { family: 4, value, length: len };
  return hasHostBits(p) ? null : p;
}

class NatReader {
  readonly statics: StaticNat[] = [];
  readonly pats: SourcePat[] = [];
  readonly pools = new Map<string, Pool>();
  /** Standard lists by name, and the names the translations use. */
  readonly lists = new Map<string, Section>();
  readonly used = new Set<string>();
  /** The line of each translation, for the diagnostics about it. */
  readonly lines = new Map<NatTranslation, IosLine>();

  constructor(
    readonly reader: IosState,
    readonly interfaces: readonly IfaceDraft[],
    readonly extended: ReadonlySet<string>,
  ) {
    for (const s of reader.nat.standard) this.lists.set(s.head.texts[3]!, s);
  }

  refuse(l: IosLine, message: string, hint = HINT_FORMS): void {
    this.reader.reporter.error(Codes.readerNatInexpressible, textSpan(l), message, hint);
  }

  read(): void {
    // pools first: a translation may name one defined further down
    for (const s of this.reader.nat.lines) if (s.head.texts[2] === 'pool') this.pool(s.head);
    for (const s of this.reader.nat.lines) if (s.head.texts[2] !== 'pool') this.translation(s);
  }

  pool(l: IosLine): void {
    const w = l.texts;
    const name = w[3];
    if (name === undefined || w.length < 5) return this.reader.unknown(l, 'NAT line');
    const start = v4(w[4]);
    const end = v4(w[5]);
    if (start === undefined || end === undefined) return this.reader.bad(l, start === undefined ? 4 : 5, 'not an IPv4 address');
    if (start !== end) return this.refuse(l, `pool ${name} has several addresses (${w[4]} to ${w[5]})`, 'The model translates to one address: write the pool as `ip nat pool NAME A A prefix-length N`.');
    let len: number | undefined;
    if (w[6] === 'prefix-length' && w.length === 8) len = intOf(w[7], 1, 30);
    else if (w[6] === 'netmask' && w.length === 8) len = maskLength(w[7]!, false);
    else return this.refuse(l, `unsupported pool \`${l.text.trim()}\``, 'Plumb writes `ip nat pool NAME A A prefix-length N`.');
    if (len === undefined) return this.reader.bad(l, 7, `\`${w[7]}\` is not a pool's netmask or prefix length (1-30)`);
    const host = start & ~mask(4, len) & 0xffffffffn;
    if (host === 0n || host === (~mask(4, len) & 0xffffffffn)) {
      this.reader.reporter.error(Codes.readerNatUnusable, textSpan(l), `${w[4]} is the ${host === 0n ? 'network' : 'broadcast'} address of ${prefixText(start & mask(4, len), len)}: IOS never allocates it from pool ${name}`, 'Give the pool a prefix length at which the address is a host address.');
      return;
    }
    this.reader.refs.define('ip nat pool', name, wordSpanAt(l, 3));
    this.pools.set(name, { address: start, line: l });
  }

  translation(s: Section): void {
    const l = s.head;
    const w = l.texts;
    const side = w[2];
    if ((side !== 'inside' && side !== 'outside') || w[3] === undefined) return this.reader.unknown(l, 'NAT line');
    if (w[3] !== 'source') return this.refuse(l, `\`ip nat ${side} ${w[3]}\` translates what the model cannot say`);
    if (w[4] === 'static') return this.staticEntry(s, side, w);
    if (w[4] === 'list' && side === 'inside') return this.dynamic(s, w);
    if (w[4] === 'route-map') return this.refuse(l, 'a route-map chooses what this translation translates', 'The model translates by source prefix: name a standard access list (`ip nat inside source list ACL ...`).');
    return this.refuse(l, `unsupported translation \`${l.text.trim()}\``);
  }

  /** `... static [network|tcp|udp] REAL [PORT] MAPPED [PORT|/LEN|MASK] [extendable]`. */
  staticEntry(s: Section, side: 'inside' | 'outside', w: readonly string[]): void {
    const l = s.head;
    const words = w[w.length - 1] === 'extendable' ? w.slice(0, -1) : w;
    const form = words[5];
    const withPorts = form === 'tcp' || form === 'udp';
    const realAt = form === 'network' || withPorts ? 6 : 5;
    const mappedAt = realAt + (withPorts ? 2 : 1);
    const real = v4(words[realAt]);
    if (real === undefined) {
      if (/^[a-z]/.test(words[realAt] ?? '')) return this.refuse(l, `unsupported static translation \`${l.text.trim()}\``);
      return this.reader.bad(l, realAt, `\`${words[realAt] ?? ''}\` is not an IPv4 address`);
    }
    const mapped = v4(words[mappedAt]);
    if (mapped === undefined) return this.reader.bad(l, mappedAt, `\`${words[mappedAt] ?? ''}\` is not an IPv4 address`);
    let service: StaticNat['service'];
    let length = 32;
    let end = mappedAt + 1;
    if (withPorts) {
      const realPort = portOf(words[realAt + 1] ?? '');
      const port = portOf(words[mappedAt + 1] ?? '');
      if (realPort === undefined) return this.reader.bad(l, realAt + 1, `\`${words[realAt + 1] ?? ''}\` is not a port`);
      if (port === undefined) return this.reader.bad(l, mappedAt + 1, `\`${words[mappedAt + 1] ?? ''}\` is not a port`);
      service = { protocol: form === 'tcp' ? 6 : 17, port, realPort };
      end++;
    } else if (form === 'network') {
      const len = lengthOf(words[mappedAt + 1]);
      if (len === undefined) return this.reader.bad(l, mappedAt + 1, `\`${words[mappedAt + 1] ?? ''}\` is not a prefix length (\`/N\`) or netmask`);
      length = len;
      end++;
    }
    if (words.length !== end) {
      const extra = words[end]!;
      if (extra === 'add-route') return this.refuse(l, '`add-route` adds a route to the mapped addresses that the model does not have', 'The model carries every route itself: remove `add-route`.');
      return this.refuse(l, `\`${extra}\` in a static translation is not in the model`);
    }
    for (const [value, at] of [[real, realAt], [mapped, mappedAt]] as const) {
      if (hasHostBits({ family: 4, value, length })) return this.reader.bad(l, at, `${formatIPv4(value)} has host bits beyond /${length}`);
    }
    const a = annotationsOf(this.reader, s);
    const realText = prefixText(real, length);
    const mappedText = prefixText(mapped, length);
    const t: StaticNat = {
      kind: 'static',
      realSide: side,
      real: realText,
      mapped: mappedText,
      ...(service ? { service } : {}),
      description: a.description ?? `${realText} appears as ${mappedText}`,
      origin: a.origin ?? textSpan(l),
    };
    this.statics.push(t);
    this.lines.set(t, l);
  }

  /** `ip nat inside source list ACL interface NAME|pool NAME overload`. */
  dynamic(s: Section, w: readonly string[]): void {
    const l = s.head;
    const acl = w[5];
    if (acl === undefined || (w[6] !== 'interface' && w[6] !== 'pool') || w[7] === undefined) return this.refuse(l, `unsupported translation \`${l.text.trim()}\``);
    if (w[8] !== 'overload') return this.refuse(l, 'dynamic translation without `overload` gives each source an address of its own for as long as it lasts', 'The model translates with ports (PAT): add `overload`.');
    if (w.length !== 9) return this.refuse(l, `\`${w[9]}\` in a dynamic translation is not in the model`);
    let address: string | undefined;
    if (w[6] === 'interface') {
      const d = this.interfaces.find((x) => x.name === w[7]);
      if (!d) this.reader.refs.reference('interface', w[7], wordSpanAt(l, 7), 'a source translation');
      else if (d.v4.length === 0) return void this.reader.reporter.error(Codes.readerNatUnusable, wordSpanAt(l, 7), `interface ${w[7]} has no IPv4 address to translate to`);
      else address = formatIPv4(prefixOf(d.v4[0]!).value);
    } else {
      const pool = this.pools.get(w[7]);
      if (!pool) this.reader.refs.reference('ip nat pool', w[7], wordSpanAt(l, 7), 'a source translation');
      else address = formatIPv4(pool.address);
    }
    const list = this.lists.get(acl);
    if (!list) {
      if (this.extended.has(acl)) return this.refuse(l, `the sources of this translation are the extended access list ${acl}`, 'The model translates by source prefix: name a standard access list of `permit` entries.');
      this.reader.refs.reference('ip access-list', acl, wordSpanAt(l, 5), 'a source translation');
      return;
    }
    this.used.add(acl);
    const sources = readSources(this.reader, list);
    if (address === undefined || sources === undefined) return;
    const a = annotationsOf(this.reader, s);
    const t: SourcePat = { kind: 'pat', sources, address, description: a.description ?? `${sources.join(', ')} overloaded as ${address}`, origin: a.origin ?? textSpan(l) };
    this.pats.push(t);
    this.lines.set(t, l);
  }

  /** R915: entries whose first-match order IOS would not keep. */
  checkOverlaps(): void {
    const conflict = (a: StaticNat, b: StaticNat, field: 'real' | 'mapped'): boolean => {
      if (!overlaps(prefixOf(a[field]), prefixOf(b[field]))) return false;
      // one address published on several ports (`extendable`): distinct services do not overlap
      if (a.service && b.service) {
        const port = field === 'real' ? 'realPort' : 'port';
        return a.service.protocol === b.service.protocol && a.service[port] === b.service[port];
      }
      return true;
    };
    this.statics.forEach((a, i) => {
      for (const b of this.statics.slice(0, i)) {
        if (a.realSide !== b.realSide) continue;
        const field = conflict(a, b, 'real') ? 'real' : conflict(a, b, 'mapped') ? 'mapped' : undefined;
        if (field) this.reader.reporter.error(Codes.readerNatOverlap, textSpan(this.lines.get(a)!), `static translations of ${a[field]} and ${b[field]} overlap`, 'Give each translation ranges of its own.');
      }
    });
    this.pats.forEach((a, i) => {
      for (const b of this.pats.slice(0, i)) {
        const both = a.sources.find((x) => b.sources.some((y) => overlaps(prefixOf(x), prefixOf(y))));
        if (both) this.reader.reporter.error(Codes.readerNatOverlap, textSpan(this.lines.get(a)!), `the sources of two dynamic translations overlap (${both})`, 'IOS keeps no order among dynamic translations: give each its own sources.');
      }
    });
  }
}

/**
 * The device's NAT from what the reader collected (`interfaces` under their config names) and
 * the standard access lists no translation uses (read.ts reads those as it did before: they are
 * not in Plumb's subset). `extended` names the extended access lists, which a translation may not use.
 */
export function readNat(reader: IosState, interfaces: readonly IfaceDraft[], extended: ReadonlySet<string>): { nat?: NatModel; unused: Section[] } {
  const r = new NatReader(reader, interfaces, extended);
  r.read();
  r.checkOverlaps();
  for (const [name, s] of r.lists) if (r.used.has(name)) reader.refs.define('ip access-list', name, wordSpanAt(s.head, 3));
  const unused = reader.nat.standard.filter((s) => !r.used.has(s.head.texts[3]!));
  const inside = interfaces.filter((d) => d.nat?.[0] === 'inside').map((d) => d.name).sort(cmp);
  const outside = interfaces.filter((d) => d.nat?.[0] === 'outside').map((d) => d.name).sort(cmp);
  const translations: NatTranslation[] = [...r.statics, ...r.pats];
  if (inside.length + outside.length + translations.length === 0) return { unused };
  return { nat: { inside, outside, translations }, unused };
}
