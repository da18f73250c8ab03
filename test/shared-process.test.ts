// The suite runs most files in one shared process (vitest.config.ts: the `shared` project, the
// threads pool with isolation off), the rest in a process each (the labs, test/emulator, and
// OWN_PROCESS). A file of the shared set must not change or read what outlives it there: the
// scan below fails when one does (in its own code or in a test helper it imports) without being
// listed in OWN_PROCESS. test/shared-process-guard.ts checks the same at run time.

import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sharedSetViolations, stateUsesOf } from './architecture/process-state.js';
import { processState } from './process-state-snapshot.js';

const ROOT = join(import.meta.dirname, '..');
const CONFIG = readFileSync(join(ROOT, 'vitest.config.ts'), 'utf8');

/** The test files a text names (as test/suite-order.test.ts reads the configuration). */
function namedTestFiles(text: string): string[] {
  return [...text.matchAll(/'(test\/[^'*]+\.test\.ts)'/g)].map((m) => m[1]!);
}

/** The test files named in one `const NAME = [...]` list of the configuration's text. */
export function listedFiles(configText: string, name: string): string[] {
  const start = configText.indexOf(`const ${name} = [`);
  if (start < 0) throw new Error(`vitest.config.ts has no list ${name}`);
  return namedTestFiles(configText.slice(start, configText.indexOf('];', start)));
}

/** Files that keep their own process: the labs, OWN_PROCESS, and every file under test/emulator/. */
export function ownProcess(configText: string): (file: string) => boolean {
  const listed = new Set([...listedFiles(configText, 'LABS'), ...listedFiles(configText, 'OWN_PROCESS')]);
  return (file) => listed.has(file) || file.startsWith('test/emulator/');
}

describe('the shared set of vitest.config.ts', () => {
  const testTree = execFileSync('git', ['ls-files', 'test'], { cwd: ROOT, encoding: 'utf8' })
    .split('\n')
    .filter((f) => f.endsWith('.ts'));
  const files = new Map(testTree.map((f) => [f, readFileSync(join(ROOT, f), 'utf8')]));
  const isOwn = ownProcess(CONFIG);
  const shared = testTree.filter((f) => f.endsWith('.test.ts') && !f.endsWith('.fuzz.test.ts') && !isOwn(f));

  it('holds most of the suite, and the configuration runs it as the scan reads it', () => {
    expect(shared.length).toBeGreaterThan(200);
    expect(CONFIG).toContain("setupFiles: ['test/shared-process-guard.ts']");
    expect(CONFIG).toContain('threads: { isolate: false');
    expect(CONFIG).toContain("const EMULATOR = 'test/emulator/**';");
  });

  it('uses no state that outlives a file, in its code or its helpers, unless listed to keep its own process', () => {
    expect(sharedSetViolations(shared, files)).toEqual([]);
  }, 180_000);

  it('lists in OWN_PROCESS only test files that exist', () => {
    expect(listedFiles(CONFIG, 'OWN_PROCESS').filter((f) => !files.has(f))).toEqual([]);
  });
});

