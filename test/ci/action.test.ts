// The composite action (action.yml) run as the runner would run it, on a temporary git
// repository with a base branch and a pull request's commit, without the network: its `run`
// steps in order with their `env` and `if` evaluated, GITHUB_OUTPUT/GITHUB_ENV/
// GITHUB_STEP_SUMMARY as files. The steps that need the network are not run but their
// conditions are checked: setup-node and upload-sarif (`uses:`), and `npm ci` (Plumb is put on
// PLUMB as the install step would). Needs python3-yaml (Debian) to read the YAML, read once with the
// system's Python (emulator/python.ts).

import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { PYTHON } from '../../emulator/python.js';

const ROOT = join(import.meta.dirname, '../..');
const CLI = join(ROOT, 'dist/cli/main.js');
const haveYaml = spawnSync(PYTHON, ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0;
const skip = !haveYaml && !process.env.CI;
if (skip) console.warn('\n*** SKIPPING the action test: python3-yaml is missing. CI runs it. ***\n');

interface Step {
  name: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Action {
  inputs: Record<string, { default?: string }>;
  runs: { using: string; steps: Step[] };
}

let parsed: string | undefined;
/** action.yml as the runner reads it: parsed once, a fresh copy for every run. */
const action = (): Action => {
  parsed ??= execFileSync(PYTHON, ['-c', 'import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))', join(ROOT, 'action.yml')], { encoding: 'utf8' });
  return JSON.parse(parsed) as Action;
};

/** The expression language of the action's `${{ }}`, as much of it as action.yml uses. */
function evaluate(expr: string, ctx: Record<string, string>): string | boolean {
  const tokens = expr.match(/'[^']*'|\|\||&&|==|!=|[()]|always\(\)|[A-Za-z_][A-Za-z0-9_.-]*/g) ?? [];
  let i = 0;
  const truthy = (v: string | boolean): boolean => v !== '' && v !== false;
  const primary = (): string | boolean => {
    const t = tokens[i++]!;
    if (t === '(') {
      const v = or();
      i++; // ')'
      return v;
    }
    if (t === 'always()') return true;
    if (t.startsWith("'")) return t.slice(1, -1);
    return ctx[t] ?? '';
  };
  const compare = (): string | boolean => {
    const a = primary();
    if (tokens[i] === '==' || tokens[i] === '!=') {
      const op = tokens[i++];
      const b = primary();
      return op === '==' ? a === b : a !== b;
    }
    return a;
  };
  const and = (): string | boolean => {
    let v = compare();
    while (tokens[i] === '&&') {
      i++;
      const w = compare();
      v = truthy(v) ? w : v;
    }
    return v;
  };
  const or = (): string | boolean => {
    let v = and();
    while (tokens[i] === '||') {
      i++;
      const w = and();
      v = truthy(v) ? v : w;
    }
    return v;
  };
  return or();
}

const substitute = (text: string, ctx: Record<string, string>): string => text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => String(evaluate(e.trim(), ctx)));
const condition = (text: string | undefined, ctx: Record<string, string>): boolean => {
  if (text === undefined) return true;
  const inner = /^\$\{\{(.*)\}\}$/s.exec(text.trim());
  const v = evaluate((inner ? inner[1]! : text).trim(), ctx);
  return v !== '' && v !== false;
};

interface Run {
  ran: string[];
  skipped: string[];
  wouldUse: string[];
  exit: number;
  summary: string;
  repo: string;
}

/** A step's script run by bash -e, without blocking the worker: the runs of the tests overlap. */
function runStep(script: string, cwd: string, env: Record<string, string>): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', ['-e', '-c', script], { cwd, env, timeout: 240_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => void (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => void (stderr += d.toString('utf8')));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

async function runAction(repo: string, inputs: Record<string, string>, github: Record<string, string>): Promise<Run> {
  const a = action();
  const runner = mkdtempSync(join(tmpdir(), 'plumb-runner-'));
  const files = { GITHUB_OUTPUT: join(runner, 'output'), GITHUB_ENV: join(runner, 'env'), GITHUB_STEP_SUMMARY: join(runner, 'summary') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const ctx: Record<string, string> = { 'github.action_path': ROOT, 'github.token': 'none', ...github };
  for (const [name, input] of Object.entries(a.inputs)) ctx[`inputs.${name}`] = inputs[name] ?? input.default ?? '';
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: runner, ...files };
  const out: Run = { ran: [], skipped: [], wouldUse: [], exit: 0, summary: '', repo };
  for (const step of a.runs.steps) {
    if (!condition(step.if, ctx)) {
      out.skipped.push(step.name);
      continue;
    }
    if (step.uses) {
      out.wouldUse.push(step.uses);
      continue;
    }
    if (step.name === 'Install Plumb') {
      // `npm ci` needs the registry: put Plumb where the step would.
      expect(step.run).toContain('npm ci --prefix "$PLUMB_ACTION_PATH"');
      env.PLUMB = CLI;
      out.ran.push(step.name);
      continue;
    }
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, substitute(String(v), ctx)]));
    writeFileSync(files.GITHUB_OUTPUT, '');
    const r = await runStep(step.run!, repo, { ...env, ...stepEnv });
    out.ran.push(step.name);
    for (const line of readFileSync(files.GITHUB_OUTPUT, 'utf8').split('\n')) {
      const m = /^([^=]+)=(.*)$/.exec(line);
      if (m && step.id) ctx[`steps.${step.id}.outputs.${m[1]}`] = m[2]!;
    }
    if (r.status !== 0) {
      out.exit = r.status ?? 1;
      if (step.name !== 'Result') throw new Error(`step ${step.name} failed (${r.status}): ${r.stderr}${r.stdout}`);
    }
  }
  out.summary = readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8');
  rmSync(runner, { recursive: true, force: true });
  return out;
}

