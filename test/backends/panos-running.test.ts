// The PAN-OS reader of what a firewall prints (source 'running'): every example's PAN-OS
// firewall, its configuration as `show config running` prints it (XML wrapped in <response>,
// with PAN-OS's defaults, management sections and ordering: panos-running-form.ts) and in the
// `set` form, reads back equivalent to the compiled device with nothing unreadable; the
// management and other sections outside Plumb's scope are listed as unmanaged, by line; hand
// edits (an allow rule above default-deny, a member added to a rule, a changed OSPF metric, a
// NAT rule) come back as drift or as errors, never skipped.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ReadResult, RenderedFile } from '../../backends/backend.js';
import { backendFor } from '../../backends/index.js';
import type { DeviceModel } from '../../compiler/model.js';
import { checkEquivalence, differenceText, type EquivalenceResult } from '../../verifier/equivalence.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import { el, elements, entry, members, type XmlElement } from '../../backends/paloalto-panos/xml.js';
import { analyze } from '../../language/analyze.js';
import { compile } from '../../compiler/index.js';
import { exampleDevices, type ExampleDevice } from './examples.js';
import { child, leaf, runningSet, runningTree, runningXml, securityRules } from './panos-running-form.js';
import { withIntentAnnotations } from './running-fill.js';

const pool = new SolverPool(2);
beforeAll(() => pool.start(), 30_000);
afterAll(() => pool.close());

const backend = backendFor('paloalto-panos')!;
const firewalls = exampleDevices('paloalto-panos');

function plumbXml(d: ExampleDevice): string {
  return backend.render(d.device, d.model).find((f) => f.path.endsWith('.xml'))!.content;
}

function read(device: DeviceModel, file: RenderedFile): ReadResult {
  return backend.read([file], { id: device.id, site: device.site, name: device.name, role: device.role, source: 'running' });
}

async function compare(device: DeviceModel, file: RenderedFile): Promise<{ r: ReadResult; eq?: EquivalenceResult }> {
  const r = read(device, file);
  if (!r.device) return { r };
  const eq = await checkEquivalence(device, withIntentAnnotations(r.device, device), { pool });
  return { r, eq };
}

