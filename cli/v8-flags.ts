// The V8 flags every command runs under: cli/main.ts sets them before anything is allocated, and
// the entries' code caches are made and read under them (cli/code-cache.ts), since V8 takes a
// cache only under the flags it was made with.
//
// `--heap-growing-percent=50`: V8 grows the heap by up to 4x its live size between collections
// when a program allocates fast, as compile and verify do: `compile -o` at 400 devices peaked at
// 2.5 GiB for a live heap near 1 GiB. Growing it by half at most keeps the peak near what is live
// (1.1 GiB there) for the same CPU time (docs/performance/compile.md, "Memory"); it is no
// ceiling, so a larger intent still gets the heap it needs. `=100` at 400 devices (measured
// before the old generation's first limit of 256 MiB, cli/young-generation.ts): 6 mark-compacts
// instead of 9 and 759 instead of 1,258 MB marked, but a largest heap of 463 against 366 MB and
// no CPU gain in three rounds of builds started together at load 16 (16.71/15.72/14.82 against
// 17.07/15.59/15.11 s).
// `--single-threaded-gc` cannot be set here: V8 aborts in a later collection when the flag changes
// under concurrent marking; on the command line of a large compile it gained nothing either
// (17.33/16.21/15.02 s in those rounds), nor did `--v8-pool-size=1` or `2` (Node's, fewer threads
// for V8's helpers: the main thread's CPU grew by what the helpers' shrank).
//
// `--interrupt-budget` 8x V8's default (67,584 bytes of bytecode): a function runs eight times
// longer in the interpreter and the baseline tier before TurboFan optimizes it. A command on a
// small intent is over before most optimized code pays back its compilation: at the default,
// TurboFan's background compiles were about 0.3 s of the 1 s of CPU of a 500-rule `compile -o`
// (docs/performance/start-up.md). A long run still optimizes its hot code, a little later.
//
// The language server is the exception: it lives for hours and runs the same checks on every edit,
// so each edit pays until TurboFan catches up, and with the budget raised the 10,000-line bench's
// median edit went from 74-80 to 81-95 ms on a calm machine. `plumb lsp` keeps V8's budget.
const HEAP_FLAGS = '--heap-growing-percent=50';
export const RUN_FLAGS = `${HEAP_FLAGS} --interrupt-budget=540672`;

/** The flags a command runs under: RUN_FLAGS, but for the language server (see above). */
export function flagsFor(command: string | undefined): string {
  return command === 'lsp' ? HEAP_FLAGS : RUN_FLAGS;
}

/** What a command loads before the flags are set (cli/main.ts): the built-in modules and the
 * standard streams it is known to use. Node ships V8's compiled code of its built-in modules, made
 * under V8's default flags; V8 takes such code only under the flags it was made with, so a
 * built-in loaded after the flags are set is compiled from its source: `node:crypto` costs 9.5
 * ms of CPU instead of 5, a pipe's stream 5 ms instead of 3. Loading one a command would not
 * need costs that command its load at the lower price. */
export interface BuiltinsFirst {
  modules: readonly string[];
  streams: readonly ('stdout' | 'stderr')[];
}

const BUILTINS_FIRST = new Map<string, BuiltinsFirst>([
  // The code cache's entry (cli/code-cache.ts: node:vm); the report on stdout.
  ['check', { modules: ['node:vm'], streams: ['stdout'] }],
  // The entry; the files' digests (node:crypto) and the output folder's checks (node:os); the
  // summary on stdout, the diagnostics and the validation's line on stderr.
  ['compile', { modules: ['node:vm', 'node:crypto', 'node:os'], streams: ['stdout', 'stderr'] }],
]);

/** The built-ins `command` loads before the flags are set, if any. */
export function builtinsFirst(command: string | undefined): BuiltinsFirst | undefined {
  return command === undefined ? undefined : BUILTINS_FIRST.get(command);
}
