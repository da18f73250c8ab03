// `plumb diff`: two folders and `--git` on a temporary repository with two commits; the text,
// JSON and markdown reports; --fail-on; errors in either side (exit 1) and bad usage (exit 2).
// Real compiler and Z3 (one pool for the file), real git.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { renderDiffMarkdown } from '../../cli/report/diff-markdown.js';
import { diffIntents } from '../../pipeline/diff.js';
import { SolverPool, withSolverPool } from '../../verifier/index.js';

const dir = mkdtempSync(join(tmpdir(), 'plumb-diff-cli-'));
const pool = new SolverPool(2);
beforeAll(() => pool.start());
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

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
group clients = a
policy {
  allow clients -> b : https
}
assert reach a -> b : https
assert isolate a -> b : ssh
`;
const OPENED = INTENT.replace('allow clients -> b : https', 'allow clients -> b : https, ssh');
const RENAMED = INTENT.replace('group clients = a', 'group users = a').replace(
  'allow clients ->',
  'allow users ->',
);

async function plumb(args: string[], cwd = dir): Promise<{ code: number; out: string; err: string }> {
  const io: CliIo & { out: string; err: string } = {
    out: '',
    err: '',
    stdout: (s) => void (io.out += s),
    stderr: (s) => void (io.err += s),
    isTTY: false,
    cwd,
    env: {},
  };
  const code = await withSolverPool(pool, () => run(['diff', ...args], io));
  return { code, out: io.out, err: io.err };
}

function folder(name: string, text: string): string {
  mkdirSync(join(dir, name), { recursive: true });
  writeFileSync(join(dir, name, 't.plumb'), text);
  return name;
}

describe('plumb diff OLD NEW', () => {
  beforeAll(() => {
    folder('old', INTENT);
    folder('new', OPENED);
    folder('renamed', RENAMED);
    folder('broken', INTENT.replace('allow clients -> b', 'allow nobody -> b'));
  });

  it('reports the opened port with its example, the rule and the refuted assertion', async () => {
    const r = await plumb(['old', 'new']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('flows: 1 newly allowed, 0 lost (6 ordered pairs of endpoints and devices compared)');
    expect(r.out).toContain('  + a -> b  tcp 22  (IPv4)');
    expect(r.out).toContain('      example: tcp 10.1.0.2:49152 -> 10.2.0.2:22 [syn]');
    expect(r.out).toMatch(/admitted by: allow clients -> b : https, ssh \(t\.plumb:13\) at s\.r1 /);
    expect(r.out).toContain('REFUTED  assert isolate a -> b : ssh  (was proven)  t.plumb:16');
    expect(r.out).toContain('routes: no change');
    expect(r.out).toMatch(/configs: \d+ file\(s\) changed/);
    expect(r.out).toMatch(/^\+.*22/m);
    // docs/cli.md shows this very report.
    const doc = readFileSync(new URL('../../docs/cli.md', import.meta.url), 'utf8');
    const shown = doc.slice(doc.indexOf('  ```\n  flows: 1 newly allowed') + 6, doc.indexOf('\n  ```', doc.indexOf('  flows: 1 newly allowed')));
    expect(shown).toContain('admitted by: ');
    expect(r.out).toContain(shown.replace(/^ {2}/gm, ''));
  });

  it('says a refactor changes no reachability', async () => {
    const r = await plumb(['old', 'renamed', '--fail-on', 'new-flows']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('flows: no change in reachability');
    expect(r.out).toContain('assertions: no verdict changed');
  });

  it('fails on what --fail-on names', async () => {
    expect((await plumb(['old', 'new', '--fail-on', 'new-flows'])).code).toBe(1);
    expect((await plumb(['old', 'new', '--fail-on', 'lost-flows'])).code).toBe(0);
    expect((await plumb(['new', 'old', '--fail-on', 'lost-flows'])).code).toBe(1);
    expect((await plumb(['old', 'renamed', '--fail-on', 'any-change'])).code).toBe(1); // the configs' comments change
  });

  it('writes JSON and markdown', async () => {
    const json = JSON.parse((await plumb(['old', 'new', '--format', 'json'])).out) as {
      version: number;
      flows: { changes: unknown[] };
    };
    expect(json.version).toBe(1);
    expect(json.flows.changes).toEqual([
      expect.objectContaining({
        change: 'allowed',
        source: 'a',
        destination: 'b',
        protocol: 'tcp',
        ranges: [[22, 22]],
      }),
    ]);
    const md = (await plumb(['old', 'new', '--format', 'markdown'])).out;
    expect(md.startsWith('### plumb diff: ` old ` → ` new `\n\n| | changes |')).toBe(true);
    expect(md).toContain('| newly allowed flows | 1 |');
    expect(md).toContain('| ➕ allowed | a | b | tcp 22 \\(IPv4\\) | t.plumb:13 |');
    expect(md).toMatch(/<details><summary>s\/r1\/nftables\.conf \(changed, \+\d+ −\d+\)<\/summary>/);
  });

  it('keeps markdown under its size, saying what it left out', async () => {
    const result = await withSolverPool(pool, () =>
      diffIntents(
        { label: 'old', sources: [{ path: 't.plumb', text: INTENT }] },
        { label: 'new', sources: [{ path: 't.plumb', text: OPENED }] },
      ),
    );
    if (!result.ok) throw new Error('errors');
    const md = renderDiffMarkdown(result.report, { old: 'old', new: 'new' }, 2_000);
    expect(md.length).toBeLessThan(2_000);
    expect(md).toMatch(/_\d+ more section\(s\) not shown: the comment would pass 2000 characters/);
    expect(md).toContain('| newly allowed flows | 1 |');
  });

  it('stops on errors in either side with exit 1', async () => {
    const r = await plumb(['old', 'broken']);
    expect(r.code).toBe(1);
    expect(r.out).toContain('errors in NEW (broken):');
    expect(r.out).toContain('nobody');
    expect(r.out).not.toContain('errors in OLD');
  });

  it('rejects bad usage with exit 2', async () => {
    expect((await plumb(['old'])).code).toBe(2);
    expect((await plumb(['old', 'new', '--format', 'sarif'])).code).toBe(2);
    const bad = await plumb(['old', 'new', '--fail-on', 'everything']);
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('unknown --fail-on `everything`');
  });
});

describe('plumb diff --git', () => {
  const repo = join(dir, 'repo');
  const git = (...args: string[]): string => execFileSync('git', args, { cwd: repo, encoding: 'utf8' });
  beforeAll(() => {
    mkdirSync(join(repo, 'net'), { recursive: true });
    git('init', '-q', '-b', 'main');
    git('config', 'user.email', 'ci@example.com');
    git('config', 'user.name', 'CI');
    writeFileSync(join(repo, 'net', 't.plumb'), INTENT);
    writeFileSync(join(repo, 'README'), 'not an intent\n');
    git('add', '.');
    git('commit', '-q', '-m', 'first');
    writeFileSync(join(repo, 'net', 't.plumb'), OPENED);
    git('commit', '-q', '-am', 'open ssh');
    // The working tree takes the port back.
    writeFileSync(join(repo, 'net', 't.plumb'), INTENT);
  });

  it('compares two commits', async () => {
    const r = await plumb(['--git', 'HEAD~1', 'HEAD'], repo);
    expect(r.code).toBe(0);
    expect(r.out).toContain('plumb diff HEAD~1 -> HEAD');
    expect(r.out).toContain('  + a -> b  tcp 22  (IPv4)');
    expect(r.out).toContain('(net/t.plumb:13)');
  });

  it('compares a commit with the working tree, and only the paths after --', async () => {
    const r = await plumb(['--git', 'HEAD', '--fail-on', 'lost-flows', '--', 'net'], repo);
    expect(r.out).toContain('plumb diff HEAD -> working tree');
    expect(r.out).toContain('  - a -> b  tcp 22  (IPv4)');
    expect(r.code).toBe(1);
    const inside = await plumb(['--git', 'HEAD~1', 'HEAD'], join(repo, 'net'));
    expect(inside.out).toContain('(t.plumb:13)');
  });

  it('rejects an unknown revision and a path without intent files with exit 2', async () => {
    const unknown = await plumb(['--git', 'no-such-branch'], repo);
    expect(unknown.code).toBe(2);
    expect(unknown.err).toContain('unknown git revision `no-such-branch`');
    const option = await plumb(['--git', '--upload-pack=x'], repo);
    expect(option.code).toBe(2);
    const empty = await plumb(['--git', 'HEAD', '--', 'docs'], repo);
    expect(empty.code).toBe(2);
    expect(empty.err).toContain('no .plumb file at HEAD under docs');
  });
});

describe('plumb diff: who reaches the devices', () => {
  it('lists a manage line that opens SSH to the devices as newly allowed flows to them', async () => {
    const managed = `${INTENT}segment noc 10.9.0.0/24 at s.r1\nmanage from noc : ssh\n`;
    folder('managed', managed);
    folder('managed-more', managed.replace('manage from noc : ssh', 'manage from noc, a : ssh'));
    const r = await plumb(['managed', 'managed-more']);
    expect(r.code).toBe(0);
    expect(r.out).not.toContain('no change in reachability');
    expect(r.out).toMatch(/^ {2}\+ a -> s\.r1 {2}tcp 22 {2}\(IPv4\)$/m);
    expect(r.out).toMatch(/^ {2}\+ a -> s\.r2 {2}tcp 22 {2}\(IPv4\)$/m);
    expect(r.out).toMatch(/before: dropped at s\.r1 local filter local: no rule matched: default deny/);
  });
});
