// examples/failover: every assertion proven under any 1 failure with the placement that
// survives failures, and a fragile variant (`survive 0 failures`: rules on today's paths only)
// refuted with the failed link named. The drift scenario of raising the WAN link's cost (what
// the link's failure does to routing) breaks nothing that was declared to survive one failure.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkModel } from '../../compiler/model.js';
import { converge, convergeContextOf } from '../../compiler/routing.js';
import { compileIntent } from '../../pipeline/compile.js';
import { proveModel } from '../../pipeline/prove.js';
import { verifyModel } from '../../verifier/index.js';
import { SolverPool } from '../../verifier/solver-pool.js';

const PATH = 'examples/failover/failover.plumb';
const TEXT = readFileSync(PATH, 'utf8');
const FRAGILE = TEXT.replace('survive 1 failure', 'survive 0 failures');

function model(text: string): NetworkModel {
  const c = compileIntent([{ path: PATH, text }]);
  expect(c.diagnostics.filter((d) => d.severity !== 'info')).toEqual([]);
  return c.model!;
}

/** The model with the WAN link's OSPF cost raised at both ends, re-converged: the drifted network. */
function wanCostRaised(m: NetworkModel): NetworkModel {
  const devices = m.devices.map((d) => {
    if (!d.ospf) return d;
    const wan = d.interfaces.filter((i) => i.peer && ['fra.core1', 'ams.core2'].includes(i.peer.device) && ['fra.core1', 'ams.core2'].includes(d.id));
    const interfaces = d.ospf.interfaces.map((o) => (wan.some((i) => i.name === o.name) ? { ...o, cost: 1000 } : o));
    return { ...d, ospf: { ...d.ospf, interfaces } };
  });
  return { ...m, devices: converge(devices, convergeContextOf(m)) };
}

let pool: SolverPool;
beforeAll(async () => {
  pool = new SolverPool(2);
  await pool.start();
});
afterAll(async () => {
  await pool.close();
});

describe('examples/failover', () => {
  it('proves every assertion under its failures', async () => {
    const proof = await proveModel({ diagnostics: [], model: model(TEXT) }, { pool });
    expect(proof.report!.verdicts.map((v) => [v.assertion.text, v.status])).toEqual([
      ['assert reach office -> db : postgres under 1 failure', 'proven'],
      ['assert isolate guest -> db under 1 failure', 'proven'],
      ['assert reach office -> db : ssh under failure of fra.core1 -- ams.core2', 'proven'],
    ]);
    // A verdict proven under every failure set keeps the families the intact proof was over.
    expect(proof.report!.verdicts.map((v) => v.families)).toEqual([[4], [4], [4]]);
    expect(proof.report!.stats.failures).toEqual([
      { budget: 'any 1 failure', survived: 2, assertions: 2 },
      { budget: 'failure of fra.core1 -- ams.core2', survived: 1, assertions: 1 },
    ]);
  }, 120_000);

  it('refutes the fragile variant with the failed link named', async () => {
    const proof = await proveModel({ diagnostics: [], model: model(FRAGILE) }, { pool });
    const [reach, isolate, named] = proof.report!.verdicts;
    expect(reach!.status).toBe('refuted');
    expect(reach!.failed).toEqual(['ams.core2 -- fra.core1']);
    expect(reach!.counterexample!.summary).toContain('with ams.core2 -- fra.core1 failed (routing re-converged): the packet is dropped at fra.fw1');
    expect(isolate!.status).toBe('proven');
    expect(named!.status).toBe('refuted');
  }, 120_000);

  it('survives the drift of a raised WAN cost, which breaks the fragile variant', async () => {
    const robust = await verifyModel(wanCostRaised(model(TEXT)), { pool });
    expect(robust.verdicts.map((v) => v.status)).toEqual(['proven', 'proven', 'proven']);
    const fragile = await verifyModel(wanCostRaised(model(FRAGILE)), { pool });
    expect(fragile.verdicts[0]!.status).toBe('refuted');
  }, 120_000);
});