describe('the scan of outliving state', () => {
  const whats = (text: string): string[] => stateUsesOf('x.test.ts', text).map((u) => u.what);

  it('finds each kind of use in code', () => {
    expect(whats("process.chdir('/tmp');")).toEqual(['process.chdir']);
    expect(whats("process.on('exit', () => {});")).toEqual(['process.on']);
    expect(whats("process.env.PATH = '/x';")).toEqual(['process.env.PATH written']);
    expect(whats("process.env['LANG'] ??= 'C';")).toEqual(['process.env.LANG written']);
    expect(whats('delete process.env.HOME;')).toEqual(['process.env.HOME deleted']);
    expect(whats("Object.assign(process.env, { A: '1' });")).toEqual(['process.env written']);
    expect(whats('process.exitCode = 1;')).toEqual(['process.exitCode written']);
    expect(whats('(globalThis as any).x = 1;')).toEqual(['globalThis.x written']);
    expect(whats("import { setFlagsFromString } from 'node:v8';\nsetFlagsFromString('--expose-gc');")).toEqual(["V8's flags"]);
    expect(whats("vi.mock('../x.js');")).toEqual(['vi.mock (module registry)']);
    expect(whats("vi.stubEnv('A', '1');")).toEqual(['vi.stubEnv']);
    expect(whats('vi.useFakeTimers();')).toEqual(['vi.useFakeTimers']);
    expect(whats('const t = process.cpuUsage();')).toEqual(['process.cpuUsage (the whole process)']);
    expect(whats("import { keptThingCount } from '../x.js';\nexpect(keptThingCount()).toBe(0);")).toEqual(["keptThingCount (a module's kept entries)"]);
  });

  it("lets a module's kept count in only as a value of the counts given to keptCounts (test/kept-store.ts)", () => {
    expect(whats('const kept = keptCounts({ things: keptThingCount });\nexpect(kept.things()).toBe(0);')).toEqual([]);
    expect(whats('const kept = keptCounts({ keptThingCount });')).toEqual([]);
    expect(whats('const kept = keptCounts({ things: keptThingCount, n: () => keptOtherCount() });')).toEqual(["keptOtherCount (a module's kept entries)"]);
    expect(whats('const kept = otherCounts({ things: keptThingCount });')).toEqual(["keptThingCount (a module's kept entries)"]);
    expect(whats('const counts = { things: keptThingCount };\nkeptCounts(counts);')).toEqual(["keptThingCount (a module's kept entries)"]);
    expect(whats('emptyKeptStore(keptThingCount, add);')).toEqual(["keptThingCount (a module's kept entries)"]);
  });

  it('reads strings and comments as text, not code, and leaves reads and spies alone', () => {
    expect(whats("const hook = `process.on('exit', () => process.exit(1));`;")).toEqual([]);
    expect(whats("// process.chdir('/tmp')\nconst s = 'process.env.A = 1';")).toEqual([]);
    expect(whats("const env = { ...process.env, A: '1' };\nif (process.env.CI) {}")).toEqual([]);
    expect(whats("vi.spyOn(obj, 'read');")).toEqual([]);
  });

  it('follows a shared file into the test helpers it imports, and spares the files that keep their own process', () => {
    const files = new Map([
      ['test/a.test.ts', "import { cpuMs } from './cpu.js';\nimport { x } from '../backends/x.js';"],
      ['test/cpu.ts', 'export const cpuMs = () => process.cpuUsage().user;'],
      ['test/b.test.ts', "import { y } from './clean.js';"],
      ['test/clean.ts', 'export const y = 1;'],
    ]);
    const violations = sharedSetViolations(['test/a.test.ts', 'test/b.test.ts'], files);
    expect(violations.map((v) => [v.testFile, v.uses.map((u) => `${u.file}:${u.line} ${u.what}`)])).toEqual([
      ['test/a.test.ts', ['test/cpu.ts:1 process.cpuUsage (the whole process)']],
    ]);
    expect(sharedSetViolations(['test/b.test.ts'], files)).toEqual([]);
  });

  it('reads the lists from the configuration as written', () => {
    const text = "const LABS = [\n  'test/emulator/x.test.ts',\n];\nconst OWN_PROCESS = [\n  // why\n  'test/a/b.test.ts',\n];\n";
    expect(listedFiles(text, 'OWN_PROCESS')).toEqual(['test/a/b.test.ts']);
    const isOwn = ownProcess(text);
    expect(['test/a/b.test.ts', 'test/emulator/y.test.ts', 'test/a/c.test.ts'].map(isOwn)).toEqual([true, true, false]);
  });
});

describe("the shared set's run-time guard", () => {
  it('sees an environment variable, a listener and an exit code left behind', () => {
    const before = processState();
    process.env.PLUMB_GUARD_PLANTED = '1';
    const listener = (): void => {};
    process.on('warning', listener);
    try {
      expect(processState()).not.toEqual(before);
    } finally {
      delete process.env.PLUMB_GUARD_PLANTED;
      process.off('warning', listener);
    }
    expect(processState()).toEqual(before);
    process.exitCode = 3;
    try {
      expect(processState()).not.toEqual(before);
    } finally {
      process.exitCode = undefined;
    }
    expect(processState()).toEqual(before);
  });
});
