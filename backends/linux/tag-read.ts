// Origin tags read in place: `parseOriginTag` (origin-tag.ts) of the text from `start` to the end
// of a line, without slicing the tag or its numbers. A tag as the renderers write it (its path
// printable ASCII, each number 1 to 15 digits, nothing after the `]`) whose path is the one read
// last is read here; every other text goes to `parseOriginTag`, whose answer it is in every case
// (test/backends/setup-lines.test.ts compares the two). A rendered file's tags nearly all name
// the same intent file, and a router's setup.sh has thousands of them.

import type { Span } from '../../language/diagnostic.js';
import { parseOriginTag, sharedSpan } from '../origin-tag.js';

/** The last path read: as written, and what `parseOriginTag` made of it. */
let lastEncoded = '';
let lastFile = '';

/** Set by `digitsBefore`: where its run of digits starts, and the run's value. */
let runStart = 0;
let runValue = 0;

/** Whether `t` has 1 to 15 ASCII digits ending at `end` (exclusive), starting after `from`; sets runStart and runValue. */
function digitsBefore(t: string, from: number, end: number): boolean {
  let i = end;
  let value = 0;
  let scale = 1;
  while (i > from) {
    const c = t.charCodeAt(i - 1);
    if (c < 0x30 || c > 0x39) break;
    if (end - i === 15) return false;
    value += (c - 0x30) * scale;
    scale *= 10;
    i--;
  }
  if (i === end) return false;
  runStart = i;
  runValue = value;
  return true;
}

/** `parseOriginTag(text.slice(start))`. */
export function originTagAt(text: string, start: number): Span | undefined {
  const fast = writtenTagAt(text, start);
  if (fast) return fast;
  const span = parseOriginTag(text.slice(start));
  // the next tags of the file most likely name this path: they are read here
  const pathEnd = span ? scanFromEnd(text, start, text.length) : undefined;
  if (span && pathEnd !== undefined) {
    lastEncoded = text.slice(start, pathEnd);
    lastFile = span.file;
  }
  return span;
}

/** Start line, start column, end line, end column, start offset, end offset: set by `scanFromEnd`. */
const numbers = [0, 0, 0, 0, 0, 0];
/** Per number read from the end: its slot in `numbers` and the character before it. */
const SLOTS = [5, 4, 3, 2, 1, 0];
const BEFORE = [0x2c, 0x5b, 0x3a, 0x2d, 0x3a, 0x3a]; // , [ (with the space before it) : - : :

/**
 * Reads `t` from `from` to `end` from its end as `PATH:L:C-L:C [S,E]` with 1 to 15 digits a
 * number and PATH printable ASCII: the numbers into `numbers`; where PATH ends, or undefined when
 * the text is not so written.
 */
function scanFromEnd(t: string, from: number, end: number): number | undefined {
  const at = numbersFromEnd(t, from, end);
  if (at === undefined) return undefined;
  for (let i = from; i < at; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return undefined;
  }
  return at;
}

/** `scanFromEnd` without the path's check: the numbers into `numbers`, and where the path ends. */
function numbersFromEnd(t: string, from: number, end: number): number | undefined {
  let at = end - 1;
  if (at < from || t.charCodeAt(at) !== 0x5d) return undefined; // ]
  for (let k = 0; k < 6; k++) {
    if (!digitsBefore(t, from, at)) return undefined;
    numbers[SLOTS[k]!] = runValue;
    at = runStart - 1;
    if (at < from || t.charCodeAt(at) !== BEFORE[k]) return undefined;
    if (k === 1) {
      at--;
      if (at < from || t.charCodeAt(at) !== 0x20) return undefined; // the space before [
    }
  }
  return at;
}

/** The tag from `start` to the end of `text` when written as the renderers do and naming the last path read. */
function writtenTagAt(text: string, start: number): Span | undefined {
  // the last path read is printable ASCII (`originTagAt` checked it): a text equal to it needs
  // no check of its own
  const pathEnd = numbersFromEnd(text, start, text.length);
  if (pathEnd === undefined || pathEnd - start !== lastEncoded.length || !text.startsWith(lastEncoded, start)) return undefined;
  return spanRead();
}

/**
 * The origin tag at the end of the line from `from` to `end` of `text`, after the line's last
 * ` @ `, when it is written as the renderers do and names the last path read: what
 * `originTagAt(line, line.lastIndexOf(' @ ') + 3)` gives for that line, read without slicing the
 * line or searching it for ` @ `. Undefined otherwise: the caller reads the line that way.
 */
export function lineTagAt(text: string, from: number, end: number): Span | undefined {
  const pathEnd = numbersFromEnd(text, from, end);
  if (pathEnd === undefined) return undefined;
  const start = pathEnd - lastEncoded.length;
  // ` @ ` right before the last path (printable, no space), and after it no other: the numbers
  // have one space, before `[`
  if (
    start - 3 < from ||
    text.charCodeAt(start - 3) !== 0x20 ||
    text.charCodeAt(start - 2) !== 0x40 ||
    text.charCodeAt(start - 1) !== 0x20 ||
    !text.startsWith(lastEncoded, start)
  )
    return undefined;
  return spanRead();
}

/** The span of the numbers the last scan read, in the last path read. */
function spanRead(): Span {
  return sharedSpan(lastFile, numbers[0]!, numbers[1]!, numbers[2]!, numbers[3]!, numbers[4]!, numbers[5]!);
}
