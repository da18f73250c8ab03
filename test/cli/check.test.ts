import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';

const dir = mkdtempSync(join(tmpdir(), 'plumb-check-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(opts: { isTTY?: boolean; env?: Record<string, string>; cwd?: string } = {}): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    stdout: (s: string) => void (captured.out += s),
    stderr: (s: string) => void (captured.err += s),
    isTTY: opts.isTTY ?? false,
    cwd: opts.cwd ?? dir,
    env: opts.env ?? {},
  };
  return captured;
}

const CLEAN = 'pool infra 10.255.0.0/16\nsite s1 {\n  router r1 frr\n}\nsegment web 10.0.1.0/24 at s1.r1\n';
writeFileSync(join(dir, 'clean.plumb'), CLEAN);
writeFileSync(join(dir, 'broken.plumb'), `${CLEAN}host h 10.0.1.5 in wbe\n`);
mkdirSync(join(dir, 'multi'));
writeFileSync(join(dir, 'multi', 'a.plumb'), CLEAN);
writeFileSync(join(dir, 'multi', 'b.plumb'), 'host h 10.0.1.5 in web\nassert reach web -> h : https\n');

describe('plumb check', () => {
  it('exits 0 on a clean intent (warnings allowed) and prints them', async () => {
    const c = io();
    expect(await run(['check', 'clean.plumb'], c)).toBe(0);
    expect(c.out).toContain('warning[P601]: segment `web` is not used');
    expect(c.out).toContain('--> clean.plumb:5:9');
    expect(c.out).not.toContain('\u001b[');
  });

  it('checks the bundled examples clean', async () => {
    const c = io({ cwd: process.cwd() });
    // Two examples given together are one intent: two `network` lines.
    expect(await run(['check', 'examples/acme', 'examples/multicloud/multicloud.plumb'], c)).toBe(1);
    expect(c.out).toContain('error[P206]');
    const one = io({ cwd: process.cwd() });
    expect(await run(['check', 'examples/failover'], one)).toBe(0);
    expect(one.out).toBe('ok: no problems found\n');
    // campus is clean for the front end; its compiler warns about its stateless border router.
    const campus = io({ cwd: process.cwd() });
    expect(await run(['check', 'examples/campus'], campus)).toBe(0);
    expect(campus.out).toContain('warning[C703]: stateless filters on main.border');
  });

  it('reports what compile and verify warn about: the compiler\'s diagnostics and the network lint', async () => {
    // The compiler's error: the front end accepts 17 parallel links, the compiler refuses them.
    writeFileSync(join(dir, 'links.plumb'), `pool infra 10.255.0.0/16\nsite fra1 {\n  router edge1 frr\n  router edge2 frr\n${'  link edge1 -- edge2\n'.repeat(17)}}\n`);
    const links = io();
    expect(await run(['check', 'links.plumb'], links)).toBe(1);
    expect(links.out).toContain('error[C705]');
    // The lint of the compiled network (verifier/lint.ts): a deny that wins over the whole allow.
    writeFileSync(
      join(dir, 'deny.plumb'),
      'pool infra 10.255.0.0/16\nsite s {\n  router r1 frr\n  router r2 frr\n  link r1 -- r2\n}\nsegment office 10.20.0.0/24 at s.r1\nsegment web 10.10.1.0/24 at s.r2\npolicy {\n  allow office -> web : https\n  deny office -> web\n}\nassert isolate office -> web\n',
    );
    const deny = io();
    expect(await run(['check', 'deny.plumb'], deny)).toBe(0);
    expect(deny.out).toContain('warning[V801]');
    expect(deny.out).toContain('--> deny.plumb:10:3');
  });

  it('on a bundled example, lists exactly the diagnostics that verify reports', async () => {
    const check = io({ cwd: process.cwd() });
    expect(await run(['check', '--format', 'json', 'examples/acme'], check)).toBe(0);
    const verify = io({ cwd: process.cwd() });
    expect(await run(['verify', '--format', 'json', 'examples/acme'], verify)).toBe(0);
    // check prints the diagnostics' JSON (language/render.ts), verify its report (cli/report/verdicts.ts).
    type Json = { code: string; start?: { line: number }; span?: { start: { line: number } } };
    const codes = (out: string): string[] => (JSON.parse(out) as { diagnostics: Json[] }).diagnostics.map((d) => `${d.code}@${(d.start ?? d.span?.start)?.line}`);
    expect(codes(check.out).length).toBeGreaterThan(0);
    expect(codes(check.out)).toEqual(codes(verify.out));
  }, 120_000);

  it('exits 1 with errors, rendered Rust-style', async () => {
    const c = io();
    expect(await run(['check', 'broken.plumb'], c)).toBe(1);
    expect(c.out).toContain('error[P201]: unknown segment `wbe`');
    expect(c.out).toContain('= help: did you mean `web`?');
  });

  it('checks the files of a directory as one intent', async () => {
    const c = io();
    expect(await run(['check', 'multi'], c)).toBe(0);
    expect(c.out).toBe('ok: no problems found\n');
  });

  it('prints JSON with --format json', async () => {
    const c = io();
    expect(await run(['check', '--format', 'json', 'broken.plumb'], c)).toBe(1);
    const json = JSON.parse(c.out);
    expect(json.summary.errors).toBe(1);
    expect(json.diagnostics.map((d: { code: string }) => d.code)).toContain('P201');
  });

  it('colours on a terminal unless NO_COLOR is set', async () => {
    const tty = io({ isTTY: true });
    await run(['check', 'broken.plumb'], tty);
    expect(tty.out).toContain('\u001b[31m');
    const noColor = io({ isTTY: true, env: { NO_COLOR: '1' } });
    await run(['check', 'broken.plumb'], noColor);
    expect(noColor.out).not.toContain('\u001b[');
  });

  it('exits 2 on unreadable input and bad usage, without a stack trace', async () => {
    for (const argv of [['check', 'missing.plumb'], ['check'], ['check', '--format', 'xml', 'clean.plumb']]) {
      const c = io();
      expect(await run(argv, c), argv.join(' ')).toBe(2);
      expect(c.err).not.toMatch(/\n\s+at /);
    }
    const c = io();
    await run(['check', 'missing.plumb'], c);
    expect(c.err).toContain('cannot read missing.plumb');
  });
});
