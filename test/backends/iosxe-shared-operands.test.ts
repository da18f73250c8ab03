// The IOS-XE reader shares one frozen list per address operand, one frozen range per port range
// and one frozen list per entry's port combination (acl-read.ts), and the rules made of them
// share one frozen list per prefix and per range (acl-merge.ts). Sharing must never hand one
// entry another's values: each entry reads back as its own words say, whatever was read before,
// and what is shared cannot be changed in place.

import { describe, expect, it } from 'vitest';
import { readAcl, type Ace, type ObjectGroup } from '../../backends/cisco-iosxe/acl-read.js';
import { filtersOf } from '../../backends/cisco-iosxe/acl-merge.js';
import { DEFAULT_REMARK } from '../../backends/cisco-iosxe/syntax.js';
import { lexConfig, sectionsOf } from '../../backends/cisco-iosxe/lines.js';
import { References } from '../../backends/references.js';
import { Reporter } from '../../backends/reporter.js';

function aces(lines: string[], family: 4 | 6 = 4): Ace[] {
  const head = family === 4 ? 'ip access-list extended A' : 'ipv6 access-list A-ipv6';
  const [section] = sectionsOf(lexConfig('f.cfg', [head, ...lines.map((l) => ` ${l}`)].join('\n')));
  const reporter = new Reporter();
  const acl = readAcl(section!, family, new Map<string, ObjectGroup>(), new References(), reporter);
  expect(reporter.diagnostics).toEqual([]);
  return acl!.blocks.flatMap((b) => b.aces);
}

describe('IOS-XE operands and ports shared between entries', () => {
  it('give each entry its own port combination at the ends of the port range', () => {
    // one combination per pair of (source range or none, destination range or none): the
    // largest range and none, the smallest and none, none both ways
    const read = aces([
      '10 permit tcp any any eq 65535',
      '20 permit tcp any eq 0 any',
      '30 permit tcp any any',
      '40 permit tcp any eq 65535 any',
      '50 permit tcp any any eq 0',
      '60 permit tcp any range 0 65535 any range 65535 65535',
      '70 permit tcp any eq 65535 any eq 65535',
    ]);
    expect(read.map((a) => a.combos)).toEqual([
      [{ dst: { from: 65535, to: 65535 } }],
      [{ src: { from: 0, to: 0 } }],
      [{}],
      [{ src: { from: 65535, to: 65535 } }],
      [{ dst: { from: 0, to: 0 } }],
      [{ src: { from: 0, to: 65535 }, dst: { from: 65535, to: 65535 } }],
      [{ src: { from: 65535, to: 65535 }, dst: { from: 65535, to: 65535 } }],
    ]);
  });

  it('share one frozen list per operand, range and combination, which cannot be changed', () => {
    const [a, b, c] = aces(['10 permit tcp 10.0.1.0 0.0.0.255 eq 80 host 10.0.2.1 range 1000 2000', '20 deny tcp 10.0.1.0 0.0.0.255 eq 80 host 10.0.2.1 range 1000 2000', '30 permit udp host 10.0.2.1 any eq 80']);
    expect(a!.src).toBe(b!.src);
    expect(a!.dst).toBe(b!.dst);
    expect(a!.dst).toBe(c!.src);
    expect(a!.combos).toBe(b!.combos);
    expect(a!.combos[0]!.src).toBe(c!.combos[0]!.dst);
    for (const shared of [a!.src, a!.dst, a!.combos, a!.combos[0]!, a!.combos[0]!.src!, c!.combos[0]!.dst!]) expect(Object.isFrozen(shared)).toBe(true);
    expect(() => (a!.src as unknown[]).push(undefined)).toThrow(TypeError);
    expect(() => ((a!.combos[0]!.src as { from: number }).from = 81)).toThrow(TypeError);
  });

  it('read back rules whose one-prefix and one-range lists are shared, frozen and as written', () => {
    const text = [
      'ip access-list extended F',
      ' remark one',
      ' 10 permit tcp 10.0.1.0 0.0.0.255 eq 80 10.0.2.0 0.0.0.255 eq 443',
      ' remark two',
      ' 20 permit tcp 10.0.2.0 0.0.0.255 eq 443 10.0.1.0 0.0.0.255 eq 80',
      ` remark ${DEFAULT_REMARK}`,
      ' 30 deny ip any any',
    ].join('\n');
    const reporter = new Reporter();
    const [section] = sectionsOf(lexConfig('f.cfg', text));
    const acl = readAcl(section!, 4, new Map(), new References(), reporter)!;
    const [filter] = filtersOf([acl], new Set(), reporter);
    const [one, two] = filter!.rules;
    expect(one!.match).toEqual({ sources: ['10.0.1.0/24'], destinations: ['10.0.2.0/24'], protocol: 6, sourcePorts: [{ from: 80, to: 80 }], destinationPorts: [{ from: 443, to: 443 }] });
    expect(two!.match).toEqual({ sources: ['10.0.2.0/24'], destinations: ['10.0.1.0/24'], protocol: 6, sourcePorts: [{ from: 443, to: 443 }], destinationPorts: [{ from: 80, to: 80 }] });
    expect(filter!.rules).toHaveLength(2);
    expect(one!.match.sources).toBe(two!.match.destinations);
    expect(one!.match.sourcePorts).toBe(two!.match.destinationPorts);
    expect(Object.isFrozen(one!.match.sources)).toBe(true);
    expect(Object.isFrozen(one!.match.sourcePorts)).toBe(true);
  });
});
