// A discard route (StaticRouteModel.discard; a FIB entry without next hops) in the verifier: what
// it routes is dropped, said as such by the tree, the simulator and the trace; the forwarding lint
// calls it a black hole only where it takes an internal prefix; and the compiled translated export
// it exists for changes no proof.

import { describe, expect, it } from 'vitest';
import { formatOutcome } from '../../cli/report/counterexample.js';
import type { NetworkModel, RouteModel } from '../../compiler/model.js';
import { Codes } from '../../language/diagnostics/index.js';
import { prefixOf } from '../../language/address.js';
import { forwardingTree } from '../../verifier/forwarding.js';
import { prefixesToSet } from '../../verifier/intervals.js';
import { lintModel } from '../../verifier/lint.js';
import { netIndex, simulate } from '../../verifier/simulate.js';
import { verifyModel } from '../../verifier/index.js';
import { compileText } from '../compiler/helpers.js';
import { OVERLAP } from '../compiler/nat-intents.js';
import { https } from './builder.js';
import { staticInside } from './nat-models.js';
import { sharedPool } from '../shared-solvers.js';

// One pool of Z3 workers for the file's proofs (test/shared-solvers.ts): each verifyModel would
// otherwise start and close workers of its own; every query starts from a clean solver.
const pool = sharedPool(1);

/** `route` put into a device's FIB (replacing one of its prefix), in prefix order. */
function withRoute(model: NetworkModel, device: string, route: RouteModel): NetworkModel {
  const d = model.devices.find((x) => x.id === device)!;
  const length = (r: RouteModel): [bigint, number] => {
    const p = prefixOf(r.prefix);
    return [p.value, p.length];
  };
  d.fib = [...d.fib.filter((r) => r.prefix !== route.prefix), route].sort((a, b) => {
    const [x, m] = length(a);
    const [y, n] = length(b);
    return x < y ? -1 : x > y ? 1 : m - n;
  });
  return model;
}

const DISCARD: RouteModel = { prefix: '100.64.20.0/24', protocol: 'static', nextHops: [], metric: 0 };

/** staticInside with the edge's discard route for the mapped prefix, and r1 routing it to the edge. */
function withDiscard(): NetworkModel {
  const model = withRoute(staticInside(), 'edge.e1', DISCARD);
  return withRoute(model, 'in.r1', { prefix: '100.64.20.0/24', protocol: 'static', nextHops: [{ interface: 'Gi1', address: '10.255.0.1', device: 'edge.e1' }], metric: 0 });
}

describe('a discard route in the verifier', () => {
  it('the simulator drops what it routes, and the trace says so', () => {
    const model = withDiscard();
    const traces = simulate(model, { family: 4, source: '10.20.1.5', destination: '100.64.20.9', protocol: 6, sourcePort: 40000, destinationPort: 443, tcpFlags: ['syn'] }, { ingress: { device: 'in.r1', interface: 'Gi2' } });
    expect(traces.map((t) => t.outcome)).toEqual([{ kind: 'discarded', device: 'edge.e1', prefix: '100.64.20.0/24' }]);
    expect(formatOutcome(traces[0]!)).toBe('DISCARDED at edge.e1: route 100.64.20.0/24 to nowhere (null route)');
  });

  it('the forwarding tree ends what it routes in a `discarded` leaf, not in no leaf at all', () => {
    const model = withDiscard();
    const tree = forwardingTree(netIndex(model), 4, { device: 'in.r1', interface: 'Gi2' }, prefixesToSet(['100.64.20.0/24'], 4));
    expect(tree.leaves.map((l) => l.end)).toEqual([{ kind: 'discarded', device: 'edge.e1', prefix: '100.64.20.0/24' }]);
  });

  it('packets from outside to the mapped prefix are translated before routing: the discard route changes no proof', async () => {
    const plain = await verifyModel(staticInside(), { lint: false, pool: pool() });
    const discarding = await verifyModel(withDiscard(), { lint: false, pool: pool() });
    expect(discarding.verdicts.map((v) => v.status)).toEqual(plain.verdicts.map((v) => v.status));
    expect(discarding.verdicts[0]!.assertion.services).toEqual([https]);
    expect(discarding.verdicts[0]!.status).toBe('proven');
  });

  it('the lint: a discard route for addresses nothing inside owns is no black hole; one that takes an internal prefix is', () => {
    expect(lintModel(withDiscard()).filter((d) => d.code === Codes.blackHole)).toEqual([]);
    const hole = withRoute(staticInside(), 'edge.e1', { ...DISCARD, prefix: '10.20.1.0/24' });
    const found = lintModel(hole).filter((d) => d.code === Codes.blackHole).map((d) => d.message);
    expect(found).toContain('black hole for internal prefix 10.20.1.0/24: edge.e1 discards it (route 10.20.1.0/24 to nowhere)');
  });

  it('the compiled translated export: its discard route raises no lint finding and changes no proof', async () => {
    const { model, diagnostics } = compileText(OVERLAP);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(model.devices.find((d) => d.id === 'fra1.edge1')!.fib.find((r) => r.prefix === '100.64.20.0/24')?.nextHops).toEqual([]);
    const report = await verifyModel(model, { timeoutMs: 120_000, pool: pool() });
    expect(report.diagnostics.filter((d) => d.code === Codes.blackHole || d.code === Codes.forwardingLoop)).toEqual([]);
    expect(report.verdicts.map((v) => v.status)).toEqual(['proven', 'proven', 'proven', 'refuted']);
  }, 300_000);
});
