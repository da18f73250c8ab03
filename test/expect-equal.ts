// `expect(actual).toEqual(expected)` for large values, such as the symbol tables of a 1,500-segment
// intent: vitest's recursive equality takes seconds on those, most of the seeded edit tests' time,
// where Node's strict deep equality takes milliseconds.

import { isDeepStrictEqual } from 'node:util';
import { expect } from 'vitest';

/**
 * Passes exactly when `toEqual` would. Values that are strictly deeply equal (same prototypes,
 * same keys, `undefined` included) are also equal as `toEqual` sees them; any other pair goes to
 * `toEqual` itself, which decides. When they differ, the failure is the first differing part
 * (see `firstDifference`), with its path in the message.
 */
export function expectEqual(actual: unknown, expected: unknown, message?: string): void {
  if (isDeepStrictEqual(actual, expected)) return;
  if (equalAsToEqual(actual, expected)) return;
  const at = firstDifference(actual, expected);
  const where = at.path === '' ? '' : `at ${at.path}`;
  expect(at.actual, [message, where].filter(Boolean).join(', ') || undefined).toEqual(at.expected);
}

function equalAsToEqual(actual: unknown, expected: unknown): boolean {
  try {
    expect(actual).toEqual(expected);
    return true;
  } catch {
    return false;
  }
}

/**
 * The deepest part of two values that `toEqual` finds different, by own keys, and the path to it.
 * vitest prints the whole of both values to show a difference: for two parse trees of a
 * 10,000-line intent that took many minutes (a 22 MB diff), long past the test's timeout, which
 * cannot fire while the worker prints; the part that differs prints at once. A value whose every
 * key's part is equal but which still differs (another length, other keys, another Map) is
 * reported whole at that depth, so the final assertion fails exactly when the whole would.
 */
export function firstDifference(actual: unknown, expected: unknown): { actual: unknown; expected: unknown; path: string } {
  let path = '';
  for (;;) {
    const a = actual;
    const e = expected;
    if (!isPlainContainer(a) || !isPlainContainer(e)) break;
    const keys = new Set([...Object.keys(a), ...Object.keys(e)]);
    const key = [...keys].find((k) => !isDeepStrictEqual(a[k], e[k]) && !equalAsToEqual(a[k], e[k]));
    if (key === undefined) break;
    path += Array.isArray(a) && /^\d+$/.test(key) ? `[${key}]` : `.${key}`;
    actual = a[key];
    expected = e[key];
  }
  return { actual, expected, path: path.replace(/^\./, '') };
}

/** Arrays and objects whose parts are their own enumerable keys (not Maps, Sets or dates). */
function isPlainContainer(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  if (Array.isArray(v)) return true;
  const proto = Object.getPrototypeOf(v) as unknown;
  return !(v instanceof Map || v instanceof Set || v instanceof Date || v instanceof RegExp || ArrayBuffer.isView(v)) && (proto === Object.prototype || proto === null || typeof proto === 'object');
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
