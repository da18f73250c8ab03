// The PAN-OS delta (backends/paloalto-panos/delta.ts) applied with the firewall's semantics
// (panos-apply.ts) to version N of an example gives version N+1: the `.delta.set` commands give
// the same `set` form (rules in the same order), and the `.delta.xml` loaded with `load config
// partial` gives a config the reader reads as the new version's device. Re-applying the full
// N+1 `.set` file over N (what people did before) does not: member lists only grow and new rules
// land after `default-deny`; the test shows it, which proves the applier faithful enough to tell.

import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { RenderedFile } from '../../backends/backend.js';
import type { DeviceModel } from '../../compiler/model.js';
import { parseXml, printXml, type XmlElement } from '../../backends/paloalto-panos/xml.js';
import { applyPanosLoads, applyPanosSet, canonicalPanos } from './panos-apply.js';
import { exampleVersion, type Edit, type Version } from './delta-versions.js';
import { exampleNames } from './example-output.js';

const backend = BACKENDS.find((b) => b.platform === 'paloalto-panos')!;
const context = (d: DeviceModel) => ({ id: d.id, site: d.site, name: d.name, role: d.role });
const file = (files: RenderedFile[], suffix: string): RenderedFile | undefined => files.find((f) => f.path.endsWith(suffix) && !f.path.includes('.delta.'));
const xmlOf = (f: RenderedFile): XmlElement => parseXml(f.path, f.content).root!;

function expectDeltaGives(before: RenderedFile[], after: RenderedFile[], device: DeviceModel): RenderedFile[] {
  const delta = backend.delta!(before, after, device);
  const base = file(after, '.xml')!.path.slice(0, -'.xml'.length);
  expect(delta.map((f) => f.path)).toEqual([`${base}.delta.set`, `${base}.delta.xml`]);
  const prev = xmlOf(file(before, '.xml')!);
  const next = xmlOf(file(after, '.xml')!);
  // the set form
  const bySet = applyPanosSet(prev, delta[0]!.content, [next]);
  expect(bySet.errors).toEqual([]);
  expect(canonicalPanos(bySet.root)).toEqual(canonicalPanos(next));
  // load config partial, with the commands the file lists
  const deltaXml = xmlOf(delta[1]!);
  const commands = [...delta[1]!.content.matchAll(/^<!-- (load config partial .*|delete .*|commit) -->$/gm)].map((m) => m[1]!);
  expect(commands.at(-1)).toBe('commit');
  const byLoad = applyPanosLoads(prev, deltaXml, commands, [next]);
  expect(byLoad.errors).toEqual([]);
  expect(canonicalPanos(byLoad.root)).toEqual(canonicalPanos(next));
  const read = backend.read([{ path: file(after, '.xml')!.path, content: printXml(byLoad.root) }], context(device));
  const want = backend.read([file(after, '.xml')!], context(device));
  const said = (r: typeof read): string[] => r.diagnostics.map((d) => `${d.code} ${d.message}`);
  expect(said(read)).toEqual(said(want));
  expect(read.device).toBeDefined();
  expect(read.device).toEqual(want.device);
  if (want.diagnostics.length === 0) expect(read.device).toEqual(canonicalDevice({ ...device, fib: [] }));
  return delta;
}

const ACME_EDITS: Edit[] = [
  ['allow any -> web : https  #', 'allow any -> web : https, http  #'],
  ['  allow db -> snowflake : https\n', ''],
  ['  allow web -> db : postgres-rw\n', '  allow web -> db : postgres-rw\n  allow office -> internet : ssh\n'],
  ['group internal = web, db, office', 'group internal = web, db'],
];
const PROFILE_EDITS: Edit[] = [
  ['security profile-group internal log-forwarding siem', 'security profile-group strict'],
  ['dns profile-group outbound', 'dns'],
  ['  allow office -> web : http\n', '  allow office -> web : http log-forwarding audit\n'],
];
const NO_SNOWFLAKE: Edit[] = [
  [/external snowflake "[^"]*" \{[^}]*\}\n/, ''],
  ['  allow db -> snowflake : https\n', ''],
  ["assert isolate snowflake -> internet  # we are nobody's transit\n", ''],
  ['assert isolate internet, snowflake -> fra1.edge1, fra1.fw1 : ssh', 'assert isolate internet -> fra1.edge1, fra1.fw1 : ssh'],
];

