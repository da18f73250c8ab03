// Both parties of the federation example in one lab (`plumb emulate acme --with datahub`): the
// BGP session between Acme's edge and DataHub's border comes up from their own compiled configs
// with exactly the contract's prefixes each way, and every verdict of both sides agrees with the
// packets. Acme announcing its office too is refuted by Acme's verifier and seen on the wire by
// the lab: the refutation and the session agree; a reach to a service DataHub does not offer is
// refuted and dropped by DataHub's own filter. Root only (namespaces, FRR); the three labs run
// at once, each with its own run id.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect } from 'vitest';
import { renderEmulationText } from '../../cli/commands/emulate.js';
import { run } from '../../cli/program.js';
import type { EmulationReport } from '../../emulator/index.js';
import { capturedIo } from '../cli/captured-io.js';
import { rootOnly } from '../intent-runs.js';

const EXAMPLE = join(import.meta.dirname, '..', '..', 'examples', 'federation');
const rootIt = rootOnly('the joint lab of the federation example', { concurrent: true });
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** A copy of the example, `edit` applied to Acme's intent. */
function copy(edit: (text: string) => string = (t) => t): string {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-joint-'));
  dirs.push(dir);
  cpSync(EXAMPLE, dir, { recursive: true });
  const path = join(dir, 'acme', 'acme.plumb');
  writeFileSync(path, edit(readFileSync(path, 'utf8')));
  return dir;
}

async function emulateBoth(dir: string): Promise<{ exit: number; report: EmulationReport }> {
  const c = capturedIo(dir);
  const exit = await run(['emulate', 'acme', '--with', 'datahub', '--format', 'json', '--converge-timeout', '120'], c);
  expect(c.err).toBe('');
  return { exit, report: (JSON.parse(c.out) as { emulation: EmulationReport }).emulation };
}

/** The lab itself as it must be in every run: built, converged, every kernel table the model's FIB. */
function labWorked(report: EmulationReport, text: string): void {
  expect(report.error, text).toBeUndefined();
  expect(report.notConverged, text).toEqual([]);
  expect(report.converged, text).toBe(true);
  expect(report.fibDifferences, text).toEqual([]);
}

function namespacesOf(runId: string): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter((n) => n.startsWith(`${runId}-`));
}

describe('both parties of the federation example in one lab', () => {
  rootIt('agrees with every verdict of both sides, the session carrying exactly the contract', async () => {
    const { exit, report } = await emulateBoth(copy());
    const text = renderEmulationText(report);
    labWorked(report, text);
    expect(report.results.filter((r) => !r.agrees).map((r) => `${r.party}: ${r.assertion.text}`), text).toEqual([]);
    expect(report.results.filter((r) => r.party === 'acme')).toHaveLength(10);
    expect(report.results.filter((r) => r.party === 'datahub')).toHaveLength(7);
    expect(report.results.every((r) => r.proof === 'proven' && r.packets === 'holds'), text).toBe(true);
    expect(report.joint?.sessions.map((s) => [s.device, s.state, s.advertised, s.outside, s.receiver])).toEqual([
      ['acme:fra1.edge1', 'Established', ['10.20.1.0/24', '10.20.2.0/24'], [], { device: 'datahub:fr5.border', accepted: ['10.20.1.0/24', '10.20.2.0/24'] }],
      ['datahub:fr5.border', 'Established', ['198.51.100.0/25', '198.51.100.128/25'], [], { device: 'acme:fra1.edge1', accepted: ['198.51.100.0/25', '198.51.100.128/25'] }],
    ]);
    expect(report.contractsNotProbed).toBeUndefined();
    expect(text).not.toContain('not probed: contract');
    expect(text).toContain('agree    proof proven   packets holds     datahub: guarantee datahub offers ingest at api (contracts.frankfurt)\n');
    expect(exit, text).toBe(0);
    expect(namespacesOf(report.runId)).toEqual([]);
  }, 900_000);

  rootIt('sees the extra announcement the verifier refutes arrive at the other party', async () => {
    const { exit, report } = await emulateBoth(copy((t) => t.replace('announce app, billing\n', 'announce app, billing, office\n')));
    const text = renderEmulationText(report);
    labWorked(report, text);
    const announces = report.results.find((r) => r.party === 'acme' && r.assertion.contract?.guarantee === 'announces-only')!;
    expect([announces.proof, announces.packets, announces.agrees], text).toEqual(['refuted', 'fails', true]);
    const fromAcme = report.joint!.sessions.find((s) => s.from === 'acme')!;
    expect(fromAcme.state).toBe('Established');
    expect(fromAcme.advertised).toEqual(['10.20.1.0/24', '10.20.2.0/24', '10.30.0.0/16']);
    expect(fromAcme.outside).toEqual(['10.30.0.0/16']);
    // DataHub's import filter, compiled from the contract, keeps it out of its table.
    expect(fromAcme.receiver?.accepted).toEqual(['10.20.1.0/24', '10.20.2.0/24']);
    expect(text).toContain("OUTSIDE acme's announcements: 10.30.0.0/16");
    expect(report.results.filter((r) => !r.agrees).map((r) => `${r.party}: ${r.assertion.text}`), text).toEqual([]);
    expect(exit, text).toBe(0);
  }, 900_000);

  rootIt("fails to reach what the other party does not offer, and says why a refutation it never sends packets for cannot show", async () => {
    const edit = (t: string): string =>
      t
        .replace('assert isolate office -> datahub\n', 'assert isolate office -> datahub\nassert reach app -> datahub : https\n')
        .replace('  allow office -> internet', '  allow datahub -> app : ssh\n  allow office -> internet');
    const { exit, report } = await emulateBoth(copy(edit));
    const text = renderEmulationText(report);
    labWorked(report, text);
    const https = report.results.find((r) => r.assertion.text === 'assert reach app -> datahub : https')!;
    // Acme's edge lets it out; DataHub's own filter, which offers only ingest, drops it.
    expect([https.party, https.proof, https.packets, https.agrees], text).toEqual(['acme', 'refuted', 'fails', true]);
    const accepts = report.results.find((r) => r.party === 'acme' && r.assertion.contract?.guarantee === 'accepts-only-offered')!;
    // DataHub's own filter never sends ssh to Acme: the joint network holds what Acme's side alone does not.
    expect([accepts.proof, accepts.packets, accepts.agrees], text).toEqual(['refuted', 'holds', false]);
    expect(accepts.notes?.join('\n')).toMatch(/^\d+ of its probes from datahub: datahub's own network does not send them across \(by its model\)/);
    expect(text).toContain('    note: ');
    expect(report.results.filter((r) => !r.agrees).map((r) => `${r.party}: ${r.assertion.text}`), text).toEqual([`acme: ${accepts.assertion.text}`]);
    expect(exit, text).toBe(1);
  }, 900_000);
});
