// The lint in steps (`lintSteps`), as the verifier runs it between the solver workers' answers:
// drained, it gives the diagnostics of the lint run in one go, in the same order, however small
// the steps; and it does yield, at least once per rule, assertion and device when asked for
// steps of one. verifyModel's diagnostics (the lint run in slices while Z3 answers) are the
// lint's.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NetworkModel, ServiceModel } from '../../compiler/model.js';
import { compareDiagnostics } from '../../language/diagnostic.js';
import { SolverPool, verifyModel } from '../../verifier/index.js';
import { lintAssertions, lintModel, lintPolicy, lintSteps, LINT_STEP } from '../../verifier/lint.js';
import { lintForwarding } from '../../verifier/lint-forwarding.js';
import { netIndex } from '../../verifier/simulate.js';
import { https, span, ssh } from './builder.js';
import { prng, randomNetwork } from './random-networks.js';
import { rewireRoutes } from './rewired-routes.js';

const SEEDS = Array.from({ length: 60 }, (_, i) => 9000 + i);

const SERVICES: ServiceModel[][] = [[], [https], [ssh], [https, ssh]];

/**
 * A seeded random network with random policy rules between its segments (allows a deny covers,
 * denies no allow overlaps); odd seeds with a few routes rewired to a random interface, dropped,
 * or split by a /25 (as lint-reach.test.ts scrambles them): loops, black holes and allows no
 * route serves, for the lint to find.
 */
function network(seed: number): NetworkModel {
  const { model, segments } = randomNetwork(seed);
  const rnd = prng(seed * 7919);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  for (let i = 0, n = 4 + Math.floor(rnd() * 10); i < n; i++) {
    const action = rnd() < 0.6 ? 'allow' : 'deny';
    const sources = [...new Set([pick(segments), pick(segments)])];
    const destinations = [pick(segments)];
    model.policy.push({ action, sources, destinations, services: pick(SERVICES), text: `${action} ${sources.join(', ')} -> ${destinations.join(', ')}`, origin: span(1000 + i) });
  }
  if (seed % 2 === 0) return model;
  rewireRoutes(model, rnd, { rewire: 0.2, split: 0.3, drop: 0.45 });
  return model;
}

/** The lint in one go, piece by piece, each piece with its own loop and no steps. */
function inOneGo(model: NetworkModel): unknown {
  const idx = netIndex(model);
  return JSON.parse(JSON.stringify([...lintPolicy(idx), ...lintAssertions(idx), ...lintForwarding(idx)]));
}

const plain = (x: unknown): unknown => JSON.parse(JSON.stringify(x));

/** Drained steps of `every` pieces, with how many times they yielded. */
function stepped(model: NetworkModel, every: number): { diagnostics: unknown; yields: number } {
  const steps = lintSteps(model, every);
  let yields = 0;
  for (;;) {
    const r = steps.next();
    if (r.done) return { diagnostics: plain(r.value), yields };
    yields++;
  }
}

describe('lintSteps', () => {
  it('drained, equals the lint in one go on seeded random networks, for steps of 1, 3 and the default', () => {
    const codes = new Set<string>();
    for (const seed of SEEDS) {
      // Fresh models each time: no cache of one run is seen by the other.
      const expected = inOneGo(network(seed));
      for (const d of expected as { code: string }[]) codes.add(d.code);
      for (const every of [1, 3, LINT_STEP]) expect(stepped(network(seed), every).diagnostics, `seed ${seed}, steps of ${every}`).toEqual(expected);
      expect(plain(lintModel(network(seed))), `seed ${seed}`).toEqual(expected);
    }
    // The comparison is not of empty lists only: every code of the lint but V803 (these networks assert nothing) is found.
    expect([...codes].sort()).toEqual(['V801', 'V802', 'V804', 'V805']);
  });

  it('yields at least once per rule, assertion and device when asked for steps of one', () => {
    for (const seed of SEEDS.slice(0, 10)) {
      const model = network(seed);
      const pieces = model.policy.length + model.assertions.length + model.devices.length;
      expect(stepped(model, 1).yields, `seed ${seed}`).toBeGreaterThanOrEqual(pieces);
    }
  });
});

describe('verifyModel lints between the answers', () => {
  const pool = new SolverPool(1);
  beforeAll(() => pool.start());
  afterAll(() => pool.close());

  it('reports the lint\'s diagnostics (sorted, as it reports all) on seeded random networks', async () => {
    for (const seed of SEEDS.slice(0, 8)) {
      const expected = plain(lintModel(network(seed)).sort(compareDiagnostics));
      const report = await verifyModel(network(seed), { pool });
      expect(plain(report.diagnostics), `seed ${seed}`).toEqual(expected);
    }
  }, 120_000);
});
