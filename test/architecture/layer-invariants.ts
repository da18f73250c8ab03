// The invariants about who imports whom: the layers, the doors into them, and the one folder
// each outside library belongs to. Each sentence is word for word a bullet of the "Invariants"
// section of docs/architecture.md.

import { allImports, folderOf, importFinding, namesModule, type Finding, type Invariant } from './checker.js';
import type { ImportFact } from './source-facts.js';

/** The files of the "contracts" table of docs/architecture.md: types that cross a boundary. */
export const CONTRACT_FILES: readonly string[] = [
  'language/diagnostic.ts',
  'language/ast.ts',
  'language/intent.ts',
  'language/symbols.ts',
  'language/address.ts',
  'language/platforms.ts',
  'compiler/model.ts',
  'verifier/verdict.ts',
];
const CONTRACTS = new Set(CONTRACT_FILES);

/** Each folder and the folders it may import from (besides itself). */
export const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  language: [],
  compiler: ['language'],
  verifier: ['language', 'compiler'],
  backends: ['language', 'compiler'],
  emulator: ['language', 'compiler', 'backends', 'verifier'],
  pipeline: ['language', 'compiler', 'verifier', 'backends', 'emulator'],
  lsp: ['pipeline', 'language', 'compiler', 'verifier'],
  api: ['pipeline', 'language', 'compiler', 'verifier', 'backends'],
  cli: ['api', 'pipeline', 'language', 'compiler', 'verifier', 'backends', 'emulator', 'lsp'],
  bench: ['pipeline', 'language', 'compiler', 'verifier', 'backends'],
};

/**
 * The reader of intent files that the language server shares with the CLI, so that the editor
 * and `plumb check` accept exactly the same files (size, encoding, kind of file).
 */
export const SHARED_SOURCE_READER = 'pipeline/sources.ts';

function mayImport(from: string, target: string): boolean {
  return (MAY_IMPORT[from] ?? []).includes(folderOf(target));
}

/** Imports of source files, each with the importing and the imported folder. */
function crossImports(tree: Parameters<Invariant['findings']>[0]): (ImportFact & { target: string })[] {
  return allImports(tree).filter(
    (i): i is ImportFact & { target: string } =>
      i.target !== undefined && folderOf(i.target) !== folderOf(i.file),
  );
}

const layers: Invariant = {
  sentence:
    'An import points down the layers only: `compiler` imports `language`; `verifier` and `backends` import `compiler` and `language`; `emulator` imports those four; `pipeline` imports those five; `lsp` imports `pipeline`, `language`, `compiler` and `verifier`; `api` imports `pipeline`, `language`, `compiler`, `verifier` and `backends`; `cli` imports all of them; `bench` imports `pipeline`, `language`, `compiler`, `verifier` and `backends`.',
  findings: (tree) =>
    crossImports(tree).flatMap((i): Finding[] => {
      const from = folderOf(i.file);
      const to = folderOf(i.target);
      const allowed = MAY_IMPORT[from];
      if (allowed === undefined) return [importFinding(i, `${from}/ is not a source folder of the layers`)];
      if (mayImport(from, i.target)) return [];
      const may = allowed.length > 0 ? allowed.join(', ') : 'nothing outside itself';
      return [importFinding(i, `${from}/ may not import ${to}/ (it may import ${may})`)];
    }),
  counterexample: {
    files: {
      'compiler/routes.ts':
        "import { Diagnostic } from '../language/diagnostic.js';\nimport { ExitCode } from '../cli/io.js';\n",
      'language/check.ts': "export type { NetworkModel } from '../compiler/model.js';\n",
      'pipeline/compile.ts':
        "import { compile } from '../compiler/index.js';\nimport { ExitCode } from '../cli/io.js';\nimport { toLspDiagnostic } from '../lsp/convert.js';\n",
      'verifier/index.ts': "import { compileIntent } from '../pipeline/compile.js';\n",
      'emulator/index.ts': "import type { Compiled } from '../pipeline/compile.js';\n",
    },
    caughtAt: [
      'compiler/routes.ts:2:1',
      'language/check.ts:1:1',
      'pipeline/compile.ts:2:1',
      'pipeline/compile.ts:3:1',
      'verifier/index.ts:1:1',
      'emulator/index.ts:1:1',
    ],
  },
};

const backendsAndVerifier: Invariant = {
  sentence: '`backends/` never imports `verifier/`, and `verifier/` never imports `backends/`.',
  findings: (tree) =>
    crossImports(tree)
      .filter((i) => {
        const pair = `${folderOf(i.file)}>${folderOf(i.target)}`;
        return pair === 'backends>verifier' || pair === 'verifier>backends';
      })
      .map((i) => importFinding(i, 'the pipeline wires the backends and the verifier together (pipeline/validate.ts, pipeline/deployed.ts)')),
  counterexample: {
    files: {
      'backends/frr/read.ts': "import { verifyModel } from '../../verifier/index.js';\n",
      'verifier/from-configs.ts': "import type { RenderedFile } from '../backends/backend.js';\n",
    },
    caughtAt: ['backends/frr/read.ts:1:1', 'verifier/from-configs.ts:1:1'],
  },
};

