// `plumb emulate FILE... [--with FILE...] [--keep] [--format text|json] [--converge-timeout S] [--failures N]`:
// compile the intent (with `--with`, the other party of its contract too, in one lab), prove its assertions (and, with a failure budget, under their failures),
// build the compiled network in Linux network namespaces (real FRR daemons, real nftables), send
// each assertion's packets and compare them with the proof, then fail each failure set's links
// and devices for real and compare again.
// Exit 0 when every assertion's packets agree with its proof; 1 when one disagrees, cannot be
// compared (unknown proof, nothing probed), routing does not reach the compiled FIB in time (also
// with a failure set made, or restored), the
// lab cannot be built, the device exposure sweep disagrees with the model, or the intent has errors;
// 2 for bad usage, unreadable input or a machine that cannot run a lab (not root, tools missing).
// The lab and the verdict are the library's (api/emulate.ts); this file reads the options and prints.

import { sweepLines } from '../report/sweep.js';
import type { Command } from 'commander';
import { match } from 'ts-pattern';
import { renderText } from '../../language/render.js';
import { visibleText, wellFormedJson } from '../../language/safe-text.js';
import { jointLines, leftOutLines } from '../report/emulate-joint.js';
import { emulateJointSources, emulateJson, emulateSources, emulationOk, fibDifferenceText, labProblem, type EmulationReport } from '../../api/emulate.js';
import { MAX_FAILURES } from '../../language/intent.js';
import { failureSetLines, probeLine } from '../report/emulate-failures.js';
import { ExitCode, UsageError } from '../io.js';
import { CONVERGE_TIMEOUT, parseSecondsOption } from '../options.js';
import type { CommandContext } from '../program.js';
import { readSources } from '../../pipeline/sources.js';

const FORMATS = ['text', 'json'] as const;
type Format = (typeof FORMATS)[number];

export interface EmulateCommandOptions {
  format: string;
  keep?: boolean;
  convergeTimeout?: string;
  failures?: string;
  with?: string[];
}

