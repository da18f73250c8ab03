// An IOS-XE block of one entry (nearly every block of a large policy) is turned into a rule
// without blockRule's count of combinations: the same rule as the general path gives, which a
// block of that entry twice takes (a repeated entry adds no combination).
import { describe, expect, it } from 'vitest';
import { blockRule } from '../../backends/cisco-iosxe/acl-merge.js';
import { readAcl, readObjectGroup, type ObjectGroup } from '../../backends/cisco-iosxe/acl-read.js';
import { lexConfig, sectionsOf } from '../../backends/cisco-iosxe/lines.js';
import { References } from '../../backends/references.js';
import { Reporter } from '../../backends/reporter.js';

const GROUPS = `object-group network DUP
 10.0.0.0 255.255.255.0
 10.0.0.7 255.255.255.0
 192.0.2.0 255.255.255.0
 10.0.0.0 255.255.255.0
object-group network EMPTY
object-group service SVC
 tcp eq 80
 tcp eq 443
`;

/** `entry` as a block of its own, and as a block of the entry twice. */
function blocks(entry: string): { one: ReturnType<typeof blockRule>; twice: ReturnType<typeof blockRule>; reporter: Reporter } {
  const text = `${GROUPS}ip access-list extended F
 remark a rule
 remark intent f.plumb:1:1-1:5 [0,4]
 10 ${entry}
 remark the same rule twice
 remark intent f.plumb:1:1-1:5 [0,4]
 20 ${entry}
 30 ${entry}
`;
  const sections = sectionsOf(lexConfig('r1.cfg', text));
  const reporter = new Reporter();
  const groups = new Map<string, ObjectGroup>();
  for (const s of sections.filter((x) => x.head.texts[0] === 'object-group')) {
    const g = readObjectGroup(s, reporter)!;
    groups.set(g.name, g.group);
  }
  const acl = readAcl(sections.find((x) => x.head.texts[0] === 'ip')!, 4, groups, new References(), reporter)!;
  const [a, b] = acl.blocks;
  expect(a!.aces).toHaveLength(1);
  expect(b!.aces).toHaveLength(2);
  const one = blockRule(a!, reporter);
  const twice = blockRule(b!, reporter);
  return { one, twice, reporter };
}

const ENTRIES = [
  'permit tcp 10.1.0.0 0.0.255.255 eq 22 any',
  'permit tcp any range 1000 2000 10.2.0.0 0.0.0.255 eq 443 established',
  'deny udp object-group DUP object-group DUP eq 53',
  'permit object-group SVC object-group DUP any',
  'permit ip object-group EMPTY 10.3.0.0 0.0.0.255',
  'permit ip 10.3.0.0 0.0.0.255 object-group EMPTY',
  'permit icmp any 10.4.0.0 0.0.0.255 echo',
  'deny ip any any',
];

describe('IOS-XE blocks of one entry', () => {
  it.each(ENTRIES)('`%s` reads as the same rule as the general path gives', (entry) => {
    const { one, twice, reporter } = blocks(entry);
    expect(reporter.diagnostics).toEqual([]);
    expect(one).toBeDefined();
    const { seq: s1, line: l1, description: d1, ...rest1 } = one!;
    const { seq: s2, line: l2, description: d2, ...rest2 } = twice!;
    expect([s1, l1.line, d1, s2, l2.line, d2]).toEqual([10, 13, 'a rule', 20, 16, 'the same rule twice']);
    expect(rest1).toEqual(rest2);
  });

  it('an object-group listing a network twice gives it once, in the order first written', () => {
    const { one } = blocks('deny udp object-group DUP any eq 53');
    expect(one!.sources!.map((p) => `${p.value}/${p.length}`)).toHaveLength(2);
    expect(one!.sources!.map((p) => p.family)).toEqual([4, 4]);
    expect(one!.sources![0]!.value < one!.sources![1]!.value).toBe(true);
  });
});
