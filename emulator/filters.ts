// nftables rules for a device that the lab emulates (IOS-XE, PAN-OS): its filters, zones and
// security rules, rendered from the DeviceModel with the packet semantics of
// docs/architecture.md, keeping what the platform does with state:
//  - stateless (IOS-XE ACLs): no connection tracking at all (`notrack`); `established` is
//    `tcp flags & (ack | rst) != 0`, exactly as an ACL sees it;
//  - stateful (PAN-OS): replies of admitted connections pass every stage (`ct state`); on a
//    platform whose conntrack drops an ICMP error that quotes no tracked connection (the platform
//    table's `dropsUntrackedIcmpErrors`), such an error is dropped first, as the model says.
// The FRR/Linux backends render stateful nftables only, so the emulator writes these itself.
// A device with a local filter (the model's `localFilter`) decides packets addressed to itself
// (its own addresses, link-locals included, and OSPF's groups when it runs OSPF) by that filter
// alone, on prerouting before any inbound filter, as the IOS-XE backend's infrastructure ACL
// does; its inbound filters then see forwarded packets only. Without one, an inbound filter
// starts, as the IOS-XE backend's ACLs then do, with the router's own BGP and OSPF sessions (see
// controlPlane). Stages: `filterIn` on prerouting (before the route lookup), the zone policy on
// forward, `filterOut` on forward after it. A device that translates addresses (nat.ts) keeps
// each filter where it sees the packet the platform says: an in-filter that sees the packet as it
// arrived runs before every rewrite, an out-filter that sees it as it leaves on postrouting after
// them (forwarded packets only). Pure.

import type { DeviceModel, FilterModel, FilterRule, Match, Platform, PortRange } from '../compiler/model.js';
import { addressOf, containsAddress, formatAddress, prefixOf } from '../language/address.js';
import { PLATFORM_TRAITS } from '../language/platforms.js';
import { IN_FILTER_PRIORITY, LEAVING_OUT_FILTER_PRIORITY, natChains, trackedForPat, translatedBeforeRouting } from './nat.js';

export const EMULATED_TABLE = 'plumb_emulated';
/** The chain of the local filter: packets addressed to the device itself. */
const LOCAL_CHAIN = 'local_in';
/** The inbound lists alone, for packets that skip the local filter (translated before routing). */
const IN_LISTS_CHAIN = 'in_lists';

function q(s: string): string {
  return `"${s.replace(/[^A-Za-z0-9 _.,:;()/>+=@-]/g, '_').slice(0, 120)}"`;
}

function ports(ranges: PortRange[]): string {
  const items = ranges.map((r) => (r.from === r.to ? `${r.from}` : `${r.from}-${r.to}`));
  return items.length === 1 ? items[0]! : `{ ${items.join(', ')} }`;
}

function set(items: string[]): string {
  return items.length === 1 ? items[0]! : `{ ${items.join(', ')} }`;
}