export function registerEmulate(program: Command, ctx: CommandContext): void {
  program
    .command('emulate')
    .description(
      'send real packets through the compiled network in Linux namespaces and compare them with the proofs',
    )
    .argument('<paths...>', '.plumb files, or directories of them, that form one intent')
    .option('--with <paths...>', "the other party's intent of a contract the first implements: both networks in one lab")
    .option('--format <format>', 'output format: text or json', 'text')
    .option('--keep', 'leave the lab running (the next run removes it)')
    .option('--converge-timeout <seconds>', 'time limit for routing to converge, in seconds (also after each failure set and its restore)', '90')
    .option('--failures <n>', 'also fail for real the failure sets of every assertion (without its own `under` clause) under any N failed links or devices (1 to 3)')
    .action(async (paths: string[], opts: EmulateCommandOptions) => {
      ctx.setExit(await runEmulate(paths, opts, ctx));
    });
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

export function renderEmulationText(r: EmulationReport): string {
  const L: string[] = [];
  L.push(`lab ${r.runId} for ${r.network}: ${r.namespaces.length} namespaces`);
  L.push(
    `  built in ${seconds(r.buildMillis)}; routing ${r.converged ? 'converged' : 'NOT converged'} after ${seconds(r.convergeMillis)}`,
  );
  for (const m of r.notConverged.slice(0, 20)) L.push(`    missing: ${m}`);
  if (r.joint) L.push(...jointLines(r.joint));
  const fib = r.fibDifferences ?? [];
  if (fib.length > 0) {
    L.push(`  the kernels' routing tables differ from the model's FIB (${fib.length} entries):`);
    for (const d of fib.slice(0, 40)) L.push(`    ${fibDifferenceText(d)}`);
  }
  const emulated = r.devices.filter((d) => !d.native);
  if (emulated.length > 0) {
    L.push('  emulated on another platform:');
    for (const d of emulated) {
      const renamed = Object.entries(d.renamed)
        .map(([a, b]) => `${a}=${b}`)
        .join(', ');
      L.push(
        `    ${d.id} (${d.platform}) as ${d.emulatedAs}, filters: ${d.filters}${renamed ? `; interfaces ${renamed}` : ''}`,
      );
    }
  }
  for (const f of r.fixes) L.push(`  lab addition: ${f}`);
  for (const c of r.importChecks) {
    L.push(
      `  import filter ${c.device} <- ${c.external}: ${c.prefix} ${c.rejected ? 'rejected' : 'ACCEPTED'}`,
    );
  }
  if (r.error) L.push(`  error: ${r.error}`);
  if (r.results.length > 0) L.push('');
  for (const res of r.results) {
    const tag = res.agrees ? 'agree   ' : 'DISAGREE';
    L.push(`${tag} proof ${res.proof.padEnd(8)} packets ${res.packets.padEnd(9)} ${res.party ? `${res.party}: ` : ''}${res.assertion.text}`);
    const show = !res.agrees || res.probes.some((p) => p.spec.note.startsWith("the verifier's"));
    if (show) {
      for (const p of res.probes) L.push(`    ${probeLine(p)}`);
    }
    if (res.packets === 'vacuous') L.push('    vacuous: its two ends have no address family in common (no packet to send)');
    for (const u of res.untested) L.push(`    not probed: ${u}`);
    if (!res.agrees) for (const n of res.notes ?? []) L.push(`    note: ${n}`);
  }
  if (r.joint) L.push(...leftOutLines(r.joint));
  if (r.sweep) L.push(...sweepLines(r.sweep));
  if (r.failureSets) L.push(...failureSetLines(r.failureSets, r.failureMillis ?? 0));
  const agree = r.results.filter((x) => x.agrees).length;
  L.push('');
  L.push(
    `${r.results.length} assertions: ${agree} agree, ${r.results.length - agree} do not; ` +
      `probes ${seconds(r.probeMillis)}, teardown ${seconds(r.teardownMillis)}${r.kept ? ' (lab kept)' : ''}`,
  );
  if (r.failureSets) {
    const outcomes = r.failureSets.flatMap((s) => s.results);
    const routed = r.failureSets.filter((s) => s.converged && s.restored).length;
    L.push(`under failures: ${outcomes.filter((x) => x.agrees).length} of ${outcomes.length} agree; routing as the model says in ${routed} of ${r.failureSets.length} failure sets`);
  }
  for (const c of r.contractsNotProbed ?? []) {
    L.push(`not probed: contract ${c.contract}, ${c.party}'s side: its ${c.guarantees} guarantee${c.guarantees === 1 ? '' : 's'} (plumb verify proves them; this lab holds ${c.party}'s network only)`);
  }
  if (r.kept) L.push(`kept: ${r.namespaces.join(' ')} (the next plumb emulate removes them)`);
  // Lines quote tools' output and the lab's errors: no control character reaches the terminal.
  return `${L.map(visibleText).join('\n')}\n`;
}

export async function runEmulate(
  paths: readonly string[],
  opts: EmulateCommandOptions,
  ctx: CommandContext,
): Promise<ExitCode> {
  if (!(FORMATS as readonly string[]).includes(opts.format)) {
    throw new UsageError(`unknown format \`${opts.format}\``, 'use --format text or --format json');
  }
  const format = opts.format as Format;
  const convergenceLimitMs = parseSecondsOption(opts.convergeTimeout ?? '90', CONVERGE_TIMEOUT);
  const failures = failuresOption(opts.failures);
  if (opts.with && failures !== undefined) {
    throw new UsageError('--failures does not apply to a joint lab (--with)', "failure sets are each party's own: run plumb emulate on one party's intent with --failures");
  }
  const sources = readSources(paths, ctx.io.cwd);
  const other = opts.with ? readSources(opts.with, ctx.io.cwd) : undefined;
  const lab = labProblem();
  if (lab) throw new UsageError(`plumb emulate cannot run here: missing ${lab.missing.join(', ')}`, lab.hint);
  const log = format === 'text' && ctx.io.isTTY ? (line: string) => ctx.io.stderr(`${visibleText(line)}\n`) : undefined;
  const common = { keep: Boolean(opts.keep), convergenceLimitMs, ...(log ? { log } : {}) };
  const emulated = other ? await emulateJointSources(sources, other, common) : await emulateSources(sources, { ...common, ...(failures !== undefined ? { failures } : {}) });
  const problem = 'problem' in emulated ? (emulated as { problem?: { message: string; hint: string } }).problem : undefined;
  if (problem) throw new UsageError(problem.message, problem.hint);
  const { diagnostics, report } = emulated;
  const color = ctx.io.isTTY && !ctx.io.env.NO_COLOR;
  const output = match(format)
    .with('text', () => {
      const errors = diagnostics.filter((d) => d.severity === 'error');
      return (errors.length > 0 ? renderText(errors, [...sources, ...(other ?? [])], { color }) : '') + (report ? renderEmulationText(report) : '');
    })
    .with('json', () => `${wellFormedJson(emulateJson(emulated))}\n`)
    .exhaustive();
  ctx.io.stdout(output);
  return emulationOk(emulated) ? ExitCode.ok : ExitCode.failed;
}

/** `--failures N`: a whole number from 1 to MAX_FAILURES, as `plumb verify` takes it. */
function failuresOption(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const n = /^[0-9]+$/.test(text) ? Number(text) : NaN;
  if (!(n >= 1 && n <= MAX_FAILURES)) throw new UsageError(`invalid --failures \`${text}\``, `give a number of failures from 1 to ${MAX_FAILURES}`);
  return n;
}
