// The young generation's growth factor (YOUNG_GROWTH_FLAG, cli/code-cache.ts): `plumb check` and
// `plumb compile -o` through the built CLI set it once V8 has taken their entry's saved code, not
// before (V8 refuses a code cache under other flags), and a large intent's re-executed run, which
// has a semi-space size of its own (cli/young-generation.ts), does not set it.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { YOUNG_GROWTH_FLAG } from '../../cli/code-cache.js';

const ROOT = join(import.meta.dirname, '..', '..');
const ACME = join(ROOT, 'examples', 'acme');
const work = mkdtempSync(join(tmpdir(), 'plumb-young-growth-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

interface FlagRun {
  /** Every setFlagsFromString of the run, in order. */
  flags: string[];
  /** The scripts compiled with saved code: how many flag settings came before, and whether V8 refused the code. */
  cached: { after: number; rejected: boolean }[];
  /** The young generation's size when the run ended, bytes. */
  newSpace: number;
}

/** Runs the built CLI with `argv` in `cwd`, recording the flags it sets and the code caches it reads. */
function flagRun(argv: readonly string[], cwd: string, env: Record<string, string> = {}): FlagRun {
  const out = join(work, `run-${Math.random().toString(36).slice(2)}.json`);
  const hook = join(work, 'hook.cjs');
  writeFileSync(
    hook,
    `const v8 = require('node:v8');
     const vm = require('node:vm');
     const set = v8.setFlagsFromString;
     const flags = [];
     const cached = [];
     v8.setFlagsFromString = (f) => { flags.push(f); return set(f); };
     const Script = vm.Script;
     vm.Script = class extends Script {
       constructor(code, options) {
         super(code, options);
         if (options && options.cachedData) cached.push({ after: flags.length, rejected: this.cachedDataRejected });
       }
     };
     process.on('exit', () => {
       const newSpace = v8.getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size;
       require('node:fs').writeFileSync(process.env.FLAG_RUN_OUT, JSON.stringify({ flags, cached, newSpace }));
     });`,
  );
  const cli = spawnSync(process.execPath, ['-r', hook, join(ROOT, 'dist', 'cli', 'main.js'), ...argv], {
    cwd,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, FLAG_RUN_OUT: out, ...env },
  });
  expect(cli.status, cli.stderr).toBe(0);
  return JSON.parse(readFileSync(out, 'utf8')) as FlagRun;
}

/** A copy of acme's intent and lock (`compile -o` may write the lock). */
function acmeCopy(name: string): string {
  const copy = join(work, name);
  mkdirSync(copy);
  for (const file of readdirSync(ACME)) if (/\.plumb$|^plumb\.lock$/.test(file)) cpSync(join(ACME, file), join(copy, file));
  return copy;
}

describe('the young generation’s growth factor', () => {
  it('is set by `compile -o` and `check` after V8 has taken the entry’s saved code', () => {
    for (const [argv, cwd] of [
      [['compile', '.', '-o', 'out'], acmeCopy('compile')],
      [['check', ACME], work],
    ] as const) {
      const run = flagRun(argv, cwd);
      expect(run.cached, argv[0]).toStrictEqual([{ after: expect.any(Number) as number, rejected: false }]);
      const at = run.flags.indexOf(YOUNG_GROWTH_FLAG);
      expect(at, argv[0]).toBeGreaterThanOrEqual(run.cached[0]!.after);
      expect(run.flags.filter((f) => f === YOUNG_GROWTH_FLAG), argv[0]).toHaveLength(1);
    }
  }, 300_000);

  it('grows the young generation to V8’s largest semi-space on a run that allocates (a 300-rule policy)', () => {
    const dir = join(work, 'acl');
    mkdirSync(dir);
    const segments = Array.from({ length: 20 }, (_, i) => `segment net${i} 10.0.${i}.0/24 at s0.d0 vlan ${100 + i}`);
    const services = Array.from({ length: 15 }, (_, i) => `service svc${i} = tcp ${8000 + i}`);
    // every segment to the 15 segments after it, one service each: 300 distinct rules
    const rules = Array.from({ length: 300 }, (_, i) => `  allow net${i % 20} -> net${(i % 20 + 1 + Math.floor(i / 20)) % 20} : svc${Math.floor(i / 20)}`);
    writeFileSync(
      join(dir, 'acl.plumb'),
      ['network acl300 "growth test"', 'pool infra 100.64.0.0/10', 'site s0 {', '  router d0 linux', '}', ...segments, ...services, 'policy p0 {', ...rules, '}', ''].join('\n'),
    );
    const grown = flagRun(['compile', '.', '-o', 'out'], dir);
    expect(grown.flags).toContain(YOUNG_GROWTH_FLAG);
    // 16 MiB semi-spaces: V8's default growth (2-fold) would still be at 4 or 8 MiB here
    expect(grown.newSpace).toBeGreaterThanOrEqual(16 * 1024 * 1024);
  }, 300_000);

  it('is not set by a re-executed run, which keeps the growth of its own semi-space size', () => {
    const run = flagRun(['compile', '.', '-o', 'out'], acmeCopy('re-executed'), { PLUMB_SEMI_SPACE_PARENT: String(process.pid) });
    expect(run.cached).toHaveLength(1);
    expect(run.flags).not.toContain(YOUNG_GROWTH_FLAG);
  }, 300_000);
});
