// The example packet of a difference between two rule lists (verifier/equivalence-example.ts):
// pinned on acme's devices with hand edits, so that a change of the candidates or their order
// shows here. Z3's own model for these is a packet like `proto 238 10.10.1.0 -> 245.138.253.0`.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceModel, FilterRule } from '../../compiler/model.js';
import { checkEquivalence, packetText, scopeText, type PacketDifference } from '../../verifier/equivalence.js';
import { deviceHints, isReserved, realisticExample } from '../../verifier/equivalence-example.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import { exampleModel } from './equivalence-helpers.js';

const pool = new SolverPool(1);
beforeAll(() => pool.start(), 30_000);
afterAll(() => pool.close());

const model = exampleModel('acme');
const copy = (d: DeviceModel): DeviceModel => ({ ...(JSON.parse(JSON.stringify(d)) as DeviceModel), fib: [] });
const device = (id: string): DeviceModel => model.devices.find((d) => d.id === id)!;
const origin = { file: 'x.cfg', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
const rule = (match: FilterRule['match'], action: FilterRule['action'] = 'permit'): FilterRule => ({ action, match, origin, description: 'edit' });

async function firstPacket(expected: DeviceModel, actual: DeviceModel): Promise<string[]> {
  const r = await checkEquivalence(expected, actual, { pool });
  return r.differences.filter((d): d is PacketDifference => d.kind === 'packet').map((d) => `${packetText(d.packet)} ${scopeText(d.scope)}`);
}

function edited(id: string, filter: string, edit: (rules: FilterRule[]) => void): [DeviceModel, DeviceModel] {
  const d = device(id);
  const b = copy(d);
  edit(b.filters.find((f) => f.name === filter)!.rules);
  return [d, b];
}

describe('realistic example packets', () => {
  it('permit ip any any at the top of an inbound list: TCP SYN from a client port to a service port, between the intent\'s prefixes', async () => {
    const [a, b] = edited('fra1.edge1', 'ext-internet-in', (rs) => rs.unshift(rule({})));
    expect(await firstPacket(a, b)).toEqual(['tcp 10.10.2.1:49152 -> 10.10.1.1:443 [syn] entering by GigabitEthernet3']);
  });

  it('only protocol 249 differs: the example says protocol 249, between the intent\'s prefixes', async () => {
    const [a, b] = edited('fra1.edge1', 'ext-internet-in', (rs) => rs.unshift(rule({ protocol: 249 })));
    expect(await firstPacket(a, b)).toEqual(['proto 249 1.0.0.1 -> 10.10.1.1 entering by GigabitEthernet3']);
  });

  it('only multicast destinations differ: the example is multicast', async () => {
    const [a, b] = edited('fra1.edge1', 'ext-internet-in', (rs) => rs.unshift(rule({ protocol: 17, destinations: ['239.1.2.0/24'] })));
    expect(await firstPacket(a, b)).toEqual(['udp 1.0.0.1:49152 -> 239.1.2.1:53 entering by GigabitEthernet3']);
  });

  it('a port range added by hand: a well-known port inside it', async () => {
    const [a, b] = edited('fra1.edge1', 'ext-internet-in', (rs) => rs.unshift(rule({ protocol: 6, destinationPorts: [{ from: 8000, to: 8100 }] })));
    expect(await firstPacket(a, b)).toEqual(['tcp 1.0.0.1:49152 -> 10.10.1.1:8080 [syn] entering by GigabitEthernet3']);
  });

  it('packets to the device itself: to one of its own addresses', async () => {
    const d = device('fra1.edge1');
    expect(d.interfaces.flatMap((i) => i.addresses)).toContain('10.255.0.6/31');
    const b = copy(d);
    b.filters.find((f) => f.name === d.localFilter)!.rules.unshift(rule({ protocol: 6, destinationPorts: [{ from: 23, to: 23 }] }));
    expect(await firstPacket(d, b)).toEqual(['tcp 169.254.10.2:49152 -> 10.255.0.6:23 [syn] addressed to the device itself']);
  });
});

describe('realisticExample', () => {
  it('is a function of its input, keeps a packet that differs, and never picks a reserved address while another differs', () => {
    const d = device('fra1.edge1');
    const pair = {
      scope: { kind: 'filter' as const, interface: 'GigabitEthernet3', direction: 'in' as const },
      expected: { name: 'x', rules: [], defaultAction: 'deny' as const },
      actual: { name: 'x', rules: [rule({})], defaultAction: 'deny' as const },
    };
    const z3 = { family: 4 as const, source: '10.10.1.0', destination: '245.138.253.0', protocol: 238 };
    const one = realisticExample(pair, z3, deviceHints(d));
    expect(realisticExample(pair, z3, deviceHints(d))).toEqual(one);
    expect(isReserved(one.packet.source) || isReserved(one.packet.destination)).toBe(false);
    expect(one.packet.protocol).toBe(6);
    expect(one.expected.action).toBe('deny');
    expect(one.actual.action).toBe('permit');
    expect(isReserved('224.0.0.5')).toBe(true);
    expect(isReserved('ff02::5')).toBe(true);
    expect(isReserved('10.1.2.3')).toBe(false);
  });
});
