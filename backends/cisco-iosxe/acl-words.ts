// The words of an IOS-XE access-list entry or object-group member (acl-read.ts), split into
// scratch arrays rather than kept on its line.

import { splitWords } from '../config-text.js';
import { IOS_SYNTAX, type IosLine } from './lines.js';

// An entry's words, split into these scratch arrays rather than kept on its line: a large list's
// entries would otherwise each hold two arrays (words and bounds) until the whole file is read,
// and the young generation's collections copy what lives. The words are the ones the line's own
// `texts` gives (the same splitter, in IOS's syntax); a diagnostic's span splits the line itself.
const ENTRY_WORDS: string[] = [];
const ENTRY_BOUNDS: number[] = [];

/** The words of `l`: its own if it has split them, else split into ENTRY_WORDS (valid until the next call). */
export function entryWords(l: IosLine): readonly string[] {
  if (l.hasWords) return l.texts;
  ENTRY_WORDS.length = 0;
  if (plainWordsInto(l.text, l.indent, ENTRY_WORDS)) return ENTRY_WORDS;
  ENTRY_WORDS.length = 0;
  ENTRY_BOUNDS.length = 0;
  splitWords(l.text, IOS_SYNTAX, ENTRY_WORDS, ENTRY_BOUNDS);
  return ENTRY_WORDS;
}

/**
 * The words of `text` after its indentation (`at`) into `out`, when they are printable ASCII
 * with one space between them and none after the last, as Plumb writes an entry (then they are
 * the words splitWords gives in IOS's syntax); false otherwise, `out` then partly filled. The
 * general splitter asks for each character whether it is whitespace of any kind: a large list's
 * entries are most of its lines, and a small policy's run splits them before that code is fast.
 */
export function plainWordsInto(text: string, at: number, out: string[]): boolean {
  const n = text.length;
  if (at >= n) return false;
  let start = at;
  for (let i = at; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20) {
      // a second space, or one first: not one space between words
      if (i === start) return false;
      out.push(text.slice(start, i));
      start = i + 1;
    } else if (c < 0x21 || c > 0x7e) return false;
  }
  if (start === n) return false;
  out.push(text.slice(start, n));
  return true;
}
