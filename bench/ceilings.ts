// The ceilings `npm run bench` holds every figure to, and the targets of issue 16 printed next
// to them. A ceiling is what this 2-core machine measured when it was set (docs/performance.md),
// plus a margin for a machine shared with other work: exceeding one is a regression and fails
// the bench. A target is where the figure should get to: missing one is printed ("not yet"), not
// failed, until the work that meets it lands (then its ceiling comes down to it).

/** `node -e 0`'s CPU seconds on this machine when calm (load average under 1): ceilings on time
 * are multiplied by how much slower Node's own start is in a run (bench/process.ts, slowdownFactor). */
export const CALM_NODE_CPU_SECONDS = 0.12;

export interface Ceiling {
  ceiling: number;
  target?: number;
}

/** CPU seconds (user + system) of one fresh process. */
export const STARTUP_CEILINGS: Readonly<Record<string, Ceiling>> = {
  'plumb --version': { ceiling: 0.4, target: 0.25 },
  'plumb check (60 rules, 4 devices)': { ceiling: 1.2, target: 0.25 },
};

/** By `COMMAND DEVICES`: CPU seconds, peak RSS MiB, wall seconds. */
export const NETWORK_CEILINGS: Readonly<Record<string, { cpu: Ceiling; rssMiB: Ceiling; wall?: Ceiling }>> = {
  'check 10': { cpu: { ceiling: 2 }, rssMiB: { ceiling: 200 } },
  'compile -o 10': { cpu: { ceiling: 6 }, rssMiB: { ceiling: 300 } },
  'verify 10': { cpu: { ceiling: 10 }, rssMiB: { ceiling: 600 } },
  'check 100': { cpu: { ceiling: 6 }, rssMiB: { ceiling: 400 } },
  'compile -o 100': { cpu: { ceiling: 40 }, rssMiB: { ceiling: 1200 } },
  'verify 100': { cpu: { ceiling: 60 }, rssMiB: { ceiling: 2000 } },
  'check 400': { cpu: { ceiling: 20 }, rssMiB: { ceiling: 1000 } },
  'compile -o 400': { cpu: { ceiling: 140, target: 10 }, rssMiB: { ceiling: 4000, target: 1024 } },
  'verify 400': { cpu: { ceiling: 200 }, rssMiB: { ceiling: 5000 }, wall: { ceiling: 120, target: 10 } },
};

/** CPU growth exponents against devices, by `COMMAND FROM-TO`; the target is n log n (about ^1.2). */
export const EXPONENT_CEILINGS: Readonly<Record<string, Ceiling>> = {
  'check 100-400': { ceiling: 1.6, target: 1.2 },
  'compile -o 100-400': { ceiling: 1.8, target: 1.2 },
  'verify 100-400': { ceiling: 1.8, target: 1.2 },
};

/** By `PLATFORM RULES`: plumb's CPU seconds and peak RSS, and the CPU ratio plumb / aclgen (target under 1). */
export const ACL_CEILINGS: Readonly<Record<string, { cpu: Ceiling; rssMiB: Ceiling; ratio: Ceiling }>> = {};

/** The language server's median edit-to-diagnostics at 10,000 lines, in milliseconds. */
export const LSP_CEILINGS = { medianMillis: 400 };
