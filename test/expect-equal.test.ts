import { describe, expect, it } from 'vitest';
import { expectEqual, firstDifference } from './expect-equal.js';

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

  it('reports the first differing part with its path, not the whole values', () => {
    expect(() => expectEqual({ a: [1, { b: 'x' }], c: 2 }, { a: [1, { b: 'y' }], c: 2 }, 'edit 7')).toThrow(/^edit 7, at a\[1\]\.b: expected 'x' to deeply equal 'y'/);
    expect(firstDifference({ a: [1, 2], b: 1 }, { a: [1, 2, 3], b: 1 })).toEqual({ actual: undefined, expected: 3, path: 'a[2]' });
    expect(firstDifference({ a: new Map([[1, 2]]) }, { a: new Map([[1, 3]]) })).toEqual({ actual: new Map([[1, 2]]), expected: new Map([[1, 3]]), path: 'a' });
    // Equal as toEqual sees them (an undefined key, a class) is no difference on the way down.
    expect(firstDifference({ s: { x: 1, u: undefined }, t: 1 }, { s: { x: 1 }, t: 2 }).path).toBe('t');
  });

  it('fails at once on two large trees that differ in one leaf, with a short message', () => {
    const tree = (leaf: number): unknown =>
      Array.from({ length: 300 }, (_, i) => ({ name: `n${i}`, span: { line: i, column: 1 }, children: Array.from({ length: 100 }, (_, j) => ({ v: i === 150 && j === 50 ? leaf : j })) }));
    let thrown: Error | undefined;
    const t0 = performance.now();
    try {
      expectEqual(tree(1), tree(2));
    } catch (err) {
      thrown = err as Error;
    }
    expect(thrown?.message).toBe('at [150].children[50].v: expected 1 to deeply equal 2');
    expect(performance.now() - t0).toBeLessThan(5_000);
  });
});
