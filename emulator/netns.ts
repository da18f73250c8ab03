// Running the system tools the lab needs (ip, nft, vtysh, socat, ping, id, python3), always as an
// argument vector (never a shell string), always with a time limit, never throwing for a tool's failure:
// the caller decides what a non-zero exit means. This is the emulator's one runner: no other
// file of emulator/ starts a process (test/architecture.test.ts checks it), so every tool the
// lab runs goes through these checks. `run` for the lab's work, `runSync` where the caller
// cannot wait (teardown from a signal handler), `spawnIn` for long-running listeners.

import { execFile, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface ToolResult {
  code: number;
  stdout: string;
  stderr: string;
  timedOut: boolean;
}

export interface RunOptions {
  /** Milliseconds before the tool is killed (default 10 s). */
  timeoutMs?: number;
  /** Bytes written to the tool's standard input. */
  input?: string | Buffer;
}

/** The only options the lab passes to `ip` among its words. */
const IP_OPTIONS = new Set(['-j', '-4', '-6']);

/** Namespace names, interface names and the other words the lab passes to tools. */
const SAFE_WORD = /^[A-Za-z0-9_.:/@=,+-]{1,200}$/;

/** Every name the lab gives a namespace or an interface has this shape. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,62}$/;

/** A lab name (namespace, interface) that tools accept and that cannot be read as an option. */
export function assertSafeName(name: string): string {
  if (!SAFE_NAME.test(name)) {
    throw new Error(`internal: unsafe lab name ${JSON.stringify(name)}`);
  }
  return name;
}

/** Rejects an argument that is not a plain word (addresses, prefixes, numbers, names). */
export function assertSafeWord(word: string): string {
  if (!SAFE_WORD.test(word) || (word.startsWith('-') && !IP_OPTIONS.has(word))) {
    throw new Error(`internal: unsafe tool argument ${JSON.stringify(word)}`);
  }
  return word;
}

export function run(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<ToolResult> {
  return new Promise((resolve) => {
    const child = execFile(
      cmd,
      [...args],
      {
        timeout: opts.timeoutMs ?? 10_000,
        killSignal: 'SIGKILL',
        maxBuffer: 64 * 1024 * 1024,
        encoding: 'utf8',
      },
      (err, stdout, stderr) => {
        const e = err as (NodeJS.ErrnoException & { killed?: boolean; code?: number | string }) | null;
        const timedOut = Boolean(e?.killed);
        const code = e ? (typeof e.code === 'number' ? e.code : timedOut ? 124 : 127) : 0;
        resolve({
          code,
          stdout: String(stdout),
          stderr: String(stderr) || (e && !timedOut ? e.message : ''),
          timedOut,
        });
      },
    );
    // A tool that exits before reading its input (a namespace already gone) closes the pipe:
    // its exit status says what failed, so the write's EPIPE is no error of its own.
    child.stdin?.on('error', () => undefined);
    if (opts.input !== undefined) child.stdin?.end(opts.input);
    else child.stdin?.end();
  });
}

/**
 * `run` for callers that cannot wait for a promise (teardown runs from signal handlers). The
 * same argument vector, time limit and result; the exit code is 124 after the time limit and
 * 127 when the tool could not be started.
 */
export function runSync(cmd: string, args: readonly string[], opts: RunOptions = {}): ToolResult {
  const r = spawnSync(cmd, [...args], {
    input: opts.input,
    timeout: opts.timeoutMs ?? 10_000,
    killSignal: 'SIGKILL',
    maxBuffer: 64 * 1024 * 1024,
    encoding: 'utf8',
  });
  const timedOut = (r.error as NodeJS.ErrnoException | undefined)?.code === 'ETIMEDOUT';
  const code = r.status ?? (timedOut ? 124 : r.error ? 127 : 128);
  return {
    code,
    stdout: r.stdout ?? '',
    stderr: r.stderr || (r.error && !timedOut ? r.error.message : ''),
    timedOut,
  };
}

/** Like `run`, but a non-zero exit is an error with the tool's own message. */
export async function runOk(cmd: string, args: readonly string[], opts: RunOptions = {}): Promise<string> {
  const r = await run(cmd, args, opts);
  if (r.code !== 0) {
    const what = [cmd, ...args].join(' ');
    throw new LabError(
      `${what} failed${r.timedOut ? ' (timed out)' : ''}: ${r.stderr.trim() || r.stdout.trim()}`,
    );
  }
  return r.stdout;
}

/** A lab operation that failed: reported to the user, not a bug in Plumb. */
export class LabError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabError';
  }
}

/** `ip -n NS ...` */
export function ipIn(ns: string, args: readonly string[], opts?: RunOptions): Promise<string> {
  return runOk('ip', ['-n', assertSafeName(ns), ...args.map(assertSafeWord)], opts);
}

/** Several `ip` commands in one process (`ip [-n NS] -batch -`); the first failure stops it. */
export function ipBatch(
  ns: string | undefined,
  lines: readonly (readonly string[])[],
  opts?: RunOptions,
): Promise<string> {
  if (lines.length === 0) return Promise.resolve('');
  const text = lines.map((l) => l.map(assertSafeWord).join(' ')).join('\n') + '\n';
  const args = ns === undefined ? ['-batch', '-'] : ['-n', assertSafeName(ns), '-batch', '-'];
  return runOk('ip', args, { timeoutMs: 30_000, ...opts, input: text });
}