describe('PAN-OS delta: applied to version N it gives version N+1', () => {
  const n = (): Version => exampleVersion('acme');
  const id = 'fra1.fw1';
  const cases: [string, Edit[]][] = [
    ['rules added, changed and removed, a group shrunk', ACME_EDITS],
    ['an external removed', NO_SNOWFLAKE],
    // its port, its zone and its OSPF interface go: deleted after the lists that name them
    ['a segment moved off the firewall', [['segment web 10.10.1.0/24, 2001:db8:10:1::/64 at fra1.fw1 zone dmz', 'segment web 10.10.1.0/24, 2001:db8:10:1::/64 at fra1.core1']]],
    // the interfaces stop naming the management profile before the profile goes
    ['devices managed from a segment', [['service postgres-rw = tcp 5432\n', 'service postgres-rw = tcp 5432\nmanage from office : ssh\n']]],    // PAN-OS profiles (the `security` line and a rule's own): the group of every allow rule
    // changed (a member list: deleted before it is set), log forwarding gone from every rule and
    // the default denies, a rule's own group gone and another rule's own log forwarding added
    ['profiles changed, removed and added', PROFILE_EDITS],
  ];
  for (const [what, edits] of cases) {
    it(`acme ${id}: ${what}`, () => {
      const n1 = exampleVersion('acme', edits);
      expectDeltaGives(n().files.get(id)!, n1.files.get(id)!, n1.devices.get(id)!);
    });
    it(`acme ${id}: ${what}, rolled back (the delta the other way)`, () => {
      const n1 = exampleVersion('acme', edits);
      expectDeltaGives(n1.files.get(id)!, n().files.get(id)!, n().devices.get(id)!);
    });
  }

  it('re-applying the full N+1 .set over N does not give N+1 (the failure the delta avoids)', () => {
    const n1 = exampleVersion('acme', ACME_EDITS);
    const prev = xmlOf(file(n().files.get(id)!, '.xml')!);
    const next = xmlOf(file(n1.files.get(id)!, '.xml')!);
    const naive = applyPanosSet(prev, file(n1.files.get(id)!, '.set')!.content, [next]);
    expect(canonicalPanos(naive.root)).not.toEqual(canonicalPanos(next));
    const rules = (root: XmlElement): string[] => [...new Set(canonicalPanos(root).split('\n').filter((l) => l.startsWith('set rulebase security rules ')).map((l) => l.split(' ')[4]!))];
    // a new rule lands after default-deny
    expect(rules(naive.root).at(-1)).not.toBe('default-deny');
    expect(rules(next).at(-1)).toBe('default-deny');
    // and member lists keep what N+1 removed (the policy only grows)
    const lists = (root: XmlElement): Map<string, string> =>
      new Map(canonicalPanos(root).split('\n').filter((l) => l.includes(' [ ')).map((l) => [l.slice(0, l.indexOf(' [ ')), l]));
    const grown = [...lists(next)].filter(([k, v]) => lists(naive.root).get(k) !== v);
    expect(grown.length).toBeGreaterThan(0);
  });

  it('the delta puts a new rule in its place and replaces member lists', () => {
    const n1 = exampleVersion('acme', ACME_EDITS);
    const [set] = expectDeltaGives(n().files.get(id)!, n1.files.get(id)!, n1.devices.get(id)!);
    const lines = set!.content.split('\n');
    expect(lines.some((l) => /^move rulebase security rules \S+ (top|after \S+)$/.test(l))).toBe(true);
    const del = lines.findIndex((l) => /^delete address-group \S+ static$/.test(l));
    expect(del).toBeGreaterThan(-1);
    expect(lines[del + 1]).toMatch(/^set address-group \S+ static /);
  });

  it('a changed security-profile group is deleted before it is set; a removed log forwarding is deleted', () => {
    const n1 = exampleVersion('acme', PROFILE_EDITS);
    const [set] = expectDeltaGives(n().files.get(id)!, n1.files.get(id)!, n1.devices.get(id)!);
    const lines = set!.content.split('\n');
    const rule = 'allow-web-db-postgres-rw';
    const del = lines.indexOf(`delete rulebase security rules ${rule} profile-setting group`);
    expect(del, set!.content).toBeGreaterThan(-1);
    expect(lines.indexOf(`set rulebase security rules ${rule} profile-setting group strict`)).toBeGreaterThan(del);
    expect(lines).toContain('delete rulebase security rules default-deny log-setting');
    expect(lines).toContain('set rulebase security rules allow-office-web-http log-setting audit');
  });

  it('an object still named by a rule cannot be deleted (the applier refuses, as PAN-OS does)', () => {
    const prev = xmlOf(file(n().files.get(id)!, '.xml')!);
    const r = applyPanosSet(prev, 'delete service tcp-443', []);
    expect(r.errors).toEqual(['tcp-443 cannot be deleted because of references']);
  });
});