const INTENT = `network t
routing static
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 cisco-iosxe
  link r1 -- r2
}
segment a 10.1.0.0/24 at s.r1
segment b 10.2.0.0/24 at s.r2
policy {
  allow a -> b : https
}
assert reach a -> b : https
`;

const repos: string[] = [];
afterAll(() => {
  for (const r of repos) rmSync(r, { recursive: true, force: true });
});

/** A repository whose main branch has the intent in net/, and a pull request's commit on top. */
function repository(change: (text: string) => string, lock?: { base?: string; change?: string }): string {
  const repo = mkdtempSync(join(tmpdir(), 'plumb-action-'));
  repos.push(repo);
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8', env: { ...process.env, GIT_CONFIG_GLOBAL: '/dev/null', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.org', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.org' } });
  git('init', '-q', '-b', 'main');
  mkdirSync(join(repo, 'net'));
  writeFileSync(join(repo, 'net/t.plumb'), INTENT);
  if (lock?.base !== undefined) writeFileSync(join(repo, 'net/plumb.lock'), lock.base);
  git('add', '.');
  git('commit', '-q', '-m', 'base');
  git('checkout', '-q', '-b', 'change');
  writeFileSync(join(repo, 'net/t.plumb'), change(INTENT));
  if (lock?.change !== undefined) writeFileSync(join(repo, 'net/plumb.lock'), lock.change);
  git('commit', '-q', '--allow-empty', '-am', 'change');
  return repo;
}

/**
 * A test's time for each run of the action: its steps are CLI processes (verify with Z3, lock
 * --check, diff), a few seconds each alone and up to a minute each on a machine at load 20-35,
 * where vitest's 60 s failed both the action's runs and the lock test's three.
 */
const RUN_TIMEOUT = 240_000;

const PULL_REQUEST = { 'github.event_name': 'pull_request', 'github.base_ref': 'main', 'github.event.pull_request.number': '7' };

