// Addresses and prefixes (P3xx): their syntax, host bits, hosts inside their segments, overlaps
// and collisions between segments, links, loopbacks, attachments and pools, duplicate
// addresses, and whether the pools can give every address the compiler must allocate.

import type { Token } from './ast.js';
import {
  BITS,
  containsAddress,
  containsPrefix,
  formatAddress,
  formatPrefix,
  hasHostBits,
  lastAddress,
  network,
  parseAddress,
  parsePrefix,
  size,
  type Address,
  type Family,
  type Prefix,
} from './address.js';
import type { DiagnosticSink } from './check-common.js';
import { proposal, type Span } from './diagnostic.js';
import { Codes } from './diagnostics/index.js';
import type { Resolution } from './resolve.js';

/** Parses a token where a network prefix is meant; reports P301/P302. */
export function readNetwork(t: Token, sink: DiagnosticSink): Prefix | undefined {
  const p = parsePrefix(t.text);
  if (!p) {
    if (parseAddress(t.text)) {
      const len = t.text.includes(':') ? 128 : 32;
      sink.report(Codes.invalidAddress, t.span, `expected a prefix, found the address \`${t.text}\``, {
        hint: `give the length, e.g. \`${t.text}/${len}\``,
      });
    } else {
      sink.report(Codes.invalidAddress, t.span, `invalid prefix \`${t.text}\``, { hint: invalidHint(t.text) });
    }
    return undefined;
  }
  if (hasHostBits(p)) {
    const net = formatPrefix(network(p));
    sink.report(Codes.hostBitsSet, t.span, `\`${t.text}\` has host bits set: did you mean \`${net}\`?`, {
      ...proposal(t.span, net, `a network is written with its first address: \`${net}\``),
    });
    return undefined;
  }
  return p;
}

/** Parses a token where a single address is meant; reports P301. */
export function readAddress(t: Token, sink: DiagnosticSink): Address | undefined {
  const a = parseAddress(t.text);
  if (a) return a;
  const p = parsePrefix(t.text);
  if (p) {
    sink.report(Codes.invalidAddress, t.span, `expected an address, found the prefix \`${t.text}\``, {
      hint: `write the address alone: \`${formatAddress(p)}\``,
    });
  } else {
    sink.report(Codes.invalidAddress, t.span, `invalid address \`${t.text}\``, { hint: invalidHint(t.text) });
  }
  return undefined;
}

/** Parses `ADDR/LEN` where an interface address is meant (host bits expected); P301. */
function readInterfaceAddress(t: Token, sink: DiagnosticSink): Prefix | undefined {
  const p = parsePrefix(t.text);
  if (p) return p;
  if (parseAddress(t.text)) {
    sink.report(Codes.invalidAddress, t.span, `\`${t.text}\` needs a prefix length`, {
      hint: `write the address with the attachment subnet's length, e.g. \`${t.text}/${t.text.includes(':') ? 127 : 30}\``,
    });
  } else {
    sink.report(Codes.invalidAddress, t.span, `invalid address \`${t.text}\``, { hint: invalidHint(t.text) });
  }
  return undefined;
}

function invalidHint(text: string): string {
  return text.includes(':')
    ? 'IPv6 is written as up to 8 groups of hex digits, `::` once at most, e.g. `2001:db8::/32`'
    : 'IPv4 is written as four numbers 0-255, e.g. `10.0.0.0/8`';
}

type SpaceKind = 'segment' | 'link' | 'loopback' | 'attachment' | 'pool';

interface SpaceItem {
  kind: SpaceKind;
  label: string;
  prefix: Prefix;
  span: Span;
  order: number;
}

interface AddressUse {
  label: string;
  span: Span;
}

