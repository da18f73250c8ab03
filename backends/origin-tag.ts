// Origin tags: the intent span a configuration element comes from, written into a comment of the
// rendered file so that a reader recovers it exactly (`read(render(d))` equals `d`, origins
// included). Format: `FILE:LINE:COL-LINE:COL [START,END]` (1-based lines and columns, 0-based
// UTF-16 offsets), e.g. `acme.plumb:31:3-31:40 [812,849]`. Shared by every backend's comments.
// FILE is percent-encoded outside a small safe set (text-escape.ts), so that any path (a line
// break, quotes, spaces, `#`, `;`, `!`, non-ASCII) stays one word of plain ASCII that no config
// language reads as anything but a comment's text, and decodes to the same path.

import type { Span } from '../language/diagnostic.js';
import { escapeText, unescapeText } from './text-escape.js';

/** Characters of a path written as they are; everything else is `%XX`. */
const PATH_SAFE = /^[A-Za-z0-9._/+,=@~:-]$/;

/**
 * The last path encoded and decoded: a file's tags nearly all name the same intent file (tens of
 * thousands of ACL entries at 20,000 rules), and each is escaped or read character by character.
 */
let lastPath = { path: '', encoded: '' };
let lastEncoded = { encoded: '', path: '' };

export function encodePath(path: string): string {
  if (path !== lastPath.path) lastPath = { path, encoded: escapeText(path, (c) => !PATH_SAFE.test(c)) };
  return lastPath.encoded;
}

function decodePath(encoded: string): string {
  if (encoded !== lastEncoded.encoded) lastEncoded = { encoded, path: unescapeText(encoded) };
  return lastEncoded.path;
}

/** A span's values kept flat, so that a span met again can be told by value (spans are shared
 * by reference only within one compile). */
export interface SpanValues {
  file: string;
  startLine: number;
  startColumn: number;
  startOffset: number;
  endLine: number;
  endColumn: number;
  endOffset: number;
}

/** Whether `span` has the values `v` holds (the offsets, which tell most spans apart, first). */
export function sameSpanValues(v: SpanValues, span: Span): boolean {
  const { start, end } = span;
  return (
    start.offset === v.startOffset &&
    end.offset === v.endOffset &&
    start.line === v.startLine &&
    start.column === v.startColumn &&
    end.line === v.endLine &&
    end.column === v.endColumn &&
    span.file === v.file
  );
}

/** Writes `span`'s values into `v`, in place. */
export function keepSpanValues(v: SpanValues, span: Span): void {
  const { start, end } = span;
  v.file = span.file;
  v.startLine = start.line;
  v.startColumn = start.column;
  v.startOffset = start.offset;
  v.endLine = end.line;
  v.endColumn = end.column;
  v.endOffset = end.offset;
}

/**
 * The last span formatted, by its values: consecutive elements often come from the same intent
 * line (a device's routes, a rule's entries in both families), and the tag is then the same text.
 */
const lastSpan: SpanValues & { tag: string } = { file: '', startLine: -1, startColumn: -1, startOffset: -1, endLine: -1, endColumn: -1, endOffset: -1, tag: '' };

export function formatOriginTag(span: Span): string {
  if (sameSpanValues(lastSpan, span)) return lastSpan.tag;
  const { start, end } = span;
  const tag = `${encodePath(span.file)}:${start.line}:${start.column}-${end.line}:${end.column} [${start.offset},${end.offset}]`;
  // kept in place: a router's thousands of routes each have their own span
  keepSpanValues(lastSpan, span);
  lastSpan.tag = tag;
  return tag;
}

const TAG = /^(\S*):(\d+):(\d+)-(\d+):(\d+) \[(\d+),(\d+)\]$/;

/** Parses a tag written by `formatOriginTag`; undefined when `text` is not one. */
export function parseOriginTag(text: string): Span | undefined {
  const guess = lastKept?.next;
  if (guess !== undefined && guess.text === text) {
    lastKept = guess;
    guessesTaken++;
    return guess.span;
  }
  const last = text.length - 1;
  const endOffset = last > 0 && text.charCodeAt(last) === 0x5d && digitsBefore(text, last) ? runValue : -1; // ]
  if (endOffset >= 0) {
    const byEnd = tagsByEnd.get(endOffset);
    if (byEnd !== undefined && byEnd.text === text) {
      follows(byEnd);
      return byEnd.span;
    }
  }
  const known = tagSpans.get(text);
  if (known !== undefined) {
    follows(known);
    return known.span;
  }
  const t = text.trim();
  const written = writtenTag(t);
  if (written === undefined) return parsedTag(t);
  if (tagSpans.size >= TAG_SPANS) {
    tagSpans.clear();
    tagsByEnd.clear();
  }
  const kept: KeptTag = { text: ownCopy(text), span: written, next: undefined };
  tagSpans.set(kept.text, kept);
  if (endOffset >= 0) tagsByEnd.set(endOffset, kept);
  follows(kept);
  return written;
}

