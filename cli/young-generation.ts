// A larger young generation for the runs that allocate the most. Most of what `compile`, `verify`
// and `check` allocate on a large intent dies young, but V8's young generation (semi-spaces of 16
// MiB on 64-bit) fills every few milliseconds and each scavenge copies what is still live: the
// collector was 23 % of `compile -o` at 400 devices. V8 reads `--max-semi-space-size` only when
// the isolate starts (`setFlagsFromString` later leaves new space as it is), so such a run is
// re-executed: the same Node, the same script and arguments, with the flag added
// (docs/cli.md, "Large intents"). A short run does not pay for a second
// start: the intent's size decides, read off the disk before anything else is loaded. The same
// start gives the old generation a first limit fit for such a run (LARGE_OLD_SPACE_MB).

import { readdirSync, statSync, type Dirent } from 'node:fs';
import { join, resolve } from 'node:path';

/** The semi-space size a large intent's run gets, MiB. */
export const LARGE_SEMI_SPACE_MB = 32;

/** The old generation's first limit in a re-executed run, MiB (`--initial-old-space-size`, also
 * read only when the heap is made). V8 starts that limit low and lowers it again from the first
 * scavenges' survival, then grows it by half of what is live after each mark-compact
 * (cli/v8-flags.ts): `compile -o` at 400 devices, whose live heap climbs to about 200 MB, ran 9
 * mark-compacts, at 21, 64, 74, 136, 167, 188, 198, 204 and 206 MB live (1,258 MB marked in all).
 * Starting at 256 MB it runs 5 (804 MB marked) and copies 975 MB in scavenges instead of 1,132,
 * for the same largest heap (357 against 366 MB before a collection; `--trace-gc-nvp`), and took
 * 0.5-1.2 s less CPU in 6 of 7 rounds of builds started together (14.5-16.5 s, load 15-37; peak
 * RSS 497-517 against 488-526 MiB). 384 MB ran 3 (441 MB marked) for a heap of 418 MB. */
export const LARGE_OLD_SPACE_MB = 256;

/** The Node arguments a re-executed run is started with, before the script. */
export function reExecutedFlags(semiSpaceMb: number): string[] {
  return [`--max-semi-space-size=${semiSpaceMb}`, `--initial-old-space-size=${LARGE_OLD_SPACE_MB}`];
}

/** From how many bytes of `.plumb` files an intent is large: half of what one intent may hold
 * (docs/cli.md, "Limits"). A 400-device network's is 0.96 MB; a 20,000-rule ACL policy's, 0.68
 * MB, and a 100-device network's, 0.23 MB, compiled no faster with the larger young generation. */
export const LARGE_INTENT_BYTES = 768 * 1024;

/** The commands that may run with a larger young generation (PLUMB_SEMI_SPACE=N), and those a
 * large intent's size alone sends there: `compile`. Side by side on a loaded machine, `compile -o`
 * at 400 devices gained in each of seven pairs, while `verify` at 1,000 assertions and `check`
 * showed no gain and `compile` of a 20,000-rule ACL policy (680 KB) lost the second start. */
const SEMI_SPACE_COMMANDS = new Set(['check', 'compile', 'verify']);
const LARGE_INTENT_COMMANDS = new Set(['compile']);

/** The options of those commands that take a value: a value is not one of the intent's paths. */
export const VALUE_OPTIONS = new Set(['--emit', '-o', '--out', '--lock-wait', '--previous', '--format', '--json', '--sarif', '--junit', '--shard', '--root', '--timeout', '--only', '--failures', '--configs', '--secrets']);

/** The environment variable that overrides the choice (docs/cli.md): `0`, never; N, N MiB for
 * every run of those commands. */
export const SEMI_SPACE_ENV = 'PLUMB_SEMI_SPACE';

/** Set in the re-executed process's environment: the pid of the process that started it. */
const PARENT_ENV = 'PLUMB_SEMI_SPACE_PARENT';

/** A walk of the intent's folders gives up (the run stays here) after this many entries. */
const MAX_ENTRIES = 20_000;

/**
 * The semi-space size (MiB) to re-execute this command line with, or undefined to run it in this
 * process: undefined for other commands, when Node was started with a semi-space size already
 * (the re-executed process itself, or the user's own choice in its arguments or NODE_OPTIONS),
 * and for an intent under LARGE_INTENT_BYTES or a command other than `compile`; PLUMB_SEMI_SPACE
 * overrides that verdict for `check`, `compile` and `verify`.
 */
