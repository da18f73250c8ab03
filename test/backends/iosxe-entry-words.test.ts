// The IOS-XE reader splits an access-list entry's words into scratch arrays instead of keeping
// them on the line (a large list's entries would each hold two arrays until the file is read).
// The entries, blocks, references and diagnostics must be what the line's own words give: here
// every list is read twice, once from lines split on demand and once from lines whose words were
// asked for first (the reader then takes the line's own), on seeded hostile and edited entries.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { readAcl, type ObjectGroup, type ParsedAcl } from '../../backends/cisco-iosxe/acl-read.js';
import { lexConfig, sectionsOf } from '../../backends/cisco-iosxe/lines.js';
import { References } from '../../backends/references.js';
import { Reporter } from '../../backends/reporter.js';
import { parsePrefix, type Prefix } from '../../language/address.js';

const net = (...ps: string[]): Prefix[] => ps.map((p) => parsePrefix(p)!);

function groups(): Map<string, ObjectGroup> {
  const head = lexConfig('g.cfg', 'object-group network G')[0]!;
  return new Map<string, ObjectGroup>([
    ['NET-1', { kind: 'network', line: head, prefixes: net('10.1.0.0/16', '10.2.0.0/16') }],
    ['SVC-1', { kind: 'service', line: head, protocol: 6, combos: [{ dst: { from: 80, to: 80 } }, { dst: { from: 443, to: 443 } }] }],
  ]);
}

/** What a list read says, without the line objects (their cached words differ by design). */
function outcome(text: string, family: 4 | 6, splitFirst: boolean) {
  const lines = lexConfig('f.cfg', text);
  if (splitFirst) for (const l of lines) void l.texts;
  const [section] = sectionsOf(lines);
  const reporter = new Reporter();
  const refs = new References();
  const acl: ParsedAcl | undefined = readAcl(section!, family, groups(), refs, reporter);
  const found = new Reporter();
  refs.report(found);
  return {
    blocks: acl?.blocks.map((b) => ({
      remarks: b.remarks.map((l) => l.line),
      aces: b.aces.map(({ line, ...ace }) => ({ line: line.line, ...ace })),
    })),
    diagnostics: reporter.diagnostics,
    references: found.diagnostics,
  };
}

const V4_WORDS = ['10', '20', '15', 'sequence', 'remark', 'permit', 'deny', 'ip', 'tcp', 'udp', 'icmp', '6', 'any', 'host', '10.0.0.1', '10.0.0.0', '0.0.0.255', '255.255.255.0', '10.0.0.256', 'object-group', 'NET-1', 'SVC-1', 'NOPE', 'eq', 'range', '80', '443', '70000', 'www', 'established', 'echo', 'unreachable', 'x'];
const V6_WORDS = ['sequence', '10', '20', '5', 'remark', 'permit', 'deny', 'ipv6', 'tcp', 'icmp', 'any', 'host', '2001:db8::1', '2001:db8::/32', '2001:db8::1/64', '10.0.0.1', 'eq', '22', 'established', 'nd-ns', 'echo-request', 'x'];
const GAPS = [' ', ' ', ' ', ' ', '  ', '\t', '\u00a0', '\u3000', '\u2028', '\v', ' \t '];

const entry = (words: string[]) =>
  fc
    .array(fc.tuple(fc.constantFrom(...words), fc.constantFrom(...GAPS)), { minLength: 1, maxLength: 12 })
    .map((ws) => ws.map(([w, g]) => `${w}${g}`).join('').trimEnd());

function list(head: string, words: string[]) {
  return fc.array(fc.oneof(entry(words), fc.constantFrom(' remark a rule', ' remark  spaced', ' remark intent f.plumb:1:1-1:2 [0,1]', '10 remark n')), { minLength: 1, maxLength: 15 }).map((ls) => [head, ...ls.map((l) => ` ${l}`)].join('\n'));
}

describe('IOS-XE entries read from scratch words', () => {
  it('read IPv4 lists as the lines\' own words do (seeded)', () => {
    fc.assert(
      fc.property(list('ip access-list extended A', V4_WORDS), (text) => {
        expect(outcome(text, 4, false)).toEqual(outcome(text, 4, true));
      }),
      { seed: 381, numRuns: 1500 },
    );
  });

  it('read IPv6 lists as the lines\' own words do (seeded)', () => {
    fc.assert(
      fc.property(list('ipv6 access-list A-ipv6', V6_WORDS), (text) => {
        expect(outcome(text, 6, false)).toEqual(outcome(text, 6, true));
      }),
      { seed: 382, numRuns: 1500 },
    );
  });

  it('read the entries Plumb writes, and report at the word on other spellings', () => {
    const text = [
      'ip access-list extended A',
      ' remark rule one',
      ' 10 permit tcp 10.0.0.0 0.0.0.255 eq 80 object-group NET-1 established',
      ' 20\tdeny\u00a0udp any range 1 2 host 10.0.0.1 eq 443',
      ' 30 permit ip any any bogus',
    ].join('\n');
    const got = outcome(text, 4, false);
    expect(got).toEqual(outcome(text, 4, true));
    expect(got.blocks![0]!.aces.map((a) => [a.seq, a.action, a.protocol, a.dstGroup, a.established])).toEqual([
      [10, 'permit', 6, 'NET-1', true],
      [20, 'deny', 17, undefined, false],
    ]);
    expect(got.diagnostics.map((d) => [d.span.start.line, d.span.start.column])).toEqual([[5, 23]]);
  });
});
