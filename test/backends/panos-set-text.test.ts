// The PAN-OS set file's text (backends/paloalto-panos/render.ts): joined a chunk of lines at a
// time (LineText), it must be exactly the set form of the XML, each line ended by a line break,
// across chunk boundaries; and the secret scan (backends/secret-text.ts), which reads it before
// anything else does, must find every placeholder in it, wherever a line with one falls.

import { describe, expect, it } from 'vitest';
import type { DeviceModel, FilterRule } from '../../compiler/model.js';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { setLines } from '../../backends/paloalto-panos/set.js';
import { parseXml } from '../../backends/paloalto-panos/xml.js';
import { fillSecrets, hasPlaceholder, placeholdersIn, secretPlaceholder } from '../../backends/secret-text.js';
import { exampleDevices } from './examples.js';
import { firewall, networkOf } from './vendor-fixtures.js';
import { prng } from '../verifier/random-networks.js';

/** The set text as the lines of the written XML, each ended by a line break (the form before the chunked join). */
function setFormOf(xml: string): string {
  const root = parseXml('f.xml', xml).root;
  expect(root).toBeDefined();
  let text = '';
  for (const line of setLines(root!)) text += `${line}\n`;
  return text;
}

/** The fixture firewall with `n` more rules, rule i described by `describe(i)`: thousands of set lines. */
function largeFirewall(n: number, describe: (i: number) => string): DeviceModel {
  const fw = firewall();
  const base = fw.securityRules[0]!;
  const extra: FilterRule[] = [];
  for (let i = 0; i < n; i++) {
    extra.push({
      ...base,
      description: describe(i),
      match: { ...base.match, sources: [`10.${(i >> 8) & 255}.${i & 255}.0/24`], protocol: 6, destinationPorts: [{ from: 1000 + i, to: 1000 + i }] },
    });
  }
  return { ...fw, securityRules: [...fw.securityRules, ...extra] };
}

function render(fw: DeviceModel): { xml: string; set: string } {
  const [xml, set] = panos.render(fw, networkOf([fw]));
  expect(xml!.path.endsWith('.xml') && set!.path.endsWith('.set')).toBe(true);
  return { xml: xml!.content, set: set!.content };
}

describe('PAN-OS set text', () => {
  it('is the set form of the XML, line by line, on every example firewall and the fixture', () => {
    const cases = exampleDevices('paloalto-panos').map(({ example, model, device }) => ({ name: `${example}/${device.id}`, files: panos.render(device, model) }));
    const fw = firewall();
    cases.push({ name: 'firewall', files: panos.render(fw, networkOf([fw])) });
    expect(cases.length).toBeGreaterThan(3);
    for (const { name, files } of cases) {
      const set = files.find((f) => f.path.endsWith('.set'))!.content;
      expect(set, name).toBe(setFormOf(files.find((f) => f.path.endsWith('.xml'))!.content));
      expect(set.endsWith('\n'), name).toBe(true);
    }
  });

  it('is the same across chunk boundaries: a firewall of thousands of lines', () => {
    for (const n of [37, 120, 400]) {
      const { xml, set } = render(largeFirewall(n, (i) => `rule ${i}`));
      const lines = set.split('\n').length - 1;
      expect(lines).toBeGreaterThan(n * 10);
      expect(set, `${n} rules`).toBe(setFormOf(xml));
    }
  });

  it('the secret scan finds every seeded placeholder, wherever its line falls', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const next = prng(seed);
      const n = 60 + Math.floor(next() * 300);
      const seeded = new Map<number, string>();
      for (let k = 0; k < 1 + Math.floor(next() * 6); k++) seeded.set(Math.floor(next() * n), `key-${seed}-${k}`);
      // the last rule's line is the text's last chunk; the first, its first
      if (seed % 3 === 0) seeded.set(n - 1, `last-${seed}`);
      if (seed % 4 === 0) seeded.set(0, `first-${seed}`);
      const fw = largeFirewall(n, (i) => (seeded.has(i) ? `rule ${i} (uses ${secretPlaceholder(seeded.get(i)!)})` : `rule ${i}`));
      const { xml, set } = render(fw);
      const names = [...new Set(seeded.values())].sort();
      expect(set, `seed ${seed}`).toBe(setFormOf(xml));
      expect(hasPlaceholder(set), `seed ${seed}`).toBe(true);
      expect(placeholdersIn(set), `seed ${seed}`).toEqual(names);
      expect(placeholdersIn(xml), `seed ${seed}`).toEqual(names);
      // filled, no placeholder is left in either file, and both hold a key
      const values = new Map(names.map((name) => [name, `v-${name}`]));
      const filled = fillSecrets(panos.render(fw, networkOf([fw])), values);
      for (const f of filled) {
        expect(hasPlaceholder(f.content), `seed ${seed} ${f.path}`).toBe(false);
        expect(f.holdsSecret, `seed ${seed} ${f.path}`).toBe(true);
        for (const v of values.values()) expect(f.content.includes(v), `seed ${seed} ${f.path} ${v}`).toBe(true);
      }
    }
  });

  it('without a placeholder the scan finds none and the files are left as they are', () => {
    const { set } = render(largeFirewall(200, (i) => `rule ${i} plumb-secret`));
    expect(hasPlaceholder(set)).toBe(false);
    const fw = largeFirewall(200, (i) => `rule ${i}`);
    const files = panos.render(fw, networkOf([fw]));
    const filled = fillSecrets(files, new Map([['x', 'y']]));
    expect(filled.map((f) => f.content)).toEqual(files.map((f) => f.content));
    expect(filled.some((f) => f.holdsSecret)).toBe(false);
  });
});
