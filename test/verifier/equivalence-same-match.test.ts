// Rule lists compared without a solver: two matches written alike (sameAsWritten) are equal
// without their keys being made, and only then; matches written otherwise are compared by
// matchKey as before.
import { describe, expect, it } from 'vitest';
import type { FilterRule, Match } from '../../compiler/model.js';
import { identicalLists, matchKey, sameAsWritten } from '../../verifier/equivalence-filters.js';

const origin = { file: 'a.plumb', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 2, offset: 1 } };
const rule = (match: Match): FilterRule => ({ action: 'permit', match, origin, description: 'r' });

const BASE: Match = {
  sources: ['10.0.0.0/24', '2001:db8::/64'],
  destinations: ['192.0.2.0/24'],
  protocol: 6,
  sourcePorts: [{ from: 1000, to: 2000 }],
  destinationPorts: [{ from: 443, to: 443 }],
  tcpEstablished: true,
  fromZones: ['inside'],
  toZones: ['outside', 'dmz'],
};

/** Each field of a match changed in one way (another value, or absent). */
const CHANGES: [string, Match][] = [
  ['sources', { ...BASE, sources: ['10.0.1.0/24', '2001:db8::/64'] }],
  ['sources absent', { ...BASE, sources: undefined }],
  ['sources shorter', { ...BASE, sources: ['10.0.0.0/24'] }],
  ['destinations', { ...BASE, destinations: ['192.0.3.0/24'] }],
  ['protocol', { ...BASE, protocol: 17 }],
  ['source ports', { ...BASE, sourcePorts: [{ from: 1000, to: 2001 }] }],
  ['destination ports', { ...BASE, destinationPorts: [{ from: 444, to: 444 }] }],
  ['destination ports absent', { ...BASE, destinationPorts: undefined }],
  ['icmp type', { ...BASE, icmpType: 3 }],
  ['established', { ...BASE, tcpEstablished: false }],
  ['from zones', { ...BASE, fromZones: ['dmz'] }],
  ['to zones', { ...BASE, toZones: ['outside'] }],
];

/** Written otherwise, with the same key: lists in another order, a prefix with host bits. */
const REWRITTEN: [string, Match][] = [
  ['sources in another order', { ...BASE, sources: ['2001:db8::/64', '10.0.0.0/24'] }],
  ['a destination with host bits', { ...BASE, destinations: ['192.0.2.9/24'] }],
  ['zones in another order', { ...BASE, toZones: ['dmz', 'outside'] }],
];

describe('sameAsWritten', () => {
  it('a match and its copy are written alike', () => {
    expect(sameAsWritten(BASE, structuredClone(BASE))).toBe(true);
    expect(sameAsWritten({}, {})).toBe(true);
  });

  it.each(CHANGES)('a changed field (%s) is not written alike, and the lists differ', (_, changed) => {
    expect(sameAsWritten(BASE, changed)).toBe(false);
    expect(sameAsWritten(changed, BASE)).toBe(false);
    expect(matchKey(changed)).not.toBe(matchKey(BASE));
    expect(identicalLists({ rules: [rule(BASE)], defaultAction: 'deny' }, { rules: [rule(changed)], defaultAction: 'deny' })).toBe(false);
  });

  it.each(REWRITTEN)('%s: not written alike, equal by the key', (_, rewritten) => {
    expect(sameAsWritten(BASE, rewritten)).toBe(false);
    expect(identicalLists({ rules: [rule(BASE)], defaultAction: 'deny' }, { rules: [rule(rewritten)], defaultAction: 'deny' })).toBe(true);
  });
});
