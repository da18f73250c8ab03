import { relative } from 'node:path';
import { configDefaults, defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The lab files (network namespaces, FRR, nftables), longest first (CI on 2 cores before the
 * fourteenth round: 126, 82, 45, 43, 40, 31, 30 and 55 s for the two authentication files now
 * one, 22, 21, 17, 13, 13, 11, 8 and 7 s; failover-lab, auth-lab, the drift and namespace files
 * run their labs at once since). On a loaded machine two labs at once slow each other far more
 * than a lab and a CPU-bound file do (namespace and routing-table changes and process starts
 * contend in the kernel): side by side at load 11-15, zbf-lab took 149 s beside auth-lab and 92 s
 * beside hostile-property. In CI, alone on the machine, two lab files at a time took 572 s of
 * files' time against 542 s one at a time (the sixteenth round), so CI runs two.
 */
const LABS = [
  'test/emulator/examples.test.ts',
  'test/emulator/failover-lab.test.ts',
  'test/emulator/nat-lab.test.ts',
  'test/emulator/joint-lab.test.ts',
  'test/emulator/random-fib.test.ts',
  'test/emulator/auth-lab.test.ts',
  'test/emulator/sweep.test.ts',
  'test/emulator/lab.test.ts',
  'test/emulator/sweep-prober.test.ts',
  'test/cli/drift-running-linux-frr.test.ts',
  'test/backends/linux-namespaces.test.ts',
  'test/cli/federation-example.test.ts',
  'test/backends/running-read.test.ts',
  'test/emulator/frr-reload.test.ts',
  'test/emulator/icmp-errors-lab.test.ts',
  'test/backends/frr-daemons.test.ts',
  'test/emulator/zbf-lab.test.ts',
];

/**
 * The other files run beside the longest lab (CI: limits and hostile-property 9-10 s, two under
 * a second that were long once). Heavier ones there slow it: with the language server's
 * background check, the Z3 loader's and the NAT intent's files in this list instead, the examples'
 * labs took 158 s in CI against 126 s, and those files twice their time.
 */
const OTHERS_SLOW = [
  'test/cli/limits.test.ts',
  'test/backends/hostile-property.test.ts',
  'test/backends/panos-auth.test.ts',
  'test/backends/paloalto-panos-nat-tools.test.ts',
];

/**
 * Files of the shared set that run in CI at the own-process set's end instead, longest first (CI,
 * s). They need no process of their own (test/shared-process.test.ts holds them to the shared
 * set's rules, and elsewhere they run there, first): in CI the labs keep that set's two workers
 * busy until about 310 s and leave them idle after, while the one shared thread, with 535 s of
 * files, was the suite's length (593 s from its first file; the sixteenth round's last run).
 * With nine such files moved (173 s of files), the own-process set ended at 408 s and the shared
 * thread at 478 s (409 s of files): the suite took 480 s. bench/whole, lsp/robustness and
 * verifier/differential-devices (43 s) were added to even that out, and cli/compile-output-safety
 * (3 s since its tests run at once) went back. The shared thread still ended 48-88 s after the
 * own-process set in four runs (467-555 s in all), so verifier/determinism and verifier/stress
 * (33 s) followed. In four later runs the shared thread still ended 59-88 s after the
 * own-process set (568 s against 493 s in the last, 506 s of files): the language server's
 * verification file, api/package and cli/report-chromium (30-42 s) followed too.
 */
const AFTER_LABS = [
  'test/docs/quick-start.test.ts', // 58
  'test/lsp/background-check.test.ts', // 25
  'test/bench/whole.test.ts', // 23
  'test/lsp/check-memo.test.ts', // 22
  'test/cli/semi-space.test.ts', // 19
  'test/ci/action.test.ts', // 13
  'test/api/api-doc.test.ts', // 12
  'test/lsp/resolve-memo.test.ts', // 11
  'test/lsp/robustness.test.ts', // 10
  'test/lsp/incremental-members.test.ts', // 10
  'test/verifier/differential-devices.test.ts', // 10
  'test/verifier/determinism.test.ts', // 18
  'test/verifier/stress.test.ts', // 15
  'test/lsp/verification.test.ts', // 10-13
  'test/api/package.test.ts', // 8-16
  'test/cli/report-chromium.test.ts', // 11-12
];


/**
 * Files that keep a process of their own (vitest's isolation), besides the labs and every file
 * of test/emulator (root, namespaces, signal handlers for the teardown).
 * Every other file runs in the shared set: one worker thread whose modules are kept from one
 * file to the next, which saves each file's import of the compiler, the backends and Z3 and a
 * process start (about half a second of worker time per file). A file is listed here when it
 * changes or reads what outlives it in a shared process; test/shared-process.test.ts fails when
 * a shared file's code does so unlisted, and test/shared-process-guard.ts when it leaves the
 * process changed.
 */
const OWN_PROCESS = [
  // V8's flags (--expose-gc), the process's heap, the origin tags' kept entries (the other
  // tests of a module's kept entries read them through test/kept-store.ts, in the shared set)
  'test/backends/origin-tag-kept.test.ts',
  // PATH changed for one test (restored after)
  'test/cli/graph.test.ts',
  // a listener on the process's warnings (removed after); the shared set's scan and guard,
  // shown failing on planted state
  'test/verifier/solver-pool-timer.test.ts',
  'test/shared-process.test.ts',
  // bounds on the process's CPU time (test/cpu-time.ts): every file of a process counts there
  'test/compiler/size-guard.test.ts',
  'test/language/fuzz.test.ts',
  'test/language/limits.test.ts',
  'test/language/scale.test.ts',
  // fast-check's own binary unit, whose first use costs seconds of CPU in a process (the shared
  // set's tests use test/binary-unit.ts instead; this file holds the two equal)
  'test/binary-unit.test.ts',
];

const FUZZ = 'test/fuzz/**/*.fuzz.test.ts';
/** CI, where every lab must run (elsewhere a lab file skips without root and the tools). */
const LABS_RUN = Boolean(process.env.CI);
const EMULATOR = 'test/emulator/**';
/** AFTER_LABS where they run at the own-process set's end (CI); elsewhere they start the shared set. */
const AFTER_LABS_RUN = LABS_RUN ? AFTER_LABS : [];
const SLOW_FIRST = LABS_RUN ? OTHERS_SLOW : [...AFTER_LABS, ...OTHERS_SLOW];

/**
 * The order of each set's files (vitest sorts each pool's files on its own). In the own-process
 * set the labs start first, longest first, each followed by its share of that set's other files,
 * and AFTER_LABS end it (in CI); the shared set has no labs, so its slow files (SLOW_FIRST) start
 * first, beside the longest lab in the other set, and no long file starts last to finish alone.
 * Each file runs exactly as elsewhere. The others keep vitest's order (its timing cache).
 */
class LabsSpreadSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const name = (f: TestSpecification): string => relative(this.ctx.config.root, f.moduleId);
    const ranked = (list: string[]): TestSpecification[] =>
      sorted.filter((f) => list.includes(name(f))).sort((a, b) => list.indexOf(name(a)) - list.indexOf(name(b)));
    const labs = ranked(LABS);
    const slow = ranked(SLOW_FIRST);
    const last = ranked(AFTER_LABS_RUN);
    const placed = [...LABS, ...SLOW_FIRST, ...AFTER_LABS_RUN];
    const rest = sorted.filter((f) => !placed.includes(name(f)));
    const share = labs.length === 0 ? 0 : Math.ceil((rest.length * 2) / 3 / labs.length);
    const out: TestSpecification[] = [];
    labs.forEach((lab, i) => {
      out.push(lab);
      if (i === 0) out.push(...slow.splice(0));
      out.push(...rest.splice(0, share));
    });
    return [...out, ...slow, ...rest, ...last];
  }
}

