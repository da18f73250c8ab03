// An entry's step in a set path (set.ts `entryStep`, `isBareWord`) is `quote(panosText(name))`
// whatever the name, and the set comparison (set-match.ts) agrees with the flattened lines for
// entries named in every way the step is decided.

import { describe, expect, it } from 'vitest';
import { entryStep, isBareWord, quote, setLines } from '../../backends/paloalto-panos/set.js';
import { isNormalSetText, isPlainWord, isSetOf } from '../../backends/paloalto-panos/set-match.js';
import { el, entry, panosText } from '../../backends/paloalto-panos/xml.js';
import { prng } from '../../bench/generate.js';

const PIECES = ['a', 'rule-1', 'h-10.0.0.1', '_', '.', ' ', '  ', '%', '%20', '"', '[', ']', '\t', '\n', 'é', '\u00a0', '~', '!', '\u007f', '&', '<', '-', ''];

function names(count: number, seed: number): string[] {
  const next = prng(seed);
  const out: string[] = ['', 'a', ' ', 'a b', 'a%b', 'a"b', '[a]', 'é'];
  for (let n = 0; n < count; n++) {
    let name = '';
    const pieces = Math.floor(next() * 4);
    for (let p = 0; p < pieces; p++) name += PIECES[Math.floor(next() * PIECES.length)]!;
    out.push(name);
  }
  return out;
}

describe('an entry step in a set path', () => {
  it('is quote(panosText(name)), and a bare name is its own step and plain', () => {
    let bare = 0;
    for (const name of names(5000, 17)) {
      expect(entryStep(name), JSON.stringify(name)).toBe(quote(panosText(name)));
      if (isBareWord(name)) {
        bare++;
        expect(quote(panosText(name)), JSON.stringify(name)).toBe(name);
        expect(isPlainWord(name), JSON.stringify(name)).toBe(true);
      }
    }
    expect(bare).toBeGreaterThan(500);
    for (const name of ['', ' a', 'a ', 'a%', '"', '[', ']', 'é', '\u007f', '\t']) expect(isBareWord(name), JSON.stringify(name)).toBe(false);
  });

  it('the set comparison: the flattened lines match, and a line with another step does not', () => {
    const list = names(400, 29);
    let normal = 0;
    for (let k = 0; k < list.length; k++) {
      const name = list[k]!;
      const root = el('config', [el('devices', [entry('localhost.localdomain', [el('vsys', [entry('vsys1', [el('address', [entry(name, [el('ip-netmask', '10.0.0.1/32')]), entry('b', [el('ip-netmask', '10.0.0.2/32')])])])])])])]);
      const lines = setLines(root);
      const text = lines.map((l) => `${l}\n`).join('');
      // the file of the flattened lines is the set form exactly when every line is normal
      expect(isSetOf(text, root), JSON.stringify(name)).toBe(lines.every((l) => isNormalSetText(l, 0, l.length)));
      if (lines.every((l) => isNormalSetText(l, 0, l.length))) normal++;
      const step = quote(panosText(name));
      // the same file with the step of another name
      const other = `${step}x`;
      const changed = text.replace(`address ${step} `, `address ${other} `);
      expect(changed, JSON.stringify(name)).not.toBe(text);
      expect(isSetOf(changed, root), JSON.stringify(name)).toBe(false);
    }
    expect(normal).toBeGreaterThan(100);
  });
});
