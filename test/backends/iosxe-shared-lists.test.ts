// A large policy's model rules share their address lists (one array per segment's prefixes), and
// a rule's intent remark heads its entries in several lists. The IOS-XE writer turns each shared
// list into its operands once per render, and the reader parses each intent remark's text once
// per file (acl-render.ts, acl-merge.ts). Neither may give one rule another's values: each list
// is written as its own prefixes say, in each family, and each remark read as its own text says.

import { describe, expect, it } from 'vitest';
import type { FilterModel, FilterRule } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { renderAcls } from '../../backends/cisco-iosxe/acl-render.js';
import { readAcl } from '../../backends/cisco-iosxe/acl-read.js';
import { filtersOf } from '../../backends/cisco-iosxe/acl-merge.js';
import { DEFAULT_REMARK } from '../../backends/cisco-iosxe/syntax.js';
import { lexConfig, sectionsOf } from '../../backends/cisco-iosxe/lines.js';
import { References } from '../../backends/references.js';
import { Reporter } from '../../backends/reporter.js';
import { Codes } from '../../language/diagnostics/index.js';

const span = (line: number): Span => ({ file: 'p.plumb', start: { line, column: 3, offset: line * 10 }, end: { line, column: 9, offset: line * 10 + 6 } });

/** The entries of a list's text, without their sequence numbers. */
const entries = (list: string): string[] =>
  list
    .split('\n')
    .filter((l) => /^ (sequence )?\d+ /.test(l))
    .map((l) => l.replace(/^ (sequence )?\d+ /, ''));

describe('IOS-XE lists shared between rules', () => {
  it('write each shared address list as its own prefixes, in each family', () => {
    // one: a lone IPv4 prefix; two: the same first prefix and one more (an object-group); mixed:
    // a prefix of each family, written in both lists; six: IPv6 only
    const one = ['10.0.0.0/24'];
    const two = ['10.0.0.0/24', '10.0.1.0/24'];
    const mixed = ['10.0.2.0/24', '2001:db8:2::/64'];
    const six = ['2001:db8:3::/64', '2001:db8:4::/64'];
    const rule = (line: number, sources: string[], destinations: string[]): FilterRule => ({ action: 'permit', match: { sources, destinations, protocol: 6 }, origin: span(line), description: `rule ${line}` });
    const shared: FilterModel = {
      name: 'F',
      defaultAction: 'deny',
      rules: [rule(1, one, two), rule(2, two, one), rule(3, mixed, mixed), rule(4, one, mixed), rule(5, six, mixed), rule(6, mixed, six), rule(7, two, two)],
    };
    const rendered = renderAcls([shared], new Set(['F']));
    const [v4, v6] = rendered.accessLists;
    const group = (lines: string[]): string => {
      const g = rendered.objectGroups.find((x) => x.slice(1).join('\n') === lines.join('\n'));
      expect(g, lines.join(',')).toBeDefined();
      return g![0]!.split(' ')[2]!;
    };
    const net = group([' 10.0.0.0 255.255.255.0', ' 10.0.1.0 255.255.255.0']);
    expect(rendered.objectGroups).toHaveLength(1);
    expect(entries(v4!)).toEqual([
      `permit tcp 10.0.0.0 0.0.0.255 object-group ${net}`,
      `permit tcp object-group ${net} 10.0.0.0 0.0.0.255`,
      'permit tcp 10.0.2.0 0.0.0.255 10.0.2.0 0.0.0.255',
      'permit tcp 10.0.0.0 0.0.0.255 10.0.2.0 0.0.0.255',
      `permit tcp object-group ${net} object-group ${net}`,
      'deny ip any any',
    ]);
    expect(entries(v6!)).toEqual([
      'permit tcp 2001:db8:2::/64 2001:db8:2::/64',
      'permit tcp 2001:db8:3::/64 2001:db8:2::/64',
      'permit tcp 2001:db8:4::/64 2001:db8:2::/64',
      'permit tcp 2001:db8:2::/64 2001:db8:3::/64',
      'permit tcp 2001:db8:2::/64 2001:db8:4::/64',
      ...entries(v6!).slice(5),
    ]);
    // the same text as the same rules with a list of their own each
    const copied: FilterModel = { ...shared, rules: shared.rules.map((r) => ({ ...r, match: { ...r.match, sources: [...r.match.sources!], destinations: [...r.match.destinations!] } })) };
    expect(renderAcls([copied], new Set(['F']))).toEqual(rendered);
  });

  it('read each intent remark as its own text says, in every list that repeats it', () => {
    const text = [
      'ip access-list extended F',
      ' remark one',
      ' remark intent p.plumb:1:3-1:9 [10,16]',
      ' 10 permit tcp 10.0.1.0 0.0.0.255 10.0.2.0 0.0.0.255',
      ' remark two',
      ' remark intent p.plumb:2:3-2:9 [20,26]',
      ' 20 permit tcp 10.0.2.0 0.0.0.255 10.0.1.0 0.0.0.255',
      ' remark three',
      ' remark intent not a span',
      ' 30 permit udp any any',
      ` remark ${DEFAULT_REMARK}`,
      ' 40 deny ip any any',
      'ip access-list extended G',
      ' remark two',
      ' remark intent p.plumb:2:3-2:9 [20,26]',
      ' 10 permit tcp 10.0.2.0 0.0.0.255 10.0.1.0 0.0.0.255',
      ' remark one again',
      ' remark intent p.plumb:1:3-1:9 [10,16]',
      ' 20 permit tcp 10.0.1.0 0.0.0.255 10.0.2.0 0.0.0.255',
      ' remark three',
      ' remark intent not a span',
      ' 30 permit udp any any',
      ` remark ${DEFAULT_REMARK}`,
      ' 40 deny ip any any',
    ].join('\n');
    const reporter = new Reporter();
    const acls = sectionsOf(lexConfig('f.cfg', text)).map((s) => readAcl(s, 4, new Map(), new References(), reporter)!);
    const [f, g] = filtersOf(acls, new Set(), reporter);
    expect(f!.rules.map((r) => r.origin)).toEqual([span(1), span(2), expect.anything()]);
    expect(g!.rules.map((r) => r.origin)).toEqual([span(2), span(1), expect.anything()]);
    expect(f!.rules.map((r) => r.description)).toEqual(['one', 'two', 'three intent not a span']);
    expect(g!.rules.map((r) => r.description)).toEqual(['two', 'one again', 'three intent not a span']);
    // a remark that holds no span: reported in each list, and each rule keeps its own line
    const bad = reporter.diagnostics.filter((d) => d.code === Codes.readerBadAnnotation);
    expect(bad.map((d) => d.span.start.line)).toEqual([9, 21]);
    expect(f!.rules[2]!.origin.start.line).toBe(10);
    expect(g!.rules[2]!.origin.start.line).toBe(22);
    expect(reporter.diagnostics).toHaveLength(2);
  });
});
