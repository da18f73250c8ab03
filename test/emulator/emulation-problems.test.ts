// The examples' lab test explains a failing `plumb emulate` from its report: every section that is
// not a pass is named with what it holds, and a passing report has nothing to say.

import { describe, expect, it } from 'vitest';
import type { AssertionOutcome, EmulationReport } from '../../emulator/index.js';
import { startReport } from '../../emulator/lab-report.js';
import type { SweepReport } from '../../emulator/sweep.js';
import { emulationProblems } from './emulation-problems.js';

function passing(): EmulationReport {
  const r = startReport('plt000', 'campus', ['plt000-a'], [], [], false);
  r.converged = true;
  r.buildMillis = 1200;
  r.convergeMillis = 21_000;
  r.probeMillis = 4000;
  r.teardownMillis = 900;
  r.importChecks = [{ external: 'isp', device: 'edge', prefix: '10.0.0.0/25', rejected: true }];
  r.exportChecks = [{ external: 'isp', device: 'edge', session: '192.0.2.1', missing: [], extra: [] }];
  r.results = [{ assertion: { text: 'assert reach a -> b : https' }, proof: 'proven', packets: 'holds', agrees: true, probes: [], untested: [] } as unknown as AssertionOutcome];
  r.sweep = { ports: [22], udpPorts: [53], skipped: 0, planned: 600, probes: 600, millis: 1500, devices: [] } as SweepReport;
  return r;
}

const sweepDevice = (open: boolean) => ({
  device: 'core',
  probes: 1,
  open: 0,
  expectedOpen: 1,
  byProtocol: { tcp: { probes: 1, open: 0, expectedOpen: 1 }, udp: { probes: 0, open: 0, expectedOpen: 0 }, icmp: { probes: 0, open: 0, expectedOpen: 0 } },
  disagreements: [{ open, probe: { device: 'core', deviceNs: 'x', from: 'staff', fromNs: 'y', source: '10.1.0.5', destination: '10.0.0.1', protocol: 'tcp' as const, port: 22, expected: !open } }],
  opened: [],
});

describe('emulationProblems', () => {
  it('has nothing to say about a passing report', () => {
    expect(emulationProblems(passing())).toEqual([]);
  });

  it("names the lab's error (a sweep prober past its time limit) with the phases", () => {
    const r = passing();
    r.error = "the sweep's prober in plt000-a failed (timed out): ";
    const lines = emulationProblems(r);
    expect(lines[0]).toBe("lab error: the sweep's prober in plt000-a failed (timed out): ");
    expect(lines.at(-1)).toBe('phases: build 1200 ms, convergence 21000 ms, probes 4000 ms, sweep 600 connections in 1500 ms, teardown 900 ms');
  });

  it('names routing not converged and what it lacked, the first twenty of them', () => {
    const r = passing();
    r.converged = false;
    r.convergeMillis = 60_000;
    r.notConverged = Array.from({ length: 23 }, (_, i) => `core: 10.${i}.0.0/16`);
    const lines = emulationProblems(r);
    expect(lines[0]).toBe('routing NOT converged after 60000 ms:');
    expect(lines).toContain('  core: 10.19.0.0/16');
    expect(lines).not.toContain('  core: 10.20.0.0/16');
    expect(lines).toContain('  and 3 more');
  });

  it("names the FIB's differences, the exports, the imports, the sweep and the assertions", () => {
    const r = passing();
    r.fibDifferences = [{ device: 'core', prefix: '10.9.0.0/16', model: ['eth0 via 10.0.0.2'] }];
    r.exportChecks = [{ external: 'isp', device: 'edge', session: '192.0.2.1', missing: ['10.0.0.0/16'], extra: [] }];
    r.importChecks = [{ external: 'isp', device: 'edge', prefix: '10.0.0.0/25', rejected: false }];
    r.sweep!.devices = [sweepDevice(false)];
    r.results = [
      {
        assertion: { text: 'assert reach a -> b : https' },
        proof: 'proven',
        packets: 'fails',
        agrees: false,
        probes: [{ spec: { kind: 'connect', packet: { source: '10.1.0.5', destination: '10.2.0.5', protocol: 6 } }, detail: 'timed out' }],
        untested: [],
      } as unknown as AssertionOutcome,
    ];
    expect(emulationProblems(r)).toEqual([
      "the kernels' routing tables differ from the model's FIB:",
      '  core: 10.9.0.0/16: model {eth0 via 10.0.0.2}, kernel no entry',
      "BGP speakers' tables differ from the model's exports:",
      '  edge -> isp (192.0.2.1): missing 10.0.0.0/16; extra none',
      'import filters accepted:',
      '  edge <- isp: 10.0.0.0/25 accepted',
      'the device exposure sweep disagrees:',
      '  closed, the model opens: staff 10.1.0.5 -> 10.0.0.1:22',
      'assertions whose packets disagree with the proof:',
      '  assert reach a -> b : https: proof proven, packets fails; connect 10.1.0.5 -> 10.2.0.5 proto 6: timed out',
      'phases: build 1200 ms, convergence 21000 ms, probes 4000 ms, sweep 600 connections in 1500 ms, teardown 900 ms',
    ]);
  });

  it('names a sweep connection opened that the model closes, and says when the sweep did not run', () => {
    const r = passing();
    r.sweep!.devices = [sweepDevice(true)];
    expect(emulationProblems(r)[1]).toBe('  opened, the model closes: staff 10.1.0.5 -> 10.0.0.1:22');
    delete r.sweep;
    r.error = 'no lab';
    expect(emulationProblems(r).at(-1)).toContain('sweep not run');
  });
});