/** The nft match expressions of one Match, one string per family variant (none: matches nothing). */
export function matchExpressions(m: Match, zoneIfaces?: (zones: string[]) => string[]): string[] {
  const families: (4 | 6 | undefined)[] = [];
  const split = (list: string[] | undefined, fam: 4 | 6): string[] | undefined =>
    list === undefined ? undefined : list.filter((p) => prefixOf(p).family === fam);
  if (m.sources === undefined && m.destinations === undefined) families.push(undefined);
  else families.push(4, 6);
  const common: string[] = [];
  if (m.fromZones && zoneIfaces) {
    const ifs = zoneIfaces(m.fromZones);
    if (ifs.length === 0) return [];
    common.push(`iifname ${set(ifs.map(q))}`);
  }
  if (m.toZones && zoneIfaces) {
    const ifs = zoneIfaces(m.toZones);
    if (ifs.length === 0) return [];
    common.push(`oifname ${set(ifs.map(q))}`);
  }
  const l4: string[][] = [];
  const hasPorts = m.sourcePorts !== undefined || m.destinationPorts !== undefined;
  const portExpr: string[] = [];
  if (m.sourcePorts) {
    if (m.sourcePorts.length === 0) return [];
    portExpr.push(`th sport ${ports(m.sourcePorts)}`);
  }
  if (m.destinationPorts) {
    if (m.destinationPorts.length === 0) return [];
    portExpr.push(`th dport ${ports(m.destinationPorts)}`);
  }
  const est = m.tcpEstablished ? ['tcp flags & (ack | rst) != 0'] : [];
  if (m.protocol !== undefined) {
    const p = m.protocol;
    if (hasPorts && p !== 6 && p !== 17) return [];
    if (m.tcpEstablished && p !== 6) return [];
    if (m.icmpType !== undefined && p !== 1 && p !== 58) return [];
    const icmp =
      m.icmpType === undefined ? [] : [p === 1 ? `icmp type ${m.icmpType}` : `icmpv6 type ${m.icmpType}`];
    l4.push([`meta l4proto ${p}`, ...portExpr, ...icmp, ...est]);
  } else if (m.tcpEstablished) {
    l4.push(['meta l4proto 6', ...portExpr, ...est]);
  } else if (hasPorts) {
    l4.push(['meta l4proto { 6, 17 }', ...portExpr]);
  } else if (m.icmpType !== undefined) {
    l4.push(['meta l4proto 1', `icmp type ${m.icmpType}`], ['meta l4proto 58', `icmpv6 type ${m.icmpType}`]);
  } else {
    l4.push([]);
  }
  const out: string[] = [];
  for (const fam of families) {
    const addr: string[] = [];
    if (fam !== undefined) {
      const src = split(m.sources, fam);
      const dst = split(m.destinations, fam);
      if ((src && src.length === 0) || (dst && dst.length === 0)) continue;
      const kw = fam === 4 ? 'ip' : 'ip6';
      if (src) addr.push(`${kw} saddr ${set(src)}`);
      if (dst) addr.push(`${kw} daddr ${set(dst)}`);
      if (!src && !dst) continue;
    }
    for (const l of l4) {
      // An ICMP type of the other family never matches this family.
      if (fam === 4 && l.some((e) => e.startsWith('icmpv6'))) continue;
      if (fam === 6 && l.some((e) => e.startsWith('icmp type'))) continue;
      out.push([...common, ...addr, ...l].join(' ').trim());
    }
  }
  return out;
}

function ruleLines(rule: FilterRule, zoneIfaces?: (zones: string[]) => string[]): string[] {
  const verdict = rule.action === 'permit' ? 'accept' : 'drop';
  return matchExpressions(rule.match, zoneIfaces).map(
    (m) => `${m ? `${m} ` : ''}counter ${verdict} comment ${q(rule.description)}`,
  );
}

function chainName(kind: 'in' | 'out', f: FilterModel): string {
  return `${kind}_${f.name.replace(/[^A-Za-z0-9_]/g, '_')}`;
}

/**
 * What the IOS-XE backend puts first in an inbound ACL so that the router's own routing sessions
 * survive it (IOS filters traffic addressed to the router too): BGP with each neighbour on the
 * interface's subnets, OSPF to its groups and the interface's addresses. Packets addressed to
 * the router only, so no forwarded packet's fate changes. Per filter name, nft rule lines.
 */
export function controlPlane(device: DeviceModel): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const i of device.interfaces) {
    if (i.filterIn === undefined) continue;
    const lines = out.get(i.filterIn) ?? [];
    const add = (line: string): void => {
      if (!lines.includes(line)) lines.push(line);
    };
    for (const a of i.addresses) {
      const p = prefixOf(a);
      const kw = p.family === 4 ? 'ip' : 'ip6';
      const local = formatAddress({ family: p.family, value: p.value });
      for (const n of device.bgp?.neighbors ?? []) {
        if (n.address === local || !containsAddress(p, addressOf(n.address))) continue;
        add(
          `${kw} saddr ${n.address} ${kw} daddr ${local} tcp dport 179 counter accept comment "control plane: bgp"`,
        );
        add(
          `${kw} saddr ${n.address} ${kw} daddr ${local} tcp sport 179 counter accept comment "control plane: bgp"`,
        );
      }
    }
    const ospf = device.ospf?.interfaces.find((o) => o.name === i.name);
    if (ospf && !ospf.passive) {
      const v4 = i.addresses
        .filter((a) => prefixOf(a).family === 4)
        .map((a) => formatAddress({ family: 4, value: prefixOf(a).value }));
      if (v4.length > 0) {
        add(
          `ip daddr { 224.0.0.5, 224.0.0.6, ${v4.join(', ')} } meta l4proto 89 counter accept comment "control plane: ospf"`,
        );
      }
      if (i.addresses.some((a) => prefixOf(a).family === 6)) {
        add(
          `ip6 daddr { ff02::5, ff02::6, fe80::/10 } meta l4proto 89 counter accept comment "control plane: ospf"`,
        );
      }
    }
    if (lines.length > 0) out.set(i.filterIn, lines);
  }
  return out;
}

