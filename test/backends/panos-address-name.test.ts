// Address object names are kept by the prefix's text (names.ts `addressName`): each firewall of a
// network names most of the same prefixes. A kept name is the one made from the prefix, whatever
// was asked before it, and stays so when the kept names are emptied.

import { describe, expect, it } from 'vitest';
import { addressName, nameOfPrefix } from '../../backends/paloalto-panos/names.js';
import { prng } from '../verifier/random-networks.js';

function prefixes(count: number, next: () => number): string[] {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const byte = () => Math.floor(next() * 256);
    if (next() < 0.7) out.push(`${byte()}.${byte()}.${byte()}.${byte()}/${Math.floor(next() * 33)}`);
    else out.push(`2001:db8:${byte().toString(16)}::${byte().toString(16)}/${Math.floor(next() * 129)}`);
  }
  return out;
}

describe('PAN-OS address names kept by prefix', () => {
  it('gives the name made from the prefix, asked once or again, in any order', () => {
    const next = prng(11);
    const all = [...prefixes(2000, next), '10.0.0.1/32', '10.0.0.0/24', '10.0.0.7/24', 'fe80::1/128', 'fe80::1/64', '::/0', '0.0.0.0/0', '10.0.0.0/16', '10.0.0.1/24'];
    expect(nameOfPrefix('10.0.0.7/24')).toBe('n-10.0.0.0_24');
    expect(nameOfPrefix('10.0.0.1/32')).toBe('h-10.0.0.1');
    for (const p of all) expect(addressName(p), p).toBe(nameOfPrefix(p));
    for (const p of [...all].reverse()) expect(addressName(p), p).toBe(nameOfPrefix(p));
  });

  it('stays right past the number it keeps', () => {
    const next = prng(12);
    const all = prefixes(70_000, next);
    const names = all.map(addressName);
    for (let i = 0; i < all.length; i += 7) expect(names[i], all[i]).toBe(nameOfPrefix(all[i]!));
    for (let i = 0; i < all.length; i += 13) expect(addressName(all[i]!), all[i]).toBe(nameOfPrefix(all[i]!));
  });
});
