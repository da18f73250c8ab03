import { describe, expect, it } from 'vitest';
import { expectEqual } from './expect-equal.js';

describe('expectEqual', () => {
  it('passes where toEqual passes: strictly equal values, and values equal but for undefined keys or classes', () => {
    expectEqual({ a: [1, { b: 'x' }], c: new Map([[1, 2]]) }, { a: [1, { b: 'x' }], c: new Map([[1, 2]]) });
    expectEqual({ a: 1, b: undefined }, { a: 1 });
    class Span {
      constructor(readonly offset: number) {}
    }
    expectEqual(new Span(3), { offset: 3 });
  });

  it('fails where toEqual fails, with its message', () => {
    expect(() => expectEqual({ a: [1, 2] }, { a: [1, 3] })).toThrow(/expected .* to deeply equal/);
    expect(() => expectEqual([{ code: 'P201' }], [{ code: 'P201' }, { code: 'P203' }], 'seed 1')).toThrow(/seed 1/);
    expect(() => expectEqual(new Map([[1, 2]]), new Map([[1, 4]]))).toThrow();
  });
});
