// The wait for a lab's routing (emulator/routing-wait.ts): the externals' announcements have a
// grace period once everything else held, instead of the whole time limit; converged still means
// every check held in one unbroken turn; what is missing at the end names both kinds. Fake
// checks on the real poll (convergence.ts), real time (a few seconds).

import { describe, expect, it } from 'vitest';
import { pollUntilHeld } from '../../emulator/convergence.js';
import { waitForRouting, type RoutingWait } from '../../emulator/routing-wait.js';

/** A lab of fake checks: the daemons' state (`routes()`), the kernels', the speakers'. */
function lab(state: { routes: () => boolean; kernel?: () => boolean; announced: () => boolean }): RoutingWait & { asked: { routes: number; announcements: number } } {
  const asked = { routes: 0, announcements: 0 };
  const routes = async (): Promise<string[]> => {
    asked.routes++;
    return state.routes() ? [] : ['route 10.0.0.0/24 (ospf)'];
  };
  return {
    asked,
    poll: (extra, limitMs) => pollUntilHeld([{ check: routes }, { check: extra }], limitMs),
    kernel: async () => ((state.kernel ?? (() => true))() ? [] : ['kernel route r3 10.0.1.0/24']),
    announcements: async () => {
      asked.announcements++;
      return state.announced() ? [] : ['external partner: its BGP speaker lacks 100.64.20.0/24'];
    },
  };
}

const since = (t0: number) => () => Date.now() - t0;

describe('the wait for routing', () => {
  it('ends a grace period after everything else held when an announcement never arrives', async () => {
    const t0 = Date.now();
    const elapsed = since(t0);
    const w = lab({ routes: () => elapsed() > 400, announced: () => false });
    const result = await waitForRouting(w, 60_000, 1500);
    expect(result.converged).toBe(false);
    expect(result.missing).toEqual(['external partner: its BGP speaker lacks 100.64.20.0/24']);
    // The routes after about 0.4 s, then 1.5 s of grace: nowhere near the limit.
    expect(result.millis).toBeGreaterThanOrEqual(1500);
    expect(result.millis).toBeLessThan(6000);
  });

  it('waits for an announcement that arrives within the grace period, then asks everything again', async () => {
    const t0 = Date.now();
    const elapsed = since(t0);
    const w = lab({ routes: () => true, announced: () => elapsed() > 700 });
    const result = await waitForRouting(w, 60_000, 5000);
    expect(result).toMatchObject({ converged: true, missing: [] });
    expect(result.millis).toBeLessThan(3000);
    // Once before the announcement arrived, once in the closing turn.
    expect(w.asked.routes).toBeGreaterThanOrEqual(2);
  });

  it('is not converged when something else broke while the announcements arrived', async () => {
    const t0 = Date.now();
    const elapsed = since(t0);
    // The routes hold at first and are gone by the time the announcement arrives.
    const w = lab({ routes: () => elapsed() < 300, announced: () => elapsed() > 600 });
    const result = await waitForRouting(w, 2000, 5000);
    expect(result.converged).toBe(false);
    expect(result.missing).toEqual(['route 10.0.0.0/24 (ospf)']);
  });

  it('at the time limit, lists what routing and the speakers both lack', async () => {
    const w = lab({ routes: () => false, kernel: () => false, announced: () => false });
    const result = await waitForRouting(w, 800, 5000);
    expect(result.converged).toBe(false);
    expect(result.missing).toEqual([
      'route 10.0.0.0/24 (ospf)',
      'kernel route r3 10.0.1.0/24',
      'external partner: its BGP speaker lacks 100.64.20.0/24',
    ]);
  });

  it('converges in one turn when the announcements are there with everything else', async () => {
    const w = lab({ routes: () => true, announced: () => true });
    const result = await waitForRouting(w, 60_000, 5000);
    expect(result).toMatchObject({ converged: true, missing: [] });
    expect(w.asked).toEqual({ routes: 1, announcements: 1 });
  });
});
