// The lab's export check in real namespaces: examples/nat's edge announces the partner our apps
// as 100.64.20.0/24, a prefix no route of our network holds. Without its discard route (the
// model as the compiler wrote it before it had them) FRR's `bgp network import-check` keeps the
// announcement back, and the partner's own BGP speaker must be seen to lack it: routing does not
// converge, and the report names the session and the prefix. The lab says so once the grace
// period after everything else converged has passed (emulator/routing-wait.ts), well before the
// time limit. examples.test.ts runs the example as compiled (with the discard route), where the
// partner receives it. Root only.

import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { compile } from '../../compiler/index.js';
import type { NetworkModel } from '../../compiler/model.js';
import { emulate } from '../../emulator/index.js';
import { analyze } from '../../language/analyze.js';
import { readSources } from '../../pipeline/sources.js';
import { rootOnly } from '../intent-runs.js';

const labIt = rootOnly("the export check's lab");

/** The time limit for routing: the grace period after the rest converged must end the wait first. */
const LIMIT_MS = 75_000;

/** examples/nat compiled, then without its discard routes and without assertions (routing only). */
function withoutDiscardRoutes(): NetworkModel {
  const files = readSources(['examples/nat'], join(import.meta.dirname, '../..'));
  const analysis = analyze(files);
  const model = compile(analysis.intent!).model;
  for (const d of model.devices) {
    const discarded = new Set(d.staticRoutes.filter((r) => r.discard).map((r) => r.prefix));
    d.staticRoutes = d.staticRoutes.filter((r) => !r.discard);
    d.fib = d.fib.filter((r) => !(discarded.has(r.prefix) && r.nextHops.length === 0));
  }
  return { ...model, assertions: [] };
}

describe('the export check in a lab', () => {
  labIt('a translated export without a route for it: the partner lacks 100.64.20.0/24, and the lab says so', async () => {
    const model = withoutDiscardRoutes();
    expect(model.devices.find((d) => d.id === 'fra1.edge1')!.bgp!.neighbors[0]!.exportPrefixes).toEqual(['100.64.20.0/24']);
    const report = await emulate(model, { verdicts: [], noSweep: true, convergenceLimitMs: LIMIT_MS });
    const text = [report.error ?? '', ...report.notConverged].join('\n');
    expect(report.error, text).toBeUndefined();
    expect(report.exportChecks, text).toEqual([{ external: 'partner', device: 'fra1.edge1', session: '169.254.20.1', missing: ['100.64.20.0/24'], extra: [] }]);
    expect(report.converged, text).toBe(false);
    // Not the time limit: everything but the announcement held, and its grace period ran out.
    expect(report.convergeMillis, text).toBeLessThan(LIMIT_MS);
    // The one thing missing: the session itself is up and every route is there, the prefix is
    // held back, not lost with the session.
    expect(report.notConverged, text).toEqual(['external partner: its BGP speaker lacks 100.64.20.0/24, which fra1.edge1 exports to it (session 169.254.20.1)']);
  }, 600_000);
});
