// The set comparison (set-match.ts) compares a line's path as the parent's path made once and
// compared whole, then the last word: every single character of a set file changed, and every
// space between words replaced, must still be told apart from the file as written.

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { isSetOf } from '../../backends/paloalto-panos/set-match.js';
import { parseXml } from '../../backends/paloalto-panos/xml.js';
import { exampleDevices } from './examples.js';
import { firewall, networkOf } from './vendor-fixtures.js';

describe('PAN-OS set comparison by whole paths', () => {
  it('every fifth character of a firewall set file changed alone is a difference', () => {
    const [xml, set] = panos.render(firewall(), networkOf([firewall()])).map((f) => f.content) as [string, string];
    const root = parseXml('fw1.xml', xml).root!;
    expect(isSetOf(set, root)).toBe(true);
    let changed = 0;
    for (let i = 0; i < set.length; i += 5) {
      const c = set[i]!;
      const other = c === 'x' ? 'y' : 'x';
      expect(isSetOf(set.slice(0, i) + other + set.slice(i + 1), root), `at ${i}`).toBe(false);
      changed++;
    }
    expect(changed).toBeGreaterThan(300);
  });

  it('every example: each space of a path replaced by another character is a difference', () => {
    let spaces = 0;
    for (const { device, model } of exampleDevices('paloalto-panos')) {
      const [xml, set] = panos.render(device, model).map((f) => f.content) as [string, string];
      const root = parseXml('f.xml', xml).root!;
      expect(isSetOf(set, root)).toBe(true);
      // the first three spaces of every fourth line: `set`, the section and the next words of the path
      let lineStart = 0;
      let line = 0;
      while (lineStart < set.length) {
        const lineEnd = set.indexOf('\n', lineStart);
        let at = lineStart;
        const sampled = line++ % 4 === 0;
        for (let k = 0; sampled && k < 3; k++) {
          at = set.indexOf(' ', at + 1);
          if (at < 0 || at > lineEnd) break;
          expect(isSetOf(`${set.slice(0, at)}_${set.slice(at + 1)}`, root)).toBe(false);
          spaces++;
        }
        lineStart = lineEnd + 1;
      }
    }
    expect(spaces).toBeGreaterThan(300);
  });
});
