// The words of a static route or prefix-list entry read in one pass, each character once, for
// read-written.ts: a word is read as what it must be (a dotted number, digits, a name) and ends at
// one space or at the line's end. At 400 devices these lines are 770,000 of IOS-XE's 1.38 million
// lines; finding their words first (a pass of its own) and then reading each word again cost
// about twice the characters. Every function accepts exactly what the word-by-word reading took
// (splitting at single spaces, then ipv4NumberIn or the digits of the word), and nothing else.

import { ipv4NumberAt, ipv4Scanned } from './syntax.js';

/** Where the last read word ended: its end, the space after it or the first character it could not take. */
export const scanned = { at: 0 };

/**
 * The dotted IPv4 address at `at` as ipv4NumberIn reads one (syntax.ts ipv4NumberAt), its end in
 * `scanned.at`; -1 when the text there does not start with one. The caller checks what follows
 * (a space, `/` or the line's end).
 */
export function dottedAt(content: string, at: number, end: number): number {
  const value = ipv4NumberAt(content, at, end);
  if (value >= 0) scanned.at = ipv4Scanned.end;
  return value;
}

/** The word at `at` is a dotted IPv4 address ending at a space or at `end` (dottedAt); -1 otherwise. */
export function dottedWordAt(content: string, at: number, end: number): number {
  const value = dottedAt(content, at, end);
  return value >= 0 && endsWord(content, scanned.at, end) ? value : -1;
}

/**
 * The word at `at` is only digits, ending at a space or at `end`, of value at most `max` (leading
 * zeros allowed, as read-written's digitsIn takes them); -1 otherwise. Its end in `scanned.at`.
 */
export function digitsWordAt(content: string, at: number, end: number, max: number): number {
  let n = 0;
  let i = at;
  for (; i < end; i++) {
    const d = content.charCodeAt(i) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
    if (n > max) return -1;
  }
  if (i === at || !endsWord(content, i, end)) return -1;
  scanned.at = i;
  return n;
}

/**
 * Where the word at `at` ends when it is printable ASCII (no space) ending at a space or at
 * `end`, with no `:` when `noColon`; -1 otherwise (an empty word included).
 */
export function nameEnd(content: string, at: number, end: number, noColon: boolean): number {
  let i = at;
  for (; i < end; i++) {
    const c = content.charCodeAt(i);
    if (c < 0x21 || c > 0x7e) break;
    if (c === 0x3a && noColon) return -1;
  }
  return i === at || !endsWord(content, i, end) ? -1 : i;
}

/**
 * A word that ends at `i` ends the line there, or is followed by one space and then another
 * word's first character (printable ASCII): the single spaces between words and none at the end.
 */
function endsWord(content: string, i: number, end: number): boolean {
  if (i === end) return true;
  if (content.charCodeAt(i) !== 0x20 || i + 1 >= end) return false;
  const c = content.charCodeAt(i + 1);
  return c >= 0x21 && c <= 0x7e;
}

/** `content`'s [at, end) is `word` (a comparison of the characters in place, no copy). */
export function wordIs(content: string, at: number, end: number, word: string): boolean {
  return end - at === word.length && content.startsWith(word, at);
}
