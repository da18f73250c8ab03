// The worker thread's check (lsp/check-worker.ts) sends back diagnostics only: it parses
// incrementally and does not build the checked intent. Its diagnostics must be exactly those of
// a full check of the whole text, after any edit.

import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { prng } from '../../bench/generate.js';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { Project, ProjectFile } from '../../lsp/workspace.js';
import { generatedIntent } from './harness.js';

const NAME = 'big.plumb';

/** What the worker does with a request: the project's files replaced, diagnostics only. */
function workerCheck(project: Project, frontEnd: Awaited<ReturnType<typeof loadFrontEnd>>, text: string) {
  project.files.clear();
  project.files.set(NAME, new ProjectFile(NAME, NAME, text, undefined));
  return project.analysis(frontEnd, { intent: false }).result;
}

/**
 * An edit of the valid intent: a letter typed into a line (often a syntax error, or an unknown
 * name), a few lines deleted (rules gone leave declarations unused; declarations gone leave
 * names unknown), or a line copied (a duplicate).
 */
function randomEdit(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const at = Math.floor(rand() * lines.length);
  const kind = rand();
  if (kind < 0.3) {
    const line = lines[at]!;
    const column = Math.floor(rand() * (line.length + 1));
    lines[at] = line.slice(0, column) + 'abx-{}",'[Math.floor(rand() * 8)]! + line.slice(column);
  } else if (kind < 0.8) lines.splice(at, 1 + Math.floor(rand() * 5));
  else lines.splice(Math.floor(rand() * lines.length), 0, lines[at]!);
  return lines.join('\n');
}

describe('the background check', () => {
  it('reports exactly the diagnostics of a full check after each of 40 random edits (seeded)', async () => {
    const frontEnd = await loadFrontEnd();
    const rand = prng(20261205);
    const original = generatedIntent(1500, 4);
    const project = new Project('p', undefined);
    const codes = new Set<string>();
    for (let i = 0; i < 40; i++) {
      // Every fourth check is of the valid intent again, so that clean checks are compared too.
      const text = i % 4 === 3 ? original : randomEdit(original, rand);
      const got = workerCheck(project, frontEnd, text);
      const full = analyze([{ path: NAME, text }]);
      expect(got.diagnostics).toEqual(full.diagnostics);
      expect(got.intent).toBeUndefined();
      if (i % 4 === 3) expect(full.intent).toBeDefined();
      for (const d of full.diagnostics) codes.add(d.code);
    }
    // The edits reach the checks after resolution, not only the parser.
    expect(codes.size).toBeGreaterThanOrEqual(5);
  }, 240_000);
});
