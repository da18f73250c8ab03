// The readers never throw, whatever the files say: seeded mutations of rendered files (lines
// dropped, duplicated, swapped, truncated, words and characters inserted) give a model or
// R9xx diagnostics whose spans lie inside the file they name.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { backendFor } from '../../backends/index.js';
import { allDevices, network } from './builder.js';

const NOISE = [
  '{',
  '}',
  '"',
  '#',
  '!',
  ';',
  ',',
  '@',
  'jump',
  'ip',
  'route',
  'nexthop',
  'exit',
  'router bgp',
  'neighbor',
  '10.0.0.0/33',
  '::/129',
  'le 24',
  '\t',
  'PLUMB_EOF',
  'address-family ipv6 unicast',
  'table inet plumb {',
  'chain x {',
  'elements = {',
  '@zone_',
  '@addr4_1',
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
    if (lines.length === 0) lines.push('');
  }
  return lines.join('\n');
}

describe('readers on mutated files (seeded)', () => {
  const devices = allDevices();
  const model = network(devices);
  for (const d of devices) {
    it(`${d.id} (${d.platform})`, () => {
      const backend = backendFor(d.platform)!;
      const files = backend.render(d, model);
      let reported = 0;
      fc.assert(
        fc.property(
          fc.nat({ max: files.length - 1 }),
          fc.array(mutation, { minLength: 1, maxLength: 6 }),
          (which, ms) => {
            const mutated: RenderedFile[] = files.map((f, k) =>
              k === which ? { path: f.path, content: mutate(f.content, ms) } : f,
            );
            const r = backend.read(mutated, { id: d.id, site: d.site, name: d.name, role: d.role });
            reported += r.diagnostics.length;
            for (const diag of r.diagnostics) {
              expect(diag.code).toMatch(/^R9\d\d$/);
              const file = mutated.find((f) => f.path === diag.span.file);
              expect(file, `diagnostic in an unknown file ${diag.span.file}`).toBeDefined();
              expect(diag.span.start.offset).toBeLessThanOrEqual(diag.span.end.offset);
              expect(diag.span.end.offset).toBeLessThanOrEqual(file!.content.length);
              const before = file!.content.slice(0, diag.span.start.offset).split('\n');
              expect(before.length).toBe(diag.span.start.line);
              expect(before[before.length - 1]!.length + 1).toBe(diag.span.start.column);
            }
          },
        ),
        { seed: 4242, numRuns: 150 },
      );
      expect(reported, 'the mutations must make the readers report something').toBeGreaterThan(50);
    });
  }
});
