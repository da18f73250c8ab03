// The PAN-OS XML reader's two paths (backends/paloalto-panos/xml-parse.ts): a document the plain
// path reads is one the validator accepts, and both paths build the same tree (spans, stored and
// decoded texts, comments, `text` and `stored` undefined where there is no text); `parseXml`
// answers for every document what the validator and the general reader answer together. Checked
// on Plumb's output of every PAN-OS device of the examples, a device with hostile texts, the
// running form, and thousands of seeded edits of them (markup inserted, removed, doubled,
// characters changed).

import { describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { parsePlain, parseValidated, parseXml } from '../../backends/paloalto-panos/xml-parse.js';
import type { XmlElement } from '../../backends/paloalto-panos/xml.js';
import { exampleDevices } from './examples.js';
import { withTexts } from './hostile.js';
import { firewall, networkOf } from './vendor-fixtures.js';
import { runningTree, runningXml } from './panos-running-form.js';
import { elementsOf, positions } from './panos-positions.js';
import { prng } from '../verifier/random-networks.js';
import { expectStrictEqual } from '../expect-equal.js';

/** What `parseXml` answered before it had a plain path: the validator, then the general reader. */
function validatedThenParsed(text: string): ReturnType<typeof parseXml> {
  const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
  if (valid !== true) return { error: { message: valid.err.msg, line: valid.err.line, column: valid.err.col } };
  return parseValidated('f.xml', text);
}

/** An outcome that may be a thrown error (a numeric reference past U+10FFFF throws in both). */
function outcome<T>(f: () => T): T | { threw: string } {
  try {
    return f();
  } catch (e) {
    return { threw: String(e) };
  }
}

const hostile = ['a < b & c > d', '"quoted" \'single\'', '  edge  ', 'tab\there', 'line\nbreak', '&amp; literally', '%20 %25 %', 'é 😀 \u00a0 \ufeff', '-- -->', '<![CDATA[x]]>', '\x00\x1b'];

/** Every construct of a plain document in a few lines. */
const MINI = [
  '<?xml version="1.0"?>',
  '<!-- header -->',
  '<config version="10.1.0" urldb="x">',
  '  <!-- plumb device origin=a.plumb:1:1-1:2%20[0,1] -->',
  '  <devices>',
  '    <entry name="a&amp;b &lt;c&gt; &quot;d&quot; %25">',
  '      <member>x%20y</member>',
  "      <member>  &apos;q&apos;  </member>",
  '      <empty></empty>',
  '      <blank>  </blank>',
  '      <self/>',
  '      <description>tab\there é 😀</description>',
  '    </entry>',
  '  </devices>',
  '</config>',
  '',
].join('\n');

function documents(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [{ name: 'mini', text: MINI }];
  for (const { example, model, device } of exampleDevices('paloalto-panos')) {
    out.push({ name: `${example}/${device.id}`, text: panos.render(device, model)[0]!.content });
  }
  const fw = firewall();
  const xml = panos.render(fw, networkOf([fw]))[0]!.content;
  out.push({ name: 'firewall', text: xml });
  const odd = withTexts(fw, hostile, ['we"ird <path>.plumb', 'a&b.plumb']);
  out.push({ name: 'hostile texts', text: panos.render(odd, networkOf([odd]))[0]!.content });
  out.push({ name: 'running form', text: runningXml(runningTree(xml)) });
  return out;
}

const PIECES = [
  '<', '>', '/', '&', '&amp;', '&lt;', '&#38;', '&#x26;', '&#1114112;', '&nbsp;', '&;', '"', "'", '=', ' ', '  ', '\t', '\n', '\r\n', '\u00a0', '\ufeff', '%20',
  '</', '/>', '<!--', '-->', '<!-- c -->', '<!---->', '<!--->', '<?xml version="1.0"?>', '<?pi x?>', '<![CDATA[x]]>', '<!DOCTYPE x>',
  ' a="b"', " a='b'", ' a="b" a="c"', ' a=b', ' a', ' 1a="b"', ' a="<"', ' a=">"', ' a="&"', ' a="x\ny"',
  '<a>', '</a>', '<a/>', '<a >', '</a >', '<a b="c">x</a>', '<entry name="x">', '</entry>', '<member>y</member>', 'text', 'é', '\x00', '<1a>', '<:a>', '<a:b>',
];

function edit(text: string, next: () => number): string {
  const at = Math.floor(next() * (text.length + 1));
  const kind = next();
  if (kind < 0.45) return text.slice(0, at) + PIECES[Math.floor(next() * PIECES.length)]! + text.slice(at);
  const length = 1 + Math.floor(next() * (next() < 0.7 ? 3 : 40));
  if (kind < 0.65) return text.slice(0, at) + text.slice(at + length);
  if (kind < 0.8) return text.slice(0, at) + text.slice(at, at + length) + text.slice(at);
  // one character for another, mostly inside names and values
  const chars = 'aeyz-_.:/ "<>&=!?\n';
  return text.slice(0, at) + chars[Math.floor(next() * chars.length)]! + text.slice(at + 1);
}

describe('PAN-OS XML: the plain path and the validated path', () => {
  const docs = documents();

  it('reads every document Plumb writes on the plain path, to the tree the general reader builds', () => {
    expect(docs.length).toBeGreaterThan(5);
    for (const { name, text } of docs) {
      const plain = parsePlain('f.xml', text);
      expect(plain, name).toBeDefined();
      expect(XMLValidator.validate(text), name).toBe(true);
      expectStrictEqual(plain, parseValidated('f.xml', text).root, name);
      expectStrictEqual(parseXml('f.xml', text), { root: plain }, name);
    }
  });

  it('accepts on the plain path only documents the validator accepts, and answers what validation then parsing answered', () => {
    const next = prng(36);
    // small documents, so that edits often land in markup
    const seeds = docs.filter((d) => d.text.length < 20_000);
    expect(seeds.length).toBeGreaterThanOrEqual(2);
    let plainAccepted = 0;
    let plainRefused = 0;
    for (let n = 0; n < 3000; n++) {
      // mostly the small document: an edit of it lands in markup more often
      let text = n % 3 === 0 ? seeds[(n / 3) % seeds.length]!.text : MINI;
      const edits = 1 + Math.floor(next() * 3);
      for (let k = 0; k < edits; k++) text = edit(text, next);
      const plain = outcome(() => parsePlain('f.xml', text));
      if (plain !== undefined && !('threw' in plain)) {
        plainAccepted++;
        // vitest's expect (and the message) only for a document that fails: 3,000 of them
        const valid = XMLValidator.validate(text, { allowBooleanAttributes: false });
        if (valid !== true) expect(valid, JSON.stringify(text.slice(0, 200))).toBe(true);
        expectStrictEqual(plain, outcome(() => parseValidated('f.xml', text).root));
      } else plainRefused++;
      expectStrictEqual(outcome(() => parseXml('f.xml', text)), outcome(() => validatedThenParsed(text)));
    }
    // both paths are exercised: edits in texts and comments keep a document plain
    expect(plainAccepted).toBeGreaterThan(300);
    expect(plainRefused).toBeGreaterThan(300);
  });

  it('leaves to the validator what only it may accept or refuse', () => {
    const base = '<?xml version="1.0"?>\n<config>\n  <a x="1">t</a>\n  <b/>\n</config>\n';
    expect(parsePlain('f.xml', base)).toBeDefined();
    const cases = [
      base.replace('<a x="1">', "<a x='1'>"), // single quotes
      base.replace('t</a>', '&#116;</a>'), // a numeric reference
      base.replace('<b/>', '<b />'), // a space before `/>`
      base.replace('</a>', '</a >'), // a space in a closing tag
      base.replace('</a>', '</b>'), // the wrong closing tag
      base.replace('<b/>', '<b/><!-- c --> x'), // text beside elements
      base.replace('<config>', '<config>\u00a0'), // whitespace the validator does not count as such
      base.replace('<config>', '<!DOCTYPE config>\n<config>'),
      base.replace('<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>'),
      base + '<config/>', // a second root
      `\ufeff${base}`,
      base.replace('x="1"', 'x="1" x="2"'),
      base.replace('<b/>', '<b/><!---> x -->'), // `-->` inside `<!--->`: the two readers end it apart
      base.replace('<b/>', '<b/><!--> x -->'),
    ];
    for (const text of cases) {
      expect(parsePlain('f.xml', text), text).toBeUndefined();
      expect(parseXml('f.xml', text)).toStrictEqual(validatedThenParsed(text));
    }
    expect(parseXml('f.xml', base.replace('</a>', '</b>')).error?.message).toContain("Expected closing tag 'a'");
  });

  it('refuses on the plain path a `<` or `>` in an attribute value, which Plumb writes as `&lt;` and `&gt;`', () => {
    const base = '<?xml version="1.0"?>\n<config>\n  <entry name="a&lt;b&gt;c"/>\n</config>\n';
    expect(parsePlain('f.xml', base)?.children[0]).toMatchObject({ attrs: { name: 'a<b>c' } });
    // XML refuses `<` in a value (the general reader's error, though the validator lets it through)
    const lt = base.replace('a&lt;b', 'a<b');
    expect(parsePlain('f.xml', lt)).toBeUndefined();
    expect(parseXml('f.xml', lt).error?.message).toContain("'<' in an attribute value");
    // XML allows `>`, but an element's span ends at the first `>` after its `<`: the general reader decides
    const gt = base.replace('b&gt;c', 'b>c');
    expect(parsePlain('f.xml', gt)).toBeUndefined();
    expect(parseXml('f.xml', gt)).toStrictEqual(validatedThenParsed(gt));
  });

  it('gives every element the span of its tag: from `<` to after `>`, lines and columns counted from the text', () => {
    const check = (text: string, root: XmlElement): number => {
      const at = positions(text);
      const elements = elementsOf(root);
      // vitest's expect only for an element that fails: thousands of elements
      for (const e of elements) {
        const { file, start, end } = e.span!;
        if (file !== 'f.xml') expect(file).toBe('f.xml');
        const tag = text.slice(start.offset, end.offset);
        const pattern = new RegExp(`^<${e.name}(\\s[^<>]*)?/?>$`);
        if (!pattern.test(tag)) expect(tag).toMatch(pattern);
        for (const p of [start, end]) {
          if (!Object.is(p.line, at.line[p.offset]) || !Object.is(p.column, at.column[p.offset])) expect([p.line, p.column]).toEqual([at.line[p.offset], at.column[p.offset]]);
        }
        expectStrictEqual(e.span, e.span); // made afresh, the same each time
      }
      return elements.length;
    };
    for (const { name, text } of docs) expect(check(text, parsePlain('f.xml', text)!), name).toBeGreaterThan(3);
    // the general path: a tag over two lines, single quotes
    const odd = "<?xml version='1.0'?>\n<config\n  a='1'>\n  <b\n/>\n</config>\n";
    expect(parsePlain('f.xml', odd)).toBeUndefined();
    expect(check(odd, parseXml('f.xml', odd).root!)).toBe(2);
  });

  it('keeps an element written open and closed with nothing or only spaces in it apart from one with text', () => {
    const tree = parsePlain('f.xml', '<c><a></a><b>  </b><d> &lt;x&gt;%20 </d></c>')!;
    const [a, b, d] = tree.children as [object, object, object];
    // every read element has both fields (one shape for all): undefined where there is no text
    expect(a).toHaveProperty('text', undefined);
    expect(a).toHaveProperty('stored', undefined);
    expect(b).toHaveProperty('text', undefined);
    expect(b).toHaveProperty('stored', undefined);
    expect(d).toMatchObject({ stored: ' <x>%20 ', text: '<x> ' });
  });
});
