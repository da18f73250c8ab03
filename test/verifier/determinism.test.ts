// Same intent, same verdicts: the counterexamples do not depend on the number of workers, on
// which other assertions are verified in the same run (`only`, batch composition) or on what a
// worker solved before. And each counterexample is the preferred packet (canonical.ts).

import { describe, expect, it } from 'vitest';
import type { NetworkModel } from '../../compiler/model.js';
import { compile } from '../../compiler/index.js';
import { analyze } from '../../language/analyze.js';
import { canonicalCounterexample, CLIENT_PORT, judgeAssertion } from '../../verifier/canonical.js';
import { verifyModel, type VerificationReport } from '../../verifier/index.js';
import { expandFlow } from '../../verifier/queries.js';
import { netIndex } from '../../verifier/simulate.js';
import { sharedPool } from '../shared-solvers.js';

// One pool of one worker and one of two for the file's eight proofs, each run on the pool of the
// size it asks for: a pool of their own would load Z3 in up to twelve workers. Every query starts
// from a clean solver, and batch sizes are the same (the shared pool's size, as an own pool's
// would be); each worker has also solved the previous runs' queries, which the verdicts must not
// depend on either.
const oneWorker = sharedPool(1);
const twoWorkers = sharedPool(2);
const onPool = (workers: number): { pool: ReturnType<typeof oneWorker> } => ({ pool: workers === 1 ? oneWorker() : twoWorkers() });

const TASTE = `pool infra 10.255.0.0/16

site fra1 "Frankfurt FR5" {
  router edge1 cisco-iosxe asn 65010
  firewall fw1 paloalto-panos
  router core1 frr
  link edge1 -- fw1
  link fw1 -- core1
}

segment web 10.10.1.0/24 at fra1.fw1 zone dmz
segment db 10.10.2.0/24 at fra1.core1

external snowflake "Snowflake private link, Frankfurt" {
  asn 64600
  prefixes 198.51.100.0/24
  attach fra1.edge1 address 169.254.10.1/30 peer 169.254.10.2
  announce db
}

policy {
  allow web -> db : postgres
  allow db -> snowflake : https
}

assert reach web -> db : postgres
assert isolate snowflake -> web
assert reach snowflake -> db : postgres
assert reach snowflake -> web : https
assert reach web -> snowflake : https
assert reach db -> web : ssh
assert isolate web -> db
assert isolate db -> snowflake
assert reach snowflake -> db : ping
assert isolate any -> db : postgres
assert reach web -> db : ssh
assert reach db -> snowflake : https
`;

function model(): NetworkModel {
  const analysis = analyze([{ path: 'taste.plumb', text: TASTE }]);
  expect(analysis.intent, JSON.stringify(analysis.diagnostics.slice(0, 3))).toBeDefined();
  return compile(analysis.intent!).model;
}

/** assertion text -> status and the counterexample as JSON. */
function outcomes(r: VerificationReport): Map<string, string> {
  return new Map(r.verdicts.map((v) => [v.assertion.text, `${v.status} ${JSON.stringify(v.counterexample ?? null)}`]));
}

describe('determinism of the verdicts', () => {
  it('workers, only filters and batch sizes do not change any counterexample', async () => {
    const m = model();
    const reference = outcomes(await verifyModel(m, onPool(1)));
    const refuted = [...reference].filter(([, o]) => o.startsWith('refuted')).length;
    expect(refuted).toBeGreaterThanOrEqual(3);
    const runs: { workers: number; only?: string }[] = [
      { workers: 2 },
      { workers: 1, only: 'snowflake' },
      { workers: 2, only: 'snowflake -> db' },
      { workers: 2, only: ' -> ' },
      { workers: 1, only: 'reach' },
      { workers: 2 },
    ];
    for (const options of runs) {
      // A fresh model each time: no index or tree cache is shared with the reference run.
      const got = outcomes(await verifyModel(options.workers === 1 ? m : model(), { ...options, ...onPool(options.workers) }));
      expect(got.size).toBeGreaterThan(0);
      for (const [text, outcome] of got) expect(outcome, `${text} with ${JSON.stringify(options)}`).toBe(reference.get(text));
    }
    // Seven verifications, each starting its own Z3 workers: about 50 s on a machine whose two
    // cores are shared with a dozen other jobs, so the limit is for a hang, not for speed.
  }, 300_000);

  it('the refuted taste assertion shows host addresses and a client port', async () => {
    const m = model();
    const r = await verifyModel(m, { only: 'reach snowflake -> db : postgres', ...onPool(2) });
    expect(r.verdicts[0]!.status).toBe('refuted');
    expect(r.verdicts[0]!.counterexample!.packet).toEqual({
      family: 4,
      source: '198.51.100.1',
      destination: '10.10.2.2',
      protocol: 6,
      sourcePort: CLIENT_PORT,
      destinationPort: 5432,
      tcpFlags: ['syn'],
    });
  }, 30_000);

  it('canonicalization is a pure function: different models of one refutation give one packet', () => {
    const m = model();
    const assertion = m.assertions.find((a) => a.text === 'assert reach snowflake -> db : postgres')!;
    const flow = expandFlow(netIndex(m), assertion);
    const packets = [
      { family: 4 as const, source: '198.51.100.0', destination: '10.10.2.0', protocol: 6, sourcePort: 0, destinationPort: 5432, tcpFlags: ['syn' as const] },
      { family: 4 as const, source: '198.51.100.77', destination: '10.10.2.128', protocol: 6, sourcePort: 1234, destinationPort: 5432, tcpFlags: ['syn' as const] },
    ];
    const canonical = packets.map((p) => {
      expect(judgeAssertion(m, assertion, flow, p).holds).toBe(false);
      return canonicalCounterexample(m, assertion, flow, p);
    });
    expect(canonical[1]).toEqual(canonical[0]);
    expect(canonical[0]).toMatchObject({ source: '198.51.100.1', destination: '10.10.2.2', sourcePort: CLIENT_PORT });
  });

  it('a preference that would make the packet pass is not taken', () => {
    const m = model();
    // web -> db : postgres is allowed; ssh is not. The canonical packet stays a refutation.
    const assertion = m.assertions.find((a) => a.text === 'assert reach web -> db : ssh')!;
    const flow = expandFlow(netIndex(m), assertion);
    const p = { family: 4 as const, source: '10.10.1.200', destination: '10.10.2.9', protocol: 6, sourcePort: 7, destinationPort: 22, tcpFlags: ['syn' as const] };
    const c = canonicalCounterexample(m, assertion, flow, p);
    expect(judgeAssertion(m, assertion, flow, c).holds).toBe(false);
    expect(c.destinationPort).toBe(22);
  });
});