export function semiSpaceFor(argv: readonly string[], env: Record<string, string | undefined>, execArgv: readonly string[], cwd: string): number | undefined {
  if (!SEMI_SPACE_COMMANDS.has(argv[0] ?? '')) return undefined;
  if ([...execArgv, env.NODE_OPTIONS ?? ''].some((a) => a.includes('semi-space-size'))) return undefined;
  const forced = env[SEMI_SPACE_ENV];
  if (forced !== undefined && /^\d{1,4}$/.test(forced)) return Number(forced) > 0 ? Number(forced) : undefined;
  if (!LARGE_INTENT_COMMANDS.has(argv[0] ?? '')) return undefined;
  return intentBytes(argv.slice(1), cwd, LARGE_INTENT_BYTES) >= LARGE_INTENT_BYTES ? LARGE_SEMI_SPACE_MB : undefined;
}

/**
 * The bytes of the `.plumb` files the command line names (as pipeline/sources.ts finds them:
 * files as given, folders walked, hidden entries, node_modules and out skipped), counted until
 * `enough`. An estimate: a path that cannot be read counts nothing, imports are not followed.
 */
export function intentBytes(args: readonly string[], cwd: string, enough: number): number {
  let total = 0;
  let entries = 0;
  const walk = (dir: string): void => {
    let names: Dirent[];
    try {
      names = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of names) {
      if (total >= enough || ++entries > MAX_ENTRIES) return;
      if (e.name.startsWith('.') || e.name === 'node_modules' || e.name === 'out') continue;
      if (e.isDirectory()) walk(join(dir, e.name));
      else if (e.name.endsWith('.plumb')) total += statSync(join(dir, e.name), { throwIfNoEntry: false })?.size ?? 0;
    }
  };
  let positional = false;
  for (let i = 0; i < args.length && total < enough; i++) {
    const arg = args[i]!;
    if (!positional && arg === '--') positional = true;
    else if (!positional && arg.startsWith('-')) {
      if (VALUE_OPTIONS.has(arg)) i++;
    } else {
      const path = resolve(cwd, arg);
      const stat = statSync(path, { throwIfNoEntry: false });
      if (stat?.isDirectory()) walk(path);
      else if (stat?.isFile()) total += stat.size;
    }
  }
  return total;
}

/**
 * Runs `script` with `argv` in a new Node process with semi-spaces of `semiSpaceMb` MiB and the
 * old generation's first limit of LARGE_OLD_SPACE_MB, as if this process ran it: the standard
 * streams are this one's; SIGINT, SIGTERM and SIGHUP are passed on; its exit code becomes this
 * one's, and a signal that ended it ends this one. False if the process could not be started
 * (the caller runs the command itself).
 */
export async function runWithSemiSpace(script: string, argv: readonly string[], semiSpaceMb: number): Promise<boolean> {
  const { spawn } = await import('node:child_process');
  const { constants } = await import('node:os');
  const child = spawn(process.execPath, [...process.execArgv, ...reExecutedFlags(semiSpaceMb), script, ...argv], {
    stdio: 'inherit',
    env: { ...process.env, [PARENT_ENV]: String(process.pid) },
  });
  child.on('error', () => undefined);
  if (child.pid === undefined) return false;
  const forward = (signal: NodeJS.Signals): void => void child.kill(signal);
  for (const signal of FORWARDED_SIGNALS) process.on(signal, forward);
  child.once('exit', (code, signal) => {
    for (const s of FORWARDED_SIGNALS) process.removeListener(s, forward);
    if (signal) {
      process.kill(process.pid, signal);
      // Still here: the signal is ignored in this process; the shell's convention then.
      process.exitCode = 128 + (constants.signals[signal] ?? 0);
    } else process.exitCode = code ?? 3;
  });
  return true;
}

const FORWARDED_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/** The heap's flags of reExecutedFlags set back to V8's defaults once the heap is made, so that
 * V8 takes the code caches made under the defaults (it compares every flag); the heap keeps its
 * sizes and first limit, and worker threads started later get V8's defaults. */
export const SEMI_SPACE_RESET = '--max-semi-space-size=0 --initial-old-space-size=0';

/**
 * In a process runWithSemiSpace started: true, after it forgets the marker (so that processes
 * it starts do not take it for theirs) and ends itself if the process that started it is gone
 * (killed by a signal it could not pass on, SIGKILL), as that process's end would have ended it.
 */
export function reExecuted(env: Record<string, string | undefined>): boolean {
  const parent = env[PARENT_ENV];
  if (parent === undefined) return false;
  delete env[PARENT_ENV];
  if (parent !== String(process.ppid)) return false;
  const watch = setInterval(() => {
    if (process.ppid !== Number(parent)) process.kill(process.pid, 'SIGKILL');
  }, 1000);
  watch.unref();
  return true;
}