export default defineConfig({
  test: {
    // The pipeline fuzz job has its own configuration (vitest.fuzz.config.ts, `npm run fuzz`).
    exclude: [...configDefaults.exclude, FUZZ],
    // vitest runs the two pools side by side, each with its own bound, and leaves room for slow
    // suites without hiding hangs. In CI the own-process set holds the labs (about half of the
    // files' time), which mostly wait (OSPF's timers, the probes' timeouts): two lab files at
    // once took 319 s against 580 s one at a time, each file about as long as alone; beside them
    // one shared worker thread (two made every shared file twice as long: 583 s against 556 s in
    // all; docs/performance/test-loop.md). Elsewhere the labs skip (no root): one fork for the
    // rest of that set, and two shared threads.
    pool: 'forks',
    poolOptions: {
      forks: { maxForks: LABS_RUN ? 2 : 1, minForks: 1 },
      threads: { isolate: false, maxThreads: LABS_RUN ? 1 : 2, minThreads: 1 },
    },
    sequence: { sequencer: LabsSpreadSequencer },
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // vitest decides a pool's isolation once for the whole run (its root options), not per
    // project: the own-process set is the forks pool (a fresh process per file), the shared set
    // the threads pool with isolation off.
    projects: [
      {
        extends: true,
        test: { name: 'own-process', include: [...LABS, ...OWN_PROCESS, `${EMULATOR}/*.test.ts`, ...AFTER_LABS_RUN] },
      },
      {
        extends: true,
        test: {
          name: 'shared',
          pool: 'threads',
          include: ['test/**/*.test.ts'],
          exclude: [...configDefaults.exclude, FUZZ, ...LABS, ...OWN_PROCESS, EMULATOR, ...AFTER_LABS_RUN],
          setupFiles: ['test/shared-process-guard.ts'],
        },
      },
    ],
  },
});
