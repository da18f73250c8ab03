// The architecture's invariants as tests: every sentence of the "Invariants" section of
// docs/architecture.md is a test of that name over every source file's imports and literals
// (read with TypeScript's parser, test/architecture/source-facts.ts). Each rule is also shown
// to fail on a small invented tree that breaks it, and the doc is checked to say exactly what
// the tests check: the same sentences, the same excused files with the same reasons, the same
// contract files.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { judge, treeOf, type Invariant } from './architecture/checker.js';
import { DIAGNOSTIC_INVARIANTS } from './architecture/diagnostic-invariants.js';
import { CONTRACT_FILES, LAYER_INVARIANTS, MAY_IMPORT } from './architecture/layer-invariants.js';
import { PURITY_INVARIANTS } from './architecture/purity-invariants.js';
import { factsOf, type SourceFacts } from './architecture/source-facts.js';
import { VENDOR_INVARIANTS } from './architecture/vendor-invariants.js';

const ROOT = join(import.meta.dirname, '..');
const INVARIANTS: readonly Invariant[] = [...LAYER_INVARIANTS, ...PURITY_INVARIANTS, ...VENDOR_INVARIANTS, ...DIAGNOSTIC_INVARIANTS];

function sourceFiles(folder: string): string[] {
  return readdirSync(join(ROOT, folder))
    .sort()
    .flatMap((entry) => {
      const path = `${folder}/${entry}`;
      if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
      return /\.(ts|mjs)$/.test(entry) ? [path] : [];
    });
}

/** Every source file of the layers (tests may import anything and are not read). */
const TREE: SourceFacts[] = Object.keys(MAY_IMPORT).flatMap((folder) =>
  sourceFiles(folder).map((path) => factsOf({ path, text: readFileSync(join(ROOT, path), 'utf8') })),
);

describe('the source tree as the invariants see it', () => {
  it('has every layer, and imports in every file but a few leaves', () => {
    for (const folder of Object.keys(MAY_IMPORT)) {
      expect(TREE.filter((f) => f.path.startsWith(`${folder}/`)).length, folder).toBeGreaterThan(2);
    }
    // A reader that missed imports would make every rule pass: most files import something, and
    // the layers are crossed hundreds of times.
    const withImports = TREE.filter((f) => f.imports.length > 0).length;
    expect(withImports / TREE.length).toBeGreaterThan(0.9);
    const crossing = TREE.flatMap((f) => f.imports).filter(
      (i) => i.target && i.target.split('/')[0] !== i.file.split('/')[0],
    );
    expect(crossing.length).toBeGreaterThan(200);
  });
});

describe('the invariants of docs/architecture.md hold', () => {
  for (const invariant of INVARIANTS) {
    it(invariant.sentence, () => {
      const { violations, staleExceptions } = judge(invariant, TREE);
      expect(violations, 'places that break the rule').toEqual([]);
      expect(
        staleExceptions,
        'excused files where the rule finds nothing: remove them here and in the doc',
      ).toEqual([]);
    });
  }
});

