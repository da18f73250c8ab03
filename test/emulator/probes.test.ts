// Probes without a lab (pure): the families an assertion is probed in, a vacuous assertion (no
// family in common) that sends nothing and agrees with the verifier, and IPv6 packets crafted with
// correct checksums (TCP and ICMPv6 over the IPv6 pseudo-header).

import { describe, expect, it } from 'vitest';
import { crossesStateless, judge, planAssertionProbes, sharedFamilies } from '../../emulator/assertions.js';
import { planLab } from '../../emulator/lab.js';
import { l4Bytes } from '../../emulator/probe.js';
import { handBuiltModel } from './fixture.js';
import { dualStack, statefulVariant, withoutPartner } from './fixture-variants.js';

/** The one's-complement sum over an IPv6 pseudo-header and a segment (checksum included). */
function sum6(source: number[], destination: number[], protocol: number, segment: Buffer): number {
  const pseudo = Buffer.alloc(40);
  Buffer.from(source).copy(pseudo, 0);
  Buffer.from(destination).copy(pseudo, 16);
  pseudo.writeUInt32BE(segment.length, 32);
  pseudo[39] = protocol;
  const all = Buffer.concat([pseudo, segment, Buffer.alloc(segment.length % 2)]);
  let sum = 0;
  for (let i = 0; i < all.length; i += 2) sum += (all[i]! << 8) + all[i + 1]!;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return sum;
}

const SRC = [0x20, 0x01, 0x0d, 0xb8, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x64];
const DST = [0x20, 0x01, 0x0d, 0xb8, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x64];

describe('IPv6 packets crafted byte by byte', () => {
  it('TCP with ACK from port 443: the checksum covers the IPv6 pseudo-header', () => {
    const b = l4Bytes({
      source: '2001:db8:2::64',
      destination: '2001:db8:1::64',
      protocol: 6,
      sourcePort: 443,
      destinationPort: 22,
      tcpFlags: ['ack'],
    });
    expect([b.readUInt16BE(0), b.readUInt16BE(2), b[13]]).toEqual([443, 22, 0x10]);
    expect(sum6(SRC, DST, 6, b)).toBe(0xffff);
  });

  it('UDP and an ICMPv6 echo request (type 128), checksums included', () => {
    const u = l4Bytes({ source: '2001:db8:2::64', destination: '2001:db8:1::64', protocol: 17, sourcePort: 53, destinationPort: 53 });
    expect(sum6(SRC, DST, 17, u)).toBe(0xffff);
    const e = l4Bytes({ source: '2001:db8:2::64', destination: '2001:db8:1::64', protocol: 58, icmpType: 128 });
    expect(e[0]).toBe(128);
    expect(sum6(SRC, DST, 58, e)).toBe(0xffff);
  });
});

describe('the address families of an assertion', () => {
  it('each pair is probed in every family both ends have', () => {
    const model = dualStack(withoutPartner(handBuiltModel()));
    const plan = planLab(model, { runId: 'pl00beef' });
    const index = model.assertions.findIndex((a) => a.text === 'reach lan -> srv : https');
    expect(sharedFamilies(plan, model.assertions[index]!)).toEqual([4, 6]);
    const probes = planAssertionProbes(plan, index, undefined);
    expect(probes.probes.map((p) => `${p.packet.source} -> ${p.packet.destination}`)).toEqual([
      '10.1.0.100 -> 10.2.0.100',
      '2001:db8:1::64 -> 2001:db8:2::64',
    ]);
    expect(probes.vacuous).toBe(false);
  });

  it('an IPv4-only end and an IPv6-only end: vacuous, nothing sent, and no disagreement', () => {
    const model = withoutPartner(handBuiltModel());
    model.endpoints.push({
      name: 'v6net',
      kind: 'external',
      include: ['2001:db8:99::/48'],
      exclude: [],
      attachments: [{ device: 's.r1', interface: 'eth2' }],
      origin: model.endpoints[0]!.origin,
    });
    model.assertions.push({ ...model.assertions[0]!, property: 'isolate', sources: ['lan'], destinations: ['v6net'], text: 'isolate lan -> v6net' });
    const plan = planLab(model, { runId: 'pl00beef' });
    const index = model.assertions.length - 1;
    expect(sharedFamilies(plan, model.assertions[index]!)).toEqual([]);
    const probes = planAssertionProbes(plan, index, undefined);
    expect(probes).toMatchObject({ vacuous: true, probes: [] });
    expect(judge(model.assertions[index]!, [], true)).toBe('vacuous');
    // `any` has both families.
    expect(sharedFamilies(plan, { ...model.assertions[index]!, sources: ['any'] })).toEqual([6]);
  });
});

describe('reply-shaped packets go where a stateless device is on the way', () => {
  it("by the model's FIBs: lan -> srv crosses the IOS-XE r2, not once r2 is a stateful firewall", () => {
    const model = withoutPartner(handBuiltModel());
    const plan = planLab(model, { runId: 'pl00beef' });
    expect(crossesStateless(plan, 'lan', '10.2.0.100')).toBe(true);
    expect(crossesStateless(plan, 'srv', '10.1.0.100')).toBe(true);
    const stateful = planLab(statefulVariant(model), { runId: 'pl00beef' });
    expect(crossesStateless(stateful, 'lan', '10.2.0.100')).toBe(false);
    const isolate = stateful.model.assertions.findIndex((a) => a.text === 'isolate lan -> srv : ssh');
    expect(planAssertionProbes(stateful, isolate, undefined).probes.map((p) => p.kind)).toEqual(['connect']);
  });
});
