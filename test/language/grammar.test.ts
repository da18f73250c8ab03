// The chevrotain grammar behind parse(): keywords stay usable as names, one run reports every
// broken statement, and no message of chevrotain's own ever reaches the user.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from '../../language/parser.js';

const CHEVROTAIN_WORDING = /Expecting|but found|Redundant input|NotAllInputParsed|one of these possible Token sequences/;

describe('grammar', () => {
  it('takes keywords as names wherever a name is wanted', () => {
    const text = [
      'network zone "keywords as names"',
      'site at {',
      '  router via frr asn 65000',
      '  firewall in linux',
      '  link via -- in',
      '}',
      'segment vlan 10.0.1.0/24 at at.via zone peer vlan 10',
      'host address 10.0.1.10 in vlan',
      'group cost = vlan, address',
      'service reach = tcp 80, icmp echo',
      'external gateway {',
      '  attach at.via address 192.0.2.1/30 gateway 192.0.2.2',
      '  announce cost',
      '}',
      'policy {',
      '  allow cost -> gateway : reach',
      '}',
      'assert reach address -> vlan : reach via at.in',
      '',
    ].join('\n');
    const r = parse(text, 'k.plumb');
    expect(r.diagnostics).toEqual([]);
    expect(r.file.declarations.map((d) => d.kind)).toEqual([
      'network',
      'site',
      'segment',
      'host',
      'group',
      'service',
      'external',
      'policy',
      'assert',
    ]);
    const segment = r.file.declarations[2]!;
    expect(segment.kind === 'segment' && [segment.name.text, segment.at.site?.text, segment.at.device.text, segment.zone?.text]).toEqual([
      'vlan',
      'at',
      'via',
      'peer',
    ]);
  });

  it('reports every broken statement of a file in one run, each on its own line', () => {
    const text = [
      'segment web 10.0.1.0/24 fw1',
      'site fra1 {',
      '  router edge1',
      '  link edge1 edge2',
      '}',
      'policy {',
      '  allow web db',
      '}',
      'host h1 10.0.1.10/24 in web',
      'assert reach web -> db via',
      '',
    ].join('\n');
    const d = parse(text, 'e.plumb').diagnostics;
    expect(d.map((x) => [x.span.start.line, x.code])).toEqual([
      [1, 'P104'],
      [3, 'P104'],
      [4, 'P104'],
      [7, 'P104'],
      [9, 'P104'],
      [10, 'P104'],
    ]);
    expect(d.map((x) => x.message)).toEqual([
      'expected `at` before the gateway device, found `fw1`',
      'expected the platform of `edge1`, found the end of the line',
      "expected `--` between the link's two devices, found `edge2`",
      'expected `,` or `->` after the source `web`, found `db`',
      'expected the address of host `h1` (e.g. `10.0.1.10`), found the prefix `10.0.1.10/24`',
      'expected the device after `via` (e.g. `fra1.fw1`), found the end of the line',
    ]);
    expect(d[0]!.hint).toBe('write `at fw1`: a segment is `segment NAME PREFIX at DEVICE`');
    expect(d[4]!.hint).toBe('an address has no prefix length here: write `10.0.1.10`');
  });

  it('never lets a message of chevrotain through (seeded)', () => {
    const piece = fc.constantFrom(
      'site', 'external', 'policy', 'segment', 'host', 'link', 'router', 'allow', 'assert', 'reach', 'service', 'group',
      'at', 'via', 'asn', 'attach', 'address', 'peer', 'tcp', 'icmp', 'x', 'y.z', 'a:eth0', '10.0.0.0/24', '10.0.0.1',
      '2001:db8::/32', '80', '1-9', '{', '}', ',', ':', '->', '--', '=', '.', '"d"', '"open', ';', '\n', ' ',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 40 }), (pieces) => {
        const r = parse(pieces.join(' '), 'f.plumb');
        for (const d of r.diagnostics) {
          expect(d.code).toMatch(/^P10[0-9]$/);
          expect(d.message).not.toMatch(CHEVROTAIN_WORDING);
        }
      }),
      { seed: 20261125, numRuns: 2000 },
    );
  });
});
