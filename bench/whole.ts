// Whole-process benchmarks: what a user runs, the built CLI in a fresh process each time
// (bench/process.ts measures CPU, wall and peak RSS from outside). Three suites:
//   startup   `plumb --version` and `plumb check` on a small intent;
//   networks  `plumb check`, `plumb compile -o DIR` (read-back validation on, the default) and
//             `plumb verify` on generated networks of 10, 100 and 400 devices, with the growth
//             exponents between sizes against the intent's size (devices; segments, rules and
//             assertions grow with them);
//   acl       `plumb compile -o DIR` on an ACL policy of 500, 5,000 and 20,000 rules for IOS-XE,
//             PAN-OS and Linux (nftables), and Capirca's `aclgen` on the same policy in the same
//             run, with the CPU ratio plumb / aclgen.
// Every figure is held to a ceiling (bench/ceilings.ts: what was measured, plus a margin) and
// shown next to the issue's target.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { capircaTarget, aclgenArguments, writeCapircaPolicy } from './capirca.js';
import { ACL_CEILINGS, CALM_NODE_CPU_SECONDS, EXPONENT_CEILINGS, NETWORK_CEILINGS, STARTUP_CEILINGS, type Ceiling } from './ceilings.js';
import { ACL_PLATFORMS, aclIntentText, generateAclPolicy, generateIntent, SMALL_INTENT, type GenerateOptions } from './generate.js';
import type { BenchOptions, BenchResult, BenchRow, BenchSuite } from './index.js';
import { DIST, machineLine, measureCli, measureProcess, slowdownFactor, wallStretch, which, type ProcessCost } from './process.js';

const s2 = (x: number): string => x.toFixed(2);

/** One line per measurement on a terminal's stderr: a full run takes many minutes. */
function progress(what: string, cost: ProcessCost): void {
  if (process.stderr.isTTY) process.stderr.write(`  ${what}: ${s2(cost.cpuSeconds)} s CPU, ${s2(cost.wallSeconds)} s wall, ${Math.round(cost.peakRssMiB)} MiB\n`);
}

/** A generated network of `devices` devices (5 a site), 10 segments, 50 rules and 2.5 assertions a device. */
export function networkOptions(devices: number): GenerateOptions {
  return {
    sites: Math.max(1, Math.round(devices / 5)),
    devicesPerSite: Math.min(5, devices),
    segments: devices * 10,
    rules: devices * 50,
    assertions: Math.round(devices * 2.5),
    seed: 1,
  };
}

/** Runs a command `repeats` times (fresh processes) and keeps the median by CPU. */
function median(run: () => ProcessCost, repeats: number): ProcessCost {
  const runs = Array.from({ length: repeats }, run).sort((a, b) => a.cpuSeconds - b.cpuSeconds);
  return runs[runs.length >> 1]!;
}

function failed(what: string, cost: ProcessCost): Error {
  return new Error(`${what} exited with ${cost.exitCode}:\n${cost.stderrTail}`);
}

/** The verdict on one figure: within its ceiling (times `scale`: the run's slowdown for times, 1
 * for ratios and exponents), and whether it is under the issue's target (never scaled). */
function judge(value: number, ceiling: Ceiling | undefined, unit: string, problems: string[], what: string, scale = 1): string {
  if (!ceiling) return '';
  const limit = ceiling.ceiling * scale;
  if (value > limit) problems.push(`${what}: ${s2(value)} ${unit} is over its ceiling of ${s2(limit)} ${unit}${scale > 1 ? ` (${ceiling.ceiling} times the slowdown ${s2(scale)})` : ''}`);
  if (ceiling.target === undefined) return '';
  return value < ceiling.target ? 'target met' : 'not yet';
}

const slowdown = (): number => slowdownFactor(CALM_NODE_CPU_SECONDS);

/** The machine and how busy it is, for the notes under every table. */
function machineNotes(): string[] {
  return [
    machineLine(),
    `slowdown against a calm machine: ${s2(slowdown())} (Node's own start costs that many times its ${CALM_NODE_CPU_SECONDS} s of CPU when calm); ceilings on CPU are multiplied by it, on wall time by it or by load / cores if larger; targets are not`,
  ];
}

