// The IOS-XE delta (backends/cisco-iosxe/delta.ts) applied with the router's semantics
// (iosxe-apply.ts) to version N of an example gives version N+1: the same configuration block
// for block, read back by the reader as the same device; no command is refused and no live
// interface ever filters with a missing or half-edited list. Pasting the full N+1 file over N
// (what people did before) does not: the test shows the old failure, which proves that the
// applier is faithful enough to tell.

import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { RenderedFile } from '../../backends/backend.js';
import type { DeviceModel } from '../../compiler/model.js';
import { iosxeDeltaLines, SWAP_SUFFIX } from '../../backends/cisco-iosxe/delta.js';
import { applyIosxe, canonicalIosxe, withoutUnusedPorts } from './iosxe-apply.js';
import { exampleVersion, type Edit, type Version } from './delta-versions.js';
import { exampleNames } from './example-output.js';

const backend = BACKENDS.find((b) => b.platform === 'cisco-iosxe')!;

const context = (d: DeviceModel) => ({ id: d.id, site: d.site, name: d.name, role: d.role });
const cfg = (files: RenderedFile[]): RenderedFile => files.find((f) => f.path.endsWith('.cfg') && !f.path.endsWith('.delta.cfg'))!;

/** Applies the delta from `before` to `after` on `before`'s text and checks that it gives `after`. */
function expectDeltaGives(before: RenderedFile[], after: RenderedFile[], device: DeviceModel): string {
  const delta = backend.delta!(before, after, device);
  expect(delta.map((f) => f.path)).toEqual([cfg(after).path.replace(/\.cfg$/, '.delta.cfg')]);
  const applied = applyIosxe(cfg(before).content, delta[0]!.content);
  expect(applied.errors).toEqual([]);
  expect(applied.hazards).toEqual([]);
  expect(canonicalIosxe(applied.text)).toEqual(canonicalIosxe(cfg(after).content));
  // no temporary object is left behind
  expect(applied.text).not.toContain(SWAP_SUFFIX);
  const read = backend.read([{ path: cfg(after).path, content: withoutUnusedPorts(applied.text) }], context(device));
  const want = backend.read([cfg(after)], context(device));
  // the reader says the same of both (spans aside), and reads the new version's device
  const said = (r: typeof read): string[] => r.diagnostics.map((d) => `${d.code} ${d.message}`);
  expect(said(read)).toEqual(said(want));
  expect(read.device).toBeDefined();
  expect(read.device).toEqual(want.device);
  if (want.diagnostics.length === 0) expect(read.device).toEqual(canonicalDevice({ ...device, fib: [] }));
  return delta[0]!.content;
}

const ACME_EDITS: Edit[] = [
  ['allow any -> web : https  #', 'allow any -> web : https, http  #'], // a changed rule
  ['  allow db -> snowflake : https\n', ''], // a removed rule
  ['  allow web -> db : postgres-rw\n', '  allow web -> db : postgres-rw\n  allow office -> internet : ssh\n'], // an added rule
  ['group internal = web, db, office', 'group internal = web, db'], // a group shrunk
];
const NO_SNOWFLAKE: Edit[] = [
  [/external snowflake "[^"]*" \{[^}]*\}\n/, ''], // an external removed: its port, session, lists and maps
  ['  allow db -> snowflake : https\n', ''],
  ['assert isolate snowflake -> internet  # we are nobody\'s transit\n', ''],
  ['assert isolate internet, snowflake -> fra1.edge1, fra1.fw1 : ssh', 'assert isolate internet -> fra1.edge1, fra1.fw1 : ssh'],
];
const SNOWFLAKE_MOVED: Edit[] = [
  ['prefixes 198.51.100.0/24', 'prefixes 198.51.100.0/25, 192.0.2.0/24'], // prefix-list entries renumbered
  ['attach fra1.edge1 address 203.0.113.2/30 gateway 203.0.113.1', 'attach fra1.edge1 address 203.0.113.6/30 gateway 203.0.113.5'], // a new default route
];

