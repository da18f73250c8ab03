// The two-party example (examples/federation): each party's folder checks, verifies and compiles
// on its own, its side of the contract proven from the contract alone; the committed output is
// what `plumb compile -o` writes; and breaking one of a side's guarantees is refuted on that side,
// at the contract line that gives it, with the packet.

import { cpSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderEmulationText } from '../../cli/commands/emulate.js';
import { run } from '../../cli/program.js';
import type { EmulationReport } from '../../emulator/index.js';
import { parse } from '../../language/parser.js';
import { rootOnly } from '../intent-runs.js';
import { capturedIo, type CapturedIo } from './captured-io.js';
import { sharedSolvers } from '../shared-solvers.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'federation');
const dir = mkdtempSync(join(tmpdir(), 'plumb-federation-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes(`${join('federation', 'acme', 'out')}`) && !src.includes(`${join('federation', 'datahub', 'out')}`) });

const inPool = sharedSolvers();
const runShared = (args: string[], c: CapturedIo): Promise<number> => inPool(() => run(args, c));

type Report = { verdicts: { status: string; assertion: { text: string; contract?: { guarantee: string } }; counterexample?: { summary: string } }[] };

async function verify(party: string): Promise<{ exit: number; report: Report }> {
  const c = capturedIo(dir);
  const exit = await runShared(['verify', party, '--format', 'json'], c);
  return { exit, report: JSON.parse(c.out) as Report };
}

function files(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => statSync(join(root, f)).isFile())
    .map((f) => relative(root, join(root, f)))
    .sort();
}

describe('the federation example, each party on its own', () => {
  it('checks the contract module itself', async () => {
    const c = capturedIo(dir);
    expect(await runShared(['contract', 'check', 'contracts'], c)).toBe(0);
    expect(c.out).toBe('contract frankfurt: 2 parties, 4 prefixes announced, 2 offers\n');
  });

  for (const [party, guarantees] of [['acme', 6], ['datahub', 4]] as const) {
    it(`${party}: checks clean, proves its assertions and its ${guarantees} guarantees`, async () => {
      const check = capturedIo(dir);
      expect(await runShared(['check', party], check)).toBe(0);
      expect(check.err).toBe('');
      const { exit, report } = await verify(party);
      expect(exit).toBe(0);
      expect(report.verdicts.filter((v) => v.status !== 'proven').map((v) => v.assertion.text)).toEqual([]);
      expect(report.verdicts.filter((v) => v.assertion.contract).length).toBe(guarantees);
    }, 120_000);

    it(`${party}: the committed out/ is what compile -o writes`, async () => {
      const c = capturedIo(dir);
      expect(await runShared(['compile', party, '-o', `${party}/out`], c)).toBe(0);
      const written = join(dir, party, 'out');
      const committed = join(EXAMPLE, party, 'out');
      expect(files(written)).toEqual(files(committed));
      for (const f of files(committed)) expect(readFileSync(join(written, f), 'utf8'), f).toBe(readFileSync(join(committed, f), 'utf8'));
    }, 120_000);
  }
});

describe('the federation example in a lab', () => {
  rootOnly('the federation example in a lab')('says which guarantees a one-party lab does not probe', async () => {
    const json = capturedIo(dir);
    expect(await runShared(['emulate', 'datahub', '--format', 'json', '--converge-timeout', '60'], json)).toBe(0);
    const report = (JSON.parse(json.out) as { emulation: EmulationReport }).emulation;
    expect(report.contractsNotProbed).toEqual([{ contract: 'contracts.frankfurt', party: 'datahub', guarantees: 4 }]);
    expect(renderEmulationText(report)).toContain(
      "not probed: contract contracts.frankfurt, datahub's side: its 4 guarantees (plumb verify proves them; this lab holds datahub's network only)\n",
    );
  }, 600_000);
});

describe('a broken guarantee is refuted on the side that breaks it, at the contract line', () => {
  const broken = async (edit: (text: string) => string): Promise<Report['verdicts']> => {
    const path = join(dir, 'acme', 'acme.plumb');
    const original = readFileSync(path, 'utf8');
    writeFileSync(path, edit(original));
    try {
      const { exit, report } = await verify('acme');
      expect(exit).toBe(1);
      return report.verdicts.filter((v) => v.status === 'refuted');
    } finally {
      writeFileSync(path, original);
    }
  };

  it('announcing a prefix outside the contract: "announces only", at the announces line', async () => {
    const refuted = await broken((t) => t.replace('announce app, billing', 'announce app, billing, office'));
    expect(refuted.map((v) => v.assertion.contract?.guarantee)).toEqual(['announces-only']);
    expect(refuted[0]!.counterexample!.summary).toBe(
      "fra1.edge1 announces 10.30.0.0/16 to datahub (neighbor 169.254.20.2), outside acme's announcements 10.20.1.0/24, 10.20.2.0/24 (contracts.frankfurt, contracts/frankfurt.plumb:10)",
    );
  }, 120_000);

  it('opening a service the contract does not offer: "accepts only what it offers", at the party line', async () => {
    const refuted = await broken((t) => t.replace('  allow office -> internet', '  allow datahub -> app : ssh\n  allow office -> internet'));
    expect(refuted.map((v) => v.assertion.contract?.guarantee)).toEqual(['accepts-only-offered']);
    expect(refuted[0]!.counterexample!.summary).toContain('contracts/frankfurt.plumb:7');
  }, 120_000);

  it('the whole party where it offers only a named part: refuted with the offer, at the part\'s name', async () => {
    const refuted = await broken((t) => t.replaceAll('datahub.api', 'datahub'));
    expect(refuted.map((v) => v.assertion.text)).toEqual(['assert reach app -> datahub : contracts.ingest']);
    expect(refuted[0]!.counterexample!.summary).toBe(
      'the packet is outside what datahub offers: datahub offers only ingest at api (contracts.frankfurt, contracts/frankfurt.plumb:12)',
    );
  }, 120_000);

  it('an assertion beyond what the other party offers is refuted with what it offers', async () => {
    const refuted = await broken((t) => t.replace('assert isolate office -> datahub', 'assert isolate office -> datahub\nassert reach app -> datahub : https'));
    expect(refuted.map((v) => v.assertion.text)).toEqual(['assert reach app -> datahub : https']);
    expect(refuted[0]!.counterexample!.summary).toContain('datahub offers only ingest');
  }, 120_000);
});

describe('docs/federation.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '..', '..', 'docs', 'federation.md'), 'utf8');
  const blocks = [...doc.matchAll(/^```plumb\n([\s\S]*?)^```$/gm)].map((m) => m[1]!);

  it('shows the example\'s contract as the file has it', () => {
    expect(blocks).toContain(readFileSync(join(EXAMPLE, 'contracts', 'frankfurt.plumb'), 'utf8'));
  });

  it.each(blocks.map((b, i) => [i + 1, b] as const))('its example %i parses without a syntax error', (_, code) => {
    expect(parse(code, 'docs/federation.md').diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });
});
