// ICMP errors for forwarded connections on stateless routers (compiler/icmp-errors.ts): the
// rules on each edge filter, their order, their sources, the IOS-XE text they become (read back
// equal), and what the verifier makes of them: a packet-too-big or unreachable from a router on
// the path or from the destination host reaches the source of an allowed connection through the
// stateless edge; an isolate the rules make false is refuted with the rule named, and one they
// leave true stays proven (a stateful device on the way still drops an error it tracks no
// connection for).

import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import type { DeviceModel, FilterRule, NetworkModel } from '../../compiler/model.js';
import { verifyModel } from '../../verifier/index.js';
import { simulate } from '../../verifier/simulate.js';
import type { Packet, Verdict } from '../../verifier/verdict.js';
import { edgeAndCore } from '../intent-runs.js';
import { sharedPool } from '../shared-solvers.js';
import { compileText, device } from './helpers.js';

// One pool of two Z3 workers for the file's two proofs (test/shared-solvers.ts), the size each
// would start of its own.
const pool = sharedPool(2);

const TEXT = (edge: 'cisco-iosxe' | 'frr') => `${edgeAndCore(edge)}segment guest  10.99.0.0/24, fd00:99::/64 at s.edge
segment lab    10.30.0.0/24 at s.edge
segment web    10.10.0.0/24, fd00:10::/64 at s.core
host www 10.10.0.80 in web
external internet {
  prefixes 0.0.0.0/0, ::/0
  attach s.edge address 203.0.113.2/30 gateway 203.0.113.1
  attach s.edge address 2001:db8:ffff::2/64 gateway 2001:db8:ffff::1
}
service unreach = icmp unreachable
policy {
  allow office -> web : https
  allow office -> internet : https
  allow office -> lab : ssh
  allow internet -> www : http
  deny lab -> office
}
assert reach s.core -> office : unreach
assert isolate guest -> office : unreach
assert isolate lab -> office : unreach
assert isolate lab -> guest : unreach
assert isolate web -> office : unreach
`;

const rules = (d: DeviceModel, name: string): FilterRule[] => d.filters.find((f) => f.name === name)!.rules;
const errors = (rs: FilterRule[]) => rs.filter((r) => r.description.startsWith('icmp errors of '));
const shape = (r: FilterRule) => [r.match.sources ?? 'any', r.match.destinations ?? 'any', r.match.protocol, r.match.icmpType];

