// Generates large, realistic and CLEAN intents (no errors, no warnings) for benchmarks: sites of
// mixed-platform devices in a ring with chords, thousands of segments, hosts, groups, services,
// externals (eBGP partners and a static internet), rules and assertions that should hold.
// Deterministic: the same options give the same text.

export interface GenerateOptions {
  sites: number;
  devicesPerSite: number;
  segments: number;
  rules: number;
  assertions: number;
  seed: number;
}

/** A small, fast, seeded PRNG (mulberry32): benchmarks must be reproducible. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The small intent of the start-up bench: one site of 3 devices, 3 segments, 4 rules and 2
 * assertions, clean (`plumb check` finds nothing). What a start-up costs before any size counts. */
export const SMALL_INTENT = `pool infra 10.255.0.0/16

site hq {
  router edge frr
  firewall fw linux
  router core frr
  link edge -- fw
  link fw -- core
}

segment users 10.0.1.0/24 at hq.core
segment servers 10.0.2.0/24 at hq.core
segment dmz 10.0.3.0/24 at hq.fw

policy {
  allow users -> servers : https
  allow users -> dmz : ssh
  allow servers -> dmz : https
  allow servers -> users : ssh
}

assert reach users -> servers : https
assert isolate dmz -> users : ssh
`;

const PLATFORM_CYCLE = ['cisco-iosxe', 'paloalto-panos', 'frr', 'linux'] as const;
const MAX_SEGMENTS = 65536; // one /24 each out of 10.0.0.0/8

