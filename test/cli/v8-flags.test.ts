// The flags each command runs under (cli/v8-flags.ts): short commands raise V8's tier-up budget,
// the language server keeps V8's own, and every command keeps the heap's growth bound. The
// built-ins `check` and `compile` need are loaded before the flags are set (V8 refuses Node's
// compiled code of a built-in under other flags).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RUN_FLAGS, builtinsFirst, flagsFor } from '../../cli/v8-flags.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ACME = join(ROOT, 'examples', 'acme');
const work = mkdtempSync(join(tmpdir(), 'plumb-v8-flags-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the V8 flags of a command', () => {
  it('raises the tier-up budget for the commands that end (their code caches are made under it)', () => {
    for (const command of ['check', 'compile', 'verify', 'fmt', undefined]) expect(flagsFor(command)).toBe(RUN_FLAGS);
    expect(RUN_FLAGS).toMatch(/--interrupt-budget=\d+/);
  });

  it('keeps V8’s tier-up budget for the language server, and the heap bound for everyone', () => {
    expect(flagsFor('lsp')).not.toMatch(/interrupt-budget/);
    for (const command of ['lsp', 'compile']) expect(flagsFor(command)).toMatch(/--heap-growing-percent=50/);
  });
});

/** The public built-in modules `plumb argv` (the built CLI) loads after it sets V8's flags. */
function builtinsAfterFlags(argv: readonly string[], cwd: string): string[] {
  const out = join(work, 'loaded.json');
  const hook = join(work, 'hook.cjs');
  writeFileSync(
    hook,
    `const v8 = require('node:v8');
     const set = v8.setFlagsFromString;
     let at;
     v8.setFlagsFromString = (flags) => { at ??= process.moduleLoadList.length; return set(flags); };
     process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.moduleLoadList.slice(at))));`,
  );
  const cli = spawnSync(process.execPath, ['-r', hook, join(ROOT, 'dist', 'cli', 'main.js'), ...argv], { cwd, encoding: 'utf8', timeout: 120_000 });
  expect(cli.status, cli.stderr).toBe(0);
  const loaded = JSON.parse(readFileSync(out, 'utf8')) as string[];
  // `process` is Node's process object as a module: nothing to compile.
  return loaded.map((m) => /^NativeModule (?!internal\/)(.+)$/.exec(m)?.[1]).filter((m): m is string => m !== undefined && m !== 'process');
}

describe('the built-ins loaded before the flags', () => {
  it('are every public built-in `check` and `compile -o` load (none is compiled without Node’s code for it)', () => {
    expect(builtinsAfterFlags(['check', ACME], work)).toStrictEqual([]);
    // A copy of acme's intent and lock (`compile -o` may write the lock).
    const copy = join(work, 'acme');
    mkdirSync(copy);
    for (const file of readdirSync(ACME)) if (/\.plumb$|^plumb\.lock$/.test(file)) cpSync(join(ACME, file), join(copy, file));
    expect(builtinsAfterFlags(['compile', '.', '-o', 'out'], copy)).toStrictEqual([]);
  }, 300_000);

  it('are listed for the commands that start most often only', () => {
    expect(builtinsFirst('compile')?.modules).toContain('node:crypto');
    for (const command of ['lsp', 'verify', 'constructor', '__proto__', undefined]) expect(builtinsFirst(command)).toBeUndefined();
  });
});
