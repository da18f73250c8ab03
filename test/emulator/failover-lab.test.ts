// Failures made for real: examples/failover and its fragile variant (`survive 0 failures`, the
// case of test/verifier/failures-example.test.ts) emulated in real namespaces with FRR; each
// failure set the proofs under failures are about is failed in the lab (links down at both ends,
// a device's daemons stopped and its interfaces down), routing must reach the failed network's
// model FIB, the packets must say what the proof under that set says, and the lab must come back.
// Each intent is proven once, while its labs are built; examples/failover has one lab, the
// fragile variant one lab per failure set (each set is still failed, probed and restored from the
// intact lab), and the three labs run at once: a set's restore (OSPF forming adjacencies again,
// 6-24 s) then no longer waits behind the other set's.
//
// Outside CI, a machine without root or the tools skips these loudly; in CI they must run.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderEmulationText } from '../../cli/commands/emulate.js';
import type { NetworkModel } from '../../compiler/model.js';
import { emulate, missingPrerequisites, type EmulationReport } from '../../emulator/index.js';
import { fibDifferenceText } from '../../emulator/fib-compare.js';
import { compileIntent } from '../../pipeline/compile.js';
import { failureSetsToTest, MAX_SETS_PER_ASSERTION, type FailureSetToMake } from '../../pipeline/emulate-failures.js';
import { verifyUnderFailures } from '../../verifier/failures.js';
import { verifyModel } from '../../verifier/index.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import type { Verdict } from '../../verifier/verdict.js';

const missing = missingPrerequisites();
const canRun = missing.length === 0;
if (!canRun && !process.env.CI) {
  console.warn(`\n*** SKIPPING the failover labs: missing ${missing.join(', ')} (they run in CI as root) ***\n`);
}
const labIt = canRun || process.env.CI ? it : it.skip;

const PATH = 'examples/failover/failover.plumb';
const TEXT = readFileSync(PATH, 'utf8');
// The fragile variant also fails a device for real: the firewall, on no path of today's.
const FRAGILE = `${TEXT.replace('survive 1 failure', 'survive 0 failures')}assert isolate guest -> db under failure of fra.fw1\n`;
const WAN = 'link ams.core2 -- fra.core1';

let pool: SolverPool;
let poolStarted: Promise<void>;
const models = new Map<string, NetworkModel>();
const proofs = new Map<string, Promise<Proven>>();
const reports = new Map<string, Promise<EmulationReport>>();

/** An intent's intact verdicts and the failure sets its proofs under failures name. */
interface Proven {
  verdicts: Verdict[];
  sets: FailureSetToMake[];
}

/** The intent's model, compiled once per text (its labs and its proofs share it). */
function model(text: string): NetworkModel {
  const cached = models.get(text);
  if (cached) return cached;
  const c = compileIntent([{ path: PATH, text }]);
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  models.set(text, c.model!);
  return c.model!;
}

/** Proves the intent, intact and under its failures, once per text. */
function proven(text: string): Promise<Proven> {
  const cached = proofs.get(text);
  if (cached) return cached;
  const m = model(text);
  const p = (async () => {
    await poolStarted;
    const intact = await verifyModel(m, { pool });
    const failures = await verifyUnderFailures(m, { pool, intact: intact.verdicts });
    return { verdicts: intact.verdicts, sets: failureSetsToTest(m, failures.results) };
  })();
  // Its labs await it; until then a failure must not count as unhandled.
  p.catch(() => undefined);
  proofs.set(text, p);
  return p;
}

/**
 * Emulates the intent once under `name` (no sweep: not the subject), making the failure sets
 * `only` keeps (all of them without it), each from the intact lab and restored after. The lab is
 * built while the intent is proven: its probes await the proofs (emulator/proofs-after-build.ts).
 */
function emulated(name: string, text: string, only: (set: FailureSetToMake) => boolean = () => true): Promise<EmulationReport> {
  const cached = reports.get(name);
  if (cached) return cached;
  const p = proven(text);
  const report = emulate(model(text), { verdicts: p.then((x) => x.verdicts), failureSets: p.then((x) => x.sets.filter(only)), noSweep: true, convergenceLimitMs: 180_000 });
  // Its test awaits it; until then a failure must not count as unhandled.
  report.catch(() => undefined);
  reports.set(name, report);
  return report;
}

const isWan = (s: { names: string[] }): boolean => s.names.join(', ') === WAN;

