// CPU time for the tests' bounds on work. A bound meant to catch quadratic work must not fail
// because the machine is busy: wall time grows with the load (a 2-core machine running other
// suites), CPU time hardly does. Each test file runs in a process of its own (vitest's forks
// pool), so the process's CPU time is the file's.

/** This process's CPU time (user and system), in ms. */
export function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

/** The value of `f` and the CPU time it took, in ms. */
export function cpuTimed<T>(f: () => T): { value: T; ms: number } {
  const t0 = cpuMs();
  const value = f();
  return { value, ms: cpuMs() - t0 };
}
