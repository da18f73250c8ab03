// The checks of address translation (an external's `translate` and `publish` lines; docs/
// language.md, "Address translation (NAT)"): what each line names, that a static translation maps
// one prefix onto one of the same size (P314), that no translated range lands on addresses in
// use (P315), that an external whose addresses lie within ours is translated (P316, with a free
// range proposed), what the platforms cannot do yet (P317), that a published service is one port
// (P318), and IPv4 only for now (P319). Lowering the lines for the compiler is lower-nat.ts.

import type { ExternalDecl, ExternalPublish, ExternalTranslate, Token } from './ast.js';
import { containsPrefix, formatPrefix, network, overlaps, parseAddress, parsePrefix, type Prefix } from './address.js';
import { serviceItemParts } from './check-values.js';
import type { DiagnosticSink } from './check-common.js';
import type { Span } from './diagnostic.js';
import { Codes } from './diagnostics/index.js';
import { isPlatform } from './check-platforms.js';
import { traitsOf } from './platforms.js';
import { PRELUDE_BY_NAME } from './prelude.js';
import { isServiceReference, type Resolution } from './resolve.js';

/**
 * A platform that rewrites a destination toward the outside before routing it (the platform
 * table's `nat`) routes a reply to a translated partner by the partner's real address: when that
 * is also ours, the reply goes to our own segment.
 */
const rewritesBeforeRouting = (platform: string): boolean =>
  isPlatform(platform) && traitsOf(platform).nat.rewrites['inside-to-outside'].destination === 'before-routing';

/** The range proposed for an external that needs translating: RFC 6598 shared address space. */
const PROPOSED_SPACE = parsePrefix('100.64.0.0/10')!;

interface Used {
  kind: 'segment' | 'host' | 'pool' | 'link' | 'loopback' | 'attachment';
  label: string;
  prefix: Prefix;
}

/** A translated range, by the line that made it. */
interface Mapped {
  label: string;
  prefix: Prefix;
  span: Span;
}

const prefixText = (p: Prefix): string => formatPrefix(p);
const isPrefixToken = (t: Token): boolean => t.text.includes('/');

/** What the subject of a static translation stands for, or why it cannot be one. */
type Subject = { side: 'inside' | 'outside'; real: Prefix } | { problem: string; hint: string };
const sideOf = (s: Subject | undefined): 'inside' | 'outside' | undefined => (s && 'side' in s ? s.side : undefined);
/** Our addresses an external's own cannot lie within: those given to endpoints and devices. */
const IN_USE = new Set<Used['kind']>(['segment', 'host', 'pool']);
/** Our addresses that are inside: every kind but the attachments' subnets, which face the externals. */
const insideOnly = (u: Used): boolean => u.kind !== 'attachment';

export function checkNat(resolution: Resolution, sink: DiagnosticSink): void {
  const ours = ourAddresses(resolution);
  const mapped: Mapped[] = [];
  const translatingExternal = new Map<string, ExternalDecl>();
  const published = new Map<string, Span>();
  for (const ext of resolution.externals) {
    const own = externalPrefixes(ext);
    const lines = ext.items.filter((i): i is ExternalTranslate | ExternalPublish => i.kind === 'translate' || i.kind === 'publish');
    const translatedItself = lines.some((l) => l.kind === 'translate' && l.as !== undefined && sideOf(staticSubject(resolution, ext, own, ours, l.subjects[0]!)) === 'outside');
    if (!translatedItself) needsTranslation(ext, own, ours, resolution, sink);
    if (lines.length === 0) continue;
    for (const attach of ext.items.filter((i) => i.kind === 'attach')) {
      const device = resolution.deviceRefs.get(attach.device);
      if (!device) continue;
      const other = translatingExternal.get(device.id);
      if (other && other !== ext) {
        sink.report(Codes.natNotSupported, attach.span, `\`${device.id}\` already translates for external \`${other.name.text}\`: a device translates for one external`, {
          related: [{ span: other.name.span, message: 'the other external' }],
          hint: 'attach the second external to another device, or translate only one of them',
        });
      } else {
        translatingExternal.set(device.id, ext);
      }
    }
    for (const line of lines) {
      if (line.kind === 'publish') checkPublish(resolution, line, ours, published, sink);
      else if (line.as) checkStatic(resolution, ext, own, line, ours, mapped, sink);
      else checkOverload(resolution, ext, line, ours, sink);
    }
  }
}

