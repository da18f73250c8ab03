// Waiting for a lab's routing, the externals' announcements last. What each external's BGP
// speaker receives follows from everything else the poll checks: our routes for the exported
// prefixes (FRR's `bgp network import-check` announces a `network` only while a route for it
// exists) and the sessions being Established. Once all of that held, an announcement that is
// coming reaches the speaker within FRR's own delays, so one that has not arrived a grace period
// later never will: the wait ends there instead of at the time limit, as not converged.

import { pollUntilHeld } from './convergence.js';

export interface PollResult {
  converged: boolean;
  millis: number;
  missing: string[];
}

/**
 * How long the externals' speakers have, once everything else held, to hold exactly what the
 * model exports to them. In FRR 8.4 the import check is zebra's next-hop tracking (bgpd is told
 * as soon as a route for the prefix is installed; there is no scan interval), eBGP's minimum
 * route advertisement interval is 0, and the longest delay left is the update group's coalesce
 * timer, at most 10 s (BGP_MAX_SUBGROUP_COALESCE_TIME), which starts when the session comes up.
 * Twice that, for a machine under load.
 */
export const ANNOUNCEMENT_GRACE_MS = 20_000;

export interface RoutingWait {
  /**
   * Polls the routing daemons' state and `extra` until every check holds in one unbroken turn
   * or `limitMs` passes (convergence.ts's waitForConvergence over the lab's FRR expectations).
   */
  poll: (extra: () => Promise<string[]>, limitMs: number) => Promise<PollResult>;
  /** What the kernels of devices without FRR lack. */
  kernel: () => Promise<string[]>;
  /** Where the externals' speakers differ from the model's exports, one line each. */
  announcements: () => Promise<string[]>;
}

/**
 * Waits until routing converged: everything but the announcements first, within the limit;
 * then the announcements, within the grace period (and the limit); if they needed waiting for,
 * everything once more, so that converged still means every check held in one unbroken turn.
 * When the grace period passes, one more turn of every check says what is missing.
 */
export async function waitForRouting(w: RoutingWait, limitMs: number, graceMs: number = ANNOUNCEMENT_GRACE_MS, now: () => number = Date.now): Promise<PollResult> {
  const t0 = now();
  const left = (): number => Math.max(0, limitMs - (now() - t0));
  const done = (r: { converged: boolean; missing: string[] }): PollResult => ({ converged: r.converged, missing: r.missing, millis: now() - t0 });
  const everything = async (): Promise<string[]> => [...(await w.kernel()), ...(await w.announcements())];
  const rest = await w.poll(w.kernel, limitMs);
  if (!rest.converged) return done({ converged: false, missing: [...rest.missing, ...(await w.announcements())] });
  // Usually the announcements arrived with the sessions, long before the routes: this ask is
  // the end of the same turn.
  if ((await w.announcements()).length === 0) return done({ converged: true, missing: [] });
  const arrived = await pollUntilHeld([{ check: w.announcements }], Math.min(graceMs, left()), now);
  // After the grace period (or the limit): one turn of every check, as at the time limit.
  return done(await w.poll(everything, arrived.converged ? left() : 0));
}
