// Attribute values in the PAN-OS reader's general path (backends/paloalto-panos/xml-parse.ts,
// parseValidated): XML allows `>` in a value and refuses `<`. fast-xml-parser's validator lets a
// `<` through, and the reader cut a tag at its first `>`, so a running configuration with either
// read as something a device would not: a file PAN-OS rejects passed, and a legal `>` shifted the
// rest of the tree. Each text here is also given to expat (Python's XML parser, as strict as the
// XML specification), and the reader must accept exactly what expat accepts.

import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { parseXml } from '../../backends/paloalto-panos/xml-parse.js';
import type { XmlElement } from '../../backends/paloalto-panos/xml.js';

const TEXTS = [
  '<config><entry name="a&gt;b"/><x/></config>',
  '<config><entry name="a>b"/><x/></config>',
  "<config><entry name='a>b' uuid='1'><y>t</y></entry><x/></config>",
  '<config><entry name="a<b"/></config>',
  "<config><entry name='<'/></config>",
  '<config>\n  <entry name="ok"/>\n  <entry name="x<y">v</entry>\n</config>',
  '<config><entry description="a \'>\' b"/></config>',
];

/** expat's verdict on each text: true when well formed. */
function expatVerdicts(texts: string[]): boolean[] {
  const program = [
    'import json, sys, xml.parsers.expat',
    'out = []',
    'for t in json.load(sys.stdin):',
    '    p = xml.parsers.expat.ParserCreate()',
    '    try:',
    '        p.Parse(t, True); out.append(True)',
    '    except xml.parsers.expat.ExpatError:',
    '        out.append(False)',
    'print(json.dumps(out))',
  ].join('\n');
  const run = spawnSync('python3', ['-c', program], { input: JSON.stringify(texts), encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  return JSON.parse(run.stdout) as boolean[];
}

const shape = (e: XmlElement): unknown => ({
  name: e.name,
  attrs: e.attrs,
  children: e.children.filter((c): c is XmlElement => c.kind === 'element').map(shape),
});

describe("the PAN-OS reader's attribute values", () => {
  it('accepts exactly the texts expat accepts', () => {
    const expat = expatVerdicts(TEXTS);
    expect(expat).toEqual([true, true, true, false, false, false, true]);
    expect(TEXTS.map((t) => parseXml('f.xml', t).root !== undefined)).toEqual(expat);
  });

  it('reads a `>` in a value as part of the value, and the elements after it where they are', () => {
    const escaped = parseXml('f.xml', TEXTS[0]!).root!;
    const bare = parseXml('f.xml', TEXTS[1]!).root!;
    expect(shape(bare)).toEqual(shape(escaped));
    expect(shape(bare)).toEqual({ name: 'config', attrs: {}, children: [{ name: 'entry', attrs: { name: 'a>b' }, children: [] }, { name: 'x', attrs: {}, children: [] }] });
    expect(shape(parseXml('f.xml', TEXTS[2]!).root!)).toEqual({
      name: 'config',
      attrs: {},
      children: [
        { name: 'entry', attrs: { name: 'a>b', uuid: '1' }, children: [{ name: 'y', attrs: {}, children: [] }] },
        { name: 'x', attrs: {}, children: [] },
      ],
    });
  });

  it("refuses a `<` in a value with the tag's line and column", () => {
    expect(parseXml('f.xml', TEXTS[5]!).error).toEqual({
      message: "'<' in an attribute value: XML allows it only as &lt;",
      line: 3,
      column: 3,
    });
  });
});