/** Our addresses in use: segments, hosts, pools, link prefixes, loopbacks and attachment subnets. */
function ourAddresses(resolution: Resolution): Used[] {
  const out: Used[] = [];
  const add = (kind: Used['kind'], label: string, text: string): void => {
    const p = parsePrefix(text) ?? hostPrefix(text);
    if (p) out.push({ kind, label, prefix: network(p) });
  };
  for (const s of resolution.segments) for (const t of s.prefixes) add('segment', `segment \`${s.name.text}\``, t.text);
  for (const h of resolution.hosts) add('host', `host \`${h.name.text}\``, h.address.text);
  for (const p of resolution.pools) add('pool', `pool \`${p.name.text}\``, p.prefix.text);
  for (const { decl } of resolution.links) if (decl.prefix) add('link', 'a link', decl.prefix.text);
  for (const d of resolution.devices.values()) if (d.decl.loopback) add('loopback', `the loopback of \`${d.id}\``, d.decl.loopback.text);
  for (const e of resolution.externals) for (const i of e.items) if (i.kind === 'attach') add('attachment', `the attachment of \`${e.name.text}\``, i.address.text);
  return out;
}

function hostPrefix(text: string): Prefix | undefined {
  const a = parseAddress(text);
  return a ? { family: a.family, value: a.value, length: a.family === 4 ? 32 : 128 } : undefined;
}

function externalPrefixes(ext: ExternalDecl): { prefix: Prefix; token: Token }[] {
  const out: { prefix: Prefix; token: Token }[] = [];
  for (const i of ext.items) if (i.kind === 'prefixes') for (const t of i.prefixes) {
    const p = parsePrefix(t.text);
    if (p) out.push({ prefix: network(p), token: t });
  }
  return out;
}

/** P316: an external's prefix that lies within our addresses, and no `translate EXTERNAL as ...`. */
function needsTranslation(ext: ExternalDecl, own: { prefix: Prefix; token: Token }[], ours: Used[], resolution: Resolution, sink: DiagnosticSink): void {
  for (const { prefix, token } of own) {
    const clash = ours.find((u) => IN_USE.has(u.kind) && containsPrefix(u.prefix, prefix));
    if (!clash) continue;
    const free = freeRange(prefix.length, resolution, ours);
    const fix = own.length === 1 ? `translate ${ext.name.text} as ${free ?? 'PREFIX'}` : `translate ${prefixText(prefix)} as ${free ?? 'PREFIX'}`;
    sink.report(Codes.natNeeded, token.span, `external \`${ext.name.text}\`'s ${prefixText(prefix)} lies within our ${clash.label} (${prefixText(clash.prefix)}): the two address spaces overlap`, {
      hint: `translate it where it attaches: add \`${fix}\` to external \`${ext.name.text}\`, and it appears to us there`,
    });
  }
}

/** How many blocks of the asked length a proposal tries, from the start of 100.64.0.0/10. */
const PROPOSAL_CANDIDATES = 4096n;

/** The first prefix of `length` in 100.64.0.0/10 that overlaps nothing the intent uses. */
function freeRange(length: number, resolution: Resolution, ours: Used[]): string | undefined {
  if (length < PROPOSED_SPACE.length || PROPOSED_SPACE.family !== 4) return undefined;
  const taken: Prefix[] = [...ours.map((u) => u.prefix)];
  for (const e of resolution.externals) {
    for (const { prefix } of externalPrefixes(e)) if (prefix.length > 0) taken.push(prefix);
    for (const i of e.items) if (i.kind === 'translate' && i.as) {
      const p = parsePrefix(i.as.text);
      if (p) taken.push(network(p));
    }
  }
  const free = firstFreeBlock(PROPOSED_SPACE, length, taken, PROPOSAL_CANDIDATES);
  return free && prefixText(free);
}

