// IPv4 text in its written form is read digit by digit (language/address.ts); every other text
// goes through the general parser. The digit reader must accept exactly what the general parser
// accepts, with the same value, and share one frozen result per text: checked here over seeded
// valid text and seeded corruptions of it (digits out of range, leading zeros, missing or extra
// parts, stray characters, other digits of Unicode).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  canonicalPrefix,
  formatPrefix,
  ipv4PrefixOrder,
  network,
  parseAddress,
  parseAddressGeneral,
  parsePrefix,
  parsePrefixGeneral,
  prefixOf,
} from '../../language/address.js';

const octet = fc.oneof(
  fc.integer({ min: 0, max: 255 }).map(String),
  fc.constantFrom('0', '9', '10', '99', '100', '199', '200', '249', '250', '255', '256', '260', '300', '999', '1000', '00', '01', '007', '010', '0255', ''),
);
const quad = fc.array(octet, { minLength: 3, maxLength: 5 }).map((parts) => parts.join('.'));
const length = fc.oneof(fc.integer({ min: 0, max: 33 }).map(String), fc.constantFrom('0', '32', '33', '64', '99', '100', '128', '129', '999', '1000', '00', '01', '032', '', '-1', '+8'));
const stray = fc.constantFrom('', ' ', '\n', '\t', '/', '//', '.', '..', ':', '::', 'x', 'A', '-', '+', '0', '١', '０', '\u0000', '1e2', '0x1');
const written = fc.oneof(
  fc.tuple(quad, length).map(([a, l]) => `${a}/${l}`),
  fc.tuple(fc.nat(0xffffffff), fc.integer({ min: 0, max: 32 })).map(([v, l]) => `${v >>> 24}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}/${l}`),
  fc.constantFrom('::/0', '2001:db8::/32', '::ffff:1.2.3.4/128', '1.2.3.4/24/', '/24', '1.2.3.4', ''),
);
/** A text and a corruption of it: a character put in, taken out or replaced. */
const corrupted = fc.tuple(written, fc.nat(40), stray, fc.constantFrom('insert', 'delete', 'replace', 'none')).map(([text, at, s, how]) => {
  const i = Math.min(at, text.length);
  if (how === 'insert') return text.slice(0, i) + s + text.slice(i);
  if (how === 'delete') return text.slice(0, i) + text.slice(i + 1);
  if (how === 'replace') return text.slice(0, i) + s + text.slice(i + 1);
  return text;
});

/** What the digit reader must agree with, computed by the general parser alone. */
function expectSameAsGeneral(text: string): void {
  const general = parsePrefixGeneral(text);
  expect(parsePrefix(text), JSON.stringify(text)).toEqual(general);
  expect(ipv4PrefixOrder(text), JSON.stringify(text)).toBe(general?.family === 4 ? Number(network(general).value) * 64 + general.length : -1);
  if (general?.family === 4) {
    // One shared frozen result per text, whatever string object carries it.
    expect(parsePrefix(` ${text}`.slice(1))).toBe(parsePrefix(text));
    expect(Object.isFrozen(parsePrefix(text))).toBe(true);
  }
  expect(canonicalPrefix(text)).toBe(general ? formatPrefix(network(general)) : undefined);
  const address = text.slice(0, Math.max(0, text.indexOf('/')));
  for (const a of [text, address]) {
    const generalAddress = parseAddressGeneral(a);
    expect(parseAddress(a), JSON.stringify(a)).toEqual(generalAddress);
    if (generalAddress) expect(parseAddress(` ${a}`.slice(1))).toBe(parseAddress(a));
  }
}

describe('IPv4 text read digit by digit', () => {
  it('accepts and rejects exactly what the general parser does, with the same values (seeded)', () => {
    fc.assert(fc.property(corrupted, (text) => expectSameAsGeneral(text)), { seed: 0x5eed, numRuns: 8_000 });
  });

  it('agrees at the edges of every number', () => {
    for (const text of [
      '0.0.0.0/0',
      '255.255.255.255/32',
      '255.255.255.255/0',
      '128.0.0.0/1',
      '127.255.255.255/1',
      '10.0.0.0/8',
      '10.0.0.1/8',
      '192.0.2.128/25',
      '192.0.2.129/25',
      '0.0.0.1/31',
      '1.2.3.4/32',
      '1.2.3.4/33',
      '256.0.0.0/8',
      '1.2.3/24',
      '1.2.3.4.5/24',
      '01.2.3.4/8',
      '1.2.3.4/08',
      '1.2.3.4/',
      '1.2.3.4/ 8',
      '1.2.3.4 /8',
      '1.2.3.4/8 ',
      '1.2.3.4/8\n',
      '1..3.4/8',
      '.1.2.3/8',
      '1.2.3.4./8',
      '１.2.3.4/8',
    ]) {
      expectSameAsGeneral(text);
    }
    expect(parsePrefix('192.0.2.129/25')).toEqual({ family: 4, value: 0xc0000281n, length: 25 });
    expect(canonicalPrefix('192.0.2.129/25')).toBe('192.0.2.128/25');
    expect(() => prefixOf('1.2.3.4/33')).toThrow('internal: invalid prefix "1.2.3.4/33"');
  });
});
