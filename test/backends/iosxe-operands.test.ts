// The IOS-XE reader keeps the address operands it has read (an address and a wildcard or a mask,
// `host A`) and shares their Prefix: a large list names the same networks in most entries. What
// it keeps must not make it less strict: an operand that did not parse is reported every time,
// a wildcard is not a mask, an IPv4 host is no IPv6 host, and each error points at its own word.

import { describe, expect, it } from 'vitest';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { contextOf, edgeRouter } from './vendor-fixtures.js';

function read(content: string) {
  return ios.read([{ path: 'edge1.cfg', content }], contextOf(edgeRouter()));
}

const malformed = (content: string) =>
  read(content)
    .diagnostics.filter((d) => d.code === 'R902')
    .map((d) => [d.span.start.line, d.span.start.column, d.message]);

describe('IOS-XE address operands read once', () => {
  it('reports a bad operand every time, after the same words parsed as the other kind', () => {
    // `255.255.255.0` is a mask (object-group) but no wildcard (entry): read as a mask first
    const text = [
      'hostname edge1',
      'object-group network G',
      ' 10.0.0.0 255.255.255.0',
      'ip access-list extended A',
      ' 10 permit ip 10.0.0.0 255.255.255.0 any',
      ' 20 permit ip any 10.0.0.0 255.255.255.0',
      '',
    ].join('\n');
    expect(malformed(text)).toEqual([
      [5, 24, '`10.0.0.0 255.255.255.0` is not an IPv4 address and wildcard'],
      [6, 28, '`10.0.0.0 255.255.255.0` is not an IPv4 address and wildcard'],
    ]);
  });

  it('reports a wildcard where a mask is written, after it parsed as a wildcard', () => {
    const text = ['hostname edge1', 'ip access-list extended A', ' 10 permit ip 10.0.0.0 0.0.0.255 any', 'object-group network G', ' 10.0.0.0 0.0.0.255', ''].join('\n');
    expect(malformed(text)).toEqual([[5, 11, '`10.0.0.0 0.0.0.255` is not an IPv4 address and mask']]);
  });

  it('reports an IPv4 host in an IPv6 list after it was read in an IPv4 one', () => {
    const text = ['hostname edge1', 'ip access-list extended A', ' 10 permit ip host 10.0.0.1 any', 'ipv6 access-list A-ipv6', ' sequence 10 permit ipv6 host 10.0.0.1 any', ''].join('\n');
    expect(malformed(text)).toEqual([[5, 31, 'not an IPv6 address']]);
  });

  it('reads a kept operand as the first one was read', () => {
    const entry = (seq: number): string => ` remark rule ${seq}\n ${seq} permit ip 10.1.0.0 0.0.255.255 host 10.2.0.1`;
    const text = ['hostname edge1', 'ip access-list extended A', entry(10), entry(20), entry(30), ''].join('\n');
    const r = read(text);
    const rules = r.device?.filters.find((f) => f.name === 'A')?.rules ?? [];
    expect(rules.map((x) => x.match)).toEqual(Array(3).fill({ sources: ['10.1.0.0/16'], destinations: ['10.2.0.1/32'] }));
  });
});
