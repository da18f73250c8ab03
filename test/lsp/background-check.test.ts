// The worker thread's check (lsp/check-worker.ts) sends back diagnostics only: it parses
// incrementally and does not build the checked intent. Its diagnostics must be exactly those of
// a full check of the whole text, after any edit.

import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { prng } from '../../bench/generate.js';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { Project, ProjectFile } from '../../lsp/workspace.js';
import { generatedIntent } from './harness.js';
import { checkTwoFiles, fullCheckOfTwo } from './two-files.js';

const NAME = 'big.plumb';
/**
 * The generated intent's segments (about 2,500 lines). Sharing one incremental parser between a
 * project's files, and replaying the resolver's outcomes in another namespace, fail the same
 * tests here as at 1,500, in every seed.
 */
const SEGMENTS = 1000;

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
    const original = generatedIntent(SEGMENTS, 4);
    const project = new Project('p', undefined);
    const codes = new Set<string>();
    // The valid intent's full check, made once: every fourth check returns to it.
    let fullOfOriginal: ReturnType<typeof analyze> | undefined;
    for (let i = 0; i < 40; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      // Every fourth check is of the valid intent again, so that clean checks are compared too.
      const text = i % 4 === 3 ? original : randomEdit(original, rand);
      const got = workerCheck(project, frontEnd, text);
      const full = text === original ? (fullOfOriginal ??= analyze([{ path: NAME, text }])) : analyze([{ path: NAME, text }]);
      expect(got.diagnostics).toEqual(full.diagnostics);
      expect(got.intent).toBeUndefined();
      if (i % 4 === 3) expect(full.intent).toBeDefined();
      for (const d of full.diagnostics) codes.add(d.code);
    }
    // The edits reach the checks after resolution, not only the parser.
    expect(codes.size).toBeGreaterThanOrEqual(5);
  }, 240_000);
});

/** A declaration line (`segment seg1 ...`, `host h2 ...`, `site s000 {`): the name's place in it. */
const DECLARATION = /^(segment|host|group|service|external|site|pool|network) (\S+)/;

/**
 * An edit aimed at the names the rest of the intent depends on: a declared name renamed (its
 * references become unknown), a declaration deleted, copied (a duplicate name) or copied renamed
 * (a new, unused name), a name in a reference changed to another declared name, or a
 * declaration added that shadows a built-in service. Each can change diagnostics far from the
 * edited line, which a check that redoes only the edited declaration would miss.
 */
function declarationEdit(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const declared = lines.flatMap((l, i) => (DECLARATION.test(l) ? [i] : []));
  // A file with no declaration left (the second of two may hold only policies) gets a plain edit.
  if (declared.length === 0) return randomEdit(text, rand);
  const at = declared[Math.floor(rand() * declared.length)]!;
  const [, kind, name] = DECLARATION.exec(lines[at]!)!;
  const kindOf = rand();
  if (kindOf < 0.25) lines[at] = lines[at]!.replace(` ${name}`, ` ${name}q`);
  else if (kindOf < 0.45 && kind !== 'site') lines.splice(at, 1);
  else if (kindOf < 0.6 && kind !== 'site') lines.splice(at + 1, 0, lines[at]!);
  else if (kindOf < 0.7 && kind !== 'site') lines.splice(at + 1, 0, lines[at]!.replace(` ${name}`, ` ${name}z`));
  else if (kindOf < 0.85) {
    // Another use of the name: a reference somewhere else now names a different declaration.
    const users = lines.flatMap((l, i) => (i !== at && new RegExp(`\\b${name!.replace('.', '\\.')}\\b`).test(l) ? [i] : []));
    const other = declared.map((i) => DECLARATION.exec(lines[i]!)!).find((m) => m[1] === kind && m[2] !== name)?.[2];
    const user = users[Math.floor(rand() * users.length)];
    if (user !== undefined && other) lines[user] = lines[user]!.replace(new RegExp(`\\b${name}\\b`), other);
    else lines.splice(at, 1);
  } else lines.splice(Math.floor(rand() * lines.length), 0, 'service ssh = tcp 2222');
  return lines.join('\n');
}

/** The text cut in two files at a top-level line near `fraction` of it (the files share one namespace). */
function splitInTwo(text: string, fraction: number): [string, string] {
  const lines = text.split('\n');
  let cut = Math.floor(lines.length * fraction);
  while (cut < lines.length && !DECLARATION.test(lines[cut]!) && !/^(policy|assert)\b/.test(lines[cut]!)) cut++;
  return [lines.slice(0, cut).join('\n') + '\n', lines.slice(cut).join('\n')];
}

describe('the background check after edits of declarations', () => {
  for (const seed of [1, 2, 3]) {
    it(`equals a full check after 30 edits of declared names and their uses, in one file and across two (seed ${seed})`, async () => {
      const frontEnd = await loadFrontEnd();
      const rand = prng(20261205 + seed);
      const original = generatedIntent(SEGMENTS, seed);
      const [first, second] = splitInTwo(original, 0.3 + rand() * 0.4);
      const single = new Project('single', undefined);
      const pair = new Project('pair', undefined);
      const codes = new Set<string>();
      // The full checks of the valid intent, in one file and in two, made once: every sixth
      // check returns to it.
      let fullOfOriginal: ReturnType<typeof analyze> | undefined;
      let fullOfOriginalPair: ReturnType<typeof analyze> | undefined;
      // Edits accumulate (each applies to the text the last one left), as an editor's do; every
      // sixth check returns to the valid intent.
      let text = original;
      let texts: [string, string] = [first, second];
      for (let i = 0; i < 30; i++) {
        // Let the test runner's messages through between checks (a long synchronous test times them out).
        await new Promise((resolve) => setImmediate(resolve));
        if (i % 6 === 5) {
          text = original;
          texts = [first, second];
        } else {
          text = rand() < 0.8 ? declarationEdit(text, rand) : randomEdit(text, rand);
          const which = rand() < 0.5 ? 0 : 1;
          texts = which === 0 ? [declarationEdit(texts[0], rand), texts[1]] : [texts[0], declarationEdit(texts[1], rand)];
        }
        const got = workerCheck(single, frontEnd, text);
        const full = text === original ? (fullOfOriginal ??= analyze([{ path: NAME, text }])) : analyze([{ path: NAME, text }]);
        expect(got.diagnostics).toEqual(full.diagnostics);
        const valid = texts[0] === first && texts[1] === second;
        const { got: gotPair, full: fullPair } = checkTwoFiles(pair, frontEnd, texts, valid ? (fullOfOriginalPair ??= fullCheckOfTwo(texts)) : undefined);
        expect(gotPair.diagnostics).toEqual(fullPair.diagnostics);
        for (const d of [...full.diagnostics, ...fullPair.diagnostics]) codes.add(d.code);
      }
      // The edits reach the resolver's reports: unknown names, duplicates, shadowed built-ins.
      expect(codes.size).toBeGreaterThanOrEqual(5);
      expect(codes).toContain('P201');
      expect(codes).toContain('P202');
    }, 240_000);
  }
});
