// An exact prefix-list's lines are joined part by part from entry heads kept across lists
// (prefix-list-lines.ts), and `split` gives a list of one family back as it is (render-routes.ts).
// Held here to the line-by-line text: every length (part boundaries included), both families,
// the heads of one list never another's, a list longer than the heads kept, and the bound.

import { describe, expect, it } from 'vitest';
import { prefixListHeads, prefixListParts } from '../../backends/cisco-iosxe/prefix-list-lines.js';
import { exactRouteMap, split } from '../../backends/cisco-iosxe/render-routes.js';

/** The list's text as written line by line: `LEAD N permit PREFIX`, N = 5, 10, ... */
function lineByLine(name: string, family: 4 | 6, prefixes: readonly string[]): string {
  return prefixes.map((p, i) => `${family === 4 ? 'ip' : 'ipv6'} prefix-list ${name} seq ${(i + 1) * 5} permit ${p}`).join('\n');
}

const v4 = (n: number, second = 0): string[] => Array.from({ length: n }, (_, i) => `10.${second}.${(i >> 8) & 255}.${i & 255}/32`);
const v6 = (n: number): string[] => Array.from({ length: n }, (_, i) => `2001:db8:${i.toString(16)}::/64`);

describe('IOS-XE prefix-list lines', () => {
  it('are the line-by-line text at every length around a part boundary, in both families', () => {
    for (const n of [1, 2, 511, 512, 513, 1024, 1025, 1600]) {
      const parts = prefixListParts('OSPF-STATIC', 4, v4(n));
      expect(parts.join('\n')).toBe(lineByLine('OSPF-STATIC', 4, v4(n)));
      // no part holds more than 512 lines, and none is empty
      for (const p of parts) expect(p.split('\n').length).toBeLessThanOrEqual(512);
      expect(parts.length).toBe(Math.ceil(n / 512));
    }
    expect(prefixListParts('OSPF-STATIC-V6', 6, v6(700)).join('\n')).toBe(lineByLine('OSPF-STATIC-V6', 6, v6(700)));
  });

  it('give each list its own name and family, a shorter list after a longer one and the reverse', () => {
    const lists: [string, 4 | 6, string[]][] = [
      ['A', 4, v4(900)],
      ['B', 4, v4(30, 1)],
      ['A', 6, v6(40)],
      ['A', 4, v4(20, 2)],
      ['B', 4, v4(1300, 3)],
      ['A', 4, v4(1000, 4)],
    ];
    for (const [name, family, prefixes] of lists) expect(prefixListParts(name, family, prefixes).join('\n')).toBe(lineByLine(name, family, prefixes));
    expect(prefixListParts('A', 4, []).join('\n')).toBe('');
  });

  it('keep at most 65,536 heads, and write a list longer than that all the same', () => {
    const long = v4(70_000);
    expect(prefixListParts('LONG', 4, long).join('\n')).toBe(lineByLine('LONG', 4, long));
    expect(prefixListHeads.size).toBeLessThanOrEqual(65_536);
    for (let k = 0; k < 40; k++) {
      const prefixes = v4(3000, k % 7);
      expect(prefixListParts(`L${k}`, 4, prefixes).join('\n')).toBe(lineByLine(`L${k}`, 4, prefixes));
      expect(prefixListHeads.size).toBeLessThanOrEqual(65_536);
    }
  });

  it('split gives a list of one family back itself, and a mixed list as two in order', () => {
    const four = v4(3);
    const six = v6(2);
    const a = split(four);
    expect(a[4]).toBe(four);
    expect(a[6]).toEqual([]);
    const b = split(six);
    expect(b[6]).toBe(six);
    expect(b[4]).toEqual([]);
    const mixed = [four[0]!, six[0]!, four[1]!, six[1]!, four[2]!];
    expect(split(mixed)).toEqual({ 4: four, 6: six });
    expect(split([])).toEqual({ 4: [], 6: [] });
  });

  it('exactRouteMap names the IPv6 list apart only beside an IPv4 one', () => {
    const both = exactRouteMap('OSPF-STATIC', [...v4(2), ...v6(2)]);
    expect(both.prefixLists[4]!.join('\n')).toBe(lineByLine('OSPF-STATIC', 4, v4(2)));
    expect(both.prefixLists[6]!.join('\n')).toBe(lineByLine('OSPF-STATIC-V6', 6, v6(2)));
    const only6 = exactRouteMap('OSPF-STATIC', v6(3));
    expect(only6.prefixLists[4]).toBeUndefined();
    expect(only6.prefixLists[6]!.join('\n')).toBe(lineByLine('OSPF-STATIC', 6, v6(3)));
    expect(exactRouteMap('X', []).routeMap).toEqual(['route-map X deny 10', '!']);
  });
});