/** `kept` was read right after lastKept: it becomes lastKept's guess for the next call. */
function follows(kept: KeptTag): void {
  if (lastKept !== undefined) lastKept.next = kept;
  lastKept = kept;
}

/**
 * The tags read by writtenTag (text and span), by the exact text parseOriginTag was given: the same tag
 * stands on many lines of many files (at 400 devices 385,000 IOS-XE routes carry 4,829 tags), and
 * a lookup by text costs less than reading the numbers again. writtenTag's span is a function of
 * the text alone, and frozen, so one span serves every line. Emptied past TAG_SPANS entries.
 * Other texts (parsedTag's, a fresh object each time, or no tag) are not kept.
 */
const tagSpans = new Map<string, KeptTag>();
const TAG_SPANS = 65_536;

/**
 * The last text kept in tagSpans for each end offset (the tag's last number, read from the end),
 * looked up before tagSpans: a number's lookup and one comparison of the two texts (V8 compares
 * them in bulk) cost about half of hashing a text cut from a file for the map by text (every
 * IOS-XE route tag of the 400-device network: 64 against 34 ms). A text that is not the last
 * kept with its end offset (two files, or blanks around the tag) goes on to tagSpans. Never
 * larger than tagSpans: both are emptied together.
 */
const tagsByEnd = new Map<number, KeptTag>();

interface KeptTag {
  text: string;
  span: Span;
  /** The tag read right after this one the last time this one was read. */
  next: KeptTag | undefined;
}

/**
 * The kept tag read last, whose `next` is tried
 * before any lookup. The routers of a network list the same routes in the same order, so the tag
 * read after a tag is mostly the one read after it on the router before: one comparison with a
 * text kept in reading order, instead of the map's lookup and its kept text, both random reads
 * among thousands of tags (17,540 in the IOS-XE files at 400 devices) that the reader's own work
 * evicts from the cache between two calls. Correct whatever the guess: it is taken only when its
 * text is the one given, and its span is a function of the text. The chain of guesses holds no
 * more than the stores: once they are emptied, the next tag read is a new one and becomes
 * lastKept, and every guess after it is a tag read since. Texts that are no tag as the renderers
 * write them are not kept and leave lastKept as it is.
 */
let lastKept: KeptTag | undefined;

/** How many tags' spans are kept (for the tests of the bound). */
export function keptOriginTagCount(): number {
  return tagSpans.size;
}

let guessesTaken = 0;

/** How many texts were answered by the guess (for the tests that it is taken). */
export function originTagGuessesTaken(): number {
  return guessesTaken;
}

/** How many tags the chain of guesses from lastKept reaches (for the tests of its bound). */
export function originTagGuessCount(): number {
  const seen = new Set<KeptTag>();
  for (let t = lastKept; t !== undefined && !seen.has(t); t = t.next) seen.add(t);
  return seen.size;
}

/** How many end offsets have a kept text (for the tests of tagsByEnd). */
export function keptOriginTagEndCount(): number {
  return tagsByEnd.size;
}

/**
 * A copy of `text` that holds only its own characters: a text cut from a file (`slice`) may be a
 * view of the whole file, and as a key it would keep every file read alive. Joining makes a new
 * string, and cutting it again flattens it into a fresh one.
 */
export function ownCopy(text: string): string {
  return `${text} `.slice(0, -1);
}

/**
 * Spans read from tags written as the renderers write them, shared by value: the same tag stands
 * on many lines (a segment's route on every router, tens of thousands of routes a network), and
 * the read-back models keep one frozen span for all of them instead of three objects each. By
 * start offset, the last span read there; emptied past SHARED_SPANS entries.
 */
const sharedSpans = new Map<number, Span>();
const SHARED_SPANS = 65_536;