/**
 * The first of the first `limit` blocks of `length` (IPv4) in `space`, in address order, that
 * overlaps none of `taken`. A taken prefix wider than `space` is not counted: one that holds
 * the whole space (a default route, an aggregate) would leave nothing to propose. Prefixes are
 * ranges that are either nested or disjoint, so the ranges are sorted once and the candidate
 * jumps past each range it meets: n log n, where comparing every candidate with every taken
 * prefix was up to 4,096 × n (a check of an intent with many clashing externals spent most of
 * its time there).
 */
export function firstFreeBlock(space: Prefix, length: number, taken: readonly Prefix[], limit: bigint): Prefix | undefined {
  if (space.family !== 4 || length < space.length || length > 32) return undefined;
  const base = network(space).value;
  const size = 1n << BigInt(32 - length);
  const blocks = 1n << BigInt(length - space.length);
  const count = blocks < limit ? blocks : limit;
  const ranges: [bigint, bigint][] = [];
  for (const t of taken) {
    if (t.family !== 4 || t.length < space.length) continue;
    const low = network(t).value;
    ranges.push([low, low + (1n << BigInt(32 - t.length)) - 1n]);
  }
  ranges.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let k = 0n;
  for (const [low, high] of ranges) {
    if (k >= count) break;
    const start = base + k * size;
    if (high < start) continue;
    // Every range seen so far ends before `start` and every one after starts at `low` or later.
    if (low > start + size - 1n) break;
    k = (high - base) / size + 1n;
  }
  return k < count ? { family: 4, value: base + k * size, length } : undefined;
}

function staticSubject(resolution: Resolution, ext: ExternalDecl, own: { prefix: Prefix }[], ours: Used[], t: Token): Subject | undefined {
  if (isPrefixToken(t)) {
    const p = parsePrefix(t.text);
    if (!p) return undefined;
    const n = network(p);
    if (own.some((o) => containsPrefix(o.prefix, n))) return { side: 'outside', real: n };
    if (ours.some((u) => containsPrefix(u.prefix, n))) return { side: 'inside', real: n };
    return { problem: `${t.text} is neither ours nor within external \`${ext.name.text}\`'s prefixes`, hint: 'translate a prefix of one of our segments, hosts or pools, or one of the external\'s own prefixes' };
  }
  const r = resolution.lookup(t);
  if (!r) return undefined;
  if (r.kind === 'host') {
    const p = hostPrefix(r.decl.address.text);
    return p ? { side: 'inside', real: p } : undefined;
  }
  if (r.kind === 'segment') {
    const v4 = r.decl.prefixes.map((x) => parsePrefix(x.text)).filter((p): p is Prefix => p?.family === 4);
    if (v4.length === 1) return { side: 'inside', real: network(v4[0]!) };
    return { problem: `segment \`${t.text}\` has no IPv4 prefix to translate`, hint: 'translation is IPv4 only for now' };
  }
  if (r.kind === 'external') {
    if (r.decl !== ext) return { problem: `\`${t.text}\` is another external`, hint: `a translation at external \`${ext.name.text}\` names ours or \`${ext.name.text}\` itself` };
    const v4 = own.filter((o) => o.prefix.family === 4);
    if (v4.length === 1) return { side: 'outside', real: v4[0]!.prefix };
    return { problem: `external \`${t.text}\` has ${v4.length} IPv4 prefixes`, hint: 'translate each of its prefixes on a line of its own: `translate PREFIX as PREFIX`' };
  }
  if (r.kind === 'group') return { problem: `group \`${t.text}\` may stand for several prefixes`, hint: 'a static translation maps one prefix: translate each member on a line of its own' };
  return undefined;
}

