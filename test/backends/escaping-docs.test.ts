// The escaping examples of docs/backends/*.md are true: every line of a ```escaped LAYER block is
// `"TEXT" => WRITTEN` (TEXT as a JSON string), and LAYER's function writes TEXT as WRITTEN and
// its reader gives TEXT back.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { aliasText, commentText, nftCommentString, readText } from '../../backends/linux/text.js';
import { descriptionText } from '../../backends/frr/text.js';
import { iosText } from '../../backends/cisco-iosxe/text.js';
import { panosText } from '../../backends/paloalto-panos/xml.js';
import { encodePath } from '../../backends/origin-tag.js';

const LAYERS: Record<string, (text: string) => string> = {
  'origin-path': encodePath,
  'linux-comment': commentText,
  'nft-comment': nftCommentString,
  'iproute2-alias': aliasText,
  'frr-description': descriptionText,
  'iosxe-text': iosText,
  'panos-text': panosText,
};

const DOCS = join(import.meta.dirname, '..', '..', 'docs', 'backends');

function examples(): { doc: string; layer: string; text: string; written: string }[] {
  const out: { doc: string; layer: string; text: string; written: string }[] = [];
  for (const doc of readdirSync(DOCS).filter((f) => f.endsWith('.md'))) {
    let layer: string | undefined;
    for (const line of readFileSync(join(DOCS, doc), 'utf8').split('\n')) {
      const open = /^```escaped (\S+)$/.exec(line);
      if (open) layer = open[1];
      else if (line.startsWith('```')) layer = undefined;
      else if (layer !== undefined) {
        const m = /^(".*") => (.*)$/.exec(line);
        if (!m) throw new Error(`${doc}: not an example line: ${line}`);
        out.push({ doc, layer, text: JSON.parse(m[1]!) as string, written: m[2]! });
      }
    }
  }
  return out;
}

describe('the escaping examples in docs/backends', () => {
  const all = examples();
  it('exist for every layer', () => {
    expect(new Set(all.map((e) => e.layer))).toEqual(new Set(Object.keys(LAYERS)));
  });
  it.each(all.map((e) => [`${e.doc} ${e.layer} ${JSON.stringify(e.text)}`, e] as const))('%s', (_, e) => {
    expect(LAYERS[e.layer], `unknown layer ${e.layer}`).toBeDefined();
    expect(LAYERS[e.layer]!(e.text)).toBe(e.written);
    expect(readText(e.written)).toBe(e.text);
  });
});
