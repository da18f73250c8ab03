// What the PAN-OS read-back allocates less of, read as before: the plain parser's children
// gathered on one stack and copied at the close, its leaf texts shared, its comments cut already
// trimmed and an entry's `name` object (backends/paloalto-panos/xml-parse.ts), the element's
// `kind` on its prototype (read-element.ts; delta.ts copies with `el`), a value list counted
// before it is made (read-xml.ts `members`), and a rule's lists of one `any` shared and its one
// address read without a list to sort (read-policy.ts).

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { panosXmlDelta } from '../../backends/paloalto-panos/delta.js';
import { parsePlain, parseValidated } from '../../backends/paloalto-panos/xml-parse.js';
import type { XmlElement } from '../../backends/paloalto-panos/xml.js';
import { contextOf, firewall, networkOf } from './vendor-fixtures.js';

const [xml] = panos.render(firewall(), networkOf([firewall()])).map((f) => f.content) as [string, string];
const read = (text: string) => panos.read([{ path: 'fw1.xml', content: text }], contextOf(firewall()));
const shown = (text: string) => read(text).diagnostics.map((d) => [d.code, d.message]);

/** `xml` with the content of rule `rule`'s `<tag>` replaced. */
function withList(tag: string, content: string, rule = 'deny-guest-internal'): string {
  const rules = xml.indexOf(`<entry name="${rule}">`);
  expect(rules).toBeGreaterThan(0);
  const at = xml.indexOf(`<${tag}>`, rules) + tag.length + 2;
  const end = xml.indexOf(`</${tag}>`, at);
  return `${xml.slice(0, at)}${content}${xml.slice(end)}`;
}

/** The sources read of rule `deny-guest-internal` when its `<source>` holds `content`. */
function sourcesRead(content: string): { sources: string[] | undefined; diagnostics: string[] } {
  const r = read(withList('source', content));
  const rule = r.device?.securityRules.find((x) => x.description.startsWith('deny guest -> internal'));
  return { sources: rule?.match.sources, diagnostics: r.diagnostics.map((d) => `${d.code} ${d.message}`) };
}

function* walk(e: XmlElement): Generator<XmlElement> {
  yield e;
  for (const c of e.children) if (c.kind === 'element') yield* walk(c);
}

/** Nested lists, siblings of the same text, comments with every edge, attributes in any order. */
const NESTED = [
  '<?xml version="1.0"?>',
  '<config version="1" name="c">',
  '  <!--   spaces around   -->',
  '  <!--\ttabs around\t-->',
  '  <!-- \t mixed \t -->',
  '  <!---->',
  '  <a name="x" b="y"><b><c>any</c><c>any</c><c> any </c></b><!-- after --><d/></a>',
  '  <a b="y" name="z"><b><c>any</c></b><b/><b><c>x</c><!-- c --><c>any</c></b></a>',
  '  <e __proto__="p" constructor="q"/>',
  '  <f><g><h><i>deep</i></h></g><g/></f>',
  '</config>',
  '',
].join('\n');

