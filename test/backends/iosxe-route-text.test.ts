// The IOS-XE renderer writes an IPv4 static route's destination from the prefix's text when it
// is its network's canonical form (render-routes.ts ipv4RouteHead), and parses and formats it
// otherwise. Held here to the general formatting on seeded prefixes: networks and addresses with
// host bits, every length, leading zeros, IPv6.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatIPv4, formatPrefix, network, parsePrefix } from '../../language/address.js';
import { ipv4RouteHead } from '../../backends/cisco-iosxe/render-routes.js';
import { dottedMask } from '../../backends/cisco-iosxe/syntax.js';

/** `ip route A M` as the general path writes it (parse, network, format). */
function general(prefix: string): string | undefined {
  const p = parsePrefix(prefix);
  if (p === undefined || p.family !== 4) return undefined;
  const n = network(p);
  return `ip route ${formatIPv4(n.value)} ${dottedMask(n.length)}`;
}

const octet = fc.oneof(fc.integer({ min: 0, max: 255 }).map(String), fc.constantFrom('00', '01', '010', '256', '1000', '', 'a'));
const text = fc.oneof(
  // a prefix as formatPrefix writes it, of a network or with host bits
  fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 }), fc.boolean()).map(([v, len, net]) => {
    const p = { family: 4 as const, value: BigInt(v), length: len };
    return formatPrefix(net ? network(p) : p);
  }),
  // anything else: octets and lengths as text, IPv6, no slash
  fc.tuple(fc.array(octet, { minLength: 3, maxLength: 5 }), fc.constantFrom('/0', '/8', '/08', '/32', '/33', '/', '', '/1/2')).map(([o, l]) => `${o.join('.')}${l}`),
  fc.constantFrom('2001:db8::/32', '::/0', 'fe80::/10', '10.0.0.0/8 ', ' 10.0.0.0/8'),
);

describe('IOS-XE static route destinations', () => {
  it('are written from a network prefix as the general path writes them (seeded)', () => {
    let taken = 0;
    fc.assert(
      fc.property(text, (prefix) => {
        const fast = ipv4RouteHead(prefix);
        const p = parsePrefix(prefix);
        // a network in its canonical text is taken; anything taken is what the general path writes
        if (p !== undefined && p.family === 4 && formatPrefix(network(p)) === prefix) expect(fast).toBeDefined();
        if (fast !== undefined) {
          taken++;
          expect(fast).toBe(general(prefix));
          expect(formatPrefix(network(parsePrefix(prefix)!))).toBe(prefix);
        }
      }),
      { seed: 41, numRuns: 5000 },
    );
    expect(taken).toBeGreaterThan(500);
  });
});
