// Every example, compiled and proven, then emulated: real FRR daemons and nftables in network
// namespaces, real packets for every assertion, and every packets' verdict must agree with the
// proof. The campus example also carries deliberately broken assertions (refuted by the
// verifier): the packets must fail where the proof fails.
//
// Outside CI, a machine without root or the tools skips these loudly; in CI they must run.

import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { modelOpens } from '../../pipeline/sweep-model.js';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { compile } from '../../compiler/index.js';
import type { NetworkModel } from '../../compiler/model.js';
import { emulate, missingPrerequisites, type EmulationReport } from '../../emulator/index.js';
import { fibDifferenceText } from '../../emulator/fib-compare.js';
import { sweepProbeText } from '../../emulator/sweep.js';
import type { CheckReport } from '../../api/reports.js';
import { analyze } from '../../language/analyze.js';
import { hasErrors } from '../../language/diagnostic.js';
import { verifyModel } from '../../verifier/index.js';
import { readSources, type SourceText } from '../../pipeline/sources.js';
import { atMost } from '../at-most.js';
import { describeDisagreements, emulationProblems } from './emulation-problems.js';

const missing = missingPrerequisites();
const canRun = missing.length === 0;
if (!canRun && !process.env.CI) {
  console.warn(
    `\n*** SKIPPING the emulator's example labs: missing ${missing.join(', ')} (they run in CI as root) ***\n`,
  );
}
const labIt = canRun || process.env.CI ? it.concurrent : it.skip;

/**
 * Labs side by side, each in namespaces of its own run: an example's lab mostly waits (OSPF's
 * timers while converging: 21-26 s of CI's 17-70 s per example; the probes' timeouts), while
 * its build, probes and sweep use the cores, so a few at once, not all. Three passed every run
 * at loads of 20-65 (three files at once); four and eight each failed a run at load 39-59, on labs
 * starved of CPU (docs/performance/test-loop.md, the sixteenth round).
 */
const LABS_AT_ONCE = 3;
const labSlot = atMost(LABS_AT_ONCE);

/** The examples whose labs take longest (CI), started first so that no long one starts last. */
const LONGEST_FIRST = ['campus', 'nat', 'multicloud', 'acme', 'harbor'];

const EXAMPLES_DIR = join(import.meta.dirname, '../../examples');

/** Assertions the verifier refutes on the campus example (a deliberately broken intent). */
const BROKEN_CAMPUS = [
  'assert reach guest -> staff : https', // guests are denied everything inside
  'assert isolate staff -> servers : ssh', // staff may ssh to the servers
  'assert reach iot -> internet : https', // IoT devices may not phone home
];

interface Example {
  name: string;
  files: SourceText[];
}

/**
 * The `.plumb` files directly in `examples/<rel>`, sorted, as `plumb` reads the folder: with the
 * modules they import after them (`imported`).
 */
function intentFiles(rel: string): Example['files'] {
  const own = readdirSync(join(EXAMPLES_DIR, rel)).filter((f) => f.endsWith('.plumb'));
  return own.length === 0 ? [] : readSources([`examples/${rel}`], join(EXAMPLES_DIR, '..'));
}

/**
 * Every intent under examples/: a folder with `.plumb` files is one intent; a folder without
 * any whose subfolders hold them (an example of several parties, each its own intent) is one
 * intent per such subfolder, named `folder/subfolder`. Folders with neither (ci/) are not intents.
 */
