// The screen (verifier/screen.ts, SolverPool.solveScoped): a batch's questions in one Z3 context,
// each in a scope of its own, and only a clean "unsat" taken as proof. Its answers must be the
// fresh contexts' answers question for question, in order; a scope that did not end cleanly must
// not leave anything behind for the next; nothing but "unsat" proves; and `stats.queries` counts
// a batch once, whether the screen decided it or not.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import type { AssertionModel, NetworkModel } from '../../compiler/model.js';
import { analyze } from '../../language/analyze.js';
import { verifyModel } from '../../verifier/index.js';
import { buildQuery, expandFlow, familiesOf } from '../../verifier/queries.js';
import { parseOutput } from '../../verifier/results.js';
import { screen, screenScript, screenVerdicts } from '../../verifier/screen.js';
import { netIndex } from '../../verifier/simulate.js';
import { SolverPool, type ScopedResult } from '../../verifier/solver-pool.js';
import { span } from './builder.js';
import { bigFilterNetwork, prng, randomNetwork, SERVICE_CHOICES } from './random-networks.js';

/** verifyModel's fresh script for one question (index.ts, sectionScript). */
const fresh = (text: string, timeoutMs: number): string =>
  `(reset)\n(set-option :random-seed 0)\n(set-option :timeout ${timeoutMs})\n(set-option :produce-models true)\n${text}`;

/** Seeded random networks with assertions between random segments, reach and isolate. */
function randomModels(): NetworkModel[] {
  const models: NetworkModel[] = [];
  for (const seed of [3, 17, 29, 41]) {
    const { model, segments } = randomNetwork(seed);
    const rnd = prng(seed ^ 0x5bd1e995);
    model.assertions = [];
    for (let k = 0; k < 6; k++) {
      const s = Math.floor(rnd() * segments.length);
      let d = Math.floor(rnd() * segments.length);
      if (d === s) d = (d + 1) % segments.length;
      const property = rnd() < 0.5 ? 'reach' : 'isolate';
      const services = SERVICE_CHOICES[Math.floor(rnd() * SERVICE_CHOICES.length)]!;
      model.assertions.push({ property, sources: [segments[s]!], destinations: [segments[d]!], services, text: `${property} ${s}->${d} #${k}`, origin: span(k + 1) });
    }
    models.push(model);
  }
  models.push(bigFilterNetwork(7, 300, 150, 16));
  // Mostly proven, with NAT and a refutation.
  for (const name of ['campus', 'nat']) models.push(compile(analyze([{ path: `${name}.plumb`, text: readFileSync(`examples/${name}/${name}.plumb`, 'utf8') }]).intent!).model);
  return models;
}

/** Each assertion's family queries (those that need a solver). */
function questionsOf(model: NetworkModel): { assertion: AssertionModel; texts: string[]; questions: string[] }[] {
  const idx = netIndex(model);
  return model.assertions.flatMap((assertion) => {
    const flow = expandFlow(idx, assertion);
    const queries = familiesOf(idx, flow).map((f) => buildQuery(idx, assertion, flow, f));
    if (queries.length === 0 || queries.every((q) => q.unsatisfiable)) return [];
    return [{ assertion, texts: queries.map((q) => q.text), questions: queries.map((q) => q.question) }];
  });
}