export function checkAddresses(resolution: Resolution, sink: DiagnosticSink): void {
  const fileOrder = new Map(resolution.files.map((f, i) => [f.path, i]));
  const order = (span: Span): number => (fileOrder.get(span.file) ?? 0) * 2 ** 32 + span.start.offset;
  const space: SpaceItem[] = [];
  const addSpace = (kind: SpaceKind, label: string, prefix: Prefix, span: Span): void => {
    space.push({ kind, label, prefix: network(prefix), span, order: order(span) });
  };
  const used = new Map<string, AddressUse[]>();
  const useAddress = (a: Address, label: string, span: Span): void => {
    const key = `${a.family}:${a.value}`;
    const list = used.get(key) ?? [];
    list.push({ label, span });
    used.set(key, list);
  };

  const pools: { prefix: Prefix; token: Token; name: string }[] = [];
  for (const pool of resolution.pools) {
    const p = readNetwork(pool.prefix, sink);
    if (!p) continue;
    pools.push({ prefix: p, token: pool.prefix, name: pool.name.text });
    addSpace('pool', `pool \`${pool.name.text}\``, p, pool.prefix.span);
  }

  const segmentPrefixes = new Map<string, Prefix[]>();
  for (const seg of resolution.segments) {
    const list: Prefix[] = [];
    for (const t of seg.prefixes) {
      const p = readNetwork(t, sink);
      if (!p) continue;
      if (list.some((q) => q.family === p.family)) {
        sink.report(Codes.segmentPrefixes, t.span, `segment \`${seg.name.text}\` has more than one IPv${p.family} prefix`, {
          hint: 'a segment has at most one IPv4 and one IPv6 prefix; split it into two segments',
        });
        continue;
      }
      list.push(p);
      addSpace('segment', `segment \`${seg.name.text}\``, p, t.span);
    }
    segmentPrefixes.set(seg.name.text, list);
  }

  for (const host of resolution.hosts) {
    const a = readAddress(host.address, sink);
    if (!a) continue;
    useAddress(a, `host \`${host.name.text}\``, host.address.span);
    const seg = resolution.lookup(host.segment);
    if (seg?.kind !== 'segment') continue;
    const prefixes = segmentPrefixes.get(seg.decl.name.text) ?? [];
    if (prefixes.length > 0 && !prefixes.some((p) => containsAddress(p, a))) {
      sink.report(Codes.hostOutsideSegment, host.address.span, `host \`${host.name.text}\` (${host.address.text}) is outside its segment \`${seg.decl.name.text}\``, {
        related: [{ span: seg.decl.span, message: `segment \`${seg.decl.name.text}\` is ${seg.decl.prefixes.map((p) => p.text).join(', ')}` }],
        hint: `give an address inside ${prefixes.map((p) => formatPrefix(p)).join(' or ')}, or put the host in the right segment`,
      });
    }
  }

  let linksNeeding4 = 0;
  let linksNeeding6 = 0;
  let firstNeeding: { span: Span; what: string } | undefined;
  for (const { decl } of resolution.links) {
    let family: Family | undefined;
    if (decl.prefix) {
      const p = readNetwork(decl.prefix, sink);
      if (p) {
        family = p.family;
        if (p.length > BITS[p.family] - 1) {
          sink.report(Codes.linkPrefixTooSmall, decl.prefix.span, `link prefix \`${decl.prefix.text}\` has room for one address, a link needs two`, {
            hint: `use a /${BITS[p.family] - 1}`,
          });
        }
        addSpace('link', `link ${linkLabel(decl.a.device, decl.b.device)}`, p, decl.prefix.span);
      } else {
        family = decl.prefix.text.includes(':') ? 6 : 4;
      }
    }
    if (family !== 4) {
      linksNeeding4++;
      firstNeeding ??= { span: decl.span, what: 'this link needs a /31' };
    }
    if (family !== 6) linksNeeding6++;
  }

  let devicesNeeding = 0;
  // An IPv6 pool gives a /128 loopback to every device without a written IPv6 one, as well as
  // a /127 to every link (compiler/addressing.ts).
  let devicesNeeding6 = 0;
  for (const dev of resolution.devices.values()) {
    const t = dev.decl.loopback;
    const a = t ? readAddress(t, sink) : undefined;
    if (a && t) {
      useAddress(a, `the loopback of \`${dev.id}\``, t.span);
      addSpace('loopback', `the loopback of \`${dev.id}\``, { family: a.family, value: a.value, length: BITS[a.family] }, t.span);
    }
    if (!t || a?.family === 6) {
      devicesNeeding++;
      firstNeeding ??= { span: dev.decl.span, what: 'this device needs a loopback' };
    }
    if (!t || a?.family !== 6) devicesNeeding6++;
  }

  for (const ext of resolution.externals) {
    for (const item of ext.items) {
      if (item.kind === 'prefixes') item.prefixes.forEach((t) => readNetwork(t, sink));
      if (item.kind !== 'attach') continue;
      const ours = readInterfaceAddress(item.address, sink);
      const other = item.peer ?? item.gateway;
      const otherAddr = other ? readAddress(other, sink) : undefined;
      if (!ours) continue;
      const label = `the attachment of \`${ext.name.text}\``;
      useAddress(ours, label, item.address.span);
      addSpace('attachment', label, ours, item.address.span);
      if (!other || !otherAddr) continue;
      const role = item.peer ? 'peer' : 'gateway';
      const net = formatPrefix(network(ours));
      if (!containsAddress(ours, otherAddr)) {
        sink.report(Codes.neighbourOutsideSubnet, other.span, `${role} ${other.text} is outside the attachment subnet ${net}`, {
          related: [{ span: item.address.span, message: `our address ${item.address.text}` }],
          hint: `the ${role} must be an address of ${net}`,
        });
      } else if (otherAddr.value === ours.value) {
        sink.report(Codes.neighbourOutsideSubnet, other.span, `${role} ${other.text} is our own address on this attachment`, {
          hint: `the ${role} is the other side's address in ${net}`,
        });
      }
    }
  }

  checkDuplicates(used, sink);
  checkSpace(space, sink);
  checkPools(pools, space, linksNeeding4, linksNeeding6, devicesNeeding, devicesNeeding6, firstNeeding, sink);
}