function checkStatic(
  resolution: Resolution,
  ext: ExternalDecl,
  own: { prefix: Prefix; token: Token }[],
  line: ExternalTranslate,
  ours: Used[],
  mapped: Mapped[],
  sink: DiagnosticSink,
): void {
  const as = line.as!;
  const target = parsePrefix(as.text);
  if (line.subjects.length > 1) {
    sink.report(Codes.natShape, line.subjects[1]!.span, 'a static translation maps one prefix onto another', { hint: 'translate each on a line of its own' });
    return;
  }
  const subjectToken = line.subjects[0]!;
  if (target?.family === 6 || parsePrefix(subjectToken.text)?.family === 6) {
    sink.report(Codes.natIpv6, line.span, 'IPv6 addresses are not translated', { hint: 'translation is IPv4 only for now; IPv6 needs no translation where the prefixes are global' });
    return;
  }
  const subject = staticSubject(resolution, ext, own, ours, subjectToken);
  if (!subject || !target) return;
  if ('problem' in subject) {
    sink.report(Codes.natShape, subjectToken.span, subject.problem, { hint: subject.hint });
    return;
  }
  const to = network(target);
  if (to.length !== subject.real.length) {
    const same = network({ ...to, length: subject.real.length });
    sink.report(Codes.natShape, as.span, `${subjectToken.text} (${prefixText(subject.real)}) is a /${subject.real.length}, ${as.text} a /${to.length}: a static translation maps a prefix onto one of the same size`, {
      hint: `write \`as ${prefixText(same)}\``,
    });
    return;
  }
  const label = `the translated range of ${subjectToken.text}`;
  const ourClash = ours.find((u) => overlaps(u.prefix, to));
  const external = resolution.externals.flatMap((e) => externalPrefixes(e).map((p) => ({ e, ...p }))).find((x) => overlaps(x.prefix, to) && !(x.prefix.length < to.length && x.e !== ext));
  const earlier = mapped.find((m) => overlaps(m.prefix, to));
  const clash = ourClash ? `our ${ourClash.label} (${prefixText(ourClash.prefix)})` : external ? `external \`${external.e.name.text}\`'s ${prefixText(external.prefix)}` : earlier ? earlier.label : undefined;
  if (clash) {
    sink.report(Codes.natOverlap, as.span, `${as.text} overlaps ${clash}: after translation two things would have the same addresses`, {
      ...(earlier && !ourClash && !external ? { related: [{ span: earlier.span, message: 'translated here' }] } : {}),
      hint: `choose a range no one else uses${subject.real.family === 4 ? ', e.g. in 100.64.0.0/10' : ''}`,
    });
  }
  mapped.push({ label, prefix: to, span: as.span });
  if (subject.side === 'outside' && ours.some((u) => overlaps(u.prefix, subject.real))) {
    for (const attach of ext.items.filter((i) => i.kind === 'attach')) {
      const device = resolution.deviceRefs.get(attach.device);
      const platform = device?.decl.platform.text;
      if (!device || !platform || !rewritesBeforeRouting(platform)) continue;
      sink.report(Codes.natNotSupported, attach.span, `\`${device.id}\` (${platform}) rewrites a destination before routing it, so a reply to ${ext.name.text} would be routed to our own ${prefixText(subject.real)}`, {
        related: [{ span: line.span, message: 'the partner translated here' }],
        hint: 'attach the partner whose addresses overlap ours to a cisco-iosxe device, which routes before translating',
      });
    }
  }
}

function checkOverload(resolution: Resolution, ext: ExternalDecl, line: ExternalTranslate, ours: Used[], sink: DiagnosticSink): void {
  for (const t of line.subjects) {
    if (isPrefixToken(t)) {
      const p = parsePrefix(t.text);
      if (p?.family === 6) sink.report(Codes.natIpv6, t.span, 'IPv6 addresses are not translated', { hint: 'translation is IPv4 only for now' });
      else if (p && !ours.some((u) => containsPrefix(u.prefix, network(p)))) {
        sink.report(Codes.natShape, t.span, `${t.text} is not ours: \`overload\` translates our sources`, { hint: 'name segments, hosts or groups of ours, or prefixes within them' });
      }
      continue;
    }
    const r = resolution.lookup(t);
    if (r?.kind === 'external') {
      sink.report(Codes.natShape, t.span, `\`overload\` translates our sources, and \`${t.text}\` is an external`, { hint: `to make \`${t.text}\` appear to us elsewhere, write \`translate ${t.text} as PREFIX\`` });
    }
  }
  if (line.address) {
    const a = parseAddress(line.address.text);
    if (a?.family === 6) sink.report(Codes.natIpv6, line.address.span, 'IPv6 addresses are not translated', { hint: 'translation is IPv4 only for now' });
    else if (a && ours.some((u) => insideOnly(u) && containsPrefix(u.prefix, { family: 4, value: a.value, length: 32 }))) {
      sink.report(Codes.natOverlap, line.address.span, `${line.address.text} is one of our own addresses inside`, { hint: 'the shared address is public: our address on the attachment (write no address) or one the external routes to us' });
    }
  } else if (!ext.items.some((i) => i.kind === 'attach' && parsePrefix(i.address.text)?.family === 4)) {
    sink.report(Codes.natShape, line.overload!.span, `external \`${ext.name.text}\` has no IPv4 attachment whose address the sources could share`, { hint: 'give the address after `overload`' });
  }
}