export function generateIntent(opts: GenerateOptions): string {
  const { sites, devicesPerSite, segments, rules, assertions } = opts;
  if (sites < 1 || devicesPerSite < 1) throw new Error('generateIntent: at least one site with one device');
  if (segments < 1 || segments > MAX_SEGMENTS) throw new Error(`generateIntent: 1 to ${MAX_SEGMENTS} segments`);
  const hostCount = Math.floor(segments / 10);
  const groupCount = Math.max(1, Math.floor(segments / 50));
  const serviceCount = 40;
  const partners = Math.min(sites, 20);
  // Every declaration is used by at least one rule, so that the intent has no P601 warning.
  const needed = segments + hostCount + groupCount + serviceCount + partners;
  if (segments < 2 || rules < needed) {
    throw new Error(`generateIntent: at least 2 segments, and at least ${needed} rules to use every declaration`);
  }
  const rand = prng(opts.seed);
  const out: string[] = [];
  const line = (s = ''): void => void out.push(s);

  line(`# Generated benchmark intent: ${sites} sites x ${devicesPerSite} devices, ${segments} segments,`);
  line(`# ${rules} rules, ${assertions} assertions (seed ${opts.seed}).`);
  line(`network bench${opts.seed} "generated benchmark intent"`);
  line('routing ospf');
  line('pool infra 100.64.0.0/10');
  line();

  // Devices: d0 is the site's border router (cisco-iosxe with an ASN when it holds eBGP
  // partners), then the platforms rotate. Linux devices never get an ASN.
  const siteName = (s: number): string => `s${String(s).padStart(3, '0')}`;
  const devices: { id: string; platform: string; firewall: boolean; site: number }[] = [];
  for (let s = 0; s < sites; s++) {
    line(`site ${siteName(s)} "site ${s}" {`);
    for (let d = 0; d < devicesPerSite; d++) {
      const platform = d === 0 ? 'cisco-iosxe' : PLATFORM_CYCLE[d % PLATFORM_CYCLE.length]!;
      const firewall = platform === 'paloalto-panos';
      const asn = d === 0 ? ` asn ${65000 + (s % 500)}` : '';
      line(`  ${firewall ? 'firewall' : 'router'} d${d} ${platform}${asn}`);
      devices.push({ id: `${siteName(s)}.d${d}`, platform, firewall, site: s });
    }
    for (let d = 1; d < devicesPerSite; d++) line(`  link d${d - 1} -- d${d}`);
    line('}');
  }
  line();
  // Backbone: a ring of border routers, plus a chord every fifth site for shorter paths.
  for (let s = 1; s < sites; s++) line(`link ${siteName(s - 1)}.d0 -- ${siteName(s)}.d0 cost ${1 + (s % 7)}`);
  if (sites > 2) line(`link ${siteName(sites - 1)}.d0 -- ${siteName(0)}.d0 cost 3`);
  for (let s = 5; s + sites / 2 < sites; s += 5) {
    line(`link ${siteName(s)}.d0 -- ${siteName(Math.floor(s + sites / 2))}.d0 cost 10`);
  }
  line();

  const segName = (i: number): string => `seg${i}`;
  for (let i = 0; i < segments; i++) {
    const dev = devices[i % devices.length]!;
    const zone = dev.firewall ? ` zone z${i % 4}` : '';
    const vlan = ` vlan ${100 + (i % 3000)}`;
    line(`segment ${segName(i)} 10.${i >> 8}.${i & 255}.0/24 at ${dev.id}${zone}${vlan}`);
  }
  line();
  const hostSegment: number[] = [];
  for (let h = 0; h < hostCount; h++) {
    const seg = h * 10 + 3;
    hostSegment.push(seg);
    line(`host h${h} 10.${seg >> 8}.${seg & 255}.${10 + (h % 200)} in ${segName(seg)}`);
  }
  line();
  const groupMembers: number[][] = [];
  for (let g = 0; g < groupCount; g++) {
    const members = Array.from({ length: 5 }, (_, k) => (g * 50 + k * 7) % segments);
    const unique = [...new Set(members)];
    groupMembers.push(unique);
    line(`group g${g} = ${unique.map(segName).join(', ')}`);
  }
  line();
  for (let v = 0; v < serviceCount; v++) {
    const port = 8000 + v;
    line(v % 5 === 0 ? `service svc${v} = tcp ${port}, udp ${port}` : `service svc${v} = tcp ${port}`);
  }
  line();
  // Externals: the internet at the first site (static), and eBGP partners at border routers.
  line('external internet "upstream transit" {');
  line('  prefixes 0.0.0.0/0');
  line(`  attach ${siteName(0)}.d0 address 203.0.113.2/30 gateway 203.0.113.1`);
  line('}');
  for (let p = 0; p < partners; p++) {
    const s = Math.floor((p * sites) / partners);
    line(`external partner${p} "partner ${p} private link" {`);
    line(`  asn ${64600 + p}`);
    line(`  prefixes 198.18.${p}.0/24`);
    line(`  attach ${siteName(s)}.d0 address 169.254.${p}.1/30 peer 169.254.${p}.2`);
    line(`  announce ${segName((p * 13) % segments)}`);
    line('}');
  }
  line();

  // Rules: every segment, host, group, service and external is used at least once; 5 % deny.
  const allowed = new Map<string, string>(); // "src|dst" of segments -> a service allowed
  const denied = new Set<string>();
  const touched = new Set<string>(); // "src|dst": any rule at all between the two segments
  const lines: string[] = [];
  const rule = (action: 'allow' | 'deny', src: string, dst: string, svc: string | undefined, srcSegs: number[], dstSegs: number[]): void => {
    lines.push(`  ${action} ${src} -> ${dst}${svc ? ` : ${svc}` : ''}`);
    for (const a of srcSegs) {
      for (const b of dstSegs) {
        const key = `${a}|${b}`;
        touched.add(key);
        if (action === 'deny') denied.add(key);
        else if (svc && !allowed.has(key) && src === segName(a) && dst === segName(b)) allowed.set(key, svc);
      }
    }
  };
  let r = 0;
  const svcName = (): string => `svc${Math.floor(rand() * serviceCount)}`;
  for (let i = 0; i < segments && r < rules; i++, r++) {
    const j = (i + 1 + Math.floor(rand() * (segments - 1))) % segments;
    if (j === i) continue;
    rule('allow', segName(i), segName(j), svcName(), [i], [j]);
  }
  for (let h = 0; h < hostCount && r < rules; h++, r++) {
    const src = Math.floor(rand() * segments);
    rule('allow', segName(src), `h${h}`, 'https', [src], [hostSegment[h]!]);
  }
  for (let g = 0; g < groupCount && r < rules; g++, r++) {
    rule('allow', `g${g}`, 'internet', 'https, dns', groupMembers[g]!, []);
  }
  for (let v = 0; v < serviceCount && r < rules; v++, r++) {
    const a = Math.floor(rand() * segments);
    const b = (a + 1) % segments;
    if (a !== b) rule('allow', segName(a), segName(b), `svc${v}`, [a], [b]);
  }
  for (let p = 0; p < partners && r < rules; p++, r++) {
    const s = (p * 13) % segments;
    rule('allow', segName(s), `partner${p}`, 'https', [s], []);
  }
  for (; r < rules; r++) {
    const a = Math.floor(rand() * segments);
    const b = Math.floor(rand() * segments);
    if (a === b) {
      r--;
      continue;
    }
    if (rand() < 0.05) rule('deny', segName(a), segName(b), undefined, [a], [b]);
    else rule('allow', segName(a), segName(b), svcName(), [a], [b]);
  }
  // Policy blocks of at most 1,000 rules, as a team would split them.
  for (let k = 0; k < lines.length; k += 1000) {
    line(`policy p${k / 1000} {`);
    out.push(...lines.slice(k, k + 1000));
    line('}');
  }
  line();

  // Assertions that should hold: reach for allowed pairs no deny overlaps, isolate for pairs no
  // rule mentions at all.
  const reachable = [...allowed].filter(([key]) => !denied.has(key));
  let written = 0;
  for (let k = 0; written < Math.ceil(assertions / 2) && k < reachable.length; k += Math.max(1, Math.floor(reachable.length / assertions))) {
    const [key, svc] = reachable[k]!;
    const [a, b] = key.split('|').map(Number);
    line(`assert reach ${segName(a!)} -> ${segName(b!)} : ${svc}`);
    written++;
  }
  let tries = 0;
  while (written < assertions && tries < assertions * 100) {
    tries++;
    const a = Math.floor(rand() * segments);
    const b = Math.floor(rand() * segments);
    if (a === b || touched.has(`${a}|${b}`) || hostSegment.includes(b)) continue;
    line(`assert isolate ${segName(a)} -> ${segName(b)}`);
    written++;
  }
  line("# end");
  return `${out.join('\n')}\n`;
}

