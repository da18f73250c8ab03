// Unsolicited ICMP through (or to) a device whose conntrack calls it invalid (an error or a reply
// of no tracked connection): every linux and frr box drops it (`ct state invalid drop`) before any
// rule, even where a rule admits all of ICMP. The simulator, the SMT encoding and the
// counterexample say so; the types that open a connection (echo request) and ICMPv6's untracked
// neighbour discovery still pass by the rules, and a platform without the trait (a stateless
// IOS-XE router) decides the same packets by its rules, as before.

import { describe, expect, it } from 'vitest';
import type { NetworkModel } from '../../compiler/model.js';
import { PLATFORM_TRAITS } from '../../language/platforms.js';
import { verifyModel } from '../../verifier/index.js';
import { simulate } from '../../verifier/simulate.js';
import type { Packet } from '../../verifier/verdict.js';
import { compileText } from '../compiler/helpers.js';

const DROP = 'unsolicited ICMP (an error or reply of no tracked connection), conntrack state invalid: dropped before any rule';

const TEXT = (platform: string) => `pool infra 10.255.0.0/16
pool infra6 fd00:255::/48
site s {
  router gw ${platform}
}
segment lan 10.20.0.0/24, fd00:20::/64 at s.gw
segment srv 10.10.0.0/24, fd00:10::/64 at s.gw
service anyicmp = icmp
service unreachable = icmp 3
service expired = icmp 11
service echoreply = icmp 0
policy {
  allow lan -> srv : anyicmp
}
manage s.gw from lan : anyicmp
assert reach lan -> srv : ping
assert reach lan -> srv : unreachable
assert isolate lan -> srv : expired
assert isolate lan -> srv : echoreply
assert reach lan -> s.gw : unreachable
assert reach lan -> s.gw : ping
`;

async function statuses(model: NetworkModel): Promise<Record<string, string>> {
  const result = await verifyModel(model, { timeoutMs: 60_000, lint: false });
  return Object.fromEntries(result.verdicts.map((v) => [v.assertion.text.replace(/^assert /, ''), v.status]));
}

const packet = (icmpType: number, family: 4 | 6 = 4, destination = family === 4 ? '10.10.0.80' : 'fd00:10::80'): Packet => ({
  family,
  source: family === 4 ? '10.20.0.10' : 'fd00:20::10',
  destination,
  protocol: family === 4 ? 1 : 58,
  icmpType,
});

describe('unsolicited ICMP errors on a device whose conntrack calls them invalid', () => {
  it('the platform table says which platforms drop them: linux and frr (nftables)', () => {
    expect(Object.entries(PLATFORM_TRAITS).filter(([, t]) => t.dropsUnsolicitedIcmp).map(([p]) => p)).toEqual(['frr', 'linux']);
  });

  for (const platform of ['linux', 'frr']) {
    it(`${platform}: the simulator drops an error type before any rule, forwarded or to the device, and passes an echo`, () => {
      const { model } = compileText(TEXT(platform));
      for (const [type, family] of [
        [3, 4],
        [4, 4],
        [5, 4],
        [11, 4],
        [12, 4],
        [1, 6],
        [2, 6],
        [3, 6],
        [4, 6],
        // not errors, but no type that opens a connection: an echo reply, a router advertisement,
        // a timestamp reply; ICMPv6 echo reply
        [0, 4],
        [9, 4],
        [14, 4],
        [129, 6],
      ] as const) {
        const traces = simulate(model, packet(type, family));
        expect(traces.length).toBeGreaterThan(0);
        for (const t of traces) {
          expect(t.outcome).toEqual({ kind: 'dropped', device: 's.gw', stage: 'state' });
          expect(t.hops.at(-1)!.decisions).toEqual([expect.objectContaining({ stage: 'state', action: 'deny', description: DROP })]);
        }
      }
      const gw = model.devices.find((d) => d.id === 's.gw')!;
      const own = gw.interfaces.find((i) => i.role === 'segment' && i.addresses.some((a) => a.startsWith('10.20.')))!.addresses[0]!.split('/')[0]!;
      expect(simulate(model, packet(3, 4, own)).map((t) => t.outcome)).toEqual([{ kind: 'dropped', device: 's.gw', stage: 'state' }]);
      // the types that open a connection (echo, timestamp, information and address mask requests;
      // ICMPv6 echo request and node information query) and ICMPv6 neighbour discovery, untracked
      for (const [type, family] of [
        [8, 4],
        [13, 4],
        [15, 4],
        [17, 4],
        [128, 6],
        [139, 6],
        [135, 6],
      ] as const) {
        expect(simulate(model, packet(type, family)).map((t) => t.outcome.kind)).toEqual(['delivered']);
      }
      expect(simulate(model, packet(8, 4, own)).map((t) => t.outcome.kind)).toEqual(['to-device']);
    });

    it(`${platform}: reach of an error type is refuted, the counterexample names connection state; the echo is proven`, async () => {
      const { model } = compileText(TEXT(platform));
      const result = await verifyModel(model, { timeoutMs: 60_000, lint: false });
      const by = Object.fromEntries(result.verdicts.map((v) => [v.assertion.text.replace(/^assert /, ''), v]));
      expect(Object.fromEntries(Object.entries(by).map(([k, v]) => [k, v.status]))).toEqual({
        'reach lan -> srv : ping': 'proven',
        'reach lan -> srv : unreachable': 'refuted',
        'isolate lan -> srv : expired': 'proven',
        'isolate lan -> srv : echoreply': 'proven',
        'reach lan -> s.gw : unreachable': 'refuted',
        'reach lan -> s.gw : ping': 'proven',
      });
      for (const text of ['reach lan -> srv : unreachable', 'reach lan -> s.gw : unreachable']) {
        const c = by[text]!.counterexample!;
        expect(c.packet.icmpType).toBe(c.packet.family === 4 ? 3 : 1);
        expect(c.summary).toContain(DROP);
        expect(c.traces.every((t) => t.outcome.kind === 'dropped' && t.outcome.stage === 'state')).toBe(true);
      }
    }, 120_000);
  }

  it('a stateless IOS-XE router (no connection tracking) admits the same error by its rule, as before', async () => {
    const { model } = compileText(TEXT('cisco-iosxe'));
    expect(simulate(model, packet(3)).map((t) => t.outcome.kind)).toEqual(['delivered']);
    expect(await statuses(model)).toMatchObject({
      'reach lan -> srv : ping': 'proven',
      'reach lan -> srv : unreachable': 'proven',
      'isolate lan -> srv : expired': 'refuted',
      'isolate lan -> srv : echoreply': 'refuted',
    });
  }, 120_000);
});
