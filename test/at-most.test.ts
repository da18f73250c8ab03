import { describe, expect, it } from 'vitest';
import { atMost } from './at-most.js';

const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 5));

describe('atMost', () => {
  it('runs at most n at once, the others in the order given, every one to its end', async () => {
    const run = atMost(2);
    let now = 0;
    let peak = 0;
    const started: number[] = [];
    const results = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        run(async () => {
          started.push(i);
          peak = Math.max(peak, ++now);
          await tick();
          await tick();
          now--;
          return i * 10;
        }),
      ),
    );
    expect(results).toEqual([0, 10, 20, 30, 40]);
    expect(peak).toBe(2);
    expect(started).toEqual([0, 1, 2, 3, 4]);
  });

  it('a failure frees its place and reaches its caller alone', async () => {
    const run = atMost(1);
    const order: string[] = [];
    const failing = run(async () => {
      order.push('a');
      await tick();
      throw new Error('a failed');
    });
    const next = run(async () => {
      order.push('b');
      return 'b done';
    });
    await expect(failing).rejects.toThrow('a failed');
    await expect(next).resolves.toBe('b done');
    expect(order).toEqual(['a', 'b']);
  });

  it('refuses a bound that is not a positive whole number', () => {
    expect(() => atMost(0)).toThrow();
    expect(() => atMost(1.5)).toThrow();
  });
});
