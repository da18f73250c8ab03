// Translation validation of address translation (verifier/equivalence-nat.ts): the compiler's
// NAT and the one read back must be the same list in the same order. Every edit a reader could
// bring back — a range changed, a side swapped, a service dropped, two entries exchanged, an
// interface moved, the whole NAT lost — is one difference at the place it happens; the same
// model twice is none.

import { describe, expect, it } from 'vitest';
import type { DeviceModel, NatModel, StaticNat } from '../../compiler/model.js';
import { compareConfiguration } from '../../verifier/equivalence-config.js';
import { overlapping, published } from './nat-models.js';

const edge = (m: { devices: DeviceModel[] }): DeviceModel => m.devices.find((d) => d.id === 'edge.e1')!;
const withNat = (d: DeviceModel, edit: (n: NatModel) => NatModel | undefined): DeviceModel => {
  const copy = structuredClone(d);
  const nat = edit(copy.nat!);
  if (nat) copy.nat = nat;
  else delete copy.nat;
  return copy;
};
const natItems = (e: DeviceModel, a: DeviceModel): { item: string; expected?: string; actual?: string }[] =>
  compareConfiguration(e, a)
    .filter((d) => d.item.startsWith('NAT'))
    .map(({ item, expected, actual }) => ({ item, ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual } : {}) }));

describe('NAT: translation validation compares it exactly', () => {
  const e = edge(overlapping('cisco-iosxe'));

  it('the same NAT twice has no difference', () => {
    expect(compareConfiguration(e, structuredClone(e))).toEqual([]);
  });

  it('a mapped range changed is a difference at its translation', () => {
    const a = withNat(e, (n) => ({ ...n, translations: n.translations.map((t, i) => (i === 1 ? { ...(t as StaticNat), mapped: '198.18.21.0/24' } : t)) }));
    expect(natItems(e, a)).toEqual([{ item: 'NAT translation 2', expected: 'static outside 10.20.0.0/24 as 198.18.20.0/24', actual: 'static outside 10.20.0.0/24 as 198.18.21.0/24' }]);
  });

  it('two translations exchanged are two differences', () => {
    const a = withNat(e, (n) => ({ ...n, translations: [...n.translations].reverse() }));
    expect(natItems(e, a).map((d) => d.item)).toEqual(['NAT translation 1', 'NAT translation 2']);
  });

  it('a side swapped and an interface moved are differences', () => {
    const a = withNat(e, (n) => ({ inside: [], outside: [...n.outside, ...n.inside].sort(), translations: n.translations.map((t) => (t.kind === 'static' ? { ...t, realSide: t.realSide === 'inside' ? 'outside' : 'inside' } : t)) }));
    expect(natItems(e, a).map((d) => d.item)).toEqual(['NAT inside interfaces', 'NAT outside interfaces', 'NAT translation 1', 'NAT translation 2']);
  });

  it('the NAT lost on the device is a difference for each of its parts', () => {
    const a = withNat(e, () => undefined);
    expect(natItems(e, a)).toEqual([
      { item: 'NAT inside interfaces', expected: 'eth1', actual: '(none)' },
      { item: 'NAT outside interfaces', expected: 'eth2', actual: '(none)' },
      { item: 'NAT translation 1', expected: 'static inside 10.20.0.0/24 as 100.64.20.0/24' },
      { item: 'NAT translation 2', expected: 'static outside 10.20.0.0/24 as 198.18.20.0/24' },
    ]);
  });

  it("a published server's service dropped is a difference", () => {
    const p = edge(published());
    const a = withNat(p, (n) => ({ ...n, translations: n.translations.map((t) => (t.kind === 'static' ? { kind: t.kind, realSide: t.realSide, real: t.real, mapped: t.mapped, description: t.description, origin: t.origin } : t)) }));
    expect(natItems(p, a)).toEqual([{ item: 'NAT translation 1', expected: 'static inside 10.30.0.10/32 as 203.0.113.10/32 for tcp 443', actual: 'static inside 10.30.0.10/32 as 203.0.113.10/32' }]);
  });
});
