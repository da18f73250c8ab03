// `XmlReading.originOf` (read-xml.ts) answers what `origin(annotation(e, kind), e)` answers, with
// the same warnings: a first comment that is an annotation of that kind with a written tag is
// found again by its text and kind; anything else takes the general path.

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { XmlReading } from '../../backends/paloalto-panos/read-xml.js';
import { parseXml, type XmlElement } from '../../backends/paloalto-panos/xml.js';
import { exampleDevices } from './examples.js';

/** Every element, in document order. */
function all(root: XmlElement): XmlElement[] {
  const out: XmlElement[] = [root];
  for (const k of root.children) if (k.kind === 'element') out.push(...all(k));
  return out;
}

/** The general path's answer and warnings, from a reader of its own. */
function general(file: string, e: XmlElement, kind: string) {
  const r = new XmlReading(file);
  const span = r.origin(r.annotation(e, kind), e);
  return { span, diagnostics: r.reporter.diagnostics };
}

function fast(file: string, e: XmlElement, kind: string) {
  const r = new XmlReading(file);
  const span = r.originOf(e, kind);
  return { span, diagnostics: r.reporter.diagnostics };
}

describe('PAN-OS origins read from annotations', () => {
  it('every element of every example, as a rule and as a route, twice: the general answer', () => {
    let tags = 0;
    for (const { device, model } of exampleDevices('paloalto-panos')) {
      const [xml] = panos.render(device, model);
      const root = parseXml(xml!.path, xml!.content).root!;
      for (let pass = 0; pass < 2; pass++) {
        for (const e of all(root)) {
          if (!e.children.some((k) => k.kind === 'comment')) continue;
          for (const kind of ['rule', 'route', 'interface']) {
            expect(fast(xml!.path, e, kind)).toEqual(general(xml!.path, e, kind));
            if (kind === 'rule' && general(xml!.path, e, kind).span.file !== xml!.path) tags++;
          }
        }
      }
    }
    expect(tags).toBeGreaterThan(20);
  });

  it('the same comment under another kind, comments that are not annotations, tags that are not written tags', () => {
    const tag = 'plumb rule origin=acme.plumb:3:1-3:9%20[10,18]';
    const doc = [
      '<config>',
      `<entry name="a"><!-- ${tag} --></entry>`,
      `<entry name="b"><!-- ${tag} --></entry>`,
      '<entry name="c"><!-- a note --><!-- plumb rule origin=acme.plumb:4:1-4:9%20[20,28] --></entry>',
      '<entry name="d"><!-- plumb rule origin=nowhere --></entry>',
      '<entry name="e"><!-- plumb rule origin=nowhere --></entry>',
      '<entry name="f"><!-- plumb rule size=3 --></entry>',
      '<entry name="g"><!-- plumb rule --></entry>',
      '<entry name="h"><!-- plumb rule origin=acme.plumb:5:1-5:9%20[30,38] --><!-- plumb rule origin=acme.plumb:6:1-6:9%20[40,48] --></entry>',
      '</config>',
    ].join('\n');
    const root = parseXml('t.xml', doc).root!;
    const entries = all(root).slice(1);
    expect(entries.map((e) => e.attrs.name)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    for (let pass = 0; pass < 2; pass++) {
      for (const e of entries) {
        for (const kind of ['rule', 'route']) expect(fast('t.xml', e, kind), `${e.attrs.name} ${kind}`).toEqual(general('t.xml', e, kind));
      }
    }
    // the tag's span for a rule; the element's own span under another kind, though the text was read as a rule's
    expect(fast('t.xml', entries[0]!, 'rule').span.start).toEqual({ line: 3, column: 1, offset: 10 });
    expect(fast('t.xml', entries[1]!, 'route').span).toEqual(entries[1]!.span);
    expect(fast('t.xml', entries[2]!, 'rule').span.start).toEqual({ line: 4, column: 1, offset: 20 });
    expect(fast('t.xml', entries[7]!, 'rule').span.start).toEqual({ line: 5, column: 1, offset: 30 });
    expect(fast('t.xml', entries[3]!, 'rule').diagnostics.map((d) => d.code)).toEqual(['R909']);
  });
});
