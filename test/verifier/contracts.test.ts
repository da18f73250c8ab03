// Contracts in the verifier (verifier/contracts.ts, docs/federation.md): our side's guarantees
// proven on a network that keeps them and refuted, with a packet and the contract's line, on one
// that breaks them; our reach to the other party holds only within what it offers.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContractModel, NetworkModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { compileIntent } from '../../pipeline/compile.js';
import { proveModel, withContractGuarantees } from '../../pipeline/prove.js';
import { renderVerdictsText } from '../../cli/report/verdicts.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import type { Verdict } from '../../verifier/verdict.js';

/** acme's side of `frankfurt`, as the plain external the compiler makes of `implements` (plus `extra`). */
const ACME = (extra: { policy?: string; announce?: string; externals?: string; asserts?: string } = {}): string => `network acme
routing ospf
pool infra 10.255.0.0/16
site fra1 {
  router edge1 frr asn 65010
  firewall fw1 linux
  link edge1 -- fw1
}
segment app 10.20.1.0/24 at fra1.fw1
segment billing 10.20.2.0/24 at fra1.fw1
segment lab 10.30.0.0/24 at fra1.fw1
host cb 10.20.2.10 in billing
external datahub {
  asn 64700
  prefixes 198.51.100.0/24
  attach fra1.edge1 address 169.254.10.1/30 peer 169.254.10.2 vlan 100
  announce app, billing${extra.announce ?? ''}
}
${extra.externals ?? ''}
service ingest = tcp 443
service callbacks = tcp 8443
service ssh = tcp 22
policy {
  allow app -> datahub : ingest
  allow datahub -> cb : callbacks
${extra.policy ?? ''}
}
${extra.asserts ?? ''}
`;

const INTERNET = `external internet {
  prefixes 0.0.0.0/0
  attach fra1.edge1 address 192.0.2.1/30 gateway 192.0.2.2
}`;

const FILE = 'contracts/frankfurt.plumb';
const line = (n: number): Span => ({ file: FILE, start: { line: n, column: 3, offset: 0 }, end: { line: n, column: 40, offset: 0 } });
const tcp = (port: number): { protocol: number; ports: { from: number; to: number }[] } => ({ protocol: 6, ports: [{ from: port, to: port }] });

/** The contract of docs/federation.md, acme's side: what the language part builds from `implements shared.frankfurt as acme`. */
const FRANKFURT: ContractModel = {
  name: 'shared.frankfurt',
  us: {
    name: 'acme',
    asn: 65010,
    origin: line(2),
    announces: ['10.20.1.0/24', '10.20.2.0/24'],
    announcesOrigin: line(5),
    offers: [{ services: [tcp(8443)], serviceNames: ['callbacks'], at: ['10.20.2.10/32'], to: ['198.51.100.0/24'], text: 'acme offers callbacks at 10.20.2.10 to 198.51.100.0/24', origin: line(8) }],
  },
  them: {
    name: 'datahub',
    asn: 64700,
    origin: line(3),
    announces: ['198.51.100.0/24'],
    announcesOrigin: line(6),
    offers: [{ services: [tcp(443)], serviceNames: ['ingest'], at: ['198.51.100.0/26'], to: ['10.20.1.0/24'], text: 'datahub offers ingest at 198.51.100.0/26 to 10.20.1.0/24', origin: line(7) }],
  },
  external: 'datahub',
  meet: { ours: '169.254.10.1', theirs: '169.254.10.2', prefixLength: 30, vlan: 100, origin: line(4) },
  origin: line(1),
  implementsOrigin: { file: 'acme.plumb', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 0 } },
};

function implementing(text: string, contract: ContractModel = FRANKFURT): NetworkModel {
  const c = compileIntent([{ path: 'acme.plumb', text }]);
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { ...c.model!, contracts: [contract] };
}

let pool: SolverPool;
beforeAll(async () => {
  pool = new SolverPool(2);
  await pool.start();
});
afterAll(async () => {
  await pool.close();
});

async function verdicts(model: NetworkModel, only?: string): Promise<Verdict[]> {
  const proof = await proveModel({ diagnostics: [], model }, { pool, timeoutMs: 60_000, ...(only !== undefined ? { only } : {}) });
  return proof.report!.verdicts;
}
const guarantee = (vs: readonly Verdict[], g: string): Verdict[] => vs.filter((v) => v.assertion.contract?.guarantee === g);
const statuses = (vs: readonly Verdict[]): string[] => vs.map((v) => `${v.status} ${v.assertion.text}`);