/**
 * uRPF before anything else sees the packet: strict, the route back to the source must leave by
 * the interface it came in by (any ECMP next hop: `fib saddr . iif`); loose, some route to the
 * source must exist. Neighbour discovery passes first (DAD's source is `::`, which has no route).
 */
export function urpfLines(device: DeviceModel): string[] {
  const checked = device.interfaces.filter((i) => i.urpf !== undefined);
  if (checked.length === 0) return [];
  const L = [`    icmpv6 type { 133, 134, 135, 136, 137 } accept comment ${q('neighbour discovery')}`];
  for (const i of checked) {
    const lookup = i.urpf === 'strict' ? 'fib saddr . iif oif missing' : 'fib saddr oif missing';
    L.push(`    iifname ${q(i.name)} ${lookup} counter drop comment ${q(`urpf ${i.urpf ?? ''}`)}`);
  }
  return L;
}

/**
 * ICMP that conntrack cannot place (an unsolicited error or reply: `ct state invalid`) is dropped
 * before anything else decides, on a stateful device whose platform does so. Restricted to ICMP:
 * conntrack decides exactly which of those packets are invalid (CONNTRACK_ICMP), the model says
 * the same (verifier/conntrack.ts), and other protocols' invalid packets are not this line's.
 */
export function unsolicitedIcmpLines(device: DeviceModel): string[] {
  if (!device.stateful || !PLATFORM_TRAITS[device.platform].dropsUnsolicitedIcmp) return [];
  const comment = q('unsolicited ICMP: ct state invalid');
  return [
    `    meta l4proto icmp ct state invalid counter drop comment ${comment}`,
    `    meta l4proto ipv6-icmp ct state invalid counter drop comment ${comment}`,
  ];
}

/**
 * The complete ruleset for an emulated device (a fresh table; other tables stay). `platform`: the
 * device's own platform, whose order of translations and filters the ruleset keeps (the lab's
 * copy of the device says what it runs as).
 */