describe('each invariant catches a tree that breaks it', () => {
  for (const invariant of INVARIANTS) {
    it(invariant.sentence, () => {
      const tree = treeOf(invariant.counterexample.files);
      const caught = invariant.findings(tree).map((f) => `${f.file}:${f.line}:${f.column}`);
      expect(caught.sort()).toEqual([...invariant.counterexample.caughtAt].sort());
      const { violations } = judge(invariant, tree);
      expect(violations.length).toBe(invariant.counterexample.caughtAt.length);
      // The message names the offending text.
      for (const v of violations) expect(v).toMatch(/: (imports '[^']+'|"[^"]*"): /);
    });
  }
  it('an excused file with nothing left to excuse is reported', () => {
    const runner = INVARIANTS.find((i) => i.sentence.startsWith('In `emulator/`'))!;
    const tree = treeOf({ 'emulator/netns.ts': "import { sleep } from './timers.js';\n" });
    expect(judge(runner, tree)).toEqual({ violations: [], staleExceptions: ['emulator/netns.ts'] });
  });
});

describe('the reader of imports and literals', () => {
  const facts = (text: string, path = 'lsp/x.ts'): SourceFacts => factsOf({ path, text });

  it('reads every kind of import, with its position and the file it names', () => {
    const f = facts(
      [
        "import a from './a.js';",
        "export { b } from '../language/b.js';",
        'const c = await import(`./c.js`);',
        "const d = require('node:fs');",
        "import e = require('../compiler/e.js');",
        "type F = import('./f.js').F;",
        "import './side-effect.js';",
        "import z from './z.mjs';",
      ].join('\n'),
    );
    expect(f.imports.map((i) => [`${i.line}:${i.column}`, i.specifier, i.target, i.typeOnly])).toEqual([
      ['1:1', './a.js', 'lsp/a.ts', false],
      ['2:1', '../language/b.js', 'language/b.ts', false],
      ['3:17', './c.js', 'lsp/c.ts', false],
      ['4:11', 'node:fs', undefined, false],
      ['5:1', '../compiler/e.js', 'compiler/e.ts', false],
      ['6:10', './f.js', 'lsp/f.ts', true],
      ['7:1', './side-effect.js', 'lsp/side-effect.ts', false],
      ['8:1', './z.mjs', 'lsp/z.mjs', false],
    ]);
  });

  it('tells imports for types only from imports that run the module', () => {
    const typeOnly = (line: string) => facts(line).imports[0]!.typeOnly;
    expect(typeOnly("import type { A } from './a.js';")).toBe(true);
    expect(typeOnly("import { type A, type B } from './a.js';")).toBe(true);
    expect(typeOnly("export type { A } from './a.js';")).toBe(true);
    expect(typeOnly("import { type A, b } from './a.js';")).toBe(false);
    expect(typeOnly("import A, { type B } from './a.js';")).toBe(false);
    expect(typeOnly("import * as a from './a.js';")).toBe(false);
    expect(typeOnly("export * from './a.js';")).toBe(false);
  });

  it('is not fooled by comments and strings, and keeps specifiers out of the literals', () => {
    const f = facts(
      [
        "// import { x } from '../cli/io.js';",
        'const s = "import { y } from \'../cli/io.js\'";',
        '/* require("child_process") */',
        "import { z } from './z.js';",
        'const t = `frr${n}.conf`;',
      ].join('\n'),
    );
    expect(f.imports.map((i) => i.specifier)).toEqual(['./z.js']);
    expect(f.literals.map((l) => [l.text, l.piece])).toEqual([
      ["import { y } from '../cli/io.js'", false],
      ['frr', true],
      ['.conf', true],
    ]);
  });

  it('reads plain JavaScript (.mjs) too', () => {
    const f = facts(
      "import { parentPort } from 'node:worker_threads';\nconst z = require('z3-solver');\n",
      'verifier/w.mjs',
    );
    expect(f.imports.map((i) => i.specifier)).toEqual(['node:worker_threads', 'z3-solver']);
  });
});

/** The text of one `## ` section of docs/architecture.md. */
function docSection(title: string): string {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const start = doc.indexOf(`\n## ${title}\n`);
  expect(start, `docs/architecture.md has a "## ${title}" section`).toBeGreaterThanOrEqual(0);
  const end = doc.indexOf('\n## ', start + 1);
  return doc.slice(start, end < 0 ? undefined : end);
}

interface DocBullet {
  sentence: string;
  /** The nested bullets `path`: reason. */
  exceptions: Record<string, string>;
}

/** The Invariants section's bullets (wrapped lines joined) and the files listed under each. */
function docBullets(): DocBullet[] {
  const bullets: DocBullet[] = [];
  let nested: string[] | undefined;
  const closeNested = (): void => {
    if (!nested) return;
    const m = /^`([^`]+)`: (.*)$/.exec(nested.join(' '));
    expect(m, `an excused file is listed as "\`path\`: reason": ${nested.join(' ')}`).not.toBeNull();
    bullets.at(-1)!.exceptions[m![1]!] = m![2]!;
    nested = undefined;
  };
  for (const line of docSection('Invariants').split('\n')) {
    if (line.startsWith('- ')) {
      closeNested();
      bullets.push({ sentence: line.slice(2).trim(), exceptions: {} });
    } else if (line.startsWith('  - ')) {
      closeNested();
      nested = [line.slice(4).trim()];
    } else if (nested && line.startsWith('    ') && line.trim() !== '') {
      nested.push(line.trim());
    } else if (!nested && bullets.length > 0 && line.startsWith('  ') && line.trim() !== '') {
      bullets.at(-1)!.sentence += ` ${line.trim()}`;
    } else {
      closeNested();
    }
  }
  closeNested();
  return bullets;
}

describe('docs/architecture.md says what these tests check', () => {
  it('the Invariants section lists exactly these sentences, in this order', () => {
    expect(docBullets().map((b) => b.sentence)).toEqual(INVARIANTS.map((i) => i.sentence));
  });

  it('each sentence lists exactly the files its test excuses, with the same reasons', () => {
    const bySentence = new Map(docBullets().map((b) => [b.sentence, b.exceptions]));
    for (const invariant of INVARIANTS) {
      expect(bySentence.get(invariant.sentence), invariant.sentence).toEqual(invariant.exceptions ?? {});
    }
  });

  it('the contracts table lists exactly the contract files the rules allow across layers', () => {
    const files = [...docSection('The contracts').matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
    expect(files).toEqual(CONTRACT_FILES);
  });
});
