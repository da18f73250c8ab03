// Runs one fuzz case through the real command line, in-process (cli/program.ts `run`, exactly
// what `plumb` runs): check (text and JSON), compile -o (with translation validation), verify,
// and, when compile wrote a folder, verify --configs on that folder (the configs read back by
// the project's own readers must prove what the model proves). Returns every problem found, so
// that the caller can report the case that reproduces it.

import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../cli/program.js';
import type { CliIo } from '../../cli/io.js';
import type { FuzzCase } from './corpus.js';

/** No command may run longer than this on an input under the size limits (issue: bounded resources). */
export const COMMAND_LIMIT_MS = 10_000;

/**
 * Characters that terminal text must never carry raw: C0 controls but tab and newline, DEL, C1,
 * and the bidi controls that make a line read differently from its bytes.
 */
// eslint-disable-next-line no-control-regex -- control characters are what this looks for
const UNSAFE_IN_TEXT = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\u2028\u2029]/;

export interface CommandRun {
  argv: string[];
  exit: number;
  millis: number;
  stdout: string;
  stderr: string;
}

export interface CaseOutcome {
  runs: CommandRun[];
  problems: string[];
  /** How far the case got: 'check' (refused by the front end), 'compile' or 'verify'. */
  reached: 'check' | 'compile' | 'verify';
}

async function runCommand(argv: string[], cwd: string): Promise<CommandRun> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = {
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stderr += t),
    isTTY: false,
    cwd,
    env: {},
  };
  const t0 = performance.now();
  const exit = await run(argv, io);
  return { argv, exit, millis: Math.round(performance.now() - t0), stdout, stderr };
}

interface VerdictLine {
  text: string;
  status: string;
}

function verdictsOf(json: string): VerdictLine[] | undefined {
  try {
    const report = JSON.parse(json) as { verdicts?: { assertion: string | { text: string }; status: string }[] };
    return (report.verdicts ?? []).map((v) => ({ text: typeof v.assertion === 'string' ? v.assertion : v.assertion.text, status: v.status }));
  } catch {
    return undefined;
  }
}

/** Runs the case in a fresh temporary folder (removed afterwards) and judges every run. */
export async function runCase(fuzzCase: FuzzCase, options: { drift: boolean }): Promise<CaseOutcome> {
  const root = mkdtempSync(join(tmpdir(), 'plumb-fuzz-'));
  const problems: string[] = [];
  const runs: CommandRun[] = [];
  try {
    const input = join(root, 'intent');
    mkdirSync(input);
    for (const f of fuzzCase.files) writeFileSync(join(input, f.name), f.text);
    const exec = async (argv: string[]): Promise<CommandRun> => {
      const r = await runCommand(argv, root);
      runs.push(r);
      const shown = argv.join(' ');
      if (r.exit !== 0 && r.exit !== 1) problems.push(`\`${shown}\` exited ${r.exit}:\n${r.stderr.slice(-2000)}`);
      if (r.millis > COMMAND_LIMIT_MS) problems.push(`\`${shown}\` took ${r.millis} ms (limit ${COMMAND_LIMIT_MS} ms)`);
      return r;
    };
    const textProblem = (r: CommandRun): void => {
      for (const [stream, text] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
        const bad = UNSAFE_IN_TEXT.exec(text);
        if (bad) problems.push(`\`${r.argv.join(' ')}\` printed a raw U+${bad[0].codePointAt(0)!.toString(16).padStart(4, '0')} on ${stream}`);
      }
    };

    const check = await exec(['check', 'intent']);
    textProblem(check);
    const checkJson = await exec(['check', 'intent', '--format', 'json']);
    try {
      JSON.parse(checkJson.stdout);
    } catch {
      problems.push('`check --format json` printed no valid JSON');
    }
    if (check.exit !== checkJson.exit) problems.push(`check exits ${check.exit} in text but ${checkJson.exit} in JSON`);

    const compile = await exec(['compile', 'intent', '-o', 'out']);
    textProblem(compile);
    if (check.exit === 1 && compile.exit === 0) problems.push('compile succeeded on an intent that check refuses');
    const wrote = readdirSync(root).includes('out');
    if (compile.exit !== 0 && wrote) problems.push(`compile exited ${compile.exit} but wrote its output folder`);

    const verify = await exec(['verify', 'intent', '--format', 'json', '--timeout', '5']);
    const verdicts = verdictsOf(verify.stdout);
    if (verdicts === undefined) problems.push('`verify --format json` printed no valid JSON');
    const reached = compile.exit === 0 ? 'verify' : check.exit === 0 ? 'compile' : 'check';

    if (options.drift && compile.exit === 0 && verdicts) {
      // The files as written, read back by the readers, must prove exactly what the model proves.
      const drift = await exec(['verify', 'intent', '--configs', 'out', '--format', 'json', '--timeout', '5']);
      const deployed = verdictsOf(drift.stdout);
      const expected = JSON.stringify(verdicts);
      if (deployed === undefined) problems.push('`verify --configs` printed no valid JSON');
      else if (JSON.stringify(deployed) !== expected) {
        problems.push(`verify --configs differs from verify:\n  model:   ${expected}\n  configs: ${JSON.stringify(deployed)}`);
      }
      if (drift.exit !== verify.exit) problems.push(`verify exits ${verify.exit} but verify --configs exits ${drift.exit}`);
    }
    return { runs, problems, reached };
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}