// More examples: an IPv6-only eBGP session removed (its address family with it), rules with
// IPv4 and IPv6 changed; a second external removed beside a changed rule.
const OTHER: [string, string, string, Edit[]][] = [
  [
    'harbor',
    'sea1.fw',
    'an IPv6 eBGP external removed, rules added and changed',
    [
      [/external partner "[^"]*" \{[^}]*\}\n/, ''],
      ['  allow lab6 -> partner : https\n', ''],
      ['assert reach build -> partner : https\n', ''],
      ['assert isolate partner -> office\n', ''],
      ['assert isolate internet, partner -> sea1.edge, sea1.fw : ssh', 'assert isolate internet -> sea1.edge, sea1.fw : ssh'],
      ['  allow office -> dmz : ssh\n', '  allow office -> dmz : ssh, http\n  allow lab6 -> dmz : https\n'],
    ],
  ],
  [
    'multicloud',
    'fra.fw1',
    'an external removed, a rule changed',
    [
      [/external carrier "[^"]*" \{[^}]*\}\n/, ''],
      ['allow internet, carrier -> dmz : https', 'allow internet -> dmz : https, http'],
      ['assert reach carrier -> dmz : https\n', ''],
      ["assert isolate datalake -> carrier  # we are nobody's transit\n", ''],
      ['assert isolate carrier -> internet\n', ''],
    ],
  ],
];

describe('PAN-OS delta: more examples, both ways', () => {
  for (const [name, id, what, edits] of OTHER) {
    it(`${name} ${id}: ${what}`, () => {
      const n1 = exampleVersion(name, edits);
      expectDeltaGives(exampleVersion(name).files.get(id)!, n1.files.get(id)!, n1.devices.get(id)!);
    });
    it(`${name} ${id}: ${what}, rolled back`, () => {
      const n = exampleVersion(name);
      expectDeltaGives(exampleVersion(name, edits).files.get(id)!, n.files.get(id)!, n.devices.get(id)!);
    });
  }
});

describe('PAN-OS delta: nothing changed, nothing to apply', () => {
  for (const name of exampleNames()) {
    it(`${name}: N -> N is empty on every paloalto-panos device`, () => {
      const v = exampleVersion(name);
      for (const [id, files] of v.files) {
        if (v.devices.get(id)!.platform !== 'paloalto-panos') continue;
        expect(backend.delta!(files, files, v.devices.get(id)!), id).toEqual([]);
      }
    });
  }
});
