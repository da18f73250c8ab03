// pipeline/diff.ts and its parts: the unified diff (checked by applying it with patch(1) and
// against diff(1)'s edit count), and on a real example, the assertions whose verdict changes, the
// routes a new segment adds on every device, the configuration files that change, and nothing
// at all for an unchanged intent.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffHas, diffIntents, type DiffReport } from '../../pipeline/diff.js';
import { unifiedDiff } from '../../pipeline/diff-text.js';
import { SolverPool, withSolverPool } from '../../verifier/index.js';

const dir = mkdtempSync(join(tmpdir(), 'plumb-diff-'));
const pool = new SolverPool(2);
beforeAll(() => pool.start());
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('unifiedDiff', () => {
  let seed = 7;
  const random = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const text = (lines: string[]): string => lines.map((l) => `${l}\n`).join('');

  it('gives hunks that patch(1) applies, with no more edits than diff(1)', () => {
    for (let t = 0; t < 40; t++) {
      const a = Array.from({ length: Math.floor(random() * 40) }, () => 'abcdef'[Math.floor(random() * 6)]!);
      const b = a
        .filter(() => random() > 0.2)
        .flatMap((x) => (random() > 0.8 ? [x, 'xyz'[Math.floor(random() * 3)]!] : [x]));
      const d = unifiedDiff(text(a), text(b), 'a', 'b');
      writeFileSync(join(dir, 'a'), text(a));
      writeFileSync(join(dir, 'b'), text(b));
      writeFileSync(join(dir, 'p'), d.text);
      if (text(a) === text(b)) {
        expect(d).toEqual({ text: '', added: 0, removed: 0 });
        continue;
      }
      execFileSync('patch', ['-s', '-o', join(dir, 'out'), join(dir, 'a'), join(dir, 'p')]);
      expect(readFileSync(join(dir, 'out'), 'utf8')).toBe(text(b));
      let reference = '';
      try {
        execFileSync('diff', [join(dir, 'a'), join(dir, 'b')]);
      } catch (err) {
        reference = String((err as { stdout: Buffer }).stdout);
      }
      const edits = reference.split('\n').filter((l) => l.startsWith('< ') || l.startsWith('> ')).length;
      expect(d.added + d.removed).toBe(edits);
    }
  });

  it('prints hunks as diff -u does', () => {
    const d = unifiedDiff('1\n2\n3\n4\n5\n6\n7\n8\n9\n', '1\n2\n3\n4\nfive\n6\n7\n8\n9\n', 'old/f', 'new/f');
    expect(d.text).toBe('--- old/f\n+++ new/f\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n');
    expect(unifiedDiff('', 'a\n', '/dev/null', 'new/f').text).toBe(
      '--- /dev/null\n+++ new/f\n@@ -0,0 +1 @@\n+a\n',
    );
  });
});

const ACME = readFileSync(new URL('../../examples/acme/acme.plumb', import.meta.url), 'utf8');
const side = (text: string) => ({ label: 'x', sources: [{ path: 'acme.plumb', text }] });

async function report(text: string): Promise<DiffReport> {
  const result = await withSolverPool(pool, () => diffIntents(side(ACME), side(text)));
  if (!result.ok) throw new Error('the intent has errors');
  return result.report;
}

describe('diffIntents on acme', () => {
  it('finds nothing in an unchanged intent', async () => {
    const r = await report(ACME);
    expect(r.flows.changes).toEqual([]);
    expect(r.assertions).toEqual([]);
    expect(r.routes).toEqual([]);
    expect(r.configs).toEqual([]);
    expect(diffHas(r, 'any-change')).toBe(false);
  });

  it('lists the addresses a new device takes and those that move without the lock', async () => {
    // Without plumb.lock (both sides are the .plumb file alone), a device declared before
    // others shifts their loopbacks: the report says which, as plumb lock would.
    const r = await report(ACME.replace('  router core1 frr\n', '  router core0 frr\n  router core1 frr\n  link core0 -- core1\n'));
    expect(r.addresses.filter((c) => c.kind === 'added').map((c) => c.item)).toEqual(['link fra1.core0 -- fra1.core1', 'loopback fra1.core0']);
    expect(r.addresses.find((c) => c.item === 'loopback fra1.core1')).toEqual({ kind: 'moved', item: 'loopback fra1.core1', before: '10.255.0.3/32', after: '10.255.0.4/32' });
    const locked = await withSolverPool(pool, () =>
      diffIntents(
        { label: 'old', sources: [{ path: 'acme.plumb', text: ACME }, { path: 'plumb.lock', text: readFileSync(new URL('../../examples/acme/plumb.lock', import.meta.url), 'utf8') }] },
        {
          label: 'new',
          sources: [
            { path: 'acme.plumb', text: ACME.replace('  router core1 frr\n', '  router core0 frr\n  router core1 frr\n  link core0 -- core1\n') },
            { path: 'plumb.lock', text: readFileSync(new URL('../../examples/acme/plumb.lock', import.meta.url), 'utf8') },
          ],
        },
      ),
    );
    if (!locked.ok) throw new Error('errors');
    expect(locked.report.addresses.map((c) => c.kind)).toEqual(['added', 'added']);
  });

  it('names the assertion a removed deny refutes, and the firewall files that change', async () => {
    const r = await report(
      ACME.replace('  deny guest -> internal    # ... but guests get nothing inside: deny wins\n', ''),
    );
    expect(r.assertions).toEqual([
      expect.objectContaining({
        text: 'assert isolate guest -> internal',
        old: 'proven',
        new: 'refuted',
        line: { file: 'acme.plumb', line: 60 },
      }),
    ]);
    expect(r.routes).toEqual([]);
    expect(r.configs.map((c) => c.path)).toContain('fra1/fw1/fw1.xml');
    expect(r.configs.find((c) => c.path === 'ams1/gw1/nftables.conf')!.diff).toMatch(
      /^-.*deny guest -> internal/m,
    );
    expect(diffHas(r, 'new-flows')).toBe(true);
    expect(diffHas(r, 'lost-flows')).toBe(false);
  });

  it('lists the routes a new segment adds on every device', async () => {
    const r = await report(
      ACME.replace(
        'segment guest 10.99.0.0/24 at ams1.gw1\n',
        'segment guest 10.99.0.0/24 at ams1.gw1\nsegment lab 10.30.0.0/24 at ams1.core2\n',
      ),
    );
    const added = r.routes.filter((x) => x.prefix === '10.30.0.0/24');
    expect(added.map((x) => `${x.device} ${x.change}`)).toEqual([
      'ams1.core2 added',
      'ams1.gw1 added',
      'fra1.core1 added',
      'fra1.edge1 added',
      'fra1.fw1 added',
    ]);
    expect(added.find((x) => x.device === 'ams1.core2')!.new!.protocol).toBe('connected');
    // Nothing allows the new segment anything but https to web (allow any -> web). The ICMP
    // errors its gateway's local filter takes from anyone are no new flow: an frr box drops an
    // unsolicited error by connection state before that rule (verifier/conntrack.ts).
    expect(r.flows.changes.map((c) => `${c.change} ${c.source} -> ${c.destination}`)).toEqual(['allowed lab -> web']);
  });
});
