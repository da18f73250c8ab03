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
 * ` @ `, when it is written as the renderers do and names the last path read or is a tag read so
 * before (KnownTags): what `originTagAt(line, line.lastIndexOf(' @ ') + 3)` gives for that line,
 * read without searching the line for ` @ `. Undefined otherwise: the caller reads the line that
 * way.
 */
export function lineTagAt(text: string, from: number, end: number): Span | undefined {
  const known = knownTags.at(text, from, end);
  if (known !== undefined) return known;
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
  const span = spanRead();
  knownTags.keep(span);
  lastTagStart = start;
  return span;
}

/** Where the tag `lineTagAt` read last starts (just after its ` @ `). */
let lastTagStart = -1;

/** The offset in its text of the tag the last `lineTagAt` that gave a span read. */
export function lineTagStart(): number {
  return lastTagStart;
}

/**
 * Tags read by `lineTagAt`, by their end offset (the tag's last number), each with its text and
 * its span: the routers of a network carry routes of the same origins (at 400 devices, 80 Linux
 * routers' 385,000 route comments hold 4,828 tags), and a line that ends in a known tag's text,
 * ` @ ` before it, is that span without its six numbers read again. A tag's text is made from
 * its path and numbers (not cut from a file, which a cut would keep alive); emptied past
 * KNOWN_TAGS entries.
 */
const KNOWN_TAGS = 65_536;

class KnownTags {
  private readonly tags = new Map<number, { text: string; span: Span }>();

  /** The span of a known tag at the end of the line from `from` to `end`, ` @ ` before it. */
  at(text: string, from: number, end: number): Span | undefined {
    if (end - 1 <= from || text.charCodeAt(end - 1) !== 0x5d || !digitsBefore(text, from, end - 1)) return undefined; // ]
    const known = this.tags.get(runValue);
    if (known === undefined) return undefined;
    const start = end - known.text.length;
    if (
      start - 3 < from ||
      text.charCodeAt(start - 3) !== 0x20 ||
      text.charCodeAt(start - 2) !== 0x40 ||
      text.charCodeAt(start - 1) !== 0x20 ||
      // a cut compared whole: V8 compares two strings' characters in bulk, where `startsWith`
      // reads them one by one
      text.slice(start, end) !== known.text
    )
      return undefined;
    lastTagStart = start;
    return known.span;
  }

  /**
   * Keeps `span`, just read by `numbersFromEnd` with the last path read, under its tag's text as
   * the renderers write it (a line whose numbers have leading zeros then never meets it).
   */
  keep(span: Span): void {
    const [startLine, startColumn, endLine, endColumn, startOffset, endOffset] = numbers;
    // joined, not concatenated: a flat string, compared whole with every line that may hold it
    const made = [lastEncoded, ':', startLine, ':', startColumn, '-', endLine, ':', endColumn, ' [', startOffset, ',', endOffset, ']'].join('');
    if (this.tags.size >= KNOWN_TAGS) this.tags.clear();
    this.tags.set(endOffset!, { text: made, span });
  }
}

const knownTags = new KnownTags();

/** The span of the numbers the last scan read, in the last path read. */
function spanRead(): Span {
  return sharedSpan(lastFile, numbers[0]!, numbers[1]!, numbers[2]!, numbers[3]!, numbers[4]!, numbers[5]!);
}