describe('PAN-OS read-back: the plain tree', () => {
  it('is the general reader\'s tree: nested lists, shared texts, trimmed comments, attributes', () => {
    const plain = parsePlain('f.xml', NESTED);
    expect(plain).toBeDefined();
    expect(plain).toEqual(parseValidated('f.xml', NESTED).root);
    const comments = plain!.children.filter((c) => c.kind === 'comment').map((c) => c.text);
    expect(comments).toEqual(['spaces around', 'tabs around', 'mixed', '']);
    const [a, z] = plain!.children.filter((c): c is XmlElement => c.kind === 'element');
    expect(a!.children.map((c) => (c.kind === 'element' ? c.name : `!${c.text}`))).toEqual(['b', '!after', 'd']);
    expect((a!.children[0] as XmlElement).children.map((c) => (c as XmlElement).text)).toEqual(['any', 'any', 'any']);
    expect(z!.children.map((c) => (c as XmlElement).children.length)).toEqual([1, 0, 3]);
    expect([a!.attrs, z!.attrs]).toEqual([{ name: 'x', b: 'y' }, { b: 'y', name: 'z' }]);
  });

  it('refuses an attribute written twice, after `name` or another', () => {
    expect(parsePlain('f.xml', '<config name="a" name="b"/>')).toBeUndefined();
    expect(parsePlain('f.xml', '<config b="a" name="c" b="d"/>')).toBeUndefined();
    expect(parsePlain('f.xml', '<config name="a" b="c"/>')).toBeDefined();
  });

  it('every element reads as an element, its `kind` not a field of its own; the delta copies with `el`', () => {
    const root = parsePlain('fw1.xml', xml)!;
    let n = 0;
    for (const e of walk(root)) {
      expect(e.kind).toBe('element');
      expect(Object.prototype.hasOwnProperty.call(e, 'kind')).toBe(false);
      n++;
    }
    expect(n).toBeGreaterThan(50);
    const previous = parsePlain('fw1.xml', xml.replace(/<description>[^<]*<\/description>/, '<description>changed</description>'))!;
    const delta = panosXmlDelta(previous, root, 'fw1.delta.xml')!;
    expect(delta).toBeDefined();
    for (const e of walk(delta.document)) expect(Object.prototype.hasOwnProperty.call(e, 'kind') || e.kind === 'element').toBe(true);
    for (const e of [delta.document, ...delta.document.children]) expect(Object.prototype.hasOwnProperty.call(e, 'kind')).toBe(true);
  });
});

describe('PAN-OS read-back: a rule\'s lists', () => {
  it('reads the firewall as written', () => {
    expect(read(xml).diagnostics).toEqual([]);
  });

  it('a list of one element that is not a member is reported, whatever its text', () => {
    expect(shown(withList('source-user', '<other>any</other>'))).toContainEqual(['R901', 'unsupported element <other> in <source-user>']);
    expect(shown(withList('service', '<other>any</other>'))).toContainEqual(['R901', 'unsupported element <other> in <service>']);
  });

  it('`any` twice, or beside another member, is not `any`', () => {
    const twice = shown(withList('service', '<member>any</member><member>any</member>'));
    expect(twice.some(([code, m]) => code === 'R901' && m!.includes('one application or one service'))).toBe(true);
    const beside = shown(withList('category', '<member>any</member><member>news</member>'));
    expect(beside.some(([code, m]) => code === 'R901' && m!.includes('limits <category>'))).toBe(true);
  });

  it('a comment beside `any` leaves it `any`', () => {
    const any = read(withList('source-user', '<!-- c --><member>any</member><!-- d -->'));
    expect(any.diagnostics).toEqual([]);
    expect(any.device).toEqual(read(xml).device);
  });

  it('a rule\'s addresses: members between comments, one address, one group, one name twice, one not defined', () => {
    expect(sourcesRead('<member>n-10.10.2.0_24</member><!-- c --><member>n-10.10.1.0_24</member>')).toEqual({ sources: ['10.10.1.0/24', '10.10.2.0/24'], diagnostics: [] });
    expect(sourcesRead('<member>n-10.20.0.0_16</member>')).toEqual({ sources: ['10.20.0.0/16'], diagnostics: [] });
    expect(sourcesRead('<member>allow-internal-internet-dns-src</member>')).toEqual({ sources: ['10.10.1.0/24', '10.10.2.0/24'], diagnostics: [] });
    expect(sourcesRead('<member>n-10.20.0.0_16</member><member>n-10.20.0.0_16</member>')).toEqual({ sources: ['10.20.0.0/16'], diagnostics: [] });
    const missing = sourcesRead('<member>nothing</member>');
    expect(missing.diagnostics).toHaveLength(1);
    expect(missing.diagnostics[0]).toMatch(/^R903 .*nothing/);
  });

  it('an empty list, and a list of comments only, are reported as missing', () => {
    expect(shown(withList('from', ''))).toContainEqual(['R907', expect.stringMatching(/has no <from>$/)]);
    expect(shown(withList('to', '<!-- only -->'))).toContainEqual(['R907', expect.stringMatching(/has no <to>$/)]);
  });
});