/** Every way the lab disagreed with the model, as lines (for a readable failure). */
function disagreements(r: EmulationReport): string[] {
  const out = r.error ? [`error: ${r.error}`] : [];
  out.push(...r.notConverged.map((m) => `not converged: ${m}`), ...(r.fibDifferences ?? []).map(fibDifferenceText));
  for (const x of r.results) if (!x.agrees) out.push(`intact: ${x.assertion.text}: proof ${x.proof}, packets ${x.packets}`);
  for (const s of r.failureSets ?? []) {
    if (!s.converged) out.push(`${s.failed.join(', ')}: not converged: ${s.fibDifferences.map(fibDifferenceText).join('; ')}`);
    if (!s.restored) out.push(`${s.failed.join(', ')}: not restored: ${s.restoreProblems.join('; ')}`);
    for (const x of s.results) if (!x.agrees) out.push(`${s.failed.join(', ')}: ${x.assertion.text}: proof ${x.proof}, packets ${x.packets}`);
  }
  return out;
}

beforeAll(() => {
  pool = new SolverPool(2);
  poolStarted = pool.start();
  // The proofs await it; until then a failure must not count as unhandled.
  poolStarted.catch(() => undefined);
  // The three labs at once, in namespaces of their own, built while the solvers start and prove:
  // most of a failure set's time is waiting for routing to notice and come back, which the other
  // labs' proofs and packets fill.
  if (canRun || process.env.CI) {
    void emulated('failover', TEXT);
    void emulated('fragile, the WAN link', FRAGILE, isWan);
    void emulated('fragile, the other sets', FRAGILE, (s) => !isWan(s));
  }
});
afterAll(async () => {
  await Promise.allSettled([poolStarted, ...proofs.values(), ...reports.values()]);
  await pool.close();
});

describe('failures made for real', () => {
  labIt('examples/failover: every assertion agrees under each failure set, and the lab comes back', async () => {
    const r = await emulated('failover', TEXT);
    expect(disagreements(r)).toEqual([]);
    const sets = r.failureSets ?? [];
    // Every assertion's paths cross the WAN link only (the office's and the guests' gateways never
    // fail), so it is the one set the verifier explored, and the named assertion's set.
    expect(sets.map((s) => s.failed.join(', '))).toEqual([WAN]);
    const perAssertion = new Map<string, number>();
    for (const s of sets) for (const x of s.results) perAssertion.set(x.assertion.text, (perAssertion.get(x.assertion.text) ?? 0) + 1);
    expect([...perAssertion.keys()].sort()).toEqual(r.results.map((x) => x.assertion.text).sort());
    for (const n of perAssertion.values()) expect(n).toBeLessThanOrEqual(MAX_SETS_PER_ASSERTION);
    for (const s of sets) for (const x of s.results) expect([x.proof, x.packets]).toEqual(['proven', 'holds']);
  }, 900_000);

  labIt('the fragile variant: the refuted assertion fails in packets once the named link is down', async () => {
    const r = await emulated('fragile, the WAN link', FRAGILE, isWan);
    const other = await emulated('fragile, the other sets', FRAGILE, (s) => !isWan(s));
    expect(disagreements(r)).toEqual([]);
    expect(disagreements(other)).toEqual([]);
    // The two labs make every set the proofs name, each once: the WAN link and the firewall.
    const made = [r, other].map((x) => (x.failureSets ?? []).map((s) => s.failed.join(', ')));
    expect(made).toEqual([[WAN], ['device fra.fw1']]);
    expect(made.flat().sort()).toEqual((await proven(FRAGILE)).sets.map((s) => s.names.join(', ')).sort());
    // With everything up the office reaches the database: the proof of the intact network.
    for (const lab of [r, other]) {
      const intact = lab.results.find((x) => x.assertion.text.includes('postgres'))!;
      expect([intact.proof, intact.packets]).toEqual(['proven', 'holds']);
    }
    const wan = (r.failureSets ?? []).find((s) => s.failed.join(', ') === WAN)!;
    expect(wan.converged).toBe(true);
    const reach = wan.results.find((x) => x.assertion.text.includes('postgres'))!;
    expect([reach.proof, reach.packets, reach.agrees]).toEqual(['refuted', 'fails', true]);
    // The verifier's counterexample was sent in the failed lab too, and was not answered.
    const ce = reach.probes.find((p) => p.spec.note.startsWith("the verifier's"))!;
    expect(ce.spec.kind === "connect" ? ce.connected : ce.delivered).toBe(false);
    // The firewall failed: its daemons stopped and started again, the lab back at the intact FIB.
    const fw = (other.failureSets ?? []).find((s) => s.failed.join(', ') === 'device fra.fw1')!;
    expect([fw.converged, fw.restored]).toEqual([true, true]);
    expect(fw.results.map((x) => [x.assertion.text, x.proof, x.packets])).toEqual([['assert isolate guest -> db under failure of fra.fw1', 'proven', 'holds']]);
    const text = renderEmulationText(r);
    expect(text).toContain(`agree    reach office -> db : postgres under 1 failure — failed ${WAN}: proof refuted, packets fails`);
  }, 900_000);
});
