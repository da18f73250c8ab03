// The entries of `check` and `compile` with V8's code cache (docs/performance/start-up.md). Node
// 20 has no compile cache for ES modules, and much of a short `plumb check` or `plumb compile` is
// V8 compiling the code it runs. So `npm run build` also bundles each of these commands' paths as
// one CommonJS file and runs it once on an example, then saves the compiled code
// (cli/build-code-cache.ts); `cli/main.ts` runs the command from its file with the saved code when
// both are there. One entry per command: V8 reads a cache whole, so `check` would pay for the
// backends' code in a shared one. The saved code is used only for the exact source it was made
// from (a copy of it is in the cache file) and only if V8 accepts it (same V8 version and
// flags); otherwise the file compiles as usual, the same code.

import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Script } from 'node:vm';
import { RUN_FLAGS } from './v8-flags.js';

/** The V8 flags cli/main.ts sets for every command (cli/v8-flags.ts). V8 accepts a code cache
 * only under the flags it was made with: the build and loadEntry set them before compiling the
 * entry. */
export { RUN_FLAGS };

/** The hash seed the cache is made under (`node --hash-seed=1`): V8 serialises a table whose
 * order follows the seed, so a fixed seed makes two builds' caches byte-identical. Strings are
 * rehashed when a cache is read, so the seed matters to V8's check of the flags only: it is set
 * while the cache is read and set back to random (0) right after. */
export const CACHE_HASH_SEED = 1;

/** The folder of the cached entry beside dist/cli/bundle/ (not in the packed package: the saved
 * code is about as large as the whole bundle). */
export const CODE_CACHE_DIR = new URL('./code-cache/', import.meta.url);

/** The commands with an entry of their own (cli/main.ts runs a command from its entry when the
 * build wrote one). */
export const CACHED_COMMANDS = ['check', 'compile'] as const;
export type CachedCommand = (typeof CACHED_COMMANDS)[number];

/** The command's bundled path, and its saved code beside it. */
export const entryFile = (command: string): string => `${command}.cjs`;
export const cacheFile = (command: string): string => `${command}.cjs.v8`;
const HEADER = 'plumb-v8-code-cache-2';

/** What the bundled entry exports (cli/start.ts). */
export type CliEntry = typeof import('./start.js');

export interface LoadedEntry {
  entry: CliEntry;
  /** The V8 cache in use. */
  script: Script;
  /** Whether V8 took the saved code: false without a cache, for another source, or when V8
   * refused it (another version or other flags). */
  cacheUsed: boolean;
}

/** The header of a cache file made from a source of `length` bytes. */
const headerFor = (length: number): Buffer => Buffer.from(`${HEADER}\n${length}\n`);

/** The cache file's bytes: the header (what it is, the source's length), the source it was made
 * from, then V8's data. A copy of the source costs a comparison of bytes when the cache is read,
 * where a digest cost SHA-256 of the source and loading `node:crypto` (which `check` needs for
 * nothing else). */
export function cacheFileBytes(source: Buffer, data: Buffer): Buffer {
  return Buffer.concat([headerFor(source.length), source, data]);
}

/** V8's data from a cache file's bytes, if it was made from this very source. */
function cachedDataFor(source: Buffer, cacheBytes: Buffer | undefined): Buffer | undefined {
  if (!cacheBytes) return undefined;
  const header = headerFor(source.length);
  const end = header.length + source.length;
  if (cacheBytes.length < end || !cacheBytes.subarray(0, header.length).equals(header)) return undefined;
  return cacheBytes.subarray(header.length, end).equals(source) ? cacheBytes.subarray(end) : undefined;
}

/**
 * Compiles and runs `command`'s CommonJS entry in `dir` (with the saved code in `cacheBytes`,
 * when it fits) and returns its exports. `moduleUrl` stands for `import.meta.url` in the bundled
 * code: the ES module bundle's entry, so that files found beside it (the Z3 worker) are found.
 */
export function loadEntry(dir: URL, moduleUrl: string, cacheBytes?: Buffer, command = 'check'): LoadedEntry {
  const path = fileURLToPath(new URL(entryFile(command), dir));
  const sourceBytes = readFileSync(path);
  const cachedData = cachedDataFor(sourceBytes, cacheBytes);
  // The same wrapper at build and at run: V8 checks the length of the source it compiles.
  const wrapped = `(function (exports, require, module, __filename, __dirname, __importMetaUrl) {${sourceBytes.toString('utf8')}\n})`;
  setFlagsFromString(RUN_FLAGS);
  let script: Script;
  if (cachedData) {
    setFlagsFromString(`--hash-seed=${CACHE_HASH_SEED}`);
    try {
      script = new Script(wrapped, { filename: path, cachedData });
    } finally {
      setFlagsFromString('--hash-seed=0');
    }
  } else {
    script = new Script(wrapped, { filename: path });
  }
  const module = { exports: {} as CliEntry };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper.call(module.exports, module.exports, createRequire(path), module, path, dirname(path), moduleUrl);
  return { entry: module.exports, script, cacheUsed: cachedData !== undefined && !script.cachedDataRejected };
}

/** The command's cached entry, when the build made it with its cache and it is not older than
 * `notBefore` (ms, the modules' time: a `tsc` build alone leaves an older one behind); undefined
 * otherwise, and then the bundle runs. */
export function loadCachedEntry(command: string, moduleUrl: string, notBefore: number): CliEntry | undefined {
  const entry = statSync(new URL(entryFile(command), CODE_CACHE_DIR), { throwIfNoEntry: false });
  if (!entry || entry.mtimeMs < notBefore) return undefined;
  let cacheBytes: Buffer;
  try {
    cacheBytes = readFileSync(new URL(cacheFile(command), CODE_CACHE_DIR));
  } catch {
    return undefined;
  }
  return loadEntry(CODE_CACHE_DIR, moduleUrl, cacheBytes, command).entry;
}