describe('the guarantees of our side', () => {
  it('are stated after the intent\'s own assertions, each at its contract line', () => {
    const model = withContractGuarantees(implementing(ACME({ externals: INTERNET, asserts: 'assert reach app -> datahub : ingest' })));
    expect(model.assertions.map((a) => `${a.text} @${a.origin.start.line}`)).toEqual([
      'assert reach app -> datahub : ingest @31',
      'guarantee acme offers callbacks at 10.20.2.10 to 198.51.100.0/24 (shared.frankfurt) @8',
      'guarantee acme accepts from datahub only what it offers (shared.frankfurt) @2',
      'guarantee acme sends to datahub only from 10.20.1.0/24, 10.20.2.0/24 (shared.frankfurt) @5',
      'guarantee acme is no transit from datahub (shared.frankfurt) @2',
      'guarantee acme is no transit to datahub (shared.frankfurt) @2',
      'guarantee acme announces to datahub only 10.20.1.0/24, 10.20.2.0/24 (shared.frankfurt) @5',
    ]);
    expect(model.assertions[0]!.assumes?.offers.map((o) => o.text)).toEqual(['datahub offers ingest at 198.51.100.0/26 to 10.20.1.0/24']);
  });

  it('are all proven on a network that keeps them', async () => {
    const vs = await verdicts(implementing(ACME({ externals: INTERNET, policy: '  allow app -> internet : ingest' })));
    expect(statuses(vs).filter((s) => !s.startsWith('proven'))).toEqual([]);
    expect(vs).toHaveLength(6);
  }, 300_000);

  it('accepts only what it offers: the replies a stateless edge admits to our own connections open none', async () => {
    const model = implementing(ACME().replace('router edge1 frr asn 65010', 'router edge1 cisco-iosxe asn 65010'));
    expect(model.devices.find((d) => d.id === 'fra1.edge1')!.stateful).toBe(false);
    const vs = await verdicts(model);
    expect(statuses(vs).filter((x) => !x.startsWith('proven'))).toEqual([]);
  }, 300_000);

  it('offers: refuted when the offered service does not get through, with the offer line', async () => {
    const contract: ContractModel = { ...FRANKFURT, us: { ...FRANKFURT.us, offers: [{ ...FRANKFURT.us.offers[0]!, services: [tcp(22)], serviceNames: ['ssh'], text: 'acme offers ssh at 10.20.2.10 to 198.51.100.0/24' }] } };
    const [v] = guarantee(await verdicts(implementing(ACME(), contract), 'offers ssh'), 'offers');
    expect(v!.status).toBe('refuted');
    expect(v!.counterexample!.packet).toMatchObject({ source: expect.stringMatching(/^198\.51\.100\./), destination: '10.20.2.10', protocol: 6, destinationPort: 22 });
    expect(v!.counterexample!.summary).toMatch(/, breaking shared\.frankfurt, contracts\/frankfurt\.plumb:8$/);
  }, 300_000);

  it('offers: vacuous, saying so, when none of our addresses is where the offer is at', async () => {
    const contract: ContractModel = { ...FRANKFURT, us: { ...FRANKFURT.us, offers: [{ ...FRANKFURT.us.offers[0]!, at: ['10.40.0.0/24'], text: 'acme offers callbacks at 10.40.0.0/24 to 198.51.100.0/24' }] } };
    const [v] = guarantee(await verdicts(implementing(ACME(), contract), 'offers'), 'offers');
    expect([v!.status, v!.reason]).toEqual(['vacuous', 'no segment, host or device of ours has an address within 10.40.0.0/24']);
  }, 300_000);

  it('accepts only what it offers: refuted by an allow that opens a service not offered', async () => {
    const keep = guarantee(await verdicts(implementing(ACME()), 'accepts'), 'accepts-only-offered');
    expect(keep.map((v) => v.status)).toEqual(['proven']);
    const [v] = guarantee(await verdicts(implementing(ACME({ policy: '  allow datahub -> billing : ssh' })), 'accepts'), 'accepts-only-offered');
    expect(v!.status).toBe('refuted');
    expect(v!.counterexample!.packet).toMatchObject({ protocol: 6, destinationPort: 22, tcpFlags: ['syn'] });
    expect(v!.counterexample!.packet.destination).toMatch(/^10\.20\.2\./);
    expect(v!.counterexample!.summary).toContain('breaking shared.frankfurt, contracts/frankfurt.plumb:2');
  }, 300_000);

  it('sends only from its announcements: refuted when an unannounced segment reaches the other party', async () => {
    const [v] = guarantee(await verdicts(implementing(ACME({ policy: '  allow lab -> datahub : ingest' })), 'sends'), 'sends-only-announced');
    expect(v!.status).toBe('refuted');
    expect(v!.counterexample!.packet.source).toMatch(/^10\.30\.0\./);
    expect(v!.counterexample!.summary).toContain('contracts/frankfurt.plumb:5');
  }, 300_000);

  it('no transit: refuted by a path from the other party to another external', async () => {
    const vs = guarantee(await verdicts(implementing(ACME({ externals: INTERNET, policy: '  allow datahub -> internet : ingest' })), 'transit'), 'no-transit');
    expect(vs.map((v) => v.status)).toEqual(['refuted', 'proven']);
    expect(vs[0]!.counterexample!.packet).toMatchObject({ source: expect.stringMatching(/^198\.51\.100\./), destinationPort: 443 });
  }, 300_000);

  it('announces only its announcements: refuted by an extra announce, naming the session and the prefix', async () => {
    const [keep] = guarantee(await verdicts(implementing(ACME()), 'announces'), 'announces-only');
    expect(keep!.status).toBe('proven');
    const [v] = guarantee(await verdicts(implementing(ACME({ announce: ', lab' })), 'announces'), 'announces-only');
    expect(v!.status).toBe('refuted');
    expect(v!.counterexample!.announcement).toEqual({ device: 'fra1.edge1', neighbor: '169.254.10.2', prefix: '10.30.0.0/24' });
    expect(v!.counterexample!.packet).toMatchObject({ source: '198.51.100.1', destination: '10.30.0.1', protocol: 1, icmpType: 8 });
    expect(v!.counterexample!.traces.length).toBeGreaterThan(0);
    expect(v!.counterexample!.summary).toContain('fra1.edge1 announces 10.30.0.0/24 to datahub (neighbor 169.254.10.2)');
    expect(v!.counterexample!.summary).toContain('(shared.frankfurt, contracts/frankfurt.plumb:5)');
  }, 300_000);
});

