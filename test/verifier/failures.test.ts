// Proofs under failures (verifier/failures.ts): failed networks re-converge with the compiler's
// own routing, a refutation names the failed elements, and the pruned exploration gives the
// verdict that proving every failure set one by one gives.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkModel } from '../../compiler/model.js';
import { compileIntent } from '../../pipeline/compile.js';
import { proveModel } from '../../pipeline/prove.js';
import { failModel, failureElements, failureText, gatewaysOf } from '../../verifier/failures-network.js';
import { verifyModel } from '../../verifier/index.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import { staticChainIntent } from '../intent-runs.js';

/** r1 -- r2 direct (cost 1), and r1 -- fw -- r2 (cost 5 each): the firewall is the backup path. */
const TRIANGLE = (routing: string, extra = ''): string => `network tri
routing ${routing}
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 frr
  router r3 frr
  firewall fw paloalto-panos
  link r1 -- r2
  link r1 -- fw cost 5
  link fw -- r2 cost 5
  link r1 -- r3 cost 3
  link r3 -- r2 cost 3
}
segment office 10.1.0.0/24 at s.r1
segment db 10.2.0.0/24 at s.r2
segment lab 10.3.0.0/24 at s.r3
policy {
  allow office -> db : postgres
}
${extra}
`;

function compiled(text: string): NetworkModel {
  const c = compileIntent([{ path: 'tri.plumb', text }]);
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return c.model!;
}

let pool: SolverPool;
beforeAll(async () => {
  pool = new SolverPool(2);
  await pool.start();
});
afterAll(async () => {
  await pool.close();
});

describe('failed networks', () => {
  it('re-converge without the failed link: r1 reaches db over r3 (cost 6) instead of r1 -- r2', () => {
    const model = compiled(TRIANGLE('ospf'));
    const direct = failureElements(model).links.find((l) => failureText(model, l.failure) === 's.r1 -- s.r2')!;
    const failed = failModel(model, [direct.failure]);
    const r1 = failed.devices.find((d) => d.id === 's.r1')!;
    const route = r1.fib.find((r) => r.prefix === '10.2.0.0/24')!;
    expect(route.nextHops.map((h) => h.device)).toEqual(['s.r3']);
    expect(route.metric).toBe(6 + 1);
    // The input is not changed.
    expect(model.devices.find((d) => d.id === 's.r1')!.fib.find((r) => r.prefix === '10.2.0.0/24')!.nextHops.map((h) => h.device)).toEqual(['s.r2']);
  });

  it('lose a failed device with its links and the interfaces facing it', () => {
    const model = compiled(TRIANGLE('ospf'));
    const failed = failModel(model, [{ kind: 'device', device: 's.r3' }]);
    expect(failed.devices.map((d) => d.id)).not.toContain('s.r3');
    expect(failed.devices.flatMap((d) => d.interfaces.filter((i) => i.peer?.device === 's.r3'))).toEqual([]);
    expect(failed.endpoints.find((e) => e.name === 'lab')!.attachments).toEqual([]);
  });

  it('name a link by its devices, and exclude the flow\u2019s own gateways', () => {
    const model = compiled(TRIANGLE('ospf'));
    expect(failureElements(model).links.map((l) => failureText(model, l.failure)).sort()).toEqual([
      's.fw -- s.r1',
      's.fw -- s.r2',
      's.r1 -- s.r2',
      's.r1 -- s.r3',
      's.r2 -- s.r3',
    ]);
    expect([...gatewaysOf(model, ['office', 'db'])].sort()).toEqual(['device s.r1', 'device s.r2']);
  });
});