const errors = (r: ReadResult): string[] => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.span.start.line}: ${d.message}`);

describe('PAN-OS running configurations of every example', () => {
  it('has firewalls to read', () => {
    expect(firewalls.map((f) => f.device.id).sort()).toEqual(['acme/fra1.fw1', 'campus/main.fw', 'failover/fra.fw1', 'harbor/sea1.fw', 'multicloud/fra.fw1'].map((x) => x.split('/')[1]!).sort());
  });

  for (const d of firewalls) {
    it(`${d.example} ${d.device.id}: show config running (XML) reads back with 0 differences, the rest unmanaged`, async () => {
      const text = runningXml(runningTree(plumbXml(d)));
      const { r, eq } = await compare(d.device, { path: 'running.xml', content: text });
      expect(errors(r)).toEqual([]);
      expect(r.diagnostics).toEqual([]);
      expect(eq!.differences.map((x) => differenceText(x))).toEqual([]);
      expect(eq!.equivalent).toBe(true);
      const lines = text.split('\n');
      const at = (needle: string): number => lines.findIndex((l) => l.includes(needle)) + 1;
      expect(r.unmanaged!.map((u) => u.text)).toEqual(['<users>', '<botnet>', '<entry name="ethernet1/8">', '<ike>', '<qos>', '<decryption>', '<system>']);
      expect(r.unmanaged!.map((u) => u.line)).toEqual([at('<users>'), at('<botnet>'), at('<entry name="ethernet1/8">'), at('<ike>'), at('<qos>'), at('<decryption>'), at('<system>')]);
      expect(r.unmanaged!.every((u) => u.file === 'running.xml')).toBe(true);
    });

    it(`${d.example} ${d.device.id}: the same in the set form reads back with 0 differences`, async () => {
      const text = runningSet(runningTree(plumbXml(d)));
      const { r, eq } = await compare(d.device, { path: 'running.set', content: text });
      expect(errors(r)).toEqual([]);
      expect(eq!.differences.map((x) => differenceText(x))).toEqual([]);
      // every line of the unmanaged sections, each once
      const lines = text.split('\n');
      const unmanaged = lines.filter((l) => /^set (mgt-config|shared botnet|deviceconfig|network (ike|qos)|rulebase decryption|network interface ethernet ethernet1\/8)/.test(l));
      expect(r.unmanaged!.map((u) => u.text)).toEqual(unmanaged);
    });
  }
});

describe('hand edits in a running PAN-OS configuration', () => {
  const acme = firewalls.find((f) => f.example === 'acme')!;

  it('an allow rule added above default-deny is drift, at its line, with a realistic packet', async () => {
    const tree = runningTree(plumbXml(acme));
    const rules = securityRules(tree);
    const hand = entry('temp-any', [members('to', ['any']), members('from', ['any']), members('source', ['any']), members('destination', ['any']), members('application', ['any']), members('service', ['any']), leaf('action', 'allow')]);
    rules.children.splice(rules.children.length - 1, 0, hand);
    const text = runningXml(tree);
    const { r, eq } = await compare(acme.device, { path: 'running.xml', content: text });
    expect(errors(r)).toEqual([]);
    expect(eq!.equivalent).toBe(false);
    const packets = eq!.differences.filter((x) => x.kind === 'packet');
    expect(packets.length).toBeGreaterThan(0);
    const line = text.split('\n').findIndex((l) => l.includes('<entry name="temp-any">')) + 1;
    for (const p of packets) {
      if (p.kind !== 'packet') continue;
      expect(p.actual.action).toBe('permit');
      expect(p.actual.origin?.start.line).toBe(line);
      expect(p.packet.protocol).toBe(6);
    }
  });

  it('the same rule in the set form is drift at the first of its set lines', async () => {
    const tree = runningTree(plumbXml(acme));
    const rules = securityRules(tree);
    rules.children.splice(rules.children.length - 1, 0, entry('temp-any', [members('to', ['any']), members('from', ['any']), members('source', ['any']), members('destination', ['any']), members('application', ['any']), members('service', ['any']), leaf('action', 'allow')]));
    const text = runningSet(tree);
    const { r, eq } = await compare(acme.device, { path: 'running.set', content: text });
    expect(errors(r)).toEqual([]);
    const line = text.split('\n').findIndex((l) => l.startsWith('set rulebase security rules temp-any ')) + 1;
    const p = eq!.differences.find((x) => x.kind === 'packet');
    expect(p?.kind === 'packet' && p.actual.origin?.start.line).toBe(line);
  });

  it('an address added to a rule\'s sources, and a changed OSPF metric, are drift', async () => {
    const tree = runningTree(plumbXml(acme));
    const vsys = child(child(child(child(tree, 'devices'), 'entry'), 'vsys'), 'entry')!;
    const rule = elements(securityRules(tree)).find((e) => e.attrs.name?.startsWith('allow-') && child(e, 'source')?.children.length === 1 && child(e, 'source')!.children.some((m) => m.kind === 'element' && m.text !== 'any'))!;
    const used = new Set(elements(child(rule, 'source')!).map((m) => m.text));
    const other = elements(child(vsys, 'address')!).map((a) => a.attrs.name!).find((n) => !used.has(n) && n.startsWith('n-'))!;
    child(rule, 'source')!.children.push(el('member', other));
    // the cost of the first OSPF interface, in OSPF and OSPFv3 alike
    const vr = child(child(child(child(child(tree, 'devices'), 'entry'), 'network'), 'virtual-router'), 'entry')!;
    const ospfInterfaces = (tag: string): XmlElement[] => elements(child(child(child(vr, 'protocol'), tag), 'area') ?? el('x')).flatMap((area) => elements(child(area, 'interface') ?? el('x')));
    const name = ospfInterfaces('ospf')[0]?.attrs.name;
    for (const i of [...ospfInterfaces('ospf'), ...ospfInterfaces('ospfv3')]) if (i.attrs.name === name) child(i, 'metric')!.text = '77';
    const { r, eq } = await compare(acme.device, { path: 'running.xml', content: runningXml(tree) });
    expect(errors(r)).toEqual([]);
    const texts = eq!.differences.map((x) => differenceText(x));
    expect(texts.some((t) => t.startsWith('packet '))).toBe(true);
    expect(name).toBeDefined();
    expect(texts).toContainEqual(expect.stringMatching(new RegExp(`^OSPF interface ${name}: the config has cost 77`)));
  });

  it('what changes forwarding and Plumb does not write is an error, not unmanaged: a NAT rule from any zone, negate-source yes, a rule schedule', () => {
    const tree = runningTree(plumbXml(acme));
    const rulebase = child(child(child(child(child(tree, 'devices'), 'entry'), 'vsys'), 'entry'), 'rulebase')!;
    child(rulebase, 'nat')!.children.push(el('rules', [entry('snat', [members('from', ['any'])])]));
    const rule = elements(securityRules(tree))[0]!;
    child(rule, 'negate-source')!.text = 'yes';
    rule.children.push(leaf('schedule', 'office-hours'));
    const r = read(acme.device, { path: 'running.xml', content: runningXml(tree) });
    const es = errors(r);
    expect(es.some((e) => /^R916 \d+: NAT rule snat is from `any` zone/.test(e))).toBe(true);
    expect(es.some((e) => /^R901 .*<negate-source>/.test(e))).toBe(true);
    expect(es.some((e) => /^R901 .*<schedule>/.test(e))).toBe(true);
  });

  it('a file that is neither XML nor set commands, and a failed response, are errors', () => {
    const none = backend.read([{ path: 'notes.txt', content: 'hello\n' }], { id: 'a.b', site: 'a', name: 'b', role: 'firewall', source: 'running' });
    expect(none.diagnostics.map((d) => d.code)).toEqual(['R905']);
    const failed = read(acme.device, { path: 'r.xml', content: '<response status="error"><msg>denied</msg></response>\n' });
    expect(failed.device).toBeUndefined();
    expect(errors(failed)).toEqual([expect.stringMatching(/status="error"/)]);
  });
});

/** No example's firewall runs BGP: one that does, with an eBGP peer and its import and export rules. */
const BGP_FIREWALL = `network bgpfw "a PAN-OS firewall with an eBGP peer"
routing static