describe('the screen', () => {
  const pool = new SolverPool(1);
  beforeAll(() => pool.start(), 60_000);
  afterAll(() => pool.close());

  it('answers every question as a fresh context does, in order, on seeded random networks', { timeout: 240_000 }, async () => {
    const seen = { sat: 0, unsat: 0 };
    for (const model of randomModels()) {
      const groups = questionsOf(model);
      const texts = groups.flatMap((g) => g.texts);
      const answer = await pool.solve(texts.map((t) => fresh(t, 30_000)).join('\n'), 600_000);
      if (!answer.ok) throw new Error(answer.reason);
      const statuses = parseOutput(answer.output, texts.length).map((r) => r.status);
      // One context for the whole model: a question's answer there must not depend on the others.
      const scoped = await pool.solveScoped(
        groups.flatMap((g) => g.questions.map((q) => screenScript(q, 30_000))),
        600_000,
      );
      if (!scoped.ok) throw new Error(scoped.reason);
      expect(scoped.outputs).toEqual(statuses.map((s) => `${s}\n@end\n`));
      expect(scoped.queryMillis).toHaveLength(texts.length);
      for (const s of statuses) if (s === 'sat' || s === 'unsat') seen[s]++;
      // Per assertion: proven by the screen exactly when every fresh answer is unsat, and so by verifyModel.
      const screened = await screen(pool, groups.map((g) => g.questions), 30_000);
      let at = 0;
      const expected = groups.map((g) => {
        const mine = statuses.slice(at, (at += g.texts.length));
        return mine.every((s) => s === 'unsat');
      });
      expect(screened.map((s) => s.proven)).toEqual(expected);
      const report = await verifyModel(model, { pool, lint: false });
      const byText = new Map(report.verdicts.map((v) => [v.assertion.text, v.status]));
      expect(groups.map((g) => byText.get(g.assertion.text))).toEqual(expected.map((p) => (p ? 'proven' : 'refuted')));
    }
    // Both answers occur in plenty, or the comparison proves little.
    expect(seen.sat).toBeGreaterThan(10);
    expect(seen.unsat).toBeGreaterThan(10);
  });

  it('does not carry a scope that ended uncleanly into the next question', async () => {
    // What a time-out can leave behind (Z3 cancels the scope's pop): an assertion of the earlier
    // question still in force, with an error in that question's output. Kept, it would make the
    // next, satisfiable question unsatisfiable.
    const unbalanced = '(push)\n(set-option :timeout 1000)\n(declare-const k Bool)\n(assert false)\n(check-sat)\n(echo "@end")\n(no-such-command)\n';
    const easy = screenScript('(declare-const x (_ BitVec 8))\n(assert (= (bvadd x #x01) #x05))', 30_000);
    const r = await pool.solveScoped([easy, unbalanced, easy, easy], 60_000);
    if (!r.ok) throw new Error(r.reason);
    expect(r.outputs[1]).toMatch(/^unsat\n@end\n./);
    expect(r.outputs.filter((_, i) => i !== 1)).toEqual(['sat\n@end\n', 'sat\n@end\n', 'sat\n@end\n']);
  });

  it('starts afresh after a real time-out: the next questions answer as alone', { timeout: 120_000 }, async () => {
    // Factoring a 64-bit number: no time limit of a few milliseconds decides it. After such a
    // time-out Z3 may cancel the scope's pop or the next push ("push canceled").
    const hard = screenScript(
      '(declare-const a (_ BitVec 64))(declare-const b (_ BitVec 64))(assert (= (bvmul a b) #x8000000b00000015))' +
        '(assert (bvugt a #x0000000000000001))(assert (bvugt b #x0000000000000001))(assert (bvult a #x0000000100000000))(assert (bvult b #x0000000100000000))',
      1,
    ).replace(':timeout 1)', ':timeout TIMEOUT)');
    const sat = screenScript('(declare-const a (_ BitVec 8))\n(assert (= a #x02))', 30_000);
    const unsat = screenScript('(declare-const x (_ BitVec 8))\n(assert (= x #x01))\n(assert (= x #x02))', 30_000);
    const queries = [1, 5, 20, 50, 200].flatMap((ms) => [hard.replace('TIMEOUT', String(ms)), sat, unsat, sat]);
    const r = await pool.solveScoped(queries, 600_000);
    if (!r.ok) throw new Error(r.reason);
    // The time-out's cancel may still land on the question after it, in its fresh context (an
    // error, "push canceled", in that output: not clean, so not taken and that context is
    // replaced too); never as the wrong clean answer. Two questions on, the context is clean: in
    // one kept from the time-out, the earlier `a` would still be declared.
    r.outputs.forEach((out, i) => {
      const at = `question ${i}: ${JSON.stringify(out)}`;
      if (i % 4 === 0) expect(out, at).not.toMatch(/^(sat|unsat)\n@end\n$/);
      if (i % 4 === 1) expect(out, at).not.toBe('unsat\n@end\n');
      if (i % 4 === 2) expect(out, at).not.toBe('sat\n@end\n');
      if (i % 4 === 3) expect(out, at).toBe('sat\n@end\n');
    });
    // Taken as proof: none but the easy unsatisfiable ones.
    screenVerdicts(r, queries.map(() => [0])).forEach((s, i) => expect(!s.proven || i % 4 === 2).toBe(true));
  });

  it('takes only an exact "unsat" of every question as proof, each group by its own outputs', () => {
    const answer = (outputs: string[]): ScopedResult => ({ ok: true, outputs, millis: 10, queryMillis: outputs.map((_, i) => i + 1) });
    const pairs = [[0, 1], [2], [3, 4]];
    const r = screenVerdicts(answer(['unsat\n@end\n', 'unsat\n@end\n', 'sat\n@end\n', 'unsat\n@end\n', 'unknown\n@end\n']), pairs);
    expect(r).toEqual([
      { proven: true, millis: 3 },
      { proven: false, millis: 3 },
      { proven: false, millis: 9 },
    ]);
    for (const bad of ['sat\n@end\n', 'unknown\n@end\n', '(error "x")\nunsat\n@end\n', 'unsat\n', 'unsat\n@end\nunsat\n@end\n', '']) {
      expect(screenVerdicts(answer([bad]), [[0]])[0]!.proven, JSON.stringify(bad)).toBe(false);
    }
    // Fewer or more outputs than questions: nothing is taken, however they read.
    expect(screenVerdicts(answer(['unsat\n@end\n']), [[0, 1]])).toEqual([{ proven: false, millis: 0 }]);
    expect(screenVerdicts(answer(['unsat\n@end\n', 'unsat\n@end\n']), [[0]])).toEqual([{ proven: false, millis: 0 }]);
    // A failed call proves nothing; its time is shared out.
    expect(screenVerdicts({ ok: false, reason: 'x', millis: 30 }, [[0, 1], [2]])).toEqual([
      { proven: false, millis: 20 },
      { proven: false, millis: 10 },
    ]);
  });

  it('counts each batch once in stats.queries, whether the screen decided it or not', { timeout: 120_000 }, async () => {
    const model = bigFilterNetwork(11, 300, 150, 20);
    let screens = 0;
    const counting = new (class extends SolverPool {
      override solveScoped(queries: readonly string[], deadlineMs: number): Promise<ScopedResult> {
        screens++;
        return super.solveScoped(queries, deadlineMs);
      }
    })(1);
    try {
      await counting.start();
      const report = await verifyModel(model, { pool: counting, lint: false });
      expect(report.stats.refuted).toBeGreaterThan(0);
      expect(report.stats.proven).toBeGreaterThan(0);
      expect(report.stats.restarts).toBe(0);
      expect(screens).toBeGreaterThan(1);
      expect(report.stats.queries).toBe(screens);
      expect(counting.queries).toBe(screens);
    } finally {
      await counting.close();
    }
  });
});
