// The general XML reader's own errors (backends/paloalto-panos/xml-parse.ts `parseValidated`): a
// document the validator accepts but a PAN-OS config cannot be (text mixed with elements, a CDATA
// section) is refused at the line and column of the tag where it is found, counted from the text
// by the document that also gives the elements their spans (read-element.ts).

import { describe, expect, it } from 'vitest';
import { XMLValidator } from 'fast-xml-parser';
import { parseXml } from '../../backends/paloalto-panos/xml-parse.js';

/** Line and column (1-based) of `offset`, counted character by character. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let column = 1;
  for (let i = 0; i < offset; i++) {
    if (text[i] === '\n') [line, column] = [line + 1, 1];
    else column++;
  }
  return { line, column };
}

describe('PAN-OS XML: the general reader refuses what a config cannot hold, where it stands', () => {
  // each case: the document, the message, and the text at the offset the error names
  const cases: { text: string; message: string; at: string }[] = [];
  for (const lead of ['', '\n', '\n\n\n  ', '<!-- a\nb -->\n']) {
    for (const indent of ['', '  ', '\t\t']) {
      cases.push(
        { text: `<?xml version='1.0'?>\n<config>${lead}\n${indent}<a>x</a>\n${indent}y<b/>\n</config>\n`, message: 'text mixed with elements', at: '<b/>' },
        { text: `<config x='1'>${lead}${indent}<a>words<c/></a>\n</config>`, message: 'text mixed with elements', at: '<c/>' },
        { text: `<config>${lead}\n${indent}<a><![CDATA[x]]></a>\n</config>\n`, message: 'CDATA sections and declarations are not part of a PAN-OS config', at: '<![CDATA[' },
      );
    }
  }

  it('names the line and column of the tag', () => {
    for (const { text, message, at } of cases) {
      expect(XMLValidator.validate(text), text).toBe(true);
      const { root, error } = parseXml('f.xml', text);
      expect(root, text).toBeUndefined();
      expect(error, text).toEqual({ message, ...lineColumn(text, text.indexOf(at)) });
    }
  });
});
