// PAN-OS NAT rules (backends/paloalto-panos/nat-*.ts): hand-built NAT models rendered and read
// back are the same NAT in the same order, from Plumb's files and from the firewall's running
// configuration (XML and set form); the rules are the ones docs/backends/paloalto-panos.md
// describes; the delta deletes, adds and moves NAT rules into the next version's order.

import { describe, expect, it } from 'vitest';
import type { ReadResult, RenderedFile } from '../../backends/backend.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { paloaltoPanosBackend } from '../../backends/paloalto-panos/index.js';
import { el, elements, parseXml } from '../../backends/paloalto-panos/xml.js';
import type { DeviceModel, NatModel } from '../../compiler/model.js';
import { compareConfiguration } from '../../verifier/equivalence-config.js';
import { applyPanosSet, canonicalPanos } from './panos-apply.js';
import { child, leaf, runningSet, runningTree, runningXml } from './panos-running-form.js';
import { edgeOf, internetPanos, overlappingPanos, readEdge, renderEdge } from './paloalto-panos-nat-models.js';

const errors = (r: ReadResult): string[] => r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`);
/** What the NAT does (descriptions and origins are documentation). */
const natOf = (n: NatModel | undefined): unknown =>
  n && { inside: n.inside, outside: n.outside, translations: n.translations.map(({ description: _d, origin: _o, ...t }) => t) };
const xmlText = (files: RenderedFile[]): string => files.find((f) => f.path.endsWith('.xml'))!.content;
const setText = (files: RenderedFile[]): string => files.find((f) => f.path.endsWith('.set'))!.content;
const natLines = (files: RenderedFile[]): string[] => setText(files).split('\n').filter((l) => l.startsWith('set rulebase nat rules '));
const ruleNames = (files: RenderedFile[]): string[] => [...new Set(natLines(files).map((l) => l.split(' ')[4]!))];

const models = [
  ['overlapping address spaces', overlappingPanos],
  ['internet edge', internetPanos],
] as const;

describe('PAN-OS NAT: render and read back', () => {
  for (const [name, make] of models) {
    it(`${name}: the same NAT in the same order, no difference`, () => {
      const m = make();
      const d = edgeOf(m);
      const r = readEdge(d, renderEdge(m));
      expect(errors(r)).toEqual([]);
      expect(r.device!.nat).toEqual(d.nat);
      expect(compareConfiguration(d, r.device!)).toEqual([]);
    });
  }

  it('overlapping: the rules that translate both addresses first, then one rule per translation, once per destination zone', () => {
    const files = renderEdge(overlappingPanos());
    const lines = natLines(files);
    const of = (rule: string, field: string): string | undefined => lines.find((l) => l.startsWith(`set rulebase nat rules ${rule} ${field} `))?.slice(`set rulebase nat rules ${rule} ${field} `.length);
    const names = ruleNames(files);
    // 2 pairs outward (each inside translation with the partner's), 2 inward, each inward once per inside zone
    expect(names.length).toBe(2 + 2 * 2 + 1 + 2 + 1);
    const [first] = names;
    expect(of(first!, 'source-translation static-ip translated-address')).toBe('100.64.20.0/24');
    expect(of(first!, 'destination-translation translated-address')).toBe('10.20.0.0/24');
    expect(of(first!, 'destination')).toBe('198.18.20.0/24');
    expect(of(first!, 'from')).toBe('[ lan2 transit ]');
    expect(of(first!, 'to')).toBe('partner');
    const single = names[6]!;
    expect(of(single, 'source-translation static-ip bi-directional')).toBe('yes');
    expect(of(single, 'destination')).toBe('any');
    expect(of(names[7]!, 'to')).toBe('lan2');
    expect(of(names[8]!, 'to')).toBe('transit');
  });

  it('a zone that holds an inside and an outside interface, or a published port translated: an internal error, nothing written', () => {
    const m = internetPanos();
    const d = edgeOf(m);
    d.zones = [{ name: 'all', interfaces: d.interfaces.map((i) => i.name) }];
    expect(() => renderEdge(m)).toThrow(/^internal: edge\.fw1: zone all holds ethernet1\/1, ethernet1\/3, ethernet1\/4 \(NAT inside\) and ethernet1\/2 \(not inside\)$/);
    const p = internetPanos();
    const t = edgeOf(p).nat!.translations[0]!;
    if (t.kind === 'static' && t.service) t.service.realPort = 8443;
    expect(() => renderEdge(p)).toThrow(/cannot give a published server's own packets from port 8443 the source port 443/);
  });

  it('internet edge: a published server (destination translation and its outbound rule), PAT to the interface and to an address', () => {
    const lines = natLines(renderEdge(internetPanos()));
    expect(lines).toContainEqual(expect.stringMatching(/destination-translation translated-address 10\.30\.0\.10$/));
    expect(lines).toContainEqual(expect.stringMatching(/-outbound service tcp-0-65535-from-443$/));
    expect(lines).toContainEqual(expect.stringMatching(/dynamic-ip-and-port interface-address interface ethernet1\/2$/));
    expect(lines).toContainEqual(expect.stringMatching(/dynamic-ip-and-port interface-address ip 198\.51\.100\.1\/30$/));
    expect(lines).toContainEqual(expect.stringMatching(/dynamic-ip-and-port translated-address 203\.0\.113\.20$/));
  });
});

/** The running form, with the defaults PAN-OS prints in every NAT rule. */
function running(files: RenderedFile[]): ReturnType<typeof runningTree> {
  const tree = runningTree(xmlText(files));
  const vsys = child(child(child(child(tree, 'devices'), 'entry'), 'vsys'), 'entry')!;
  const rules = child(child(child(vsys, 'rulebase'), 'nat'), 'rules')!;
  for (const r of elements(rules)) r.children.push(leaf('to-interface', 'any'), el('target', [leaf('negate', 'no')]));
  return tree;
}

describe('PAN-OS NAT: the running configuration', () => {
  for (const [name, make] of models) {
    for (const form of ['xml', 'set'] as const) {
      it(`${name} (${form}): the same NAT, no NAT difference`, () => {
        const m = make();
        const d = edgeOf(m);
        const tree = running(renderEdge(m));
        const content = form === 'xml' ? runningXml(tree) : runningSet(tree);
        const r = readEdge(d, [{ path: `running.${form}`, content }], 'running');
        expect(errors(r)).toEqual([]);
        expect(natOf(r.device!.nat)).toEqual(natOf(d.nat));
        expect(compareConfiguration(d, r.device!).filter((x) => x.item.startsWith('NAT'))).toEqual([]);
      });
    }
  }
});

/** The device read from the rendered files after `edit` of the XML (the .set file left out). */
function readEdited(make: () => ReturnType<typeof overlappingPanos>, edit: (xml: string) => string): { d: DeviceModel; r: ReadResult } {
  const m = make();
  const d = edgeOf(m);
  const xml = xmlText(renderEdge(m));
  const edited = edit(xml);
  expect(edited, 'the edit changed nothing').not.toBe(xml);
  return { d, r: readEdge(d, [{ path: 'fw1.xml', content: edited }]) };
}
const natDifferences = (d: DeviceModel, r: ReadResult): string[] => compareConfiguration(d, r.device!).filter((x) => x.item.startsWith('NAT')).map((x) => `${x.item}: ${x.expected ?? '-'} | ${x.actual ?? '-'}`);
/** The XML of one rule (by the start of its name) edited. */
const inRule = (xml: string, name: RegExp, edit: (rule: string) => string): string =>
  xml.replace(new RegExp(`<entry name="${name.source}">[\\s\\S]*?</entry>`), (rule) => edit(rule));

describe('PAN-OS NAT: every mutation is caught', () => {
  it('a translated range changed everywhere: a difference at its translation', () => {
    const { d, r } = readEdited(overlappingPanos, (x) => x.replaceAll('100.64.21.0/24', '100.64.22.0/24'));
    expect(errors(r)).toEqual([]);
    expect(natDifferences(d, r)).toEqual(['NAT translation 3: static inside 10.21.0.0/24 as 100.64.21.0/24 | static inside 10.21.0.0/24 as 100.64.22.0/24']);
  });

  it('a translated range changed in one rule only: its combined rules no longer match (R918)', () => {
    const { r } = readEdited(overlappingPanos, (x) => inRule(x, /10\.21\.0\.0-24-appears-as-100\.64\.21\.0-24/, (rule) => rule.replace('100.64.21.0/24', '100.64.22.0/24')));
    expect(errors(r)).toEqual([expect.stringMatching(/^R918 NAT rule 10\.21\.0\.0-24-appears-as-100\.64\.21\.0-24-and-10\.20/)]);
  });

  it('two rules in another order: differences at both translations', () => {
    const { d, r } = readEdited(internetPanos, (x) => {
      const a = /<entry name="192\.168\.1\.0-24[^"]*">[\s\S]*?<\/entry>/.exec(x)![0];
      const b = /<entry name="192\.168\.2\.0-24[^"]*">[\s\S]*?<\/entry>/.exec(x)![0];
      return x.replace(a, '\u0000').replace(b, a).replace('\u0000', b);
    });
    expect(errors(r)).toEqual([]);
    expect(natDifferences(d, r).map((x) => x.split(':')[0])).toEqual(['NAT translation 2', 'NAT translation 3']);
  });

  it('bi-directional dropped: a static translation one way only is refused (R917)', () => {
    const { r } = readEdited(overlappingPanos, (x) => inRule(x, /10\.21\.0\.0-24-appears-as-100\.64\.21\.0-24/, (rule) => rule.replace('<bi-directional>yes</bi-directional>', '<bi-directional>no</bi-directional>')));
    expect(errors(r)).toEqual([expect.stringMatching(/^R917 NAT rule 10\.21\.0\.0-24-appears-as-100\.64\.21\.0-24: a static translation one way only/)]);
  });

  it('a zone left out of a rule, a rule that translates both addresses removed: refused (R916, R918)', () => {
    const zone = readEdited(internetPanos, (x) => inRule(x, /192\.168\.2\.0-24[^"]*/, (rule) => rule.replace(/<member>office<\/member>\n\s*/, '')));
    expect(errors(zone.r)).toEqual([expect.stringMatching(/^R916 NAT rule 192\.168\.2\.0-24-masqueraded-as-203\.0\.113\.20 comes from the interfaces ethernet1\/1,/)]);
    const pair = readEdited(overlappingPanos, (x) => inRule(x, /10\.21\.0\.0-24-appears-as-100\.64\.21\.0-24-and-[^"]*/, () => ''));
    expect(errors(pair.r)).toEqual([expect.stringMatching(/^R918 NAT rule 10\.20\.0\.0-24-appears-as-198\.18\.20\.0-24-and-10\.20\.0\.0-24-appears \(.*\) is not the rule the translations need here: from lan2 transit to partner source 10\.21\.0\.0\/24/)]);
  });

  it('an interface moved to another zone of its side: the same NAT; to a zone of the other side: a difference', () => {
    const moved = readEdited(internetPanos, (x) => x.replace(/(<entry name="office">[\s\S]*?)<member>ethernet1\/4<\/member>\n\s*/, '$1').replace(/(<entry name="dmz">[\s\S]*?<layer3>\n\s*)/, '$1<member>ethernet1/4</member>\n'));
    expect(errors(moved.r)).toEqual([]);
    expect(natDifferences(moved.d, moved.r)).toEqual([]);
    const mixed = readEdited(internetPanos, (x) => x.replace(/(<entry name="internet">[\s\S]*?<layer3>\n\s*)/, '$1<member>ethernet1/4</member>\n').replace(/(<entry name="office">[\s\S]*?)<member>ethernet1\/4<\/member>\n\s*/, '$1'));
    expect(errors(mixed.r)).toEqual([]);
    expect(natDifferences(mixed.d, mixed.r)).toEqual([
      'NAT inside interfaces: ethernet1/1, ethernet1/3, ethernet1/4 | ethernet1/1, ethernet1/3',
      'NAT outside interfaces: ethernet1/2 | ethernet1/2, ethernet1/4',
    ]);
  });

  it('a PAT address changed, a published port translated, a pool of two: a difference, and R917 twice', () => {
    const pat = readEdited(internetPanos, (x) => x.replace('<member>203.0.113.20</member>', '<member>203.0.113.21</member>'));
    expect(errors(pat.r)).toEqual([]);
    expect(natDifferences(pat.d, pat.r)).toEqual(['NAT translation 3: source 192.168.2.0/24 overload to 203.0.113.20 | source 192.168.2.0/24 overload to 203.0.113.21']);
    const pool = readEdited(internetPanos, (x) => x.replace('<member>203.0.113.20</member>', '<member>203.0.113.20</member><member>203.0.113.21</member>'));
    expect(errors(pool.r)).toEqual([expect.stringMatching(/^R917 .*not one address/)]);
    const port = readEdited(internetPanos, (x) => x.replace('<translated-address>10.30.0.10</translated-address>', '<translated-address>10.30.0.10</translated-address><translated-port>8443</translated-port>'));
    expect(errors(port.r)).toEqual([expect.stringMatching(/^R917 .*port/)]);
  });

  it('a NAT rule from any zone, or to two zones, is refused (R916)', () => {
    const any = readEdited(internetPanos, (x) => inRule(x, /192\.168\.2\.0-24[^"]*/, (rule) => rule.replace(/<from>[\s\S]*?<\/from>/, '<from><member>any</member></from>')));
    expect(errors(any.r)).toEqual([expect.stringMatching(/^R916 NAT rule 192\.168\.2\.0-24-masqueraded-as-203\.0\.113\.20 is from `any` zone/)]);
    const two = readEdited(internetPanos, (x) => inRule(x, /192\.168\.2\.0-24[^"]*/, (rule) => rule.replace(/<to>[\s\S]*?<\/to>/, '<to><member>internet</member><member>dmz</member></to>')));
    expect(errors(two.r)).toEqual([expect.stringMatching(/^R916 .*2 destination zones/)]);
  });
});

describe('PAN-OS NAT: the delta', () => {
  const version = (drop: boolean): { device: DeviceModel; files: RenderedFile[] } => {
    const m = overlappingPanos();
    const d = edgeOf(m);
    if (drop) d.nat!.translations = [d.nat!.translations[2]!, d.nat!.translations[0]!];
    return { device: d, files: renderEdge(m) };
  };

  for (const [what, from, to] of [
    ['a translation removed and two reordered', false, true],
    ['a translation added and two reordered', true, false],
  ] as const) {
    it(`${what}: the set delta applied over N gives N+1, rules in order`, () => {
      const n = version(from);
      const n1 = version(to);
      const delta = paloaltoPanosBackend.delta!(n.files, n1.files, n1.device);
      const set = delta.find((f) => f.path.endsWith('.delta.set'))!.content;
      expect(set).toMatch(/^move rulebase nat rules /m);
      if (!from) expect(set).toMatch(/^delete rulebase nat rules /m);
      const prev = parseXml('n.xml', xmlText(n.files)).root!;
      const next = parseXml('n1.xml', xmlText(n1.files)).root!;
      const applied = applyPanosSet(prev, set, [next, prev]);
      expect(applied.errors).toEqual([]);
      expect(canonicalPanos(applied.root)).toEqual(canonicalPanos(next));
      const r = readEdge(n1.device, [{ path: 'fw1.xml', content: xmlText(n1.files) }]);
      expect(r.device).toEqual(canonicalDevice({ ...n1.device, fib: [] }));
    });
  }
});
