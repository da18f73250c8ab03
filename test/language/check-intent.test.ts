import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { BASE, run } from './analyze-helpers.js';

const example = (name: string): { path: string; text: string } => {
  const path = `examples/${name}/${name}.plumb`;
  return { path, text: readFileSync(path, 'utf8') };
};

describe('the checked intent', () => {
  it.each(['acme', 'multicloud', 'campus'])('examples/%s checks clean', (name) => {
    const a = analyze([example(name)]);
    expect(a.diagnostics).toEqual([]);
    expect(a.intent).toBeDefined();
  });

  it('is built for acme exactly as intent.ts documents', () => {
    const intent = analyze([example('acme')]).intent!;
    expect(intent.name).toBe('acme');
    expect(intent.description).toBe('ACME edge: Frankfurt and Amsterdam');
    expect(intent.routing).toBe('ospf');
    expect(intent.pools.map((p) => [p.name, p.prefix])).toEqual([['infra', '10.255.0.0/16']]);
    expect(intent.sites.map((s) => [s.name, s.description])).toEqual([
      ['fra1', 'Frankfurt FR5'],
      ['ams1', 'Amsterdam AM3'],
    ]);
    expect(intent.devices.map((d) => [d.id, d.role, d.platform, d.asn])).toEqual([
      ['fra1.edge1', 'router', 'cisco-iosxe', 65010],
      ['fra1.fw1', 'firewall', 'paloalto-panos', undefined],
      ['fra1.core1', 'router', 'frr', undefined],
      ['ams1.core2', 'router', 'frr', undefined],
      ['ams1.gw1', 'router', 'linux', undefined],
    ]);
    expect(intent.links.map((l) => [l.a.device, l.b.device, l.cost, l.prefixes])).toEqual([
      ['fra1.edge1', 'fra1.fw1', 1, []],
      ['fra1.fw1', 'fra1.core1', 1, []],
      ['ams1.core2', 'ams1.gw1', 1, []],
      ['fra1.core1', 'ams1.core2', 10, []],
    ]);
    expect(intent.segments.find((s) => s.name === 'web')).toMatchObject({
      prefixes: ['10.10.1.0/24', '2001:db8:10:1::/64'],
      gateway: 'fra1.fw1',
      zone: 'dmz',
    });
    expect(intent.hosts).toMatchObject([{ name: 'pg-primary', address: '10.10.2.10', segment: 'db' }]);
    expect(intent.groups).toMatchObject([{ name: 'internal', members: ['web', 'db', 'office'], expanded: ['db', 'office', 'web'] }]);
    const snowflake = intent.externals.find((e) => e.name === 'snowflake')!;
    expect(snowflake).toMatchObject({
      asn: 64600,
      prefixes: ['198.51.100.0/24'],
      attachments: [{ device: 'fra1.edge1', address: '169.254.10.1/30', peer: '169.254.10.2' }],
      announce: ['db'],
    });
    expect(intent.externals.find((e) => e.name === 'internet')!.attachments[0]).toMatchObject({ gateway: '203.0.113.1' });
    expect(intent.rules).toHaveLength(6);
    expect(intent.rules[1]).toMatchObject({
      action: 'deny',
      sources: ['guest'],
      destinations: ['internal'],
      sourcesExpanded: ['guest'],
      destinationsExpanded: ['db', 'office', 'web'],
      services: [],
      clauses: [{}],
    });
    expect(intent.rules[0]!.sourcesExpanded).toEqual(['any']);
    expect(intent.rules[5]!.clauses).toEqual([
      { protocol: 6, ports: [{ from: 80, to: 80 }] },
      { protocol: 6, ports: [{ from: 443, to: 443 }] },
      { protocol: 17, ports: [{ from: 53, to: 53 }] },
      { protocol: 6, ports: [{ from: 53, to: 53 }] },
    ]);
    expect(intent.assertions.map((a) => a.text)).toContain('assert reach internet -> web : https via fra1.fw1');
    expect(intent.assertions[1]!.via).toBe('fra1.fw1');
    expect(intent.assertions.find((a) => a.property === 'isolate')!.clauses).toEqual([{}]);
    const names = intent.services.map((s) => s.name);
    expect(names).toEqual(['postgres-rw', 'any', 'bgp', 'dns', 'http', 'https', 'mysql', 'ntp', 'ping', 'postgres', 'ssh']);
    expect(intent.services.find((s) => s.name === 'ping')!.clauses).toEqual([{ protocol: 1, icmpType: 8 }]);
  });

  it('canonicalises prefixes and addresses', () => {
    const text = `${BASE.replace('10.10.1.0/24 at', '10.10.1.0/24, 2001:DB8:0:0::/64 at')}host h 2001:db8:0::0:10 in web\nassert reach web -> h\n`;
    const a = run(text);
    expect(a.diagnostics).toEqual([]);
    expect(a.intent!.segments[0]!.prefixes).toEqual(['10.10.1.0/24', '2001:db8::/64']);
    expect(a.intent!.hosts[0]!.address).toBe('2001:db8::10');
  });

  it('expands nested service references into clauses', () => {
    const text = `${BASE}service base = tcp 8000-8080 9000, icmp echo\nservice wrap = base, udp 53, 47\nassert reach web -> db : wrap\n`;
    const a = run(text);
    expect(a.diagnostics).toEqual([]);
    expect(a.intent!.assertions[0]!.clauses).toEqual([
      { protocol: 6, ports: [{ from: 8000, to: 8080 }, { from: 9000, to: 9000 }] },
      { protocol: 1, icmpType: 8 },
      { protocol: 17, ports: [{ from: 53, to: 53 }] },
      { protocol: 47 },
    ]);
  });

  it('takes the intent name from the first file when there is no network line', () => {
    expect(analyze([{ path: 'dir/branch.plumb', text: BASE }]).intent!.name).toBe('branch');
  });

  it('has no intent when there is an error, and is deterministic', () => {
    expect(run(`${BASE}host h 10.10.9.1 in db\nassert reach h -> web\n`).intent).toBeUndefined();
    const once = JSON.stringify(analyze([example('acme')]));
    expect(JSON.stringify(analyze([example('acme')]))).toBe(once);
  });
});
