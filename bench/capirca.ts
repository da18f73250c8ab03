// Capirca (`aclgen`, Debian's python3-capirca) on the same ACL policy as a generated Plumb
// intent (bench/generate.ts, generateAclPolicy): its network and service definitions and one
// policy file per platform, written into a folder for `aclgen` to render. Plumb's denies win
// over every allow; Capirca's terms match first, so the denies come first (no allow names a
// denied pair, so both mean the same).

import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CAPIRCA_TARGETS, type AclPlatform, type AclPolicy } from './generate.js';

/** The header options of a filter, by Capirca's generator (a firewall's names its two zones). */
const HEADERS: Readonly<Record<string, (from?: string, to?: string) => string>> = {
  cisco: () => 'cisco plumb-acl extended',
  paloalto: (from, to) => `paloalto from-zone ${from} to-zone ${to}`,
  nftables: () => 'nftables inet input',
};

const upper = (name: string): string => name.toUpperCase().replace(/[^A-Z0-9]/g, '_');

/** Writes def/NETWORK.net, def/SERVICES.svc and pol/plumb.pol under `dir`; returns the policy file. */
export function writeCapircaPolicy(policy: AclPolicy, dir: string): string {
  mkdirSync(join(dir, 'def'), { recursive: true });
  mkdirSync(join(dir, 'pol'), { recursive: true });
  mkdirSync(join(dir, 'out'), { recursive: true });
  writeFileSync(join(dir, 'def', 'NETWORK.net'), policy.segments.map((s) => `${upper(s.name)} = ${s.prefix}\n`).join(''));
  writeFileSync(join(dir, 'def', 'SERVICES.svc'), policy.services.map((v) => `${upper(v.name)} = ${v.port}/${v.protocol}\n`).join(''));
  const header = HEADERS[capircaTarget(policy.platform)]!;
  const zoned = policy.segments.some((s) => s.zone !== undefined);
  const zone = new Map(policy.segments.map((s) => [s.name, s.zone]));
  const service = new Map(policy.services.map((v) => [v.name, v]));
  // One filter (header) per pair of zones on a firewall, one filter for everything elsewhere.
  const filters = new Map<string, string[]>();
  const ordered = [...policy.rules.filter((r) => r.action === 'deny'), ...policy.rules.filter((r) => r.action === 'allow')];
  ordered.forEach((r, i) => {
    const key = zoned ? `${zone.get(r.src)}|${zone.get(r.dst)}` : '';
    const terms = filters.get(key) ?? [];
    filters.set(key, terms);
    const v = r.service ? service.get(r.service) : undefined;
    terms.push(
      [
        `term ${r.action}-${i} {`,
        `  source-address:: ${upper(r.src)}`,
        `  destination-address:: ${upper(r.dst)}`,
        ...(v ? [`  protocol:: ${v.protocol}`, `  destination-port:: ${upper(v.name)}`] : []),
        `  action:: ${r.action === 'deny' ? 'deny' : 'accept'}`,
        '}',
      ].join('\n'),
    );
  });
  const text = [...filters]
    .map(([key, terms]) => {
      const [from, to] = key.split('|');
      return `header {\n  target:: ${header(from, to)}\n}\n${terms.join('\n')}\n`;
    })
    .join('\n');
  const file = join(dir, 'pol', 'plumb.pol');
  writeFileSync(file, text);
  return file;
}

/** The command line that renders the policy written by writeCapircaPolicy. */
export function aclgenArguments(dir: string): string[] {
  return [
    `--base_directory=${join(dir, 'pol')}`,
    `--definitions_directory=${join(dir, 'def')}`,
    `--output_directory=${join(dir, 'out')}`,
    `--policy_file=${join(dir, 'pol', 'plumb.pol')}`,
    '--max_renderers=1',
    '--nooptimize',
  ];
}

/** What Capirca calls a platform's generator, for the table. */
export function capircaTarget(platform: AclPlatform): string {
  return CAPIRCA_TARGETS[platform];
}