/** The platforms an ACL policy is generated for, with what Capirca calls them (bench/capirca.ts). */
export const ACL_PLATFORMS = ['cisco-iosxe', 'paloalto-panos', 'linux'] as const;
export type AclPlatform = (typeof ACL_PLATFORMS)[number];
/** The generator Capirca renders each platform's policy with. */
export const CAPIRCA_TARGETS: Readonly<Record<AclPlatform, string>> = { 'cisco-iosxe': 'cisco', 'paloalto-panos': 'paloalto', linux: 'nftables' };

export interface AclPolicy {
  platform: AclPlatform;
  /** Zones only on a firewall. */
  segments: { name: string; prefix: string; zone?: string }[];
  services: { name: string; protocol: 'tcp' | 'udp'; port: number }[];
  /** `service` absent: every protocol and port (the denies). */
  rules: { action: 'allow' | 'deny'; src: string; dst: string; service?: string }[];
}

/**
 * An ACL policy of `rules` rules between the segments of one device of `platform`: what a
 * firewall team keeps in Capirca. About one segment per 25 rules (10 to 800), 40 services; every
 * rule is a different (source, destination, service), every segment and service is used, and 5 %
 * of the rules deny a pair of segments no allow names (so first-match order and Plumb's "a deny
 * wins" mean the same). Deterministic for a seed.
 */
