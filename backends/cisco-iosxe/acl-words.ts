// The words of an IOS-XE access-list entry or object-group member (acl-read.ts), split into
// arrays that die with the line's reading rather than kept on its line.

import { splitWords } from '../config-text.js';
import { IOS_SYNTAX, type IosLine } from './lines.js';

// A line not written as Plumb writes it is split into these scratch arrays by the general
// splitter. A large list's entries would otherwise each hold two arrays (words and bounds) until
// the whole file is read, and the young generation's collections copy what lives. The words are
// the ones the line's own `texts` gives (the same splitter, in IOS's syntax); a diagnostic's span
// splits the line itself.
const ENTRY_WORDS: string[] = [];
const ENTRY_BOUNDS: number[] = [];

/** The words of `l`: its own if it has split them, else split for this call (scratch words are valid until the next call). */
export function entryWords(l: IosLine): readonly string[] {
  if (l.hasWords) return l.texts;
  const plain = plainWords(l.text, l.indent);
  if (plain !== undefined) return plain;
  ENTRY_WORDS.length = 0;
  ENTRY_BOUNDS.length = 0;
  splitWords(l.text, IOS_SYNTAX, ENTRY_WORDS, ENTRY_BOUNDS);
  return ENTRY_WORDS;
}

/** Printable ASCII words with one space between them and none after the last, to the text's end. */
const PLAIN_WORDS = /[\x21-\x7e]+(?: [\x21-\x7e]+)*$/y;

/**
 * The words of `text` after its indentation (`at`), when they are printable ASCII with one space
 * between them and none after the last, as Plumb writes an entry (then they are the words
 * splitWords gives in IOS's syntax); undefined otherwise. Tested by a regular expression and cut
 * by `split`, both native code: a small policy's run reads its entries before a loop over their
 * characters in JavaScript is compiled, and in the interpreter such a loop cost 2-4 times as much.
 */
export function plainWords(text: string, at: number): string[] | undefined {
  PLAIN_WORDS.lastIndex = at;
  if (!PLAIN_WORDS.test(text)) return undefined;
  return (at === 0 ? text : text.slice(at)).split(' ');
}