function examples(): Example[] {
  const subfolders = (rel: string): string[] =>
    readdirSync(join(EXAMPLES_DIR, rel), { withFileTypes: true })
      .filter((d) => d.isDirectory())
      .map((d) => (rel ? `${rel}/${d.name}` : d.name));
  const out: Example[] = [];
  for (const folder of subfolders('')) {
    const files = intentFiles(folder);
    if (files.length > 0) out.push({ name: folder, files });
    else
      for (const sub of subfolders(folder)) {
        const inner = intentFiles(sub);
        // A folder the parties import (a contract, shared services) is a module, not a network:
        // a module never holds a site.
        if (inner.some((f) => !f.imported && /^site /m.test(f.text))) out.push({ name: sub, files: inner });
      }
  }
  const rank = (name: string): number => {
    const i = LONGEST_FIRST.indexOf(name);
    return i < 0 ? LONGEST_FIRST.length : i;
  };
  return out.sort((a, b) => rank(a.name) - rank(b.name) || (a.name < b.name ? -1 : 1));
}

const timings: string[] = [];
const fileStart = Date.now();

/** For each external with an eBGP session: a hijack of our first segment's /25 and a foreign prefix. */
function extraAnnouncements(model: NetworkModel): Record<string, string[]> {
  const segment = model.endpoints.find(
    (e) => e.kind === 'segment' && e.include.some((p) => !p.includes(':')),
  );
  const v4 = segment?.include.find((p) => !p.includes(':') && Number(p.split('/')[1]) <= 24);
  const hijack = v4 ? `${v4.split('/')[0]}/25` : undefined;
  const out: Record<string, string[]> = {};
  for (const d of model.devices) {
    for (const n of d.bgp?.neighbors ?? []) {
      const own = model.endpoints.find((e) => e.name === n.external)?.include ?? [];
      out[n.external] = [hijack, '203.0.113.128/25'].filter(
        (p): p is string => p !== undefined && !own.includes(p),
      );
    }
  }
  return out;
}