const nothingImportsTheTop: Invariant = {
  sentence:
    'Nothing imports `cli/`, and only `cli/commands/lsp.ts` imports `lsp/`: the editor and the CLI share what they both need through `pipeline/`.',
  findings: (tree) =>
    crossImports(tree)
      .filter((i) => folderOf(i.target) === 'cli' || folderOf(i.target) === 'lsp')
      .map((i) => importFinding(i, `${folderOf(i.target)}/ orchestrates: nothing below it imports it`)),
  exceptions: { 'cli/commands/lsp.ts': '`plumb lsp` starts the language server' },
  counterexample: {
    files: {
      'lsp/server.ts':
        "import { ExitCode } from '../cli/io.js';\nimport { readSourceFile } from '../pipeline/sources.js';\n",
      'pipeline/sources.ts': "import { UsageError } from '../cli/io.js';\n",
      'cli/commands/check.ts': "import { invalidNameReason } from '../../lsp/vocabulary.js';\n",
    },
    caughtAt: ['lsp/server.ts:1:1', 'pipeline/sources.ts:1:1', 'cli/commands/check.ts:1:1'],
  },
};

/** What the library computes for the CLI's commands, which those commands take from `api/`. */
const API_COMMANDS = ['check', 'compile', 'fmt', 'diff', 'verify', 'emulate'].map((c) => `cli/commands/${c}.ts`);
const WRAPPED_BY_API = [
  'language/analyze.ts',
  'language/format.ts',
  'verifier/index.ts',
  'verifier/lint.ts',
  'pipeline/secrets.ts',
  'pipeline/prove.ts',
  'pipeline/deployed.ts',
  'pipeline/emulate.ts',
];

const cliThroughApi: Invariant = {
  sentence:
    'The CLI\'s `check`, `compile`, `fmt`, `diff`, `verify` and `emulate` compute through `api/`, as a library user does: their files import none of the steps it wraps (`language/analyze.ts`, `language/format.ts`, `verifier/index.ts`, `verifier/lint.ts`, `pipeline/secrets.ts`, `pipeline/prove.ts`, `pipeline/deployed.ts`, `pipeline/emulate.ts`).',
  findings: (tree) =>
    crossImports(tree)
      .filter((i) => API_COMMANDS.includes(i.file) && WRAPPED_BY_API.includes(i.target))
      .map((i) => importFinding(i, 'take it from api/ (api/analyze.ts, api/format.ts, api/compile.ts, api/verify.ts, api/emulate.ts)')),
  counterexample: {
    files: {
      'cli/commands/check.ts': "import { checkSources } from '../../api/analyze.js';\nimport { lintModel } from '../../verifier/lint.js';\n",
      'cli/commands/fmt.ts': "import { formatText } from '../../language/format.js';\n",
      'cli/commands/verify.ts': "import { proveSources } from '../../api/verify.js';\nimport { readDeployedNetwork } from '../../pipeline/deployed.js';\n",
      'cli/commands/emulate.ts': "import { emulateIntent } from '../../pipeline/emulate.js';\n",
      'cli/commands/report.ts': "import { proveModel } from '../../pipeline/prove.js';\n",
    },
    caughtAt: ['cli/commands/check.ts:2:1', 'cli/commands/fmt.ts:1:1', 'cli/commands/verify.ts:2:1', 'cli/commands/emulate.ts:1:1'],
  },
};

const emulatorImporters: Invariant = {
  sentence: 'Only `pipeline/emulate.ts` imports `emulator/`.',
  findings: (tree) =>
    crossImports(tree)
      .filter((i) => folderOf(i.target) === 'emulator')
      .map((i) => importFinding(i, 'the emulator is reached only through `plumb emulate`')),
  exceptions: { 'pipeline/emulate.ts': 'proves an intent and runs its lab, for `plumb emulate`' },
  counterexample: {
    files: {
      'cli/commands/verify.ts': "const lab = await import('../../emulator/index.js');\n",
      'pipeline/prove.ts': "import type { EmulationReport } from '../emulator/index.js';\n",
    },
    caughtAt: ['cli/commands/verify.ts:1:19', 'pipeline/prove.ts:1:1'],
  },
};

