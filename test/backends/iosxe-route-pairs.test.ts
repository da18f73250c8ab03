// The IOS-XE renderer keeps each IPv4 destination's annotation and head lines as one text
// (render-routes.ts RoutePairs), by destination, across devices. Held here to the two lines made
// afresh: a span differing from the kept one in any one value gets its own line, and the store
// stays bounded however many destinations it sees.

import { describe, expect, it } from 'vitest';
import type { Span } from '../../language/diagnostic.js';
import { formatOriginTag } from '../../backends/origin-tag.js';
import { routePairs } from '../../backends/cisco-iosxe/render-routes.js';

const base = (): Span => ({ file: 'a.plumb', start: { line: 3, column: 5, offset: 100 }, end: { line: 4, column: 7, offset: 140 } });
const expected = (span: Span, head: string): string => `! plumb route origin ${formatOriginTag(span)}\n${head}`;

describe('IOS-XE route annotation and head kept as one text', () => {
  it('are the two lines of the span given, whichever of its values differs from the kept one', () => {
    const changes: ((s: Span) => void)[] = [
      (s) => void (s.file = 'b.plumb'),
      (s) => void (s.start.line += 1),
      (s) => void (s.start.column += 1),
      (s) => void (s.start.offset += 1),
      (s) => void (s.end.line += 1),
      (s) => void (s.end.column += 1),
      (s) => void (s.end.column = s.start.column),
      (s) => void (s.end.offset += 1),
    ];
    for (const change of changes) {
      const first = base();
      expect(routePairs.of('10.9.8.0/24', first)).toBe(expected(first, 'ip route 10.9.8.0 255.255.255.0'));
      const other = base();
      change(other);
      expect(routePairs.of('10.9.8.0/24', other)).toBe(expected(other, 'ip route 10.9.8.0 255.255.255.0'));
      // the same values again, in another object: the kept line
      expect(routePairs.of('10.9.8.0/24', { ...other, start: { ...other.start }, end: { ...other.end } })).toBe(expected(other, 'ip route 10.9.8.0 255.255.255.0'));
    }
  });

  it('give nothing for a destination the general path writes (not canonical IPv4)', () => {
    for (const p of ['10.9.8.1/24', '2001:db8::/32', '10.9.8.0/08', '010.9.8.0/24']) expect(routePairs.of(p, base())).toBeUndefined();
  });

  it('hold at most 65,536 texts', () => {
    for (let i = 0; i < 70_000; i++) routePairs.of(`10.${i >> 16}.${(i >> 8) & 255}.${i & 255}/32`, base());
    expect(routePairs.size).toBeGreaterThan(0);
    expect(routePairs.size).toBeLessThanOrEqual(65_536);
    expect(routePairs.of('10.0.1.2/32', base())).toBe(expected(base(), 'ip route 10.0.1.2 255.255.255.255'));
  });
});