function linkLabel(a: { site?: Token; device: Token }, b: { site?: Token; device: Token }): string {
  const name = (d: { site?: Token; device: Token }): string => (d.site ? `${d.site.text}.${d.device.text}` : d.device.text);
  return `\`${name(a)} -- ${name(b)}\``;
}

function checkDuplicates(used: Map<string, AddressUse[]>, sink: DiagnosticSink): void {
  for (const uses of used.values()) {
    if (uses.length < 2) continue;
    const [first, ...rest] = uses;
    for (const u of rest) {
      sink.report(Codes.duplicateAddress, u.span, `${u.label} uses an address that ${first!.label} already uses`, {
        related: [{ span: first!.span, message: `${first!.label} is here` }],
        hint: 'every address belongs to one thing: choose another',
      });
    }
  }
}

/**
 * Prefixes either nest or are disjoint, so after sorting by start (longest first), the items
 * still open on a stack are exactly the ones that contain the next item.
 */
function checkSpace(space: SpaceItem[], sink: DiagnosticSink): void {
  const sorted = [...space].sort((x, y) => {
    if (x.prefix.family !== y.prefix.family) return x.prefix.family - y.prefix.family;
    if (x.prefix.value !== y.prefix.value) return x.prefix.value < y.prefix.value ? -1 : 1;
    return x.prefix.length - y.prefix.length || x.order - y.order;
  });
  const stack: SpaceItem[] = [];
  for (const item of sorted) {
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.prefix.family === item.prefix.family && containsPrefix(top.prefix, item.prefix)) break;
      stack.pop();
    }
    for (const outer of stack) conflict(outer, item, sink);
    // An item equal to the top is reported against it and not stacked: the stack then holds
    // strictly nested prefixes, at most 129 deep, and the sweep stays linear.
    const top = stack[stack.length - 1];
    if (top && top.prefix.family === item.prefix.family && top.prefix.length === item.prefix.length) continue;
    stack.push(item);
  }
}

