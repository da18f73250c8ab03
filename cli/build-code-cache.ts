// The last step of `npm run bundle`: the `check` command's entry with V8's code cache
// (cli/code-cache.ts). It bundles the CLI's check path as one CommonJS file into
// dist/cli/code-cache/, runs `check` on examples/acme with it in this process, and saves the code
// V8 compiled for that run. Run as `node --hash-seed=1 dist/cli/build-code-cache.js`: with a fixed
// seed, two builds write byte-identical files.

import { build, type Plugin } from 'esbuild';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import type { CliIo } from './io.js';
import { CACHE_HASH_SEED, CHECK_CACHE_FILE, CHECK_ENTRY_FILE, CODE_CACHE_DIR, RUN_FLAGS, cacheFileBytes, loadEntry } from './code-cache.js';

/** What stays out of every bundle: loaded from node_modules by the commands that need them. */
const EXTERNAL = ['z3-solver', 'vscode-languageserver', 'vscode-languageserver-textdocument', 'fast-xml-parser', '@dagrejs/graphlib'];

/** The other commands' modules are not in the check entry (cli/main.ts runs only `check` from
 * it): each is a module that throws if it is ever loaded. */
const checkOnly: Plugin = {
  name: 'check-only',
  setup(b) {
    b.onResolve({ filter: /^\.\/[a-z]+\.js$/ }, (args) =>
      args.importer.endsWith('/cli/commands/index.js') && args.path !== './check.js' ? { path: args.path, namespace: 'not-in-check-entry' } : undefined,
    );
    b.onLoad({ filter: /.*/, namespace: 'not-in-check-entry' }, (args) => ({
      contents: `throw new Error(${JSON.stringify(`the check entry holds only \`check\`, not ${args.path}`)});`,
      loader: 'js',
    }));
  },
};

async function main(): Promise<void> {
  if (!process.execArgv.includes(`--hash-seed=${CACHE_HASH_SEED}`)) {
    throw new Error(`run as: node --hash-seed=${CACHE_HASH_SEED} dist/cli/build-code-cache.js (two builds must write the same cache)`);
  }
  setFlagsFromString(RUN_FLAGS);
  const dir = fileURLToPath(CODE_CACHE_DIR);
  rmSync(dir, { recursive: true, force: true });
  const example = fileURLToPath(new URL('../../examples/acme/', import.meta.url));
  if (!existsSync(example)) {
    process.stderr.write(`note: no ${example}: the check entry's code cache is not built, \`check\` runs the bundle\n`);
    return;
  }
  mkdirSync(dir, { recursive: true });
  await build({
    entryPoints: [fileURLToPath(new URL('./start.js', import.meta.url))],
    outfile: fileURLToPath(new URL(CHECK_ENTRY_FILE, CODE_CACHE_DIR)),
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
    keepNames: true,
    logLevel: 'warning',
    plugins: [checkOnly],
  });
  const bundleEntry = new URL('./bundle/start.js', import.meta.url).href;
  const { entry, script } = loadEntry(CODE_CACHE_DIR, bundleEntry);
  let out = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (out += s), isTTY: false, cwd: example, env: {} };
  const code = await entry.run(['check', '.'], io);
  if (code !== 0) throw new Error(`the check entry's run on ${example} exited ${code}:\n${out}`);
  const source = readFileSync(new URL(CHECK_ENTRY_FILE, CODE_CACHE_DIR));
  writeFileSync(new URL(CHECK_CACHE_FILE, CODE_CACHE_DIR), cacheFileBytes(source, script.createCachedData()));
}

await main();