describe('every example in a lab', () => {
  afterAll(() => {
    if (timings.length > 0)
      console.log(`emulator timings per example (2-core machine):\n  ${timings.join('\n  ')}`);
  });

  for (const ex of examples()) {
    const broken = ex.name === 'campus';
    labIt(
      `${ex.name}: the packets agree with every proof${broken ? ' (with deliberately refuted assertions added, through the CLI)' : ''}`,
      () => labSlot(async () => {
        const slotStart = Date.now();
        let report: EmulationReport;
        let assertionCount: number;
        // `plumb emulate`'s exit code and, when it fails, every section of the report that is not a pass.
        let exitProblems: { code: number; why: string[] } | undefined;
        if (broken) {
          // Through `plumb emulate`, with a second file of assertions the verifier refutes.
          const dir = mkdtempSync(join(tmpdir(), 'plumb-emulate-'));
          const extra = join(dir, 'broken.plumb');
          writeFileSync(extra, `${BROKEN_CAMPUS.join('\n')}\n`);
          const out: string[] = [];
          const err: string[] = [];
          const io: CliIo = {
            stdout: (t) => void out.push(t),
            stderr: (t) => void err.push(t),
            isTTY: false,
            cwd: join(EXAMPLES_DIR, '..'),
            env: {},
          };
          const code = await run(
            [
              'emulate',
              // The intent's own files, as a user names them (its plumb.lock is read beside them).
              ...ex.files.filter((f) => !f.imported && f.path.endsWith('.plumb')).map((f) => f.path),
              extra,
              '--format',
              'json',
              '--converge-timeout',
              '60',
            ],
            io,
          );
          rmSync(dir, { recursive: true, force: true });
          // No report at all: what the command said instead.
          expect(out.join(''), err.join('')).not.toBe('');
          const json = JSON.parse(out.join('')) as { diagnostics: CheckReport; emulation: EmulationReport };
          report = json.emulation;
          expect(err.join(''), 'stderr').toBe('');
          const errors = json.diagnostics.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}: ${d.message}`);
          const why = [...errors, ...emulationProblems(report)];
          exitProblems = { code, why: why.length > 0 ? why : ['no section of the report fails (failure sets?)', JSON.stringify(report).slice(0, 4000)] };
          assertionCount = report.results.length;
          expect(assertionCount).toBeGreaterThan(BROKEN_CAMPUS.length);
        } else {
          const analysis = analyze(ex.files);
          expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
          const compiled = compile(analysis.intent!);
          expect(hasErrors(compiled.diagnostics)).toBe(false);
          const verification = await verifyModel(compiled.model);
          // Every eBGP external also announces more than its prefixes: a more-specific of one of
          // our segments (a hijack) and a foreign prefix. Our import filters must reject both.
          const extra = extraAnnouncements(compiled.model);
          report = await emulate(compiled.model, {
            verdicts: verification.verdicts,
            convergenceLimitMs: 60_000,
            // The sweep's full run is sweep.test.ts's; here a sample keeps the suite's time.
            sweepLimit: 120,
            sweepOpens: modelOpens,
            extraAnnouncements: extra,
          });
          const expected = Object.values(extra).flat().length;
          if (expected > 0) {
            expect(report.importChecks.length).toBeGreaterThanOrEqual(expected);
            expect(report.importChecks.filter((c) => !c.rejected)).toEqual([]);
          }
          assertionCount = compiled.model.assertions.length;
        }
        const emulated = report.devices
          .filter((d) => !d.native)
          .map((d) => `${d.id} (${d.platform} as ${d.emulatedAs}, ${d.filters})`);
        timings.push(
          `${ex.name}: ${Math.round((Date.now() - slotStart) / 1000)} s in its slot (from ${Math.round((slotStart - fileStart) / 1000)} s), ${report.namespaces.length} namespaces, build ${report.buildMillis} ms, ` +
            `${report.converged ? 'converged' : 'NOT converged'} after ${report.convergeMillis} ms, ` +
            `probes ${report.probeMillis} ms, teardown ${report.teardownMillis} ms; emulated: ${emulated.join(', ') || 'none'}`,
        );
        if (!report.converged)
          console.warn(`${ex.name}: routing did not converge:\n  ${report.notConverged.join('\n  ')}`);
        // After the phases are recorded, so that a failing lab's are printed too.
        if (exitProblems) expect(exitProblems.code, `plumb emulate failed:\n${exitProblems.why.join('\n')}`).toBe(0);
        expect(report.error).toBeUndefined();
        // FRR reached exactly the compiled FIB: every route, with the model's equal-cost next hops.
        expect(report.notConverged).toEqual([]);
        // Every external's BGP speaker received exactly what the model exports to it.
        expect((report.exportChecks ?? []).filter((c) => c.missing.length > 0 || c.extra.length > 0)).toEqual([]);
        // The model-versus-kernel routing test: every device's `ip -4/-6 route` equals its model
        // FIB entry by entry (emulator/fib-compare.ts; random intents in random-fib.test.ts).
        expect((report.fibDifferences ?? []).map(fibDifferenceText)).toEqual([]);
        // The device exposure sweep: every connection to a device's own addresses opens exactly
        // when the model's local filters (and the way there and back) say it does.
        const sweep = report.sweep!;
        timings.push(`${ex.name}: sweep ${sweep.probes} of ${sweep.planned} connections in ${sweep.millis} ms, ${sweep.devices.reduce((n, d) => n + d.open, 0)} open`);
        expect(
          sweep.devices.flatMap((d) => d.disagreements.map((x) => `${x.open ? 'opened' : 'closed'}: ${sweepProbeText(x.probe)}`)),
        ).toEqual([]);
        expect(report.results).toHaveLength(assertionCount);
        expect(describeDisagreements(report)).toEqual([]);
        if (broken) {
          for (const text of BROKEN_CAMPUS) {
            const r = report.results.find((x) => x.assertion.text === text);
            expect({ text, proof: r?.proof, packets: r?.packets }).toEqual({
              text,
              proof: 'refuted',
              packets: 'fails',
            });
          }
        }
      }),
      // Only a hang detector (routing has its own 60 s limit), the wait for a place among the
      // labs at once included: under a load average of 15-22 an example alone took just past
      // 240 s, its lab working all along.
      900_000,
    );
  }
});