describe('ICMP error rules on a stateless edge', () => {
  const { model } = compileText(TEXT('cisco-iosxe'));
  const edge = device(model, 's.edge');

  it('toward the sources of an allowed connection: from any source, IPv4 3 and 11, ICMPv6 1, 2 and 3, one set for all connections', () => {
    expect(errors(rules(edge, 'seg-office-out')).map(shape)).toEqual([
      ['any', ['10.20.0.0/24'], 1, 3],
      ['any', ['10.20.0.0/24'], 1, 11],
      ['any', ['fd00:20::/64'], 58, 1],
      ['any', ['fd00:20::/64'], 58, 2],
      ['any', ['fd00:20::/64'], 58, 3],
    ]);
    // The first allow rule that asks for them is their origin; the description counts the others
    // (office -> internet, office -> lab).
    expect(errors(rules(edge, 'seg-office-out')).every((r) => r.description === 'icmp errors of allow office -> web : https (t.plumb:21) and 2 more')).toBe(true);
    expect(errors(rules(edge, 'seg-office-out')).every((r) => r.origin.start.line === 21)).toBe(true);
  });

  it('from an external toward the sources: any source, after the anti-spoofing rule that holds it to the external', () => {
    const from = rules(edge, 'ext-internet-in');
    expect(from[0]!.description).toMatch(/^anti-spoofing/);
    expect(errors(from).map(shape)).toEqual([
      ['any', ['10.20.0.0/24'], 1, 3],
      ['any', ['10.20.0.0/24'], 1, 11],
      ['any', ['fd00:20::/64'], 58, 1],
      ['any', ['fd00:20::/64'], 58, 2],
      ['any', ['fd00:20::/64'], 58, 3],
    ]);
  });

  it('come after the reply rules and before every deny and allow (a deny of the other direction drops none)', () => {
    for (const f of edge.filters.filter((x) => x.name !== edge.localFilter)) {
      const kinds = f.rules.map((r) => (r.description.startsWith('anti-spoofing') ? 0 : r.description.startsWith('replies of') ? 1 : r.description.startsWith('icmp errors of') ? 2 : 3));
      expect([...kinds].sort((a, b) => a - b), f.name).toEqual(kinds);
    }
  });

  it('the connections into a segment share one set of rules from its addresses there, to the union of their sources', () => {
    const two = compileText(TEXT('cisco-iosxe').replace('  deny lab -> office', '  allow guest -> lab : ssh\n  deny lab -> office')).model;
    expect(errors(rules(device(two, 's.edge'), 'seg-lab-in')).map(shape)).toEqual([
      [['10.30.0.0/24'], ['10.20.0.0/24', '10.99.0.0/24'], 1, 3],
      [['10.30.0.0/24'], ['10.20.0.0/24', '10.99.0.0/24'], 1, 11],
    ]);
    expect(errors(rules(edge, 'seg-lab-in')).map(shape)).toEqual([
      [['10.30.0.0/24'], ['10.20.0.0/24'], 1, 3],
      [['10.30.0.0/24'], ['10.20.0.0/24'], 1, 11],
    ]);
  });

  it('a segment that only receives connections sends errors from its destination addresses only', () => {
    // guest opens nothing and is opened by nothing: no rule at all.
    expect(errors(rules(edge, 'seg-guest-in'))).toEqual([]);
    expect(errors(rules(edge, 'seg-guest-out'))).toEqual([]);
    // The internet's out filter: errors toward the internet's hosts that may open http to www.
    const out = errors(rules(edge, 'ext-internet-out'));
    expect(out.length).toBe(5);
    expect(out.every((r) => r.match.sources === undefined && r.description.startsWith('icmp errors of allow internet -> www : http'))).toBe(true);
  });

  it('stateful devices get none: connection tracking admits the errors of a connection it tracks', () => {
    const stateful = compileText(TEXT('frr')).model;
    for (const d of stateful.devices) expect(d.filters.flatMap((f) => errors(f.rules)), d.id).toEqual([]);
    for (const d of model.devices.filter((x) => x.stateful)) expect(d.filters.flatMap((f) => errors(f.rules)), d.id).toEqual([]);
  });

  it('IOS-XE prints them with its own type names and reads them back as the same rules', () => {
    const files = backendFor('cisco-iosxe')!.render(edge, model);
    const text = files.map((f) => f.content).join('\n');
    expect(text).toMatch(/permit icmp any 10\.20\.0\.0 0\.0\.0\.255 unreachable/);
    expect(text).toMatch(/permit icmp any 10\.20\.0\.0 0\.0\.0\.255 time-exceeded/);
    expect(text).toMatch(/permit icmp any fd00:20::\/64 packet-too-big/);
    const read = backendFor('cisco-iosxe')!.read(files, { id: edge.id, site: edge.site, name: edge.name, role: edge.role });
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    for (const name of ['seg-office-out', 'ext-internet-in', 'ext-internet-out', 'seg-office-in']) {
      const back = read.device!.filters.find((f) => f.name === name)!;
      expect(errors(back.rules).map(shape), name).toEqual(errors(rules(edge, name)).map(shape));
    }
  });
});

function delivered(model: NetworkModel, packet: Packet, to: string): boolean {
  const traces = simulate(model, packet);
  return traces.length > 0 && traces.every((t) => t.outcome.kind === 'delivered' && t.outcome.endpoints.includes(to));
}