export function renderEmulatedFilters(device: DeviceModel, platform: Platform = device.platform): string {
  const L: string[] = [];
  const stateful = device.stateful;
  const established = stateful ? ['    ct state established,related accept'] : [];
  const byName = new Map(device.filters.map((f) => [f.name, f]));
  const zoneIfaces = (zones: string[]): string[] =>
    device.zones.filter((z) => zones.includes(z.name)).flatMap((z) => z.interfaces);
  L.push(`table inet ${EMULATED_TABLE} {`);
  if (!stateful) {
    L.push(
      '  chain raw_prerouting {',
      '    type filter hook prerouting priority raw; policy accept;',
      ...trackedForPat(device),
      '    notrack',
      '  }',
    );
    L.push(
      '  chain raw_output {',
      '    type filter hook output priority raw; policy accept;',
      '    notrack',
      '  }',
    );
  }
  const local = device.localFilter !== undefined ? byName.get(device.localFilter) : undefined;
  if (local) {
    L.push(`  chain ${LOCAL_CHAIN} {`);
    L.push(`    icmpv6 type { 133, 134, 135, 136, 137 } accept comment ${q('neighbour discovery')}`);
    for (const r of local.rules) for (const line of ruleLines(r)) L.push(`    ${line}`);
    L.push(`    counter ${local.defaultAction === 'permit' ? 'accept' : 'drop'} comment ${q(`local default ${local.defaultAction}`)}`, '  }');
  }
  const used = new Set<string>();
  for (const itf of device.interfaces) {
    if (itf.filterIn) used.add(`in|${itf.filterIn}`);
    if (itf.filterOut) used.add(`out|${itf.filterOut}`);
  }
  for (const key of [...used].sort()) {
    const [kind, name] = key.split('|') as ['in' | 'out', string];
    const f = byName.get(name);
    if (!f) continue;
    L.push(`  chain ${chainName(kind, f)} {`);
    // IPv6 neighbour discovery passes every list, as IOS-XE's implicit (and the backend's
    // explicit) `nd-na`/`nd-ns` permits let it: without it no IPv6 address on the link resolves.
    L.push(`    icmpv6 type { 133, 134, 135, 136, 137 } accept comment ${q('neighbour discovery')}`);
    if (kind === 'in' && !local) for (const line of controlPlane(device).get(f.name) ?? []) L.push(`    ${line}`);
    for (const r of f.rules) for (const line of ruleLines(r)) L.push(`    ${line}`);
    L.push(
      `    counter ${f.defaultAction === 'permit' ? 'accept' : 'drop'} comment ${q(`default ${f.defaultAction}`)}`,
    );
    L.push('  }');
  }
  const translates = (device.nat?.translations.length ?? 0) > 0;
  const sees = PLATFORM_TRAITS[platform].nat.filterSees;
  const inPriority = translates && sees.in === 'arrival' ? `${IN_FILTER_PRIORITY}` : 'filter';
  L.push('  chain filter_in {', `    type filter hook prerouting priority ${inPriority}; policy accept;`);
  // A device that leaves its own connections untracked decides every packet to it by its local
  // chain, replies included: the jump comes before connection state is looked at.
  const untracked = device.ownConnectionsUntracked === true;
  L.push(...urpfLines(device), ...unsolicitedIcmpLines(device), ...(untracked ? [] : established));
  // Packets to be translated before routing are not the device's own, whatever they arrive to:
  // straight to the inbound lists.
  const translatedFirst = local ? translatedBeforeRouting(device, platform) : [];
  for (const m of translatedFirst) L.push(`    ${m} goto ${IN_LISTS_CHAIN}`);
  if (local) {
    // the device's own addresses (link-locals too) and, where it runs OSPF, OSPF's groups
    L.push(`    fib daddr type local jump ${LOCAL_CHAIN}`, `    ip6 daddr fe80::/10 jump ${LOCAL_CHAIN}`);
    if (device.ospf) L.push(`    ip daddr { 224.0.0.5, 224.0.0.6 } jump ${LOCAL_CHAIN}`, `    ip6 daddr { ff02::5, ff02::6 } jump ${LOCAL_CHAIN}`);
  }
  if (untracked) L.push(...established);
  const inLists = device.interfaces.flatMap((itf) => {
    const f = itf.filterIn ? byName.get(itf.filterIn) : undefined;
    return f ? [`    iifname ${q(itf.name)} jump ${chainName('in', f)}`] : [];
  });
  L.push(...inLists, '  }');
  if (translatedFirst.length > 0) L.push(`  chain ${IN_LISTS_CHAIN} {`, ...inLists, '  }');
  if (device.zones.length > 0) {
    L.push(
      '  chain security {',
      '    type filter hook forward priority filter; policy accept;',
      ...established,
    );
    for (const r of device.securityRules) for (const line of ruleLines(r, zoneIfaces)) L.push(`    ${line}`);
    L.push(`    counter drop comment ${q('zone policy: default deny')}`, '  }');
  }
  // Seen as it leaves: after the translations on postrouting, where a packet the device
  // originates (no input interface) is not the out-filter's.
  const leaving = translates && sees.out === 'leaving';
  const outHook = leaving ? `postrouting priority ${LEAVING_OUT_FILTER_PRIORITY}` : 'forward priority 10';
  const forwarded = leaving ? `iifname ${set(device.interfaces.filter((i) => i.name !== 'lo').map((i) => q(i.name)))} ` : '';
  L.push('  chain filter_out {', `    type filter hook ${outHook}; policy accept;`, ...established);
  for (const itf of device.interfaces) {
    const f = itf.filterOut ? byName.get(itf.filterOut) : undefined;
    if (f) L.push(`    ${forwarded}oifname ${q(itf.name)} jump ${chainName('out', f)}`);
  }
  L.push('  }', ...natChains(device, platform), '}');
  return `${L.join('\n')}\n`;
}