/** The span of these values: the one read before when it is the same, else a new frozen one. */
export function sharedSpan(
  file: string,
  startLine: number,
  startColumn: number,
  endLine: number,
  endColumn: number,
  startOffset: number,
  endOffset: number,
): Span {
  const known = sharedSpans.get(startOffset);
  if (
    known !== undefined &&
    known.end.offset === endOffset &&
    known.start.line === startLine &&
    known.start.column === startColumn &&
    known.end.line === endLine &&
    known.end.column === endColumn &&
    known.file === file
  ) {
    return known;
  }
  const span: Span = Object.freeze({
    file,
    start: Object.freeze({ line: startLine, column: startColumn, offset: startOffset }),
    end: Object.freeze({ line: endLine, column: endColumn, offset: endOffset }),
  });
  if (sharedSpans.size >= SHARED_SPANS) sharedSpans.clear();
  sharedSpans.set(startOffset, span);
  return span;
}

/** Digits read from the right by `writtenTag`: where the run starts, and its value. */
let runStart = 0;
let runValue = 0;

/**
 * Whether `t` ends at `end` (exclusive) with 1 to 15 ASCII digits (exact as a number); sets
 * runStart and runValue. The value is summed digit by digit (below 10^15, every step is exact:
 * Number of the digits' text), with no string made.
 */
function digitsBefore(t: string, end: number): boolean {
  let i = end;
  let value = 0;
  let scale = 1;
  while (i > 0 && end - i < 16) {
    const c = t.charCodeAt(i - 1);
    if (c < 0x30 || c > 0x39) break;
    value += (c - 0x30) * scale;
    scale *= 10;
    i--;
  }
  if (i === end || end - i > 15) return false;
  runStart = i;
  runValue = value;
  return true;
}

/** decodePath of `t`'s first `at` characters; the text is cut only when the path is not the last one read. */
function decodePathOf(t: string, at: number): string {
  const last = lastEncoded.encoded;
  return at === last.length && t.startsWith(last) ? lastEncoded.path : decodePath(t.slice(0, at));
}

/**
 * A tag as `formatOriginTag` writes it (its path printable ASCII), read from its end without the
 * regular expression and its eight strings: the digits' runs stop at the separators, so the
 * split is TAG's. Undefined for anything else, which TAG then decides (parsedTag): the same
 * answer either way.
 */
function writtenTag(t: string): Span | undefined {
  let at = t.length;
  if (t.charCodeAt(at - 1) !== 0x5d) return undefined; // ]
  const expect = (code: number): boolean => t.charCodeAt(--at) === code;
  if (!digitsBefore(t, at - 1)) return undefined;
  const endOffset = runValue;
  at = runStart;
  if (!expect(0x2c) || !digitsBefore(t, at)) return undefined; // ,
  const startOffset = runValue;
  at = runStart;
  if (!expect(0x5b) || !expect(0x20) || !digitsBefore(t, at)) return undefined; // [ and the space
  const endColumn = runValue;
  at = runStart;
  if (!expect(0x3a) || !digitsBefore(t, at)) return undefined; // :
  const endLine = runValue;
  at = runStart;
  if (!expect(0x2d) || !digitsBefore(t, at)) return undefined; // -
  const startColumn = runValue;
  at = runStart;
  if (!expect(0x3a) || !digitsBefore(t, at)) return undefined; // :
  const startLine = runValue;
  at = runStart;
  if (!expect(0x3a)) return undefined; // :
  for (let i = 0; i < at; i++) {
    const c = t.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) return undefined;
  }
  return sharedSpan(decodePathOf(t, at), startLine, startColumn, endLine, endColumn, startOffset, endOffset);
}

function parsedTag(t: string): Span | undefined {
  const m = TAG.exec(t);
  if (!m) return undefined;
  const n = (i: number): number => Number(m[i]);
  return {
    file: decodePath(m[1]!),
    start: { line: n(2), column: n(3), offset: n(6) },
    end: { line: n(4), column: n(5), offset: n(7) },
  };
}

/** The short form people read: `acme.plumb:31`, the path encoded as in a tag. */
export function shortOrigin(span: Span): string {
  return `${encodePath(span.file)}:${span.start.line}`;
}

/** Every tag inside a file's text; PAN-OS writes a tag's space as `%20` (an annotation's value is one word). */
const TAGS_IN_TEXT = /:(\d+):(\d+)-(\d+):(\d+)( |%20)\[(\d+),(\d+)\]/g;

/**
 * `text` with every origin tag in it made unreadable to `parseOriginTag` (its offsets become
 * `[untagged]`) and nothing else changed: a reader then gives each element its own span in the
 * file, as it does for one added by hand (pipeline/config-lines.ts reads the files both ways).
 */
export function withoutOriginTags(text: string): string {
  return text.replace(TAGS_IN_TEXT, ':$1:$2-$3:$4$5[untagged]');
}