describe('the verifier on ICMP errors through a stateless edge', () => {
  const { model } = compileText(TEXT('cisco-iosxe'));
  const core = device(model, 's.core');
  const coreAddress = (family: 4 | 6) =>
    core.interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0]!)).find((a) => a.includes(':') === (family === 6))!;

  it('a packet-too-big from the core router reaches an office host (IPv4 type 3, ICMPv6 type 2)', () => {
    expect(delivered(model, { family: 4, source: coreAddress(4), destination: '10.20.0.10', protocol: 1, icmpType: 3 }, 'office')).toBe(true);
    expect(delivered(model, { family: 6, source: coreAddress(6), destination: 'fd00:20::10', protocol: 58, icmpType: 2 }, 'office')).toBe(true);
    // ... and time exceeded; not an echo request, which nothing allows.
    expect(delivered(model, { family: 4, source: coreAddress(4), destination: '10.20.0.10', protocol: 1, icmpType: 11 }, 'office')).toBe(true);
    expect(delivered(model, { family: 4, source: coreAddress(4), destination: '10.20.0.10', protocol: 1, icmpType: 8 }, 'office')).toBe(false);
  });

  it('from beyond the external and from the destination hosts behind the edge, despite the deny of lab -> office', () => {
    expect(delivered(model, { family: 6, source: '2a00:1450::1', destination: 'fd00:20::10', protocol: 58, icmpType: 2 }, 'office')).toBe(true);
    expect(delivered(model, { family: 4, source: '10.30.0.5', destination: '10.20.0.10', protocol: 1, icmpType: 3 }, 'office')).toBe(true);
    // guest opens nothing: nothing sends it errors, and it sends none to office.
    expect(delivered(model, { family: 4, source: '10.30.0.5', destination: '10.99.0.10', protocol: 1, icmpType: 3 }, 'guest')).toBe(false);
    expect(delivered(model, { family: 4, source: '10.99.0.10', destination: '10.20.0.10', protocol: 1, icmpType: 3 }, 'office')).toBe(false);
    // web's gateway (core) is stateful: it passes an error only about a connection it tracks.
    expect(delivered(model, { family: 4, source: '10.10.0.5', destination: '10.20.0.10', protocol: 1, icmpType: 3 }, 'office')).toBe(false);
  });

  it('Z3 agrees: the reach holds, the isolate the rules make false is refuted by the rule, the others hold', async () => {
    const report = await verifyModel(model, { pool: pool(), timeoutMs: 60_000, lint: false });
    const by = (text: string): Verdict => report.verdicts.find((v) => v.assertion.text.startsWith(`assert ${text}`))!;
    expect(by('reach s.core -> office').status).toBe('proven');
    expect(by('isolate guest -> office').status).toBe('proven');
    expect(by('isolate lab -> guest').status).toBe('proven');
    expect(by('isolate web -> office').status).toBe('proven');
    const refuted = by('isolate lab -> office');
    expect(refuted.status).toBe('refuted');
    const decisions = refuted.counterexample!.traces.flatMap((t) => t.hops.flatMap((h) => h.decisions));
    expect(decisions.some((d) => d.action === 'permit' && d.description.startsWith('icmp errors of allow office -> lab : ssh'))).toBe(true);
    expect(refuted.counterexample!.packet.protocol).toBe(1);
    expect(refuted.counterexample!.packet.icmpType).toBe(3);
  });

  it('on a stateful edge the same unsolicited error is dropped: tracked errors are replies, not packets a host originates', async () => {
    const stateful = compileText(TEXT('frr')).model;
    expect(delivered(stateful, { family: 4, source: '10.30.0.5', destination: '10.20.0.10', protocol: 1, icmpType: 3 }, 'office')).toBe(false);
    const report = await verifyModel(stateful, { pool: pool(), timeoutMs: 60_000, lint: false });
    expect(report.verdicts.find((v) => v.assertion.text.startsWith('assert isolate lab -> office'))!.status).toBe('proven');
  });
});
