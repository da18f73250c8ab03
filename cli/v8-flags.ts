// The V8 flags every command runs under: cli/main.ts sets them before anything is allocated, and
// the entries' code caches are made and read under them (cli/code-cache.ts), since V8 takes a
// cache only under the flags it was made with.
//
// `--heap-growing-percent=50`: V8 grows the heap by up to 4x its live size between collections
// when a program allocates fast, as compile and verify do: `compile -o` at 400 devices peaked at
// 2.5 GiB for a live heap near 1 GiB. Growing it by half at most keeps the peak near what is live
// (1.1 GiB there) for the same CPU time (docs/performance/compile.md, "Memory"); it is no
// ceiling, so a larger intent still gets the heap it needs.
//
// `--interrupt-budget` 8x V8's default (67,584 bytes of bytecode): a function runs eight times
// longer in the interpreter and the baseline tier before TurboFan optimizes it. A command on a
// small intent is over before most optimized code pays back its compilation: at the default,
// TurboFan's background compiles were about 0.3 s of the 1 s of CPU of a 500-rule `compile -o`
// (docs/performance/start-up.md). A long run still optimizes its hot code, a little later.
export const RUN_FLAGS = '--heap-growing-percent=50 --interrupt-budget=540672';