describe('IOS-XE delta: applied to version N it gives version N+1', () => {
  const n = (): Version => exampleVersion('acme');
  const id = 'fra1.edge1';
  const cases: [string, Edit[]][] = [
    ['rules added, changed and removed, a group shrunk', ACME_EDITS],
    ['an external removed', NO_SNOWFLAKE],
    ['an external\'s prefixes and an uplink\'s addresses changed', SNOWFLAKE_MOVED],
    ['devices managed from a segment', [['service postgres-rw = tcp 5432\n', 'service postgres-rw = tcp 5432\nmanage from office : ssh\n']]],
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

  it('pasting the full N+1 file over N does not give N+1 (the failure the delta avoids)', () => {
    const n1 = exampleVersion('acme', ACME_EDITS);
    const applied = applyIosxe(cfg(n().files.get(id)!).content, cfg(n1.files.get(id)!).content);
    expect(applied.errors.some((e) => e.startsWith('% Duplicate sequence number'))).toBe(true);
    expect(canonicalIosxe(applied.text)).not.toEqual(canonicalIosxe(cfg(n1.files.get(id)!).content));
    // entries or groups that N+1 no longer has stay on the router
    const next = new Set(cfg(n1.files.get(id)!).content.split('\n'));
    const stale = cfg(n().files.get(id)!)
      .content.split('\n')
      .filter((l) => /^(?: \d+ (?:permit|deny) |object-group )/.test(l) && !next.has(l));
    expect(stale.length).toBeGreaterThan(0);
    expect(stale.some((l) => applied.text.split('\n').includes(l))).toBe(true);
    // and the bound lists were edited while they filtered
    expect(applied.hazards.length).toBeGreaterThan(0);
  });

  it('the delta changes lists through complete copies: bound, rebuilt, bound back', () => {
    const n1 = exampleVersion('acme', ACME_EDITS);
    const text = backend.delta!(n().files.get(id)!, n1.files.get(id)!, n1.devices.get(id)!)[0]!.content;
    const lines = text.split('\n');
    const at = (line: string): number => lines.indexOf(line);
    expect(at(`ip access-list extended ext-internet-in${SWAP_SUFFIX}`)).toBeGreaterThan(-1);
    expect(at(` ip access-group ext-internet-in${SWAP_SUFFIX} in`)).toBeGreaterThan(at(`ip access-list extended ext-internet-in${SWAP_SUFFIX}`));
    expect(at('no ip access-list extended ext-internet-in')).toBeGreaterThan(at(` ip access-group ext-internet-in${SWAP_SUFFIX} in`));
    expect(at(' ip access-group ext-internet-in in')).toBeGreaterThan(at('ip access-list extended ext-internet-in'));
    expect(at(`no ip access-list extended ext-internet-in${SWAP_SUFFIX}`)).toBeGreaterThan(at(' ip access-group ext-internet-in in'));
    expect(lines.at(-2)).toBe('end');
  });
});

// More examples: an IPv6-only eBGP session removed (its address family with it), rules with
// IPv4 and IPv6 changed; a second external removed beside a changed rule.
const OTHER: [string, string, string, Edit[]][] = [
  [
    'harbor',
    'sea1.edge',
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
    'fra.edge1',
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

describe('IOS-XE delta: more examples, both ways', () => {
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

describe('IOS-XE delta: nothing changed, nothing to apply', () => {
  for (const name of exampleNames()) {
    it(`${name}: N -> N is empty on every cisco-iosxe device`, () => {
      const v = exampleVersion(name);
      for (const [id, files] of v.files) {
        if (v.devices.get(id)!.platform !== 'cisco-iosxe') continue;
        expect(backend.delta!(files, files, v.devices.get(id)!), id).toEqual([]);
      }
    });
  }
});

// A group that changes under the same name (Plumb names its groups by their content, a hand-made
// configuration may not): the lists that use it are swapped with a copy of the group, so no
// live list ever sees the group half-edited.
const HAND = (group: string[], entries: string[]): string =>
  [
    'hostname r1',
    '!',
    'object-group network SERVERS',
    ...group.map((g) => ` ${g}`),
    '!',
    'interface GigabitEthernet2',
    ' ip address 192.0.2.1 255.255.255.0',
    ' ip access-group EDGE-IN in',
    ' no shutdown',
    '!',
    'line vty 0 4',
    ' access-class EDGE-IN in',
    '!',
    'ip prefix-list P seq 5 permit 10.0.0.0/8',
    '!',
    'ip access-list extended EDGE-IN',
    ...entries.map((e) => ` ${e}`),
    '!',
    'end',
    '',
  ].join('\n');

describe('IOS-XE delta: hand-made configurations', () => {
  const before = HAND(['10.0.0.0 255.255.255.0', '10.0.1.0 255.255.255.0'], ['10 permit tcp any object-group SERVERS eq 443', '20 deny ip any any']);
  const after = HAND(['10.0.0.0 255.255.255.0'], ['10 permit tcp any object-group SERVERS eq 443', '20 deny ip any any']);

  it('a group shrunk in place: the list that uses it (on an interface and a vty line) is swapped', () => {
    const delta = iosxeDeltaLines(before, after).join('\n');
    const applied = applyIosxe(before, delta);
    expect(applied.errors).toEqual([]);
    expect(applied.hazards).toEqual([]);
    expect(canonicalIosxe(applied.text)).toEqual(canonicalIosxe(after));
    expect(delta).toContain(`object-group network SERVERS${SWAP_SUFFIX}`);
    expect(delta).toContain(` access-class EDGE-IN${SWAP_SUFFIX} in`);
  });

  it('the applier sees a group edited under a live list, and a deleted group still in use', () => {
    const inPlace = applyIosxe(before, 'object-group network SERVERS\n no 10.0.1.0 255.255.255.0\nend\n');
    expect(inPlace.hazards).toEqual(['object-group SERVERS edited while ip access-list extended EDGE-IN filters']);
    const deleted = applyIosxe(before, 'no object-group network SERVERS\nend\n');
    expect(deleted.errors).toEqual(['% object-group SERVERS is used by ip access-list extended EDGE-IN']);
    const unbound = applyIosxe(before, 'no ip access-list extended EDGE-IN\nend\n');
    expect(unbound.hazards).toEqual(['after no ip access-list extended EDGE-IN: EDGE-IN is bound but does not exist']);
  });

  it('sub-modes under a block (policy-map classes, key chain keys): entered, changed, removed', () => {
    const block = (classes: string[][], key: string): string =>
      [
        'hostname r1',
        '!',
        'policy-map type inspect PM',
        ...classes.flatMap(([c, ...lines]) => [` class type inspect ${c}`, ...lines.map((l) => `  ${l}`)]),
        ' class class-default',
        '  drop log',
        '!',
        'key chain OSPF',
        ' key 1',
        `  key-string 7 ${key}`,
        '!',
        'end',
        '',
      ].join('\n');
    const a = block([['C1', 'inspect'], ['C2', 'drop']], '0822455D0A16');
    const b = block([['C1', 'pass'], ['C3', 'inspect']], '094F471A1A0A');
    for (const [from, to] of [[a, b], [b, a]] as const) {
      const delta = iosxeDeltaLines(from, to);
      const applied = applyIosxe(from, delta.join('\n'));
      expect(applied.errors).toEqual([]);
      expect(canonicalIosxe(applied.text)).toEqual(canonicalIosxe(to));
    }
    // an inspect policy-map is first match in the order of its classes: it is written again whole
    // (through a copy where a zone-pair applies it: test/backends/iosxe-zbf.test.ts)
    expect(iosxeDeltaLines(a, b)).toContain('no policy-map type inspect PM');
    expect(iosxeDeltaLines(a, b)).toContain('key chain OSPF');
  });

  it('a prefix-list entry changed at its sequence number: removed, then written', () => {
    const next = before.replace('ip prefix-list P seq 5 permit 10.0.0.0/8', 'ip prefix-list P seq 5 permit 172.16.0.0/12');
    const delta = iosxeDeltaLines(before, next);
    expect(delta).toEqual(['no ip prefix-list P seq 5 permit 10.0.0.0/8', 'ip prefix-list P seq 5 permit 172.16.0.0/12']);
    expect(applyIosxe(before, next).errors).toEqual(['% Duplicate sequence number: ip prefix-list P seq 5 permit 172.16.0.0/12']);
    const applied = applyIosxe(before, delta.join('\n'));
    expect(applied.errors).toEqual([]);
    expect(canonicalIosxe(applied.text)).toEqual(canonicalIosxe(next));
  });
});