describe('our assertions, assuming only what the other party offers', () => {
  const asserts = 'assert reach app -> datahub : ingest\nassert reach billing -> datahub : ingest\nassert reach app -> datahub : ssh';
  const intent = ACME({ policy: '  allow billing -> datahub : ingest\n  allow app -> datahub : ssh', asserts });

  it('a reach within what the party offers is proven', async () => {
    const offer = { ...FRANKFURT.them.offers[0]!, at: ['198.51.100.0/24'], text: 'datahub offers ingest to 10.20.1.0/24' };
    const wide: ContractModel = { ...FRANKFURT, them: { ...FRANKFURT.them, offers: [offer] } };
    const vs = await verdicts(implementing(intent, wide), 'reach');
    expect(vs.map((v) => v.status)).toEqual(['proven', 'refuted', 'refuted']);
  }, 300_000);

  it('a reach outside it is refuted with what the party offers, though the network delivers it', async () => {
    const vs = await verdicts(implementing(intent), 'reach');
    expect(vs.map((v) => v.status)).toEqual(['refuted', 'refuted', 'refuted']);
    const offers = 'datahub offers only ingest at 198.51.100.0/26 to 10.20.1.0/24 (shared.frankfurt, contracts/frankfurt.plumb:7)';
    for (const v of vs) expect(v.counterexample!.summary).toBe(`the packet is outside what datahub offers: ${offers}`);
    // app's ingest to datahub's addresses past the /26; billing's; app's ssh.
    expect(vs[0]!.counterexample!.packet.destination).not.toMatch(/^198\.51\.100\.([0-9]|[1-5][0-9]|6[0-3])$/);
    expect(vs[1]!.counterexample!.packet).toMatchObject({ source: '10.20.2.2', destination: '198.51.100.1', sourcePort: 49152, destinationPort: 443 });
    expect(vs[2]!.counterexample!.packet.destinationPort).toBe(22);
    expect(vs[1]!.counterexample!.traces.some((t) => t.outcome.kind === 'delivered')).toBe(true);
  }, 300_000);

  it('an isolate is unchanged by the contract', async () => {
    const vs = await verdicts(implementing(ACME({ asserts: 'assert isolate datahub -> lab' })), 'isolate');
    expect(vs.map((v) => [v.status, v.assertion.assumes])).toEqual([['proven', undefined]]);
  }, 300_000);
});

