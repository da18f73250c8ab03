// The last step of `npm run bundle`: the entries of `check` and `compile` with V8's code cache
// (cli/code-cache.ts). For each command it bundles the CLI's path for that command as one
// CommonJS file into dist/cli/code-cache/, runs the command on examples/acme with it in this
// process (`compile -o` on a copy of it, into a temporary folder), and saves the code V8 compiled
// for that run. Run as `node --hash-seed=1 dist/cli/build-code-cache.js`: with a fixed seed, two
// builds write byte-identical files.

import { build, type Plugin } from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { CliIo } from './io.js';
import { CACHED_COMMANDS, CACHE_HASH_SEED, CODE_CACHE_DIR, RUN_FLAGS, cacheFile, cacheFileBytes, entryFile, loadEntry, type CachedCommand } from './code-cache.js';

/** What stays out of every bundle: loaded from node_modules by the commands that need them. */
const EXTERNAL = ['z3-solver', 'vscode-languageserver', 'vscode-languageserver-textdocument', 'fast-xml-parser', '@dagrejs/graphlib'];

/** The other commands' modules are not in a command's entry (cli/main.ts runs only that command
 * from it): each is a module that throws if it is ever loaded. */
function onlyCommand(command: CachedCommand): Plugin {
  return {
    name: 'only-command',
    setup(b) {
      b.onResolve({ filter: /^\.\/[a-z]+\.js$/ }, (args) =>
        args.importer.endsWith('/cli/commands/index.js') && args.path !== `./${command}.js` ? { path: args.path, namespace: 'not-in-entry' } : undefined,
      );
      b.onLoad({ filter: /.*/, namespace: 'not-in-entry' }, (args) => ({
        contents: `throw new Error(${JSON.stringify(`the ${command} entry holds only \`${command}\`, not ${args.path}`)});`,
        loader: 'js',
      }));
    },
  };
}

/** Built-in modules the entries' code imports at its top but uses only on some runs: commander
 * requires `node:child_process` for the executable subcommands Plumb does not have (about 8 ms of
 * every start), and the solver pool `node:worker_threads` for Z3's workers, which a `compile`
 * starts only when a rule list is not equal rule for rule (about 5 ms). In the entries each gets a
 * stand-in that loads the module on the first use of one of the names listed here; a name not
 * listed is absent from the stand-in, so a new use fails the entry's tests instead of loading
 * the module early. */
const LAZY_BUILTINS: Readonly<Record<string, { importer: RegExp; names: readonly string[] }>> = {
  'node:child_process': { importer: /[\\/]commander[\\/]/, names: ['spawn'] },
  'node:worker_threads': { importer: /[\\/]verifier[\\/]solver-pool\.js$/, names: ['Worker'] },
};

/** The stand-in module for `builtin`: each name a getter that loads the module on first use. */
function lazyBuiltinSource(builtin: string, names: readonly string[]): string {
  const getters = names.map((name) => `get ${name}() { return load().${name}; }`).join(', ');
  return `let loaded; const load = () => (loaded ??= require(${JSON.stringify(builtin)})); module.exports = { ${getters} };`;
}

export const lazyBuiltins: Plugin = {
  name: 'lazy-builtins',
  setup(b) {
    b.onResolve({ filter: /^node:(child_process|worker_threads)$/ }, (args) =>
      LAZY_BUILTINS[args.path]?.importer.test(args.importer) ? { path: args.path, namespace: 'lazy-builtin' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      contents: lazyBuiltinSource(args.path, LAZY_BUILTINS[args.path]!.names),
      loader: 'js',
    }));
  },
};

/** The run each entry's saved code is made from, in `example` (a copy, when the run writes). */
interface TrainingRun {
  argv: string[];
  /** Whether the run writes beside its input (`compile -o` updates the intent's plumb.lock), so
   * it runs on a copy of the example in a temporary folder. */
  writes: boolean;
}

const TRAINING: Readonly<Record<CachedCommand, TrainingRun>> = {
  check: { argv: ['check', '.'], writes: false },
  compile: { argv: ['compile', '.', '-o', 'out'], writes: true },
};

async function buildEntry(command: CachedCommand, example: string): Promise<void> {
  await build({
    entryPoints: [fileURLToPath(new URL('./start.js', import.meta.url))],
    outfile: fileURLToPath(new URL(entryFile(command), CODE_CACHE_DIR)),
    bundle: true,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    // No `import()` left (a script compiled with a cache has no module loader for it), and
    // `import.meta.url` is the ES module bundle's entry, where the Z3 worker sits.
    supported: { 'dynamic-import': false },
    define: { 'import.meta.url': '__importMetaUrl' },
    minifyWhitespace: true,
    minifySyntax: true,
    minifyIdentifiers: true,
    // Not `keepNames`: it sets each function's name when the function is made, closures in hot
    // loops included (a property definition and a map change every time), about 9 % of the
    // instructions of a 500-rule `compile -o`. The entries are not in the packed package; a stack
    // trace from them names the bundle's line and column.
    keepNames: false,
    logLevel: 'warning',
    plugins: [onlyCommand(command), lazyBuiltins],
  });
  const training = TRAINING[command];
  const copy = training.writes ? mkdtempSync(join(tmpdir(), `plumb-${command}-cache-`)) : undefined;
  try {
    if (copy) for (const name of readdirSync(example)) if (/\.plumb$|^plumb\.lock$/.test(name)) copyFileSync(join(example, name), join(copy, name));
    const bundleEntry = new URL('./bundle/start.js', import.meta.url).href;
    const { entry, script } = loadEntry(CODE_CACHE_DIR, bundleEntry, undefined, command);
    let out = '';
    const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (out += s), isTTY: false, cwd: copy ?? example, env: {} };
    const code = await entry.run(training.argv, io);
    if (code !== 0) throw new Error(`the ${command} entry's run on ${example} exited ${code}:\n${out}`);
    const source = readFileSync(new URL(entryFile(command), CODE_CACHE_DIR));
    writeFileSync(new URL(cacheFile(command), CODE_CACHE_DIR), cacheFileBytes(source, script.createCachedData()));
  } finally {
    if (copy) rmSync(copy, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (!process.execArgv.includes(`--hash-seed=${CACHE_HASH_SEED}`)) {
    throw new Error(`run as: node --hash-seed=${CACHE_HASH_SEED} dist/cli/build-code-cache.js (two builds must write the same cache)`);
  }
  setFlagsFromString(RUN_FLAGS);
  const dir = fileURLToPath(CODE_CACHE_DIR);
  rmSync(dir, { recursive: true, force: true });
  const example = fileURLToPath(new URL('../../examples/acme/', import.meta.url));
  if (!existsSync(example)) {
    process.stderr.write(`note: no ${example}: the entries' code caches are not built, ${CACHED_COMMANDS.join(' and ')} run the bundle\n`);
    return;
  }
  mkdirSync(dir, { recursive: true });
  for (const command of CACHED_COMMANDS) await buildEntry(command, example);
}

// Run as a script (the build); imported, it only lends its plugins (test/cli/code-cache.test.ts).
if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