pool infra 10.255.0.0/16

site s1 {
  firewall fw paloalto-panos asn 65041
}

segment office 10.40.0.0/24 at s1.fw zone inside

external cloud {
  asn 64600
  prefixes 198.51.100.0/24
  attach s1.fw address 169.254.10.1/30 peer 169.254.10.2
  announce office
}

policy {
  allow office -> cloud : https
}
`;

describe('a PAN-OS firewall that runs BGP, as it prints it', () => {
  const analysis = analyze([{ path: 'bgpfw.plumb', text: BGP_FIREWALL }]);
  const model = compile(analysis.intent!).model;
  const fw: ExampleDevice = { example: 'bgpfw', model, device: model.devices[0]! };

  for (const form of ['xml', 'set'] as const) {
    it(`${form}: BGP's defaults (routing options, peer group, connection options) are skipped; 0 differences`, async () => {
      expect(fw.device.bgp?.neighbors.length).toBe(1);
      const tree = runningTree(plumbXml(fw));
      const text = form === 'xml' ? runningXml(tree) : runningSet(tree);
      const { r, eq } = await compare(fw.device, { path: `running.${form}`, content: text });
      expect(errors(r)).toEqual([]);
      expect(eq!.differences.map((x) => differenceText(x))).toEqual([]);
    });
  }

  it('a peer\'s hold time changed by hand is an error, not a default', () => {
    const tree = runningTree(plumbXml(fw));
    const hold = (function find(e: XmlElement): XmlElement | undefined {
      if (e.name === 'hold-time') return e;
      for (const k of elements(e)) {
        const m = find(k);
        if (m) return m;
      }
      return undefined;
    })(tree)!;
    hold.text = '9';
    const r = read(fw.device, { path: 'running.xml', content: runningXml(tree) });
    // connection options are read (a peer's authentication): the changed one is named
    expect(errors(r)).toEqual([expect.stringMatching(/^R901 \d+: unsupported element <hold-time> in <connection-options>/)]);
  });
});
