// The secrets' values filled in while each device is rendered for `plumb compile -o`
// (backends/output.ts renderDeviceFilled): each file is searched for placeholders once, the
// files that hold one are filled, and a placeholder left without a value is reported, so that
// renderIntoFolder writes nothing. And the one buffer every file is encoded into before it is
// hashed and put down (pipeline/write-output.ts encodeScratch): the bytes are Buffer.from's,
// whatever the sizes before.

import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import { renderDevice, renderDeviceFilled } from '../../backends/output.js';
import { fillSecrets, hasPlaceholder } from '../../backends/secret-text.js';
import type { NetworkModel } from '../../compiler/model.js';
import { compileIntent } from '../../pipeline/compile.js';
import { encodeScratch, renderIntoFolder } from '../../pipeline/write-output.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-write-filled-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const INTENT = `network lab
routing ospf authentication ospf-core
pool infra 10.255.0.0/16
secret ospf-core from env PLUMB_OSPF
secret partner-bgp from env PLUMB_PARTNER_BGP

site s1 {
  router r1 cisco-iosxe asn 65001
  router r2 cisco-iosxe
  router r3 frr
  link r1 -- r2
  link r2 -- r3
}
segment lan 10.1.0.0/24 at s1.r2
external partner {
  asn 64600
  password partner-bgp
  prefixes 198.51.100.0/24
  attach s1.r1 address 169.254.1.1/30 peer 169.254.1.2
  announce lan
}
policy { allow lan -> partner : https }
`;

function labModel(): NetworkModel {
  const compiled = compileIntent([{ path: 'lab.plumb', text: INTENT }]);
  if (!compiled.model) throw new Error('the lab intent does not compile');
  return compiled.model;
}

const VALUES = new Map([
  ['ospf-core', 'ospf=Key1'],
  ['partner-bgp', 'bgp-K3y'],
]);
const byPath = (a: { path: string }, b: { path: string }): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

describe('renderDeviceFilled', () => {
  const model = labModel();

  it('gives what every file filled and sorted gives, and no placeholder left, when every secret has a value', () => {
    let holding = 0;
    for (const d of model.devices) {
      const filled = renderDeviceFilled(d, model, VALUES)!;
      const expected = fillSecrets(backendFor(d.platform)!.render(d, model), VALUES).sort(byPath);
      expect(filled.rendered.files, d.id).toEqual(expected);
      expect(filled.rendered.dir).toBe(`${d.site}/${d.name}`);
      expect(filled.unfilled, d.id).toBe(false);
      expect(renderDevice(d, model, VALUES)).toEqual(filled.rendered);
      if (filled.rendered.files.some((f) => f.holdsSecret)) holding++;
    }
    expect(holding).toBeGreaterThan(1); // the test sees filled files
  });

  it('reports a placeholder whose secret has no value, only on the devices that hold one', () => {
    const without = new Map([['ospf-core', 'ospf=Key1']]);
    const verdicts = model.devices.map((d) => {
      const filled = renderDeviceFilled(d, model, without)!;
      const left = filled.rendered.files.some((f) => hasPlaceholder(f.content));
      expect(filled.unfilled, d.id).toBe(left);
      // The secret that has a value is still filled in beside the one that has none.
      if (left) expect(filled.rendered.files.some((f) => f.content.includes('ospf=Key1')), d.id).toBe(true);
      return [d.id, filled.unfilled];
    });
    expect(verdicts).toEqual([
      ['s1.r1', true],
      ['s1.r2', false],
      ['s1.r3', false],
    ]);
    // Every router here carries the OSPF key.
    expect(model.devices.map((d) => renderDeviceFilled(d, model, new Map())!.unfilled)).toEqual([true, true, true]);
  });

  it('makes renderIntoFolder write nothing when a placeholder is left', async () => {
    const dir = join(tmp, 'unfilled');
    await expect(
      renderIntoFolder(model, [{ path: 'lab.plumb', text: INTENT }], { dir, shown: 'out', secrets: new Map([['ospf-core', 'k']]), validate: false }),
    ).rejects.toThrow(/still holds a secret placeholder/);
    expect(existsSync(dir) ? readdirSync(dir) : []).toEqual([]);
  });
});

describe('encodeScratch', () => {
  it('gives the UTF-8 bytes of each text as Buffer.from does, through growing and shrinking sizes', () => {
    const texts = [
      '',
      'hostname r1\n',
      'x'.repeat(70_000),
      'é and ✓, not ASCII\n'.repeat(5_000),
      'a pair 😀 and a lone \ud800 surrogate\n',
      'short',
      '✓'.repeat(200_000),
      'y'.repeat(300_000),
      'end\n',
    ];
    for (const text of texts) {
      const bytes = encodeScratch(text);
      expect(bytes.length, text.slice(0, 20)).toBe(Buffer.byteLength(text, 'utf8'));
      expect(bytes.equals(Buffer.from(text, 'utf8')), text.slice(0, 20)).toBe(true);
    }
  });
});