const emulatorTakesContracts: Invariant = {
  sentence:
    "`emulator/` takes from other folders only the contract files and the backends' registry (`backends/index.ts`, `backends/backend.ts`).",
  findings: (tree) =>
    crossImports(tree)
      .filter((i) => folderOf(i.file) === 'emulator')
      .filter(
        (i) =>
          !CONTRACTS.has(i.target) && i.target !== 'backends/index.ts' && i.target !== 'backends/backend.ts',
      )
      .map((i) => importFinding(i, `${i.target} is not a contract file (${CONTRACT_FILES.join(', ')})`)),
  counterexample: {
    files: {
      'emulator/build.ts':
        "import type { NetworkModel } from '../compiler/model.js';\nimport { compile } from '../compiler/index.js';\n",
    },
    caughtAt: ['emulator/build.ts:2:1'],
  },
};

/**
 * The lsp/ file through which the language server may enter each folder below it; `null`: no
 * file enters it (only its contract files are taken). `pipeline/sources.ts` is open to all.
 */
const LSP_DOORS: Readonly<Record<string, string | null>> = {
  language: 'lsp/frontend.ts',
  pipeline: 'lsp/prover.ts',
  compiler: null,
  verifier: null,
};

function lspDoorProblem(i: ImportFact & { target: string }): string | undefined {
  const folder = folderOf(i.target);
  if (!Object.hasOwn(LSP_DOORS, folder) || CONTRACTS.has(i.target) || i.target === SHARED_SOURCE_READER) return undefined;
  const door = LSP_DOORS[folder];
  if (door === i.file) return undefined;
  return door
    ? `${i.target} is reached through ${door}; other lsp/ files take only contract files`
    : `lsp/ takes only contract files from ${folder}/ (it compiles and proves through lsp/prover.ts and pipeline/)`;
}

const lspDoors: Invariant = {
  sentence:
    '`lsp/` enters `language/` only through `lsp/frontend.ts` and `pipeline/` only through `lsp/prover.ts`, besides the reader of intent files `pipeline/sources.ts` that it shares with the CLI; from `compiler/` and `verifier/`, and in its other files, it takes only the contract files.',
  findings: (tree) =>
    crossImports(tree)
      .filter((i) => folderOf(i.file) === 'lsp')
      .flatMap((i): Finding[] => {
        const problem = lspDoorProblem(i);
        return problem ? [importFinding(i, problem)] : [];
      }),
  counterexample: {
    files: {
      'lsp/hover.ts':
        "import type { Span } from '../language/diagnostic.js';\nimport { parse } from '../language/parser.js';\n",
      'lsp/frontend.ts': "export { compile } from '../compiler/index.js';\n",
      'lsp/prover.ts': "import { verifyModel } from '../verifier/index.js';\nimport { proveModel } from '../pipeline/prove.js';\n",
      'lsp/verification.ts':
        "import { proveModel } from '../pipeline/prove.js';\nimport { readSourceFile } from '../pipeline/sources.js';\n",
    },
    caughtAt: ['lsp/hover.ts:2:1', 'lsp/frontend.ts:1:1', 'lsp/prover.ts:1:1', 'lsp/verification.ts:1:1'],
  },
};

/** Every import of a package or Node module, in the files `where` selects. */
function moduleFindings(
  tree: Parameters<Invariant['findings']>[0],
  names: readonly string[],
  opts: { typesToo: boolean; where?: (file: string) => boolean; message: string },
): Finding[] {
  return allImports(tree)
    .filter((i) => i.target === undefined && names.some((n) => namesModule(i.specifier, n)))
    .filter((i) => opts.typesToo || !i.typeOnly)
    .filter((i) => opts.where?.(i.file) ?? true)
    .map((i) => importFinding(i, opts.message));
}

/** The Node modules that start processes. */
const PROCESS_MODULES = ['child_process', 'cluster'];

const emulatorRunner: Invariant = {
  sentence:
    'In `emulator/`, only `emulator/netns.ts` starts processes: no other file of it imports `node:child_process`, except for its types.',
  findings: (tree) =>
    moduleFindings(tree, PROCESS_MODULES, {
      typesToo: false,
      where: (file) => folderOf(file) === 'emulator',
      message:
        'run tools through emulator/netns.ts (run, runSync, spawnIn): argument vectors, time limits, checked words',
    }),
  exceptions: { 'emulator/netns.ts': "the emulator's one runner" },
  counterexample: {
    files: {
      'emulator/frr.ts':
        "import type { ChildProcess } from 'node:child_process';\nimport { execFileSync } from 'child_process';\n",
    },
    caughtAt: ['emulator/frr.ts:2:1'],
  },
};