function conflict(x: SpaceItem, y: SpaceItem, sink: DiagnosticSink): void {
  // Report at the later declaration, except that a link, loopback or attachment is the one at
  // fault when it lands in a segment.
  const [first, later] =
    x.kind === 'segment' && y.kind !== 'segment' && y.kind !== 'pool'
      ? [x, y]
      : y.kind === 'segment' && x.kind !== 'segment' && x.kind !== 'pool'
        ? [y, x]
        : x.order <= y.order
          ? [x, y]
          : [y, x];
  const kinds = new Set([x.kind, y.kind]);
  const related = [{ span: first.span, message: `${first.label} is ${formatPrefix(first.prefix)}` }];
  const what = `${later.label} (${formatPrefix(later.prefix)})`;
  if (kinds.size === 1 && x.kind === 'segment') {
    sink.report(Codes.overlappingSegments, later.span, `${what} overlaps ${first.label}`, {
      related,
      hint: 'segments must not share addresses: choose a prefix outside the other segment',
    });
  } else if (kinds.has('pool')) {
    if (kinds.has('segment') || kinds.size === 1) {
      sink.report(Codes.poolOverlap, later.span, `${what} overlaps ${first.label}`, {
        related,
        hint: 'a pool must not share addresses with segments or other pools: the compiler would hand them out twice',
      });
    }
  } else if (kinds.has('segment') || kinds.has('link')) {
    if (kinds.has('loopback') && kinds.size === 1) return;
    sink.report(Codes.insideSegment, later.span, `${what} collides with ${first.label}`, {
      related,
      hint: 'links, loopbacks and attachments need addresses of their own, outside every segment',
    });
  }
}

function checkPools(
  pools: { prefix: Prefix; token: Token; name: string }[],
  space: SpaceItem[],
  links4: number,
  links6: number,
  devices: number,
  devices6: number,
  firstNeeding: { span: Span; what: string } | undefined,
  sink: DiagnosticSink,
): void {
  const v4 = pools.filter((p) => p.prefix.family === 4);
  const v6 = pools.filter((p) => p.prefix.family === 6);
  const need4 = BigInt(2 * links4 + devices);
  if (need4 > 0n && v4.length === 0 && firstNeeding) {
    sink.report(Codes.noPool, firstNeeding.span, `no IPv4 pool to allocate from: ${needText(links4, devices)}, and ${firstNeeding.what}`, {
      hint: 'add a pool, e.g. `pool infra 10.255.0.0/16`, or give every link a prefix and every device a loopback',
    });
  }
  // Addresses the intent gives explicitly inside a pool are not available to allocate. Valid
  // pools are disjoint (P312), so each given prefix is looked up in the sorted pools.
  const given = space.filter((s) => s.kind === 'link' || s.kind === 'loopback' || s.kind === 'attachment');
  const capacity = (list: typeof pools): bigint => {
    const sorted = [...list].sort((a, b) => (a.prefix.value < b.prefix.value ? -1 : a.prefix.value > b.prefix.value ? 1 : 0));
    let total = sorted.reduce((sum, p) => sum + size(p.prefix), 0n);
    for (const s of given) {
      let lo = 0;
      let hi = sorted.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (sorted[mid]!.prefix.value <= s.prefix.value) lo = mid;
        else hi = mid - 1;
      }
      const pool = sorted[lo];
      if (pool && containsPrefix(pool.prefix, s.prefix)) total -= lastAddress(s.prefix) - s.prefix.value + 1n;
    }
    return total;
  };
  if (v4.length > 0 && need4 > capacity(v4)) {
    const first = v4[0]!;
    sink.report(Codes.poolTooSmall, first.token.span, `IPv4 pools are too small: ${needText(links4, devices)} (${need4} addresses), but ${capacity(v4)} are free`, {
      hint: `use a larger prefix for pool \`${first.name}\`, or give links and loopbacks their addresses`,
    });
  }
  const need6 = BigInt(2 * links6 + devices6);
  if (v6.length > 0 && need6 > capacity(v6)) {
    const first = v6[0]!;
    sink.report(Codes.poolTooSmall, first.token.span, `IPv6 pools are too small: ${needText(links6, devices6, 6)} (${need6} addresses), but ${capacity(v6)} are free`, {
      hint: `use a larger prefix for pool \`${first.name}\``,
    });
  }
}

function needText(links: number, devices: number, family: 4 | 6 = 4): string {
  const parts: string[] = [];
  if (links > 0) parts.push(`${links} link${links === 1 ? '' : 's'} need${links === 1 ? 's' : ''} a ${family === 4 ? '/31' : '/127'}`);
  if (devices > 0) parts.push(`${devices} device${devices === 1 ? '' : 's'} need${devices === 1 ? 's' : ''} a ${family === 4 ? '/32' : '/128'} loopback`);
  return parts.join(' and ');
}