function workDir(): { dir: string; done(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-bench-'));
  return { dir, done: () => rmSync(dir, { recursive: true, force: true }) };
}

/** The repository's example (a 60-line intent of 5 devices on all four platforms), beside dist/. */
const ACME = join(DIST, '..', 'examples', 'acme');

/** Fresh processes per start-up figure: enough for a median that one busy moment does not move. */
const STARTUP_REPEATS = 10;

function startup(options: BenchOptions): BenchResult {
  const { dir, done } = workDir();
  const problems: string[] = [];
  const rows: BenchRow[] = [];
  try {
    const small = join(dir, 'small.plumb');
    writeFileSync(small, SMALL_INTENT);
    const sixty = join(dir, 'sixty.plumb');
    writeFileSync(sixty, generateIntent({ sites: 2, devicesPerSite: 2, segments: 8, rules: 60, assertions: 4, seed: 1 }));
    const cases: [string, string[]][] = [
      ['plumb --version', ['--version']],
      ['plumb check (4 rules, 3 devices)', ['check', small]],
      ['plumb check (60 rules, 4 devices)', ['check', sixty]],
      ['plumb check examples/acme', ['check', ACME]],
    ];
    for (const [name, args] of cases) {
      const cost = median(() => measureCli(args), options.quick ? 1 : STARTUP_REPEATS);
      if (cost.exitCode !== 0) throw failed(name, cost);
      const limit = STARTUP_CEILINGS[name];
      rows.push({
        case: name,
        'CPU s': s2(cost.cpuSeconds),
        'wall s': s2(cost.wallSeconds),
        'peak RSS MiB': Math.round(cost.peakRssMiB),
        'ceiling CPU s': limit?.ceiling ?? '',
        'target CPU s': limit?.target ?? '',
        target: judge(cost.cpuSeconds, limit, 's', problems, name, slowdown()),
      });
    }
  } finally {
    done();
  }
  return {
    rows,
    notes: [...machineNotes(), `median of ${STARTUP_REPEATS} fresh processes (one with --quick), by CPU (user + system)`, ...problems],
    ok: options.quick || problems.length === 0,
  };
}

function networks(options: BenchOptions): BenchResult {
  const sizes = options.quick ? [10] : [10, 100, 400];
  const { dir, done } = workDir();
  const problems: string[] = [];
  const rows: BenchRow[] = [];
  const byCommand = new Map<string, { devices: number; cost: ProcessCost }[]>();
  try {
    for (const devices of sizes) {
      const file = join(dir, `net${devices}.plumb`);
      writeFileSync(file, generateIntent(networkOptions(devices)));
      const commands: [string, string[]][] = [
        ['check', ['check', file]],
        ['compile -o', ['compile', file, '-o', join(dir, `out${devices}`)]],
        ['verify', ['verify', file]],
      ];
      for (const [name, args] of commands) {
        const cost = median(() => measureCli(args), devices <= 10 && !options.quick ? 3 : 1);
        if (cost.exitCode !== 0) throw failed(`plumb ${name} at ${devices} devices`, cost);
        progress(`plumb ${name} at ${devices} devices`, cost);
        const list = byCommand.get(name) ?? [];
        list.push({ devices, cost });
        byCommand.set(name, list);
        const key = `${name} ${devices}`;
        const cpu = NETWORK_CEILINGS[key]?.cpu;
        const rss = NETWORK_CEILINGS[key]?.rssMiB;
        const wall = NETWORK_CEILINGS[key]?.wall;
        const verdicts = [
          judge(cost.cpuSeconds, cpu, 's CPU', problems, `${key} CPU`, slowdown()),
          judge(cost.peakRssMiB, rss, 'MiB', problems, `${key} peak RSS`),
          judge(cost.wallSeconds, wall, 's wall', problems, `${key} wall`, Math.max(slowdown(), wallStretch())),
        ];
        rows.push({
          case: `plumb ${name}`,
          devices,
          'CPU s': s2(cost.cpuSeconds),
          'wall s': s2(cost.wallSeconds),
          'peak RSS MiB': Math.round(cost.peakRssMiB),
          'ceiling CPU s / MiB': cpu ? `${cpu.ceiling} / ${rss?.ceiling ?? '-'}` : '',
          target: [cpu, rss, wall]
            .map((c, i) => (c?.target === undefined ? '' : `${['CPU', 'RSS', 'wall'][i]} ${verdicts[i]}`))
            .filter(Boolean)
            .join(', '),
        });
      }
    }
  } finally {
    done();
  }
  const notes = [...machineNotes(), 'one fresh process per figure (the median of 3 at 10 devices); generated networks of 5 devices a site, 10 segments, 50 rules and 2.5 assertions a device'];
  for (const [name, list] of byCommand) notes.push(...exponents(`plumb ${name}`, list, problems));
  notes.push(...problems);
  return { rows, notes, ok: options.quick || problems.length === 0 };
}

/** Growth exponents between consecutive sizes: log(cost ratio) / log(size ratio). */
function exponents(name: string, list: { devices: number; cost: ProcessCost }[], problems: string[]): string[] {
  const out: string[] = [];
  for (let i = 1; i < list.length; i++) {
    const [a, b] = [list[i - 1]!, list[i]!];
    const size = Math.log(b.devices / a.devices);
    const cpu = Math.log(b.cost.cpuSeconds / a.cost.cpuSeconds) / size;
    const rss = Math.log(b.cost.peakRssMiB / a.cost.peakRssMiB) / size;
    const key = `${name.replace(/^plumb /, '')} ${a.devices}-${b.devices}`;
    const limit = EXPONENT_CEILINGS[key];
    const verdict = judge(cpu, limit, '', problems, `${name} CPU exponent ${a.devices} -> ${b.devices} devices`);
    out.push(
      `${name}: CPU grows as devices^${s2(cpu)}, peak RSS as devices^${s2(rss)} from ${a.devices} to ${b.devices} devices` +
        (limit ? ` (ceiling ^${limit.ceiling}; target ^${limit.target}, n log n: ${verdict})` : ''),
    );
  }
  return out;
}

function acl(options: BenchOptions): BenchResult {
  const sizes = options.quick ? [500] : [500, 5000, 20_000];
  // --quick: the last platform only (nftables, the quickest to render).
  const platforms = options.quick ? ACL_PLATFORMS.slice(-1) : ACL_PLATFORMS;
  const aclgen = which('aclgen');
  const { dir, done } = workDir();
  const problems: string[] = [];
  const rows: BenchRow[] = [];
  const notes = machineNotes();
  if (!aclgen) {
    notes.push(
      '!!! aclgen (Capirca) is NOT installed: no ratio against Capirca in this run. Install it: apt-get install python3-capirca !!!',
    );
  }
  const plumbCpu = new Map<string, { rules: number; cpu: number }[]>();
  try {
    for (const rules of sizes) {
      for (const platform of platforms) {
        const policy = generateAclPolicy(platform, rules, 1);
        const file = join(dir, `${platform}-${rules}.plumb`);
        writeFileSync(file, aclIntentText(policy));
        const repeats = rules <= 500 && !options.quick ? 3 : 1;
        const plumb = median(() => measureCli(['compile', file, '-o', join(dir, `out-${platform}-${rules}`)]), repeats);
        if (plumb.exitCode !== 0) throw failed(`plumb compile -o of ${rules} rules for ${platform}`, plumb);
        progress(`plumb compile -o of ${rules} rules for ${platform}`, plumb);
        const list = plumbCpu.get(platform) ?? [];
        list.push({ rules, cpu: plumb.cpuSeconds });
        plumbCpu.set(platform, list);
        let capirca: ProcessCost | undefined;
        if (aclgen) {
          const capDir = join(dir, `capirca-${platform}-${rules}`);
          writeCapircaPolicy(policy, capDir);
          capirca = median(() => measureProcess(aclgen, aclgenArguments(capDir)), repeats);
          if (capirca.exitCode !== 0) throw failed(`aclgen of ${rules} rules for ${capircaTarget(platform)}`, capirca);
          progress(`aclgen of ${rules} rules for ${capircaTarget(platform)}`, capirca);
        }
        const key = `${platform} ${rules}`;
        const limit = ACL_CEILINGS[key];
        const ratio = capirca ? plumb.cpuSeconds / capirca.cpuSeconds : undefined;
        judge(plumb.cpuSeconds, limit?.cpu, 's CPU', problems, `${key} plumb CPU`, slowdown());
        judge(plumb.peakRssMiB, limit?.rssMiB, 'MiB', problems, `${key} plumb peak RSS`);
        const ratioVerdict = ratio === undefined ? '' : judge(ratio, limit?.ratio, '', problems, `${key} plumb/aclgen CPU ratio`);
        rows.push({
          case: `${platform} (aclgen: ${capircaTarget(platform)})`,
          rules,
          'plumb CPU s': s2(plumb.cpuSeconds),
          'plumb wall s': s2(plumb.wallSeconds),
          'plumb RSS MiB': Math.round(plumb.peakRssMiB),
          'aclgen CPU s': capirca ? s2(capirca.cpuSeconds) : 'skipped',
          'aclgen RSS MiB': capirca ? Math.round(capirca.peakRssMiB) : '',
          'plumb/aclgen CPU': ratio === undefined ? '' : `${s2(ratio)}x`,
          'ceiling CPU s / ratio': limit ? `${limit.cpu.ceiling} / ${limit.ratio.ceiling}` : '',
          'target ratio < 1': ratioVerdict,
        });
      }
    }
  } finally {
    done();
  }
  notes.push(
    `plumb: \`plumb compile FILE -o DIR\` (read-back validation on); aclgen: Capirca ${aclgen ? `(${aclgen}) ` : ''}on the same policy, one policy file, --max_renderers=1; ${options.quick ? 'one fresh process each' : 'the median of 3 fresh processes at 500 rules, one above'}`,
  );
  for (const [platform, list] of plumbCpu) {
    for (let i = 1; i < list.length; i++) {
      const [a, b] = [list[i - 1]!, list[i]!];
      notes.push(`${platform}: plumb compile -o CPU grows as rules^${s2(Math.log(b.cpu / a.cpu) / Math.log(b.rules / a.rules))} from ${a.rules} to ${b.rules} rules`);
    }
  }
  notes.push(...problems);
  return { rows, notes, ok: options.quick || problems.length === 0 };
}

export const startupSuite: BenchSuite = {
  name: 'startup',
  description: 'start-up: `plumb --version` and `plumb check` on a small intent, fresh processes',
  run: startup,
};

export const networksSuite: BenchSuite = {
  name: 'networks',
  description: 'whole processes: plumb check, compile -o (validation on) and verify at 10, 100 and 400 devices',
  run: networks,
};

export const aclSuite: BenchSuite = {
  name: 'acl',
  description: 'whole processes: plumb compile -o and Capirca aclgen on the same ACL policy of 500, 5,000 and 20,000 rules',
  run: acl,
};
