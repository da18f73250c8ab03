// `plumb diff` of an intent that implements a contract: the contracts section says what each
// party newly allows the other, or no longer, what either may now announce, and what changed of
// the meeting point, in text, JSON and markdown; a contract change alone is `any-change`. Real
// folders (the federation example before and after a change of its contract), real compiler and Z3.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { diffHas, type DiffReport } from '../../pipeline/diff.js';
import { SolverPool, withSolverPool } from '../../verifier/index.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'federation');
const dir = mkdtempSync(join(tmpdir(), 'plumb-diff-contracts-'));
const pool = new SolverPool(2);
beforeAll(() => pool.start());
afterAll(async () => {
  await pool.close();
  rmSync(dir, { recursive: true, force: true });
});

for (const side of ['old', 'new', 'same']) cpSync(EXAMPLE, join(dir, side), { recursive: true, filter: (src) => !src.endsWith('out') });
const contractPath = join(dir, 'new', 'contracts', 'frankfurt.plumb');
writeFileSync(
  contractPath,
  readFileSync(contractPath, 'utf8')
    .replace('vlan 120', 'vlan 121')
    .replace('acme announces 10.20.1.0/24, 10.20.2.0/24', 'acme announces 10.20.1.0/24, 10.20.2.0/24, 10.20.3.0/24')
    .replace('datahub offers ingest at api', 'datahub offers ingest at api, 198.51.100.128/26')
    .replace(/ {2}acme offers callbacks at 10\.20\.2\.0\/24\n/, ''),
);

async function plumb(args: string[]): Promise<{ code: number; out: string }> {
  const io: CliIo & { out: string } = { out: '', stdout: (s) => void (io.out += s), stderr: () => undefined, isTTY: false, cwd: dir, env: {} };
  const code = await withSolverPool(pool, () => run(['diff', ...args], io));
  return { code, out: io.out };
}

describe('plumb diff: contracts', () => {
  it('says what each party newly allows the other, or no longer, in the text report', async () => {
    const { code, out } = await plumb(['old/acme', 'new/acme']);
    expect(code).toBe(0);
    const section = out.slice(out.indexOf('contracts:'), out.indexOf('\nroutes:'));
    expect(section).toBe(
      [
        'contracts: 5 changed',
        '  ~ contracts.frankfurt: meet: VLAN 120 -> 121  ../contracts/frankfurt.plumb:9',
        '  + contracts.frankfurt: acme may now announce 10.20.3.0/24  ../contracts/frankfurt.plumb:10',
        '  - contracts.frankfurt: acme no longer allows datahub to open callbacks (tcp 443) to 10.20.2.0/24 from 198.51.100.0/25, 198.51.100.128/25  ../contracts/frankfurt.plumb:13',
        '  + contracts.frankfurt: datahub newly allows acme to open ingest (tcp 8443) to 198.51.100.128/26 from 10.20.1.0/24, 10.20.2.0/24, 10.20.3.0/24  ../contracts/frankfurt.plumb:12',
        '  + contracts.frankfurt: datahub newly allows acme to open ingest (tcp 8443) to 198.51.100.0/25 from 10.20.3.0/24  ../contracts/frankfurt.plumb:12',
        '',
      ].join('\n'),
    );
  }, 180_000);

  it('JSON carries the changes with their lines; markdown a row and a block; a contract change alone is any-change', async () => {
    const json = JSON.parse((await plumb(['old/datahub', 'new/datahub', '--format', 'json'])).out) as { contracts: { compared: number; changes: { change: string; what: string; party?: string; line?: { file: string; line: number } }[] } };
    expect(json.contracts.compared).toBe(1);
    expect(json.contracts.changes.map((c) => [c.change, c.what, c.party])).toEqual([
      ['~', 'meet', undefined],
      ['+', 'offer', 'datahub'],
      ['+', 'offer', 'datahub'],
      ['+', 'announcement', 'acme'],
      ['-', 'offer', 'acme'],
    ]);
    expect(json.contracts.changes[1]!.line).toEqual({ file: '../contracts/frankfurt.plumb', line: 12 });
    const markdown = (await plumb(['old/acme', 'new/acme', '--format', 'markdown'])).out;
    expect(markdown).toContain('| contract changes | 5 |');
    expect(markdown).toContain('+ contracts.frankfurt: datahub newly allows acme to open ingest (tcp 8443) to 198.51.100.128/26');
    const same = await plumb(['old/acme', 'same/acme', '--fail-on', 'any-change']);
    expect(same.code).toBe(0);
    expect(same.out).toContain('contracts: no change (1 compared)\n');
  }, 180_000);

  it('a contract change alone is a change for --fail-on any-change, and no flow', () => {
    const report = {
      flows: { changes: [], undecided: [], truncated: [], pairs: 0 },
      assertions: [],
      routes: [],
      addresses: [],
      configs: [],
      contracts: { compared: 1, changes: [{ contract: 'c', change: '+', what: 'announcement', party: 'acme', text: 'acme may now announce 10.20.3.0/24' }] },
      oldDiagnostics: [],
      newDiagnostics: [],
    } as unknown as DiffReport;
    expect(diffHas(report, 'any-change')).toBe(true);
    expect(diffHas(report, 'new-flows')).toBe(false);
    expect(diffHas({ ...report, contracts: { compared: 1, changes: [] } }, 'any-change')).toBe(false);
  });
});