const processStarters: Invariant = {
  sentence:
    'Processes are started only by `emulator/netns.ts`, `cli/commands/graph.ts`, `cli/commands/diff.ts`, `cli/young-generation.ts` and `bench/process.ts`; `language/`, `compiler/`, `verifier/`, `backends/`, `pipeline/`, `api/` and `lsp/` start none.',
  findings: (tree) =>
    moduleFindings(tree, PROCESS_MODULES, { typesToo: false, message: 'this file may not start processes' }),
  exceptions: {
    'emulator/netns.ts': "the emulator's one runner (ip, nft, vtysh, socat, ping, id, python3)",
    'cli/commands/graph.ts': 'Graphviz lays out and draws the picture of `plumb graph` and `plumb report` (`dot`, `neato` or `fdp`, then `neato -n2` with the clouds; SVG or PNG)',
    'cli/commands/diff.ts': '`git ls-tree` and `git show` read the intent at a revision for `plumb diff --git`',
    'cli/young-generation.ts': 'a large intent\'s `compile` (and a `check` or `verify` when `PLUMB_SEMI_SPACE` says so) runs in a Node started with a larger young generation (the same script and arguments)',
    'bench/process.ts': "the benchmarks' one runner: the built CLI and Capirca's aclgen in fresh processes, the language server over stdio, a CPU burner",
  },
  counterexample: {
    files: {
      'verifier/solver-pool.ts': "const { spawn } = require('child_process');\n",
      'lsp/server.ts': "import cluster from 'node:cluster';\n",
    },
    caughtAt: ['verifier/solver-pool.ts:1:19', 'lsp/server.ts:1:1'],
  },
};

const threads: Invariant = {
  sentence:
    "Only the verifier's solver pool (`verifier/solver-pool.ts`, `verifier/z3-worker.mjs`) and the language server's background check (`lsp/background-check.ts`, `lsp/check-worker.ts`) use threads.",
  findings: (tree) =>
    moduleFindings(tree, ['worker_threads'], {
      typesToo: false,
      message: 'this file may not start or be a worker thread',
    }),
  exceptions: {
    'verifier/solver-pool.ts': 'Z3 runs in worker threads with a watchdog',
    'verifier/z3-worker.mjs': 'the worker that owns one Z3',
    'lsp/background-check.ts': 'large intents are re-checked off the main thread',
    'lsp/check-worker.ts': 'the worker that re-checks them',
  },
  counterexample: {
    files: { 'compiler/build.ts': "import { Worker } from 'node:worker_threads';\n" },
    caughtAt: ['compiler/build.ts:1:1'],
  },
};

const z3: Invariant = {
  sentence: 'Only `verifier/z3-worker.mjs` loads Z3 (`z3-solver`), not even for its types.',
  findings: (tree) =>
    moduleFindings(tree, ['z3-solver'], {
      typesToo: true,
      message: 'Z3 is asked SMT-LIB text through the solver pool (verifier/solver-pool.ts)',
    }),
  exceptions: { 'verifier/z3-worker.mjs': 'the worker thread that owns one Z3' },
  counterexample: {
    files: { 'verifier/smt.ts': "import type { Context } from 'z3-solver';\n" },
    caughtAt: ['verifier/smt.ts:1:1'],
  },
};

const protocolInLsp: Invariant = {
  sentence:
    'The editor protocol stays in `lsp/`: outside it only `cli/commands/lsp.ts` imports `vscode-languageserver`.',
  findings: (tree) =>
    moduleFindings(tree, ['vscode-languageserver', 'vscode-languageserver-textdocument'], {
      typesToo: true,
      where: (file) => folderOf(file) !== 'lsp',
      message: 'LSP types stay in lsp/ (convert.ts turns diagnostics and spans into them)',
    }),
  exceptions: { 'cli/commands/lsp.ts': 'it opens the stdio connection the server runs on' },
  counterexample: {
    files: { 'language/render.ts': "import type { Diagnostic } from 'vscode-languageserver';\n" },
    caughtAt: ['language/render.ts:1:1'],
  },
};

const chevrotain: Invariant = {
  sentence: 'Only `language/` imports the parser toolkit `chevrotain`.',
  findings: (tree) =>
    moduleFindings(tree, ['chevrotain'], {
      typesToo: true,
      where: (file) => folderOf(file) !== 'language',
      message: 'other folders read the syntax tree (language/ast.ts), never the parser toolkit',
    }),
  counterexample: {
    files: { 'lsp/semantic-tokens.ts': "import { Lexer } from 'chevrotain';\n" },
    caughtAt: ['lsp/semantic-tokens.ts:1:1'],
  },
};

export const LAYER_INVARIANTS: readonly Invariant[] = [
  layers,
  backendsAndVerifier,
  nothingImportsTheTop,
  cliThroughApi,
  emulatorImporters,
  emulatorTakesContracts,
  lspDoors,
  emulatorRunner,
  processStarters,
  threads,
  z3,
  protocolInLsp,
  chevrotain,
];