/** A command run inside a namespace: `ip netns exec NS CMD ARGS...`. */
export function execIn(
  ns: string,
  cmd: string,
  args: readonly string[],
  opts?: RunOptions,
): Promise<ToolResult> {
  return run('ip', ['netns', 'exec', assertSafeName(ns), cmd, ...args], opts);
}

export async function execInOk(
  ns: string,
  cmd: string,
  args: readonly string[],
  opts?: RunOptions,
): Promise<string> {
  const r = await execIn(ns, cmd, args, opts);
  if (r.code !== 0) {
    throw new LabError(`${cmd} ${args.join(' ')} in ${ns} failed: ${r.stderr.trim() || r.stdout.trim()}`);
  }
  return r.stdout;
}

/** Applies an nftables ruleset text inside a namespace (read from stdin, atomically). */
export function nftApply(ns: string, ruleset: string): Promise<string> {
  return execInOk(ns, 'nft', ['-f', '-'], { input: ruleset, timeoutMs: 20_000 });
}

/** A long-running process inside a namespace (listeners). Its output is discarded. */
export function spawnIn(ns: string, cmd: string, args: readonly string[]): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', assertSafeName(ns), cmd, ...args], {
    stdio: ['ignore', 'ignore', 'ignore'],
    detached: false,
  });
  child.on('error', () => undefined);
  return child;
}

/**
 * A long-running process inside a namespace that the caller talks to: its standard input, output
 * and error are pipes (the isolate probes' prober). The caller ends it.
 */
export function spawnPiped(ns: string, cmd: string, args: readonly string[]): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', assertSafeName(ns), cmd, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    detached: false,
  });
  child.on('error', () => undefined);
  return child;
}

/** Where `ip netns add` binds each namespace's file. */
const NETNS_DIR = '/run/netns';

/**
 * Names of the network namespaces that exist now: the entries of /run/netns, which is all that
 * `ip netns list` reads for its names (a folder that is not there: none). Read here rather than
 * by starting `ip`: teardown and the stale check look at every lab's start and end, and on a
 * loaded machine the process start was most of the look (up to seconds), the synchronous one
 * stopping every other lab of the process meanwhile.
 */
export function listNamespacesSync(): string[] {
  try {
    return readdirSync(NETNS_DIR);
  } catch {
    return [];
  }
}

/** `listNamespacesSync`, for the callers that await it. */
export function listNamespaces(): Promise<string[]> {
  return Promise.resolve(listNamespacesSync());
}

/**
 * PIDs of the processes living in each of the namespaces, from one pass over /proc: a process
 * lives in a namespace when its /proc/PID/ns/net is the file `ip netns add` bound at
 * /run/netns/NAME (the same device and inode), as `ip netns pids` tells, one namespace a run
 * and a whole pass over /proc each. A name the lab cannot have given gets no PID.
 */
export function namespacePidsOf(names: readonly string[]): Map<string, number[]> {
  const out = new Map<string, number[]>(names.map((ns) => [ns, []]));
  const byFile = new Map<string, string>();
  for (const ns of names) {
    if (!SAFE_NAME.test(ns)) continue;
    const st = statOrUndefined(join(NETNS_DIR, ns));
    if (st) byFile.set(`${st.dev}:${st.ino}`, ns);
  }
  if (byFile.size === 0) return out;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const st = statOrUndefined(`/proc/${entry}/ns/net`);
    const ns = st && byFile.get(`${st.dev}:${st.ino}`);
    if (ns) out.get(ns)!.push(Number(entry));
  }
  return out;
}

/** A file's device and inode; undefined when it is gone or not ours to look at (a process that ended). */
function statOrUndefined(path: string): { dev: number; ino: number } | undefined {
  try {
    return statSync(path, { throwIfNoEntry: false });
  } catch {
    return undefined;
  }
}

/** PIDs of the processes living in a namespace. */
export function namespacePidsSync(ns: string): number[] {
  return namespacePidsOf([ns]).get(ns)!;
}

/** `namespacePidsSync` for the callers that await it (one pass over /proc, without a process). */
export function namespacePids(ns: string): Promise<number[]> {
  return Promise.resolve(namespacePidsSync(ns));
}

/**
 * Deletes namespaces with one process (`ip -force -batch -`: it goes on past one that is already
 * gone). Never throws: what is left is found by the next run's stale check. A name the lab cannot
 * have given (see assertSafeName) is left alone, so no text from `ip netns list` becomes a
 * batch command.
 */
export function deleteNamespacesSync(names: readonly string[]): void {
  const input = deleteBatch(names);
  if (input) runSync('ip', ['-force', '-batch', '-'], { input, timeoutMs: 30_000 });
}

/** `deleteNamespacesSync`, without blocking the event loop. */
export async function deleteNamespaces(names: readonly string[]): Promise<void> {
  const input = deleteBatch(names);
  if (input) await run('ip', ['-force', '-batch', '-'], { input, timeoutMs: 30_000 });
}

function deleteBatch(names: readonly string[]): string | undefined {
  const ours = names.filter((n) => SAFE_NAME.test(n));
  return ours.length === 0 ? undefined : ours.map((ns) => `netns del ${ns}`).join('\n') + '\n';
}

/** Whether a command exists on PATH (or at an absolute path). */
export function haveTool(cmd: string): boolean {
  return runSync('sh', ['-c', 'command -v "$1"', 'sh', cmd], { timeoutMs: 5000 }).code === 0;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
