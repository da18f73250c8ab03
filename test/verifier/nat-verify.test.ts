// The SMT verdicts with NAT on hand-built networks (docs/architecture.md, "NAT"): each proven or
// refuted as the platform's order says, and each refuted one confirmed by the simulator (the
// verifier replays every counterexample) with its trace showing the translation.

import { describe, expect, it } from 'vitest';
import type { NetworkModel } from '../../compiler/model.js';
import { formatCounterexample } from '../../cli/report/counterexample.js';
import { diffFlows, NAT_NOT_COMPARED } from '../../verifier/flow-diff.js';
import { verifyModel, type Verdict } from '../../verifier/index.js';
import { lintModel } from '../../verifier/lint.js';
import { sharedPool } from '../shared-solvers.js';
import { overlapping, patEgress, postNatFilter, published, staticInside } from './nat-models.js';

// One Z3 worker for the file's proofs (test/shared-solvers.ts): each would otherwise start and
// close one of its own; every query starts from a clean solver.
const pool = sharedPool(1);

async function verdicts(model: NetworkModel): Promise<Verdict[]> {
  return (await verifyModel(model, { pool: pool(), lint: false, timeoutMs: 60_000 })).verdicts;
}

const text = (v: Verdict): string => formatCounterexample(v.counterexample!).join('\n');

describe('NAT in the verifier', { timeout: 300_000 }, () => {
  it('a partner reaches our app by its mapped address only', async () => {
    const [reach, isolateReal, isolateAll] = await verdicts(staticInside());
    expect(reach!.status, reach!.reason).toBe('proven');
    expect(isolateReal!.status).toBe('proven');
    expect(isolateAll!.status).toBe('refuted');
    expect(isolateAll!.counterexample!.packet.destination).toMatch(/^100\.64\.20\./);
    expect(text(isolateAll!)).toMatch(/nat destination 100\.64\.20\.\d+ -> 10\.20\.1\.\d+ \(static, edge\.e1: 10\.20\.1\.0\/24 appears as 100\.64\.20\.0\/24\)/);
  });

  it('overlapping address spaces: IOS-XE translates after routing inside-to-outside, so both ways hold', async () => {
    const vs = await verdicts(overlapping('cisco-iosxe'));
    expect(vs.map((v) => v.status), vs.map((v) => v.reason).join('; ')).toEqual(['proven', 'proven']);
  });

  it('overlapping address spaces: nftables rewrites the destination before routing, so the partner-bound packet goes back in', async () => {
    const [inbound, outbound] = await verdicts(overlapping('frr'));
    expect(outbound!.status).toBe('refuted');
    expect(text(outbound!)).toContain('nat destination 198.18.20.');
    // The partner's connection arrives, but its reply is translated back before routing and stays inside.
    expect(inbound!.status).toBe('refuted');
    expect(inbound!.counterexample!.reply).toBeDefined();
    expect(text(inbound!)).toContain('reply translated back');
  });

  it('a published service: https to the public address reaches web, ssh does not', async () => {
    const [https, isolateSsh, reachSsh] = await verdicts(published());
    expect(https!.status, https!.reason).toBe('proven');
    expect(isolateSsh!.status).toBe('proven');
    expect(reachSsh!.status).toBe('refuted');
  });

  it('PAT egress: the office reaches the internet and gets its replies; the internet opens nothing', async () => {
    const [reach, isolate] = await verdicts(patEgress());
    expect(reach!.status, reach!.reason).toBe('proven');
    expect(isolate!.status).toBe('proven');
  });

  it('a filter on the translated source: IOS-XE out-ACL sees it, nftables forward filter does not', async () => {
    const [ios] = await verdicts(postNatFilter('cisco-iosxe'));
    expect(ios!.status, ios!.reason).toBe('proven');
    const [nft] = await verdicts(postNatFilter('frr'));
    expect(nft!.status).toBe('refuted');
    expect(nft!.counterexample!.summary).toContain('outbound filter');
  });
});

describe('NAT in the other users of the forwarding tree', () => {
  it('the lint runs on networks that translate', () => {
    expect(lintModel(overlapping('cisco-iosxe')).filter((d) => d.message.includes('loop'))).toEqual([]);
  });

  it('the flow comparison refuses networks that translate, saying so, rather than list wrong changes', async () => {
    const before = staticInside();
    const after = staticInside();
    after.devices.find((d) => d.id === 'edge.e1')!.nat!.translations = [];
    const diff = await diffFlows(before, after, { workers: 1 });
    expect(diff.changes).toEqual([]);
    expect(diff.truncated).toEqual([NAT_NOT_COMPARED]);
  });
});