describe('determinism', () => {
  it('gives the same JSON twice, and a shard\'s verdicts are the whole run\'s', async () => {
    const model = implementing(ACME({ externals: INTERNET, announce: ', lab', policy: '  allow datahub -> billing : ssh', asserts: 'assert reach billing -> datahub : ingest' }));
    const strip = (vs: readonly Verdict[]): string => JSON.stringify(vs.map((v) => ({ ...v, millis: 0 })));
    const a = await verdicts(model);
    const b = await verdicts(model);
    expect(strip(a)).toBe(strip(b));
    const whole = withContractGuarantees(model);
    const shards = [0, 1].map((k) => ({ ...whole, assertions: whole.assertions.filter((_, i) => i % 2 === k) }));
    const parts = await Promise.all(shards.map((m) => proveModel({ diagnostics: [], model: m, guaranteesAdded: true }, { pool, timeoutMs: 60_000 })));
    const merged = whole.assertions.map((x) => parts.flatMap((p) => p.report!.verdicts).find((v) => v.assertion.text === x.text)!);
    expect(strip(merged)).toBe(strip(a));
  }, 600_000);
});

describe('reports and failures', () => {
  it('the text report groups the guarantees under their contract, after the intent\'s own assertions', async () => {
    const model = implementing(ACME({ announce: ', lab', asserts: 'assert reach app -> datahub : ingest' }));
    const proof = await proveModel({ diagnostics: [], model }, { pool, timeoutMs: 60_000 });
    const lines = renderVerdictsText(proof.report!, false).split('\n').filter((l) => !l.startsWith(' '));
    expect(lines.map((l) => l.replace(/\(\d+(\.\d+)? m?s\)/, '(T)'))).toEqual([
      'REFUTED  assert reach app -> datahub : ingest  (T)  acme.plumb:28',
      "contract shared.frankfurt, acme's side: 3 of 4 guarantees proven",
      'proven   guarantee acme offers callbacks at 10.20.2.10 to 198.51.100.0/24 (shared.frankfurt)  (T)  contracts/frankfurt.plumb:8',
      'proven   guarantee acme accepts from datahub only what it offers (shared.frankfurt)  (T)  contracts/frankfurt.plumb:2',
      'proven   guarantee acme sends to datahub only from 10.20.1.0/24, 10.20.2.0/24 (shared.frankfurt)  (T)  contracts/frankfurt.plumb:5',
      'REFUTED  guarantee acme announces to datahub only 10.20.1.0/24, 10.20.2.0/24 (shared.frankfurt)  (T)  contracts/frankfurt.plumb:5',
      expect.stringMatching(/^5 assertions: 3 proven, 2 refuted, 0 unknown in /),
      '',
    ]);
  }, 300_000);

  it('a `survive` line proves the guarantees under failures too: the offer breaks with the one link', async () => {
    const model = { ...implementing(ACME({ externals: INTERNET })), survive: { failures: 1 } };
    const proof = await proveModel({ diagnostics: [], model }, { pool, timeoutMs: 60_000 });
    const report = proof.report!;
    expect(report.verdicts.map((v) => v.status)).toEqual(['refuted', 'proven', 'proven', 'proven', 'proven', 'proven']);
    expect(report.verdicts[0]!.failed).toEqual(['fra1.edge1 -- fra1.fw1']);
    expect(report.verdicts[0]!.counterexample!.summary).toContain('breaking shared.frankfurt, contracts/frankfurt.plumb:8');
    expect(report.stats.failures).toEqual([{ budget: 'any 1 failure', survived: 5, assertions: 6 }]);
  }, 300_000);
});
