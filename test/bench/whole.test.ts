// `npm run bench -- --quick`: the whole-process benchmarks at their smallest sizes, as a smoke
// test of the bench itself (the built CLI in fresh processes, Capirca beside it when installed,
// the language server over stdio). Ceilings are not enforced in this mode (the machine running
// the tests is busy with them); every command must succeed and every table must be printed.

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { aclgenArguments, writeCapircaPolicy } from '../../bench/capirca.js';
import { ACL_PLATFORMS, aclIntentText, generateAclPolicy } from '../../bench/generate.js';
import { which } from '../../bench/process.js';
import { analyze } from '../../language/analyze.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, ROOT } from '../lsp/harness.js';

/** Runs a command (Node by default) without blocking the test worker (vitest's own messages need its event loop). */
function runAsync(args: string[], timeoutMs: number, command = process.execPath): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, timeout: timeoutMs });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

describe('npm run bench -- --quick', () => {
  beforeAll(ensureBuilt, BUILD_TIMEOUT_MS);

  it('prints the start-up, whole-process, Capirca and language server tables and exits 0', async () => {
    const run = await runAsync([join(ROOT, 'dist/bench/run.js'), '--quick'], 170_000);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const out = run.stdout;
    for (const suite of ['startup', 'networks', 'acl', 'lsp']) expect(out).toContain(`## ${suite}:`);
    expect(out).toMatch(/^plumb --version\s+\d+\.\d\d\s+\d+\.\d\d\s+\d+\s/m);
    expect(out).toMatch(/^plumb compile -o\s+10\s+\d+\.\d\d/m);
    expect(out).toMatch(/^plumb verify\s+10\s+\d+\.\d\d/m);
    expect(out).toMatch(/machine: \d+ cores, load average [\d.]+ [\d.]+ [\d.]+/);
    if (which('aclgen')) expect(out).toMatch(/nftables\)\s+500\s+[\d.]+\s+[\d.]+\s+\d+\s+[\d.]+\s+\d+\s+[\d.]+x/);
    else expect(out).toContain('aclgen (Capirca) is NOT installed');
  }, 180_000);

  it('refuses an unknown suite', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/bench/run.js'), 'nosuch'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/unknown suite nosuch; suites: startup, networks, acl, lsp/);
  });
});

describe('the ACL policy given to Plumb and to Capirca', () => {
  it.each(ACL_PLATFORMS)('is a clean intent of exactly the rules asked for, on %s', (platform) => {
    const policy = generateAclPolicy(platform, 300, 3);
    const a = analyze([{ path: 'acl.plumb', text: aclIntentText(policy) }]);
    expect(a.diagnostics).toEqual([]);
    expect(a.intent!.rules).toHaveLength(300);
    expect(a.intent!.devices.map((d) => d.platform)).toEqual([platform]);
    expect(aclIntentText(generateAclPolicy(platform, 300, 3))).toBe(aclIntentText(policy));
  });

  it('never allows what it denies, and names every rule once', () => {
    const policy = generateAclPolicy(ACL_PLATFORMS[0], 2000, 1);
    const denied = new Set(policy.rules.filter((r) => r.action === 'deny').map((r) => `${r.src}|${r.dst}`));
    expect(denied.size).toBeGreaterThan(50);
    expect(policy.rules.filter((r) => r.action === 'allow' && denied.has(`${r.src}|${r.dst}`))).toEqual([]);
    expect(new Set(policy.rules.map((r) => `${r.src}|${r.dst}|${r.service}`)).size).toBe(policy.rules.length);
  });

  it.runIf(which('aclgen'))('renders with aclgen for every platform: a term per rule, denies first', async () => {
    // The three platforms' aclgen runs at once: each has a folder of its own, and the test
    // otherwise waits for one Python process after another.
    await Promise.all(
      ACL_PLATFORMS.map(async (platform) => {
        const dir = mkdtempSync(join(tmpdir(), 'plumb-capirca-'));
        try {
          const policy = generateAclPolicy(platform, 120, 2);
          const file = writeCapircaPolicy(policy, dir);
          const text = readFileSync(file, 'utf8');
          expect(text.match(/^term /gm)).toHaveLength(120);
          for (const filter of text.split('header {').slice(1)) {
            expect(filter.indexOf('action:: accept')).toBeGreaterThan(filter.lastIndexOf('action:: deny'));
          }
          const run = await runAsync(aclgenArguments(dir), 60_000, which('aclgen')!);
          expect(run.status, run.stderr).toBe(0);
          expect(readdirSync(join(dir, 'out'))).toHaveLength(1);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }),
    );
  }, 60_000);
});
