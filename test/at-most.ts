// A bound on how many pieces of asynchronous work run at once, for test files that run several
// independent labs side by side: each lab mostly waits (protocol timers, probes' timeouts), but
// too many at once contend for the machine's cores in their builds and probes.

/**
 * A runner that lets at most `n` of the functions given to it run at once; the others start in
 * the order they were given as running ones end (resolved or rejected).
 */
export function atMost(n: number): <T>(work: () => Promise<T>) => Promise<T> {
  if (!Number.isInteger(n) || n < 1) throw new Error(`atMost: ${n} is not a positive whole number`);
  let running = 0;
  const waiting: (() => void)[] = [];
  const release = (): void => {
    running--;
    waiting.shift()?.();
  };
  return async <T>(work: () => Promise<T>): Promise<T> => {
    if (running >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    running++;
    try {
      return await work();
    } finally {
      release();
    }
  };
}
