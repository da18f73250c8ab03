// Waiting for routing to converge: FRR's own state asked device by device (frr.ts's checkFrr), a
// device still missing something re-asked only once its kernel routes moved or a while passed.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { checkFrr, type FrrExpectation } from './frr.js';

/** Devices asked at once while polling: one per core of the machines the labs run on. */
const POLL_BATCH = 2;

/** A failing check whose sign has not moved is asked again after this long anyway. */
export const RECHECK_MS = 2000;

/** Between rounds in which something was missing. */
const ROUND_PAUSE_MS = 300;

/** One thing that must hold: its check (what is missing, empty when it holds) and, optionally, a cheap sign of its state. */
export interface PollCheck {
  check: () => Promise<string[]>;
  /**
   * A cheap reading that moves whenever the check's answer may have (an FRR instance's kernel
   * routes: what its daemons install, read from /proc). While it reads the same as at the last failed check, and
   * RECHECK_MS has not passed, that check is not run again: it would still miss the same.
   */
  sign?: () => Promise<string>;
}

/**
 * Polls the checks until all hold or the time limit passes. Each vtysh call costs tens of
 * milliseconds of CPU, and a lab spends most of its wait on OSPF's hello timers: asking every
 * device every round took most of a core from whatever else runs. So the poll goes round the
 * checks a batch at a time and starts again from the first batch still missing something;
 * routing has converged once every check held in one unbroken turn after the last one that did
 * not. A check that failed is re-run only when its sign moved or RECHECK_MS passed, so the
 * rounds in between read two files instead of running vtysh; a check only ever holds by being
 * run. At the time limit, one run of every check says what is missing.
 */
export async function pollUntilHeld(
  checks: readonly PollCheck[],
  limitMs: number,
  now: () => number = Date.now,
): Promise<{ converged: boolean; millis: number; missing: string[] }> {
  const t0 = now();
  const lastFailure: ({ sign: string; at: number; missing: string[] } | undefined)[] = checks.map(() => undefined);
  const ask = async (i: number): Promise<string[]> => {
    const c = checks[i]!;
    const sign = c.sign ? await c.sign().catch(() => undefined) : undefined;
    const last = lastFailure[i];
    if (sign !== undefined && last && last.sign === sign && now() - last.at < RECHECK_MS) return last.missing;
    const missing = await c.check();
    lastFailure[i] = missing.length > 0 && sign !== undefined ? { sign, at: now(), missing } : undefined;
    return missing;
  };
  let next = 0;
  let heldInARow = 0;
  while (heldInARow < checks.length) {
    const batch = Array.from({ length: Math.min(POLL_BATCH, checks.length - heldInARow) }, (_, k) => (next + k) % checks.length);
    const missing = await Promise.all(batch.map(ask));
    const firstMissing = missing.findIndex((m) => m.length > 0);
    if (firstMissing < 0) {
      heldInARow += batch.length;
      next = (next + batch.length) % checks.length;
      continue;
    }
    heldInARow = 0;
    next = batch[firstMissing]!;
    if (now() - t0 > limitMs) {
      const all = (await Promise.all(checks.map((c) => c.check()))).flat();
      return { converged: all.length === 0, millis: now() - t0, missing: all };
    }
    await new Promise((res) => setTimeout(res, ROUND_PAUSE_MS));
  }
  return { converged: true, millis: now() - t0, missing: [] };
}

/**
 * An FRR instance's kernel routes (IPv6 too where they are checked), as its zebra's
 * /proc/PID/net files show its namespace's tables: read without starting a process, and they
 * move whenever its daemons install or remove a route.
 */
export async function kernelRoutesSign(e: FrrExpectation): Promise<string> {
  const pid = (await readFile(join(e.inst.dir, 'zebra.pid'), 'utf8')).trim();
  if (!/^\d+$/.test(pid)) throw new Error(`no zebra pid in ${e.inst.dir}`);
  const v4 = await readFile(`/proc/${pid}/net/route`, 'utf8');
  const six = e.ospf6Neighbors > 0 || e.routes.some((r) => r.prefix.includes(':'));
  return six ? `${v4}\n${await readFile(`/proc/${pid}/net/ipv6_route`, 'utf8')}` : v4;
}

/** Waits until every FRR expectation (and `extraCheck`) holds, as `pollUntilHeld` does. */
export function waitForConvergence(
  expectations: FrrExpectation[],
  limitMs: number,
  extraCheck?: () => Promise<string[]>,
): Promise<{ converged: boolean; millis: number; missing: string[] }> {
  const checks: PollCheck[] = expectations.map((e) => ({
    check: () => checkFrr(e).then((s) => s.missing, (err: Error) => [err.message]),
    sign: () => kernelRoutesSign(e),
  }));
  if (extraCheck) checks.push({ check: extraCheck });
  return pollUntilHeld(checks, limitMs);
}
