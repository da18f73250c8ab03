// The IOS-XE and PAN-OS readers never throw, whatever the files say: seeded mutations of
// rendered files (lines dropped, duplicated, swapped, truncated; words and characters inserted)
// give a model or R9xx diagnostics whose spans name the file read.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Backend, RenderedFile } from '../../backends/backend.js';
import { ciscoIosxeBackend } from '../../backends/cisco-iosxe/index.js';
import { paloaltoPanosBackend } from '../../backends/paloalto-panos/index.js';
import type { DeviceModel } from '../../compiler/model.js';
import { contextOf, edgeRouter, firewall, networkOf } from './vendor-fixtures.js';

const NOISE = [
  '!',
  ' ! plumb interface role',
  ' remark',
  ' remark intent x',
  'interface',
  ' ip address 10.0.0.1',
  ' 10 permit tcp any',
  ' sequence 5 deny',
  'object-group network',
  ' neighbor 1.2.3.4 route-map',
  'route-map X permit',
  'ip prefix-list P seq 5 permit 10.0.0.0/33',
  'router bgp',
  '<entry name="x">',
  '</entry>',
  '<member>any</member>',
  '<!-- plumb interface name= -->',
  '<entry>',
  '<ip-netmask>10.0.0.0/40</ip-netmask>',
  '&',
  '"',
  '::/129',
  '\t',
  '\u00e9',
  '',
];

const mutation = fc.record({
  kind: fc.constantFrom('drop', 'dup', 'swap', 'truncate', 'insert', 'char'),
  at: fc.nat(),
  other: fc.nat(),
  noise: fc.constantFrom(...NOISE),
});

function mutate(content: string, ms: { kind: string; at: number; other: number; noise: string }[]): string {
  const lines = content.split('\n');
  for (const m of ms) {
    if (lines.length === 0) break;
    const i = m.at % lines.length;
    const j = m.other % lines.length;
    const line = lines[i]!;
    if (m.kind === 'drop') lines.splice(i, 1);
    else if (m.kind === 'dup') lines.splice(i, 0, line);
    else if (m.kind === 'swap') [lines[i], lines[j]] = [lines[j]!, line];
    else if (m.kind === 'truncate') lines[i] = line.slice(0, m.other % (line.length + 1));
    else if (m.kind === 'insert') lines.splice(i, 0, m.noise);
    else {
      const k = m.other % (line.length + 1);
      lines[i] = line.slice(0, k) + m.noise + line.slice(k);
    }
  }
  return lines.join('\n');
}

function fuzz(backend: Backend, d: DeviceModel): void {
  const files = backend.render(d, networkOf([d]));
  fc.assert(
    fc.property(fc.nat(files.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, ms) => {
      const edited: RenderedFile[] = files.map((f, k) => (k === which ? { ...f, content: mutate(f.content, ms) } : f));
      const r = backend.read(edited, contextOf(d));
      expect(r.device !== undefined || r.diagnostics.length > 0).toBe(true);
      for (const x of r.diagnostics) {
        expect(files.map((f) => f.path)).toContain(x.span.file);
        expect(x.code).toMatch(/^R9\d\d$/);
      }
    }),
    { seed: 20261125, numRuns: 300 },
  );
}

describe('the vendor readers never throw on damaged files (seeded)', () => {
  it('cisco-iosxe', () => fuzz(ciscoIosxeBackend, edgeRouter()));
  it('paloalto-panos', () => fuzz(paloaltoPanosBackend, firewall()));
});
