// How many labs of one process send their probes at once. A lab's probes and its exposure sweep
// are bursts of processes (socat, ping, nft, the probers) timed against short waits; the
// examples' labs side by side in one test process, three probing at the same moment, took 70-77 s
// each for probes that take 12-14 s two at a time (docs/performance/test-loop.md), while their
// waits for routing overlap well. Unbounded unless a caller sets a bound: one lab per process
// (`plumb emulate`) never waits here.

let running = 0;
let bound = Infinity;
const waiting: (() => void)[] = [];

/**
 * At most `n` probe phases (runProbes, runSweep) of this process run at once from now on; the
 * others start in the order they asked as running ones end. `undefined` lifts the bound.
 */
export function limitProbePhases(n: number | undefined): void {
  if (n !== undefined && (!Number.isInteger(n) || n < 1)) throw new Error(`limitProbePhases: ${n} is not a positive whole number`);
  bound = n ?? Infinity;
  while (running < bound && waiting.length > 0) {
    running++;
    waiting.shift()!();
  }
}

/** Runs one probe phase within the bound (if one is set), freeing its place when it ends either way. */
export async function probePhase<T>(work: () => Promise<T>): Promise<T> {
  if (running >= bound) await new Promise<void>((resolve) => waiting.push(resolve));
  else running++;
  try {
    return await work();
  } finally {
    running--;
    if (running < bound && waiting.length > 0) {
      running++;
      waiting.shift()!();
    }
  }
}