function checkPublish(resolution: Resolution, line: ExternalPublish, ours: Used[], published: Map<string, Span>, sink: DiagnosticSink): void {
  const a = parseAddress(line.address.text);
  const host = resolution.lookup(line.host);
  const hostAddress = host?.kind === 'host' ? parseAddress(host.decl.address.text) : undefined;
  if (a?.family === 6 || hostAddress?.family === 6) {
    sink.report(Codes.natIpv6, line.span, 'IPv6 addresses are not translated', { hint: 'translation is IPv4 only for now: an IPv6 server is reached at its own address' });
    return;
  }
  if (a && ours.some((u) => insideOnly(u) && containsPrefix(u.prefix, { family: 4, value: a.value, length: 32 }))) {
    sink.report(Codes.natOverlap, line.address.span, `${line.address.text} is one of our own addresses inside`, { hint: 'publish at a public address the external routes to us' });
  }
  const port = publishedPort(resolution, line.service);
  if (typeof port === 'string') {
    sink.report(Codes.natPublish, line.service.span, `\`${line.service.text}\` ${port}: a published server is reached on one tcp or udp port`, { hint: 'publish a service of one port (e.g. `https`), one line per service' });
    return;
  }
  if (!port || !a) return;
  const key = `${line.address.text}:${port.protocol}:${port.port}`;
  const first = published.get(key);
  if (first) {
    sink.report(Codes.natPublish, line.span, `${line.address.text} ${port.protocol === 6 ? 'tcp' : 'udp'} ${port.port} is published twice`, {
      related: [{ span: first, message: 'first published here' }],
      hint: 'one server per public address and port',
    });
  } else {
    published.set(key, line.span);
  }
}

/** The one tcp/udp port of a service, or why it is not one; undefined when the name did not resolve. */
function publishedPort(resolution: Resolution, t: Token): { protocol: 6 | 17; port: number } | string | undefined {
  const clauses: { protocol?: number; ports: string[] }[] = [];
  const seen = new Set<string>();
  const walk = (name: string, token: Token | undefined): boolean => {
    if (seen.has(name)) return true;
    seen.add(name);
    const r = token ? resolution.lookup(token) : undefined;
    const builtin = r?.kind === 'builtin-service' ? r.service : r === undefined ? PRELUDE_BY_NAME.get(name) : undefined;
    if (builtin) {
      for (const c of builtin.clauses) clauses.push({ ...(c.protocol !== undefined ? { protocol: c.protocol } : {}), ports: (c.ports ?? []).map((p) => (p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`)) });
      return true;
    }
    if (r?.kind !== 'service') return false;
    for (const item of r.decl.items) {
      if (isServiceReference(item)) {
        if (!walk(item.protocol.text, item.protocol)) return false;
        continue;
      }
      const parts = serviceItemParts(item);
      clauses.push({ ...(parts.protocol !== undefined ? { protocol: parts.protocol } : {}), ports: parts.ports.map((p) => p.text) });
    }
    return true;
  };
  if (!walk(t.text, t)) return undefined;
  if (clauses.length !== 1) return `has ${clauses.length} protocol clauses`;
  const c = clauses[0]!;
  if (c.protocol !== 6 && c.protocol !== 17) return 'is not a tcp or udp service';
  if (c.ports.length !== 1 || !/^[0-9]+$/.test(c.ports[0]!)) return 'is not one port';
  return { protocol: c.protocol, port: Number(c.ports[0]) };
}

/** The side and real prefix of a checked static translation's subject (lower-nat.ts). */
export function staticTranslationSubject(resolution: Resolution, ext: ExternalDecl, t: Token): { side: 'inside' | 'outside'; real: string } | undefined {
  const s = staticSubject(resolution, ext, externalPrefixes(ext), ourAddresses(resolution), t);
  return s && 'side' in s ? { side: s.side, real: prefixText(s.real) } : undefined;
}