export function generateAclPolicy(platform: AclPlatform, rules: number, seed: number): AclPolicy {
  const segmentCount = Math.min(800, Math.max(10, Math.round(rules / 25)));
  const serviceCount = 40;
  if (rules < segmentCount + serviceCount) throw new Error(`generateAclPolicy: at least ${segmentCount + serviceCount} rules`);
  const rand = prng(seed);
  const firewall = platform === 'paloalto-panos';
  const segments = Array.from({ length: segmentCount }, (_, i) => ({
    name: `net${i}`,
    prefix: `10.${i >> 8}.${i & 255}.0/24`,
    ...(firewall ? { zone: `z${i % 4}` } : {}),
  }));
  const services = Array.from({ length: serviceCount }, (_, k) => ({
    name: `svc${k}`,
    protocol: (k % 5 === 4 ? 'udp' : 'tcp') as 'tcp' | 'udp',
    port: 8000 + k,
  }));
  const out: AclPolicy['rules'] = [];
  const seen = new Set<string>();
  const allowedPairs = new Set<string>();
  const deniedPairs = new Set<string>();
  const allow = (a: number, b: number, k: number): boolean => {
    const key = `${a}|${b}|${k}`;
    if (a === b || seen.has(key) || deniedPairs.has(`${a}|${b}`)) return false;
    seen.add(key);
    allowedPairs.add(`${a}|${b}`);
    out.push({ action: 'allow', src: segments[a]!.name, dst: segments[b]!.name, service: services[k]!.name });
    return true;
  };
  for (let i = 0; i < segmentCount; i++) allow(i, (i + 1) % segmentCount, i % serviceCount);
  for (let k = 0; k < serviceCount; k++) {
    while (!allow(Math.floor(rand() * segmentCount), Math.floor(rand() * segmentCount), k));
  }
  let tries = 0;
  while (out.length < rules) {
    if (++tries > rules * 100) throw new Error('generateAclPolicy: too many rules for the segments');
    const a = Math.floor(rand() * segmentCount);
    const b = Math.floor(rand() * segmentCount);
    if (rand() < 0.05) {
      const pair = `${a}|${b}`;
      if (a === b || allowedPairs.has(pair) || deniedPairs.has(pair)) continue;
      deniedPairs.add(pair);
      out.push({ action: 'deny', src: segments[a]!.name, dst: segments[b]!.name });
    } else allow(a, b, Math.floor(rand() * serviceCount));
  }
  return { platform, segments, services, rules: out };
}

/** The Plumb intent of an ACL policy: one device holding every segment, and the rules. */
export function aclIntentText(policy: AclPolicy): string {
  const firewall = policy.platform === 'paloalto-panos';
  const out = [
    `# Generated ACL benchmark: ${policy.rules.length} rules on one ${policy.platform} device.`,
    `network acl${policy.rules.length} "generated ACL policy"`,
    'pool infra 100.64.0.0/10',
    'site s0 {',
    `  ${firewall ? 'firewall' : 'router'} d0 ${policy.platform}`,
    '}',
  ];
  policy.segments.forEach((s, i) => out.push(`segment ${s.name} ${s.prefix} at s0.d0${s.zone ? ` zone ${s.zone}` : ''} vlan ${100 + i}`));
  for (const v of policy.services) out.push(`service ${v.name} = ${v.protocol} ${v.port}`);
  for (let k = 0; k < policy.rules.length; k += 1000) {
    out.push(`policy p${k / 1000} {`);
    for (const r of policy.rules.slice(k, k + 1000)) out.push(`  ${r.action} ${r.src} -> ${r.dst}${r.service ? ` : ${r.service}` : ''}`);
    out.push('}');
  }
  return `${out.join('\n')}\n`;
}
