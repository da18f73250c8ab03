// `expect(actual).toEqual(expected)` for large values, such as the symbol tables of a 1,500-segment
// intent: vitest's recursive equality takes seconds on those, most of the seeded edit tests' time,
// where Node's strict deep equality takes milliseconds.

import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';

/**
 * Passes exactly when `toEqual` would. Values that are strictly deeply equal (same prototypes,
 * same keys, `undefined` included) are also equal as `toEqual` sees them; any other pair goes to
 * `toEqual` itself, which decides and, when they differ, reports the difference.
 */
export function expectEqual(actual: unknown, expected: unknown, message?: string): void {
  if (isDeepStrictEqual(actual, expected)) return;
  expect(actual, message).toEqual(expected);
}

/**
 * Passes exactly when `toStrictEqual` would. Strictly deeply equal values (same prototypes, so
 * the same classes; same own keys, so the same holes and `undefined` fields; values by
 * `Object.is`) pass `toStrictEqual` too; any other pair goes to `toStrictEqual` itself.
 */
export function expectStrictEqual(actual: unknown, expected: unknown, message?: string): void {
  if (isDeepStrictEqual(actual, expected)) return;
  expect(actual, message).toStrictEqual(expected);
}
