// The invariants about purity: the parts the doc calls pure use no Node module, directly or
// through what they import, so that they read no files, start nothing and give the same output
// on every machine. Each sentence is word for word a bullet of the "Invariants" section of
// docs/architecture.md.

import { isBuiltin } from 'node:module';
import { allImports, folderOf, importFinding, type Finding, type Invariant } from './checker.js';
import type { ImportFact, SourceFacts } from './source-facts.js';

function nodeModuleImports(facts: SourceFacts): ImportFact[] {
  return facts.imports.filter((i) => i.target === undefined && isBuiltin(i.specifier));
}

const pureFrontAndCompiler: Invariant = {
  sentence:
    '`language/` and `compiler/` import no Node module: the front end and `compile` read no files, start nothing and depend on no machine.',
  findings: (tree) =>
    allImports(tree)
      .filter((i) => i.target === undefined && isBuiltin(i.specifier))
      .filter((i) => folderOf(i.file) === 'language' || folderOf(i.file) === 'compiler')
      .map((i) => importFinding(i, 'the caller (cli/, lsp/) reads files and hands over text')),
  counterexample: {
    files: {
      'compiler/index.ts': "import { readFileSync } from 'node:fs';\n",
      'language/analyze.ts': "import os from 'os';\n",
    },
    caughtAt: ['compiler/index.ts:1:1', 'language/analyze.ts:1:1'],
  },
};

/** The files `root` runs when it is loaded: itself and what it imports for more than types. */
function loadedBy(tree: readonly SourceFacts[], root: string): SourceFacts[] {
  const byPath = new Map(tree.map((f) => [f.path, f]));
  const seen = new Set<string>([root]);
  const queue = [root];
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    for (const i of byPath.get(next)?.imports ?? []) {
      if (i.typeOnly || i.target === undefined || seen.has(i.target)) continue;
      seen.add(i.target);
      queue.push(i.target);
    }
  }
  return [...seen].flatMap((p) => byPath.get(p) ?? []);
}

const LAB_PLAN = 'emulator/lab.ts';

const pureLabPlan: Invariant = {
  sentence: "The lab's plan is pure: `emulator/lab.ts` and everything it loads use no Node module.",
  findings: (tree) =>
    loadedBy(tree, LAB_PLAN).flatMap((f): Finding[] =>
      nodeModuleImports(f).map((i) =>
        importFinding(
          i,
          `loaded by ${LAB_PLAN}, which plans without touching the machine (build.ts does that)`,
        ),
      ),
    ),
  counterexample: {
    files: {
      'emulator/lab.ts': "import { pick } from './addresses.js';\nimport type { Lab } from './build.js';\n",
      'emulator/addresses.ts': "import { randomBytes } from 'node:crypto';\n",
      'emulator/build.ts': "import { mkdirSync } from 'node:fs';\n",
    },
    caughtAt: ['emulator/addresses.ts:1:1'],
  },
};

export const PURITY_INVARIANTS: readonly Invariant[] = [pureFrontAndCompiler, pureLabPlan];
