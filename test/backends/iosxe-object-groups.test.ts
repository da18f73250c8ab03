// IOS-XE object-groups read from text Plumb did not write: a member's words are split into the
// reader's scratch rather than kept on its line (acl-read.ts), and the reader keeps its
// strictness and its exact diagnostics (message, line and columns) on descriptions, comments,
// members it does not know, extra words and mixed protocols.

import { describe, expect, it } from 'vitest';
import { readObjectGroup } from '../../backends/cisco-iosxe/acl-read.js';
import { lexConfig, sectionsOf } from '../../backends/cisco-iosxe/lines.js';
import { Reporter } from '../../backends/reporter.js';

function read(text: string): { groups: unknown[]; diagnostics: string[] } {
  const reporter = new Reporter();
  const groups = sectionsOf(lexConfig('r1.cfg', text)).map((s) => readObjectGroup(s, reporter));
  const diagnostics = reporter.diagnostics.map((d) => `${d.code} ${d.span.start.line}:${d.span.start.column}-${d.span.end.line}:${d.span.end.column} ${d.message}`);
  return { groups, diagnostics };
}

describe('IOS-XE object-groups as written by hand', () => {
  it('read members among descriptions and comments, and report each line they do not know where it is', () => {
    const { groups, diagnostics } = read(
      [
        'object-group network N',
        ' description  servers of  the lab',
        ' ! a comment',
        ' 10.0.0.0   255.255.255.0',
        ' host 10.0.1.7',
        ' 10.0.2.0 255.255.255.0 extra',
        ' 10.0.3.0 0.0.0.255',
        ' any',
        ' 2001:db8::/64',
        ' host',
        'object-group service S',
        ' description web',
        ' tcp eq 80',
        ' tcp source range 1000 2000 eq 443',
        ' udp eq 53',
        ' tcp eq 80 log',
        ' tcp range 90 80',
        ' icmp echo',
        ' tcp eq www',
        'object-group network',
      ].join('\n'),
    );
    expect(groups).toEqual([
      {
        name: 'N',
        group: {
          kind: 'network',
          line: expect.anything(),
          prefixes: [
            { family: 4, value: 0x0a000000n, length: 24 },
            { family: 4, value: 0x0a000107n, length: 32 },
          ],
        },
      },
      {
        name: 'S',
        group: {
          kind: 'service',
          line: expect.anything(),
          protocol: 6,
          combos: [{ dst: { from: 80, to: 80 } }, { src: { from: 1000, to: 2000 }, dst: { from: 443, to: 443 } }, { dst: { from: 53, to: 53 } }, { dst: { from: 80, to: 80 } }, {}, { dst: { from: 80, to: 80 } }],
        },
      },
      undefined,
    ]);
    expect(diagnostics).toEqual([
      'R901 6:2-6:30 unsupported network object-group line `10.0.2.0 255.255.255.0 extra`',
      'R902 7:11-7:20 `10.0.3.0 0.0.0.255` is not an IPv4 address and mask',
      'R901 8:2-8:5 unsupported network object-group line `any`',
      'R902 9:2-9:15 `2001:db8::/64 ` is not an IPv4 address and mask',
      'R902 10:2-10:6 not an IPv4 address',
      'R908 15:2-15:5 service object-group S mixes protocols',
      'R908 16:2-16:5 service object-group S mixes protocols',
      'R901 16:12-16:15 unexpected `log` in a service object-group',
      'R902 17:15-17:17 `80` does not end a port range starting at 90',
      'R901 18:2-18:11 unsupported service object-group line `icmp echo`',
      'R901 20:1-20:21 unsupported object-group line `object-group network`',
    ]);
  });
});
