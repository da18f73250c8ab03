// The benchmarks' one runner of processes: the built CLI (`node dist/cli/main.js`) and `aclgen`,
// each in a fresh process, measured from outside. CPU (user + system) and peak resident set come
// from the kernel's accounting of the waited-for child (getrusage(RUSAGE_CHILDREN) in a small
// python3 wrapper, so that Node's own start is inside the figure and the wrapper's is not); wall
// time is the wrapper's monotonic clock around the child. Also: the language server as a child
// with pipes, per-thread CPU from /proc, and a CPU burner for the other core.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism, loadavg } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What one run of one command cost. */
export interface ProcessCost {
  cpuSeconds: number;
  wallSeconds: number;
  peakRssMiB: number;
  exitCode: number;
  /** Stopped (SIGKILL) at the time limit given to measureProcess: the figures are those up to it. */
  timedOut: boolean;
  /** The end of what the child wrote on stderr (for the report when it failed). */
  stderrTail: string;
}

/** dist/: the built CLI is dist/cli/main.js. */
export const DIST = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = join(DIST, 'cli', 'main.js');

// The children's account is taken before and after: a python3 started through a wrapper script
// (pyenv's shims) inherits across exec the CPU of the shim's own children, 0.3 s and more.
const WRAPPER = `
import json, resource, subprocess, sys, time
r0 = resource.getrusage(resource.RUSAGE_CHILDREN)
t0 = time.monotonic()
limit = float(sys.argv[1]) if sys.argv[1] != "-" else None
try:
    p = subprocess.run(sys.argv[2:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, timeout=limit)
    code, err = p.returncode, p.stderr
except subprocess.TimeoutExpired as e:
    code, err = None, e.stderr or b""
wall = time.monotonic() - t0
r = resource.getrusage(resource.RUSAGE_CHILDREN)
cpu = (r.ru_utime + r.ru_stime) - (r0.ru_utime + r0.ru_stime)
tail = err[-2000:].decode("utf-8", "replace")
print(json.dumps({"cpu": cpu, "wall": wall, "maxrss": r.ru_maxrss, "code": code, "tail": tail}))
`;

/**
 * Runs `command args` once in a fresh process (stdin empty, stdout discarded) and measures it;
 * with `limitSeconds`, a process still running then is killed and measured up to that point.
 */
export function measureProcess(command: string, args: readonly string[], cwd?: string, limitSeconds?: number): ProcessCost {
  const limit = limitSeconds === undefined ? '-' : String(limitSeconds);
  const out = spawnSync('python3', ['-c', WRAPPER, limit, command, ...args], { cwd, encoding: 'utf8', maxBuffer: 1 << 20 });
  if (out.error) throw new Error(`cannot run python3 to measure ${command}: ${out.error.message}`);
  if (out.status !== 0) throw new Error(`the measuring wrapper failed: ${out.stderr}`);
  const r = JSON.parse(out.stdout) as { cpu: number; wall: number; maxrss: number; code: number | null; tail: string };
  return { cpuSeconds: r.cpu, wallSeconds: r.wall, peakRssMiB: r.maxrss / 1024, exitCode: r.code ?? -1, timedOut: r.code === null, stderrTail: r.tail };
}

/** `node dist/cli/main.js args`, measured (killed after `limitSeconds`, if given). */
export function measureCli(args: readonly string[], cwd?: string, limitSeconds?: number): ProcessCost {
  return measureProcess(process.execPath, [CLI, ...args], cwd, limitSeconds);
}

let slowdown: number | undefined;

/**
 * How much slower than on a calm machine this run is: the median CPU of `node -e 0` (Node's own
 * start) over `calmNodeSeconds`, at least 1. On a 2-core machine shared with other work the CPU
 * time of the same process grows with the load (measured: `plumb --version` 0.14 s at load 0.2,
 * 0.60 s at load 16), so ceilings on CPU and wall time are multiplied by it. Measured once a run.
 */
export function slowdownFactor(calmNodeSeconds: number): number {
  if (slowdown === undefined) {
    const runs = Array.from({ length: 5 }, () => measureProcess(process.execPath, ['-e', '0']).cpuSeconds).sort((a, b) => a - b);
    slowdown = Math.max(1, runs[2]! / calmNodeSeconds);
  }
  return slowdown;
}

/** How much longer than on an idle machine a wall time may take now: with more runnable
 * processes than cores (the 1-minute load average), each gets about cores / load of a core. At least 1. */
export function wallStretch(): number {
  return Math.max(1, loadavg()[0]! / availableParallelism());
}

/** The path of an executable on PATH, if there is one. */
export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const path = join(dir, name);
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

/** The machine, for the line above every table: cores and load average. */
export function machineLine(): string {
  const [one, five, fifteen] = loadavg().map((x) => x.toFixed(2));
  return `machine: ${availableParallelism()} cores, load average ${one} ${five} ${fifteen} (1, 5, 15 min)`;
}

/** The built language server (`plumb lsp --stdio`) as a child with pipes. */
export function spawnLanguageServer(): ChildProcess {
  return spawn(process.execPath, [CLI, 'lsp', '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
}

/** CPU seconds (user + system) of each thread of a process, by thread id, from /proc. */
export function threadCpu(pid: number): Map<number, { name: string; seconds: number }> {
  const ticks = 100; // USER_HZ: 100 on every Linux Node supports
  const threads = new Map<number, { name: string; seconds: number }>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${pid}/task`);
  } catch {
    return threads;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const name = stat.slice(stat.indexOf('(') + 1, close);
      const fields = stat.slice(close + 2).split(' ');
      // Fields after the name start at field 3 (state): utime is field 14, stime field 15.
      threads.set(Number(tid), { name, seconds: (Number(fields[11]) + Number(fields[12])) / ticks });
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return threads;
}

/** A process that keeps one core busy until stopped: the "other core busy" of the LSP target. */
export function startCpuBurner(): { stop(): void } {
  const child = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  return { stop: () => void child.kill('SIGKILL') };
}
