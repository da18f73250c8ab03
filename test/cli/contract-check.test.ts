// `plumb contract check` (docs/cli.md), and the two-party fixture (test/fixtures/contracts)
// through `plumb check` and `plumb compile -o`, as each party runs them on its own folder.
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { capturedIo, type CapturedIo } from './captured-io.js';

const dir = mkdtempSync(join(tmpdir(), 'plumb-contract-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
cpSync(join(import.meta.dirname, '..', 'fixtures', 'contracts'), dir, { recursive: true });

const io = (): CapturedIo => capturedIo(dir);

const CONTRACT = readFileSync(join(dir, 'contracts', 'frankfurt.plumb'), 'utf8');

describe('plumb contract check', () => {
  it('prints one line per contract and exits 0 on a valid contract module', async () => {
    const c = io();
    expect(await run(['contract', 'check', 'contracts/frankfurt.plumb'], c)).toBe(0);
    expect(c.out).toBe('contract frankfurt: 2 parties, 3 prefixes announced, 2 offers\n');
  });

  it('reads a folder, and follows an intent\'s imports to its contracts', async () => {
    const folder = io();
    expect(await run(['contract', 'check', 'contracts'], folder)).toBe(0);
    expect(folder.out).toContain('contract frankfurt: 2 parties');
    const party = io();
    expect(await run(['contract', 'check', 'acme'], party)).toBe(0);
    expect(party.out).toContain('contract shared.frankfurt: 2 parties, 3 prefixes announced, 2 offers');
  });

  it('checks each path on its own: both parties\' folders are two intents, and the contract they share is reported once', async () => {
    const c = io();
    expect(await run(['contract', 'check', 'acme', 'datahub'], c)).toBe(0);
    expect(c.out).not.toContain('error');
    expect(c.out.trim().split('\n')).toHaveLength(1);
    expect(c.out).toMatch(/^contract \S+frankfurt: 2 parties, 3 prefixes announced, 2 offers\n$/);
    const json = io();
    expect(await run(['contract', 'check', 'acme', 'datahub', 'contracts', '--format', 'json'], json)).toBe(0);
    expect((JSON.parse(json.out) as { contracts: unknown[] }).contracts).toHaveLength(1);
  });

  it('prints the diagnostics and exits 1 on a broken contract', async () => {
    writeFileSync(join(dir, 'broken.plumb'), CONTRACT.replace('datahub announces 198.51.100.0/24', 'datahub announces 10.20.0.0/16'));
    const c = io();
    expect(await run(['contract', 'check', 'broken.plumb'], c)).toBe(1);
    expect(c.out).toContain('error[P452]: `10.20.0.0/16` of `datahub` overlaps `10.20.1.0/24` of `acme`');
    expect(c.out).toContain('--> broken.plumb:10:21');
    expect(c.out).not.toContain('contract frankfurt:');
  });

  it('--format json gives the summary and the diagnostics', async () => {
    const c = io();
    expect(await run(['contract', 'check', 'contracts/frankfurt.plumb', '--format', 'json'], c)).toBe(0);
    const report = JSON.parse(c.out) as { summary: { errors: number }; contracts: unknown[] };
    expect(report.summary.errors).toBe(0);
    expect(report.contracts).toEqual([{ name: 'frankfurt', file: 'contracts/frankfurt.plumb', line: 5, valid: true, parties: ['acme', 'datahub'], announced: 3, offers: 2 }]);
  });

  it('exits 2 on input with no contract, or an unknown format', async () => {
    writeFileSync(join(dir, 'none.plumb'), 'service x = tcp 1\n');
    const none = io();
    expect(await run(['contract', 'check', 'none.plumb'], none)).toBe(2);
    expect(none.err).toContain('no contract in none.plumb');
    expect(await run(['contract', 'check', 'contracts', '--format', 'sarif'], io())).toBe(2);
  });
});

describe('the two parties of the fixture, each on its own', () => {
  for (const party of ['acme', 'datahub']) {
    it(`${party}: plumb check is clean and plumb compile -o writes its configs`, async () => {
      const check = io();
      expect(await run(['check', party], check), check.out).toBe(0);
      expect(check.out).not.toContain('error');
      const compile = io();
      expect(await run(['compile', party, '-o', `out-${party}`], compile), compile.out + compile.err).toBe(0);
      expect(existsSync(join(dir, `out-${party}`, 'manifest.json'))).toBe(true);
    }, 180_000);
  }

  it('each side\'s BGP session to the other is built from the contract, and the two mirror each other', async () => {
    const model = async (party: string) => {
      const c = io();
      expect(await run(['compile', party, '--emit', 'model'], c)).toBe(0);
      return JSON.parse(c.out) as { devices: { id: string; bgp?: { asn: number; neighbors: { address: string; remoteAs: number; external?: string }[] } }[]; contracts: { external: string; meet: { ours: string; theirs: string } }[] };
    };
    const acme = await model('acme');
    const datahub = await model('datahub');
    const acmeSession = acme.devices.find((d) => d.id === 'fra1.edge1')!.bgp!;
    const datahubSession = datahub.devices.find((d) => d.id === 'fr5.border')!.bgp!;
    expect(acmeSession.neighbors).toEqual([expect.objectContaining({ address: '169.254.10.2', remoteAs: 64700, external: 'datahub' })]);
    expect(datahubSession.neighbors).toEqual([expect.objectContaining({ address: '169.254.10.1', remoteAs: 65010, external: 'acme' })]);
    expect(acme.contracts[0]!.meet).toMatchObject({ ours: datahub.contracts[0]!.meet.theirs, theirs: datahub.contracts[0]!.meet.ours });
    expect([acme.contracts[0]!.external, datahub.contracts[0]!.external]).toEqual(['datahub', 'acme']);
  }, 180_000);
});