// The four tests run at once (each in repositories and runner folders of its own): their steps
// are processes, one after another within a run, and a test otherwise leaves the second core idle.
describe.skipIf(skip).concurrent('the GitHub action, run as a script', () => {
  it('on a pull request that opens a port: proves, writes SARIF and JUnit, and puts the new flow in the job summary', async () => {
    const repo = repository((t) => t.replace('allow a -> b : https', 'allow a -> b : https\n  allow a -> b : ssh'));
    const r = await runAction(repo, { path: 'net' }, PULL_REQUEST);
    expect(r.ran).toEqual(['Install Plumb', 'Verify', 'Check the address lock', 'Diff against the base', 'Result']);
    expect(r.wouldUse).toEqual(['actions/setup-node@v4', 'github/codeql-action/upload-sarif@v3']);
    expect(r.skipped).toEqual(['Comment on the pull request']);
    expect(r.exit).toBe(0);
    expect(JSON.parse(readFileSync(join(repo, 'plumb.sarif'), 'utf8')).version).toBe('2.1.0');
    expect(existsSync(join(repo, 'plumb-junit.xml'))).toBe(true);
    expect(r.summary).toContain('a -> b');
    expect(r.summary).toMatch(/tcp 22|ssh/);
  }, RUN_TIMEOUT);

  it('fails the job on a refuted assertion, after writing every report; fail-on fails it on a new flow', async () => {
    const repo = repository((t) => `${t.replace('allow a -> b : https', 'allow a -> b : https\n  allow a -> b : ssh')}assert isolate a -> b : ssh\n`);
    const r = await runAction(repo, { path: 'net', 'fail-on': 'new-flows', 'upload-sarif': 'false' }, PULL_REQUEST);
    expect(r.exit).toBe(1);
    expect(r.wouldUse).toEqual(['actions/setup-node@v4']);
    const sarif = JSON.parse(readFileSync(join(repo, 'plumb.sarif'), 'utf8'));
    expect(sarif.runs[0].results.map((x: { ruleId: string }) => x.ruleId)).toContain('assertion-refuted');
    expect(sarif.runs[0].results[0].locations[0].physicalLocation.artifactLocation.uri).toBe('net/t.plumb');
  }, RUN_TIMEOUT);

  it('outside a pull request, without a base: verifies only', async () => {
    const repo = repository((t) => t);
    const r = await runAction(repo, { path: 'net' }, { 'github.event_name': 'push' });
    expect(r.ran).toEqual(['Install Plumb', 'Verify', 'Check the address lock', 'Result']);
    expect(r.exit).toBe(0);
    expect(r.summary).toBe('');
  }, RUN_TIMEOUT);

  it('fails the job when the plumb.lock of a folder is stale, and passes with the lock plumb lock writes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-lock-'));
    repos.push(dir);
    writeFileSync(join(dir, 't.plumb'), INTENT);
    execFileSync('node', [CLI, 'lock', dir], { encoding: 'utf8' });
    const fresh = readFileSync(join(dir, 'plumb.lock'), 'utf8');
    // The pull request adds a router and a link, and commits the lock of the base unchanged.
    const grow = (t: string): string => t.replace('  link r1 -- r2\n', '  router r3 frr\n  link r1 -- r2\n  link r2 -- r3\n');
    // The three runs are independent (each a repository of its own): they run at once.
    const grown = (async () => {
      writeFileSync(join(dir, 't.plumb'), grow(INTENT));
      execFileSync('node', [CLI, 'lock', dir], { encoding: 'utf8' });
      const updated = readFileSync(join(dir, 'plumb.lock'), 'utf8');
      return { updated, ok: await runAction(repository(grow, { base: fresh, change: updated }), { path: 'net' }, { 'github.event_name': 'push' }) };
    })();
    const [stale, { updated, ok }, unchecked] = await Promise.all([
      runAction(repository(grow, { base: fresh, change: fresh }), { path: 'net' }, { 'github.event_name': 'push' }),
      grown,
      runAction(repository(grow, { base: fresh, change: fresh }), { path: 'net', 'check-lock': 'false' }, { 'github.event_name': 'push' }),
    ]);
    expect(stale.ran).toEqual(['Install Plumb', 'Verify', 'Check the address lock', 'Result']);
    expect(stale.exit).toBe(1);
    expect(updated).not.toBe(fresh);
    expect(ok.exit).toBe(0);
    expect(unchecked.skipped).toContain('Check the address lock');
    expect(unchecked.exit).toBe(0);
  }, 3 * RUN_TIMEOUT);
});
