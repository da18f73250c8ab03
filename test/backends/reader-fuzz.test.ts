// The readers of every platform of the registry never throw, whatever the files say: seeded
// mutations of rendered files (lines dropped, duplicated, swapped, truncated, words and
// characters inserted) give a model or R9xx diagnostics whose spans lie inside the file they
// name. Each platform's devices, noise and runs are its row in platform-cases.ts.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { BACKENDS } from '../../backends/index.js';
import { platformCase } from './platform-cases.js';

const mutation = (noise: readonly string[]) =>
  fc.record({
    kind: fc.constantFrom('drop', 'dup', 'swap', 'truncate', 'insert', 'char'),
    at: fc.nat(),
    other: fc.nat(),
    noise: fc.constantFrom(...noise),
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
  for (const backend of BACKENDS) {
    const { handBuilt, fuzz } = platformCase(backend.platform);
    for (const { device: d, model } of handBuilt()) {
      it(`${d.id} (${d.platform})`, () => {
        const files = backend.render(d, model);
        let reported = 0;
        fc.assert(
          fc.property(
            fc.nat({ max: files.length - 1 }),
            fc.array(mutation(fuzz.noise), { minLength: 1, maxLength: fuzz.maxMutations }),
            (which, ms) => {
              const mutated: RenderedFile[] = files.map((f, k) =>
                k === which ? { path: f.path, content: mutate(f.content, ms) } : f,
              );
              const r = backend.read(mutated, { id: d.id, site: d.site, name: d.name, role: d.role });
              // Each check is made plainly, and vitest's expect called (to fail and report) only
              // when it does not hold: thousands of diagnostics, five or six expects each, were
              // a large part of this file's own time.
              const answered = r.device !== undefined || r.diagnostics.length > 0;
              if (!answered) expect(answered).toBe(true);
              reported += r.diagnostics.length;
              for (const diag of r.diagnostics) {
                if (!/^R9\d\d$/.test(diag.code)) expect(diag.code).toMatch(/^R9\d\d$/);
                const file = mutated.find((f) => f.path === diag.span.file);
                if (file === undefined) expect(file, `diagnostic in an unknown file ${diag.span.file}`).toBeDefined();
                if (!fuzz.exactSpans) continue;
                const { start, end } = diag.span;
                if (!(start.offset <= end.offset)) expect(start.offset).toBeLessThanOrEqual(end.offset);
                if (!(end.offset <= file!.content.length)) expect(end.offset).toBeLessThanOrEqual(file!.content.length);
                const before = file!.content.slice(0, start.offset).split('\n');
                if (before.length !== start.line) expect(before.length).toBe(start.line);
                const column = before[before.length - 1]!.length + 1;
                if (column !== start.column) expect(column).toBe(start.column);
              }
            },
          ),
          { seed: fuzz.seed, numRuns: fuzz.numRuns },
        );
        expect(reported, 'the mutations must make the readers report something').toBeGreaterThanOrEqual(
          fuzz.minReported,
        );
      });
    }
  }
});