describe('assertions under failures', () => {
  it('refutes reach when the backup path crosses a firewall without the rule, naming the failed link', async () => {
    // Without r3, the only way around a failed r1 -- r2 is the firewall, which carries the
    // office's rules only when the placement is to survive a failure (not here).
    const text = TRIANGLE('ospf', 'survive 0 failures\nassert reach office -> db : postgres under failure of s.r1 -- s.r2').replace(/\n {2}link r[13] -- r[23] cost 3/g, '');
    const proof = await proveModel({ diagnostics: [], model: compiled(text) }, { pool });
    const v = proof.report!.verdicts[0]!;
    expect(v.status).toBe('refuted');
    expect(v.failed).toEqual(['s.r1 -- s.r2']);
    expect(v.counterexample!.summary).toMatch(/^with s\.r1 -- s\.r2 failed \(routing re-converged\): .*s\.fw/);
    expect(v.counterexample!.traces[0]!.hops.map((h) => h.device)).toEqual(['s.r1', 's.fw']);
    expect(proof.report!.stats.failures).toEqual([{ budget: 'failure of s.r1 -- s.r2', survived: 0, assertions: 1 }]);
  });

  it('proves isolate under any 1 failure and counts only the failure sets that can matter', async () => {
    const model = compiled(TRIANGLE('ospf', 'assert isolate lab -> db : ssh'));
    const proof = await proveModel({ diagnostics: [], model }, { pool, failures: 1 });
    const v = proof.report!.verdicts[0]!;
    expect(v.status).toBe('proven');
    // lab's paths to db and back: r3 -- r2 only (r3 and r2 are the gateways). Its failure
    // re-routes them over r1; nothing else is on a path.
    expect(v.failureSets).toBe(2);
    expect(proof.report!.stats.failures).toEqual([{ budget: 'any 1 failure', survived: 1, assertions: 1 }]);
  });

  it('refutes reach under 1 failure with static routing: static routes do not re-route', async () => {
    const model = compiled(TRIANGLE('static', 'assert reach lab -> db : ssh under 1 failure\npolicy {\n  allow lab -> db : ssh\n}'));
    const proof = await proveModel({ diagnostics: [], model }, { pool });
    const v = proof.report!.verdicts[0]!;
    expect(v.status).toBe('refuted');
    expect(v.failed).toEqual(['s.r2 -- s.r3']);
  });

  it('names the same refuting set whatever order the concurrent proofs end in: the first in key order', async () => {
    // A chain r1 -- r2 -- r3 with static routes: r2 failing and r2 -- r3 failing both break
    // a -> c. The verdict names the set first in key order ("device ..." before "link ..."),
    // alone, beside other assertions and under other workloads alike.
    const target = 'assert reach a -> c : ssh under 1 failure';
    const others = ['assert reach b -> c : dns under 1 failure', 'assert isolate c -> a under 1 failure', 'assert reach a -> c : ssh under failure of s.r2 -- s.r3'];
    const seen = new Set<string>();
    for (const text of [staticChainIntent(target), staticChainIntent([...others, target].join('\n')), staticChainIntent([target, ...others].join('\n'))]) {
      const model = compiled(text);
      const proof = await proveModel({ diagnostics: [], model }, { pool });
      const v = proof.report!.verdicts.find((x) => x.assertion.text === target)!;
      expect(v.status).toBe('refuted');
      seen.add(JSON.stringify({ failed: v.failed, sets: v.failureSets, summary: v.counterexample!.summary }));
    }
    expect([...seen].map((s) => JSON.parse(s) as unknown)).toEqual([
      { failed: ['s.r2'], sets: expect.any(Number) as number, summary: 'with s.r2 failed (routing re-converged): the packet has no route at s.r1 (black hole)' },
    ]);
  });

  it('gives the verdict that proving every failure set one by one gives (pruning is sound)', async () => {
    const assertions = [
      'assert reach office -> db : postgres under 2 failures',
      'assert reach lab -> db : ssh under 1 failure',
      'assert isolate lab -> office under 2 failures',
      'assert isolate db -> office : ssh under 1 failure',
    ];
    const model = compiled(TRIANGLE('ospf', `policy {\n  allow lab -> db : ssh\n}\n${assertions.join('\n')}`));
    const proof = await proveModel({ diagnostics: [], model }, { pool });
    const { links, devices } = failureElements(model);
    for (const [i, a] of model.assertions.entries()) {
      const gateways = gatewaysOf(model, [...a.sources, ...a.destinations]);
      const candidates = [...links, ...devices].filter((e) => !gateways.has(e.key));
      const budget = a.under && 'failures' in a.under ? a.under.failures : 0;
      const sets = [[], ...candidates.map((e) => [e]), ...(budget === 2 ? candidates.flatMap((e, j) => candidates.slice(j + 1).map((f) => [e, f])) : [])];
      let exhaustive: 'proven' | 'refuted' = 'proven';
      for (const set of sets) {
        const failed = failModel(model, set.map((e) => e.failure));
        const r = await verifyModel({ ...failed, assertions: [a] }, { pool });
        if (r.verdicts[0]!.status === 'refuted') exhaustive = 'refuted';
      }
      expect(proof.report!.verdicts[i]!.status, a.text).toBe(exhaustive);
    }
    // With r1 -- r2 and r3 down, office reaches db only over the firewall, which has no rule for it today.
    expect(proof.report!.verdicts[0]!.status).toBe('refuted');
    expect(proof.report!.verdicts[0]!.failed).toHaveLength(2);
  }, 300_000);
});
