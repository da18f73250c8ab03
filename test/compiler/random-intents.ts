// Random small intents, as text, for the tests that compare the model with what the emitted
// configurations make real daemons and kernels do: 3-6 devices of every platform in one or two
// sites, a connected topology with chords and costs that make equal-cost paths, static or OSPF
// routing, IPv4-only, IPv6-only and dual-stack segments, and externals of either family (eBGP
// sessions and static gateways). An IPv6 pool is there only sometimes: IPv6 runs over link-local
// addresses without one. Every intent compiles with no error; the same seed gives the same text.

import { prng } from '../../bench/generate.js';

export interface RandomIntent {
  seed: number;
  text: string;
  /** Segment names with the families they have, for tests that pick probe ends. */
  segments: { name: string; families: (4 | 6)[] }[];
}

const PLATFORMS = ['frr', 'linux', 'cisco-iosxe', 'paloalto-panos'] as const;

export function randomIntent(seed: number): RandomIntent {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const count = 3 + Math.floor(rnd() * 4);
  const twoSites = count >= 4 && rnd() < 0.4;
  const devices = Array.from({ length: count }, (_, i) => {
    // The first device always runs a routing daemon, so that every intent has one BGP speaker.
    const platform = i === 0 ? pick(['frr', 'cisco-iosxe'] as const) : pick(PLATFORMS);
    const site = twoSites && i >= Math.ceil(count / 2) ? 's2' : 's1';
    return { name: `d${i}`, site, platform, id: `${site}.d${i}`, asn: undefined as number | undefined };
  });

  // A random spanning tree, then chords; costs 1-3 so that equal-cost paths happen.
  const links: [number, number, number][] = [];
  for (let i = 1; i < count; i++) links.push([Math.floor(rnd() * i), i, 1 + Math.floor(rnd() * 3)]);
  for (let k = 0, chords = Math.floor(rnd() * count); k < chords; k++) {
    const a = Math.floor(rnd() * count);
    const b = Math.floor(rnd() * count);
    if (a !== b && !links.some(([x, y]) => (x === a && y === b) || (x === b && y === a))) links.push([Math.min(a, b), Math.max(a, b), 1 + Math.floor(rnd() * 3)]);
  }

  const segments: RandomIntent['segments'] = [];
  const segmentLines: string[] = [];
  const segmentCount = 2 + Math.floor(rnd() * 3);
  for (let i = 0; i < segmentCount; i++) {
    // The first segment is dual-stack, so that IPv6 is always carried somewhere.
    const families: (4 | 6)[] = i === 0 ? [4, 6] : pick([[4], [6], [4, 6]] as (4 | 6)[][]);
    const prefixes = families.map((f) => (f === 4 ? `10.${i + 1}.0.0/24` : `2001:db8:${i + 1}::/64`));
    const at = pick(devices);
    const zone = at.platform === 'paloalto-panos' ? ` zone z${i}` : '';
    segmentLines.push(`segment n${i} ${prefixes.join(', ')} at ${at.id}${zone}`);
    segments.push({ name: `n${i}`, families });
  }

  // Externals: an eBGP partner at the first device (one session per family it has), and
  // sometimes a static internet of either or both families at another routing device.
  const externalLines: string[] = [];
  const externals: string[] = [];
  const border = devices[0]!;
  border.asn = 65001;
  const partnerFamilies: (4 | 6)[] = pick([[4], [6], [4, 6]] as (4 | 6)[][]);
  externalLines.push('external partner {', '  asn 64600');
  externalLines.push(`  prefixes ${partnerFamilies.map((f) => (f === 4 ? '198.51.100.0/24' : '2001:db8:beef::/48')).join(', ')}`);
  for (const f of partnerFamilies) {
    externalLines.push(f === 4 ? `  attach ${border.id} address 169.254.10.1/30 peer 169.254.10.2` : `  attach ${border.id} address 2001:db8:ffff:10::1/126 peer 2001:db8:ffff:10::2`);
  }
  // Announced: the segments the sessions can carry whole (a prefix of a family no session has
  // would be C710).
  const announced = segments.filter((s) => s.families.every((f) => partnerFamilies.includes(f)));
  if (announced.length > 0) externalLines.push(`  announce ${announced.map((s) => s.name).join(', ')}`);
  externalLines.push('}');
  externals.push('partner');
  if (rnd() < 0.6) {
    const at = pick(devices);
    const families: (4 | 6)[] = pick([[4], [6], [4, 6]] as (4 | 6)[][]);
    externalLines.push('external internet {', `  prefixes ${families.map((f) => (f === 4 ? '0.0.0.0/0' : '::/0')).join(', ')}`);
    for (const f of families) {
      externalLines.push(f === 4 ? `  attach ${at.id} address 203.0.113.2/30 gateway 203.0.113.1` : `  attach ${at.id} address 2001:db8:ffff:1::2/64 gateway 2001:db8:ffff:1::1`);
    }
    externalLines.push('}');
    externals.push('internet');
  }

  const out: string[] = [`# random intent, seed ${seed}`, `network random${seed}`];
  out.push(`routing ${rnd() < 0.6 ? 'ospf' : 'static'}`, 'pool infra 10.255.0.0/16');
  if (rnd() < 0.3) out.push('pool infra6 fd00:255::/48');
  for (const site of twoSites ? ['s1', 's2'] : ['s1']) {
    out.push(`site ${site} {`);
    for (const d of devices.filter((x) => x.site === site)) {
      out.push(`  ${d.platform === 'paloalto-panos' ? 'firewall' : 'router'} ${d.name} ${d.platform}${d.asn !== undefined ? ` asn ${d.asn}` : ''}`);
    }
    out.push('}');
  }
  for (const [a, b, cost] of links) {
    const x = devices[a]!;
    const y = devices[b]!;
    out.push(`link ${x.id} -- ${y.id}${cost !== 1 ? ` cost ${cost}` : ''}`);
  }
  out.push(...segmentLines, ...externalLines);
  // Every segment reaches every other and the externals; the partner reaches the segments.
  out.push('policy {');
  out.push(`  allow ${segments.map((s) => s.name).join(', ')} -> ${[...segments.map((s) => s.name), ...externals].join(', ')} : https, ping`);
  out.push(`  allow partner -> ${segments.map((s) => s.name).join(', ')} : https`);
  out.push('}');
  out.push(`assert reach ${segments[0]!.name} -> ${segments[1]!.name} : https`);
  return { seed, text: `${out.join('\n')}\n`, segments };
}
