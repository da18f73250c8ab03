// Option values shared by commands, checked where they are read: a value outside its documented
// range is a usage error (exit 2) that names the range, never a silent "no limit" or a timer
// that fires at once.

import { UsageError } from './io.js';

export interface SecondsRange {
  /** The option as the user writes it, e.g. `--timeout`. */
  option: string;
  min: number;
  max: number;
  /** An example value for the hint. */
  example: string;
}

const DECIMAL = /^(?:\d+(?:\.\d*)?|\.\d+)$/;

/**
 * A duration in seconds, given as a plain decimal number within [min, max], as whole
 * milliseconds (rounded; at least 1).
 */
export function parseSecondsOption(text: string, range: SecondsRange): number {
  const trimmed = text.trim();
  const seconds = DECIMAL.test(trimmed) ? Number(trimmed) : Number.NaN;
  if (!(seconds >= range.min && seconds <= range.max)) {
    throw new UsageError(
      `invalid ${range.option} \`${text}\`: give a number of seconds from ${range.min} to ${range.max}`,
      `e.g. ${range.option} ${range.example}`,
    );
  }
  return Math.max(1, Math.round(seconds * 1000));
}

/** --timeout of `plumb verify`: the solver's limit per query, from 1 ms to one day. */
export const VERIFY_TIMEOUT: SecondsRange = { option: '--timeout', min: 0.001, max: 86_400, example: '30' };

/** --converge-timeout of `plumb emulate`: the wait for routing, from 1 s to one hour. */
export const CONVERGE_TIMEOUT: SecondsRange = { option: '--converge-timeout', min: 1, max: 3_600, example: '90' };
