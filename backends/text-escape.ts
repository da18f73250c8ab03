// The escaping primitive every backend's output language builds on: user text (descriptions,
// names of things, source file paths) is written with the characters that language cannot carry
// as `%XX` (the UTF-8 bytes of the character), and read back by `unescapeText`. Each language
// says which characters it cannot carry; `lineText` is what every line-oriented config needs, so
// that nothing user-written can start a new line or hide in invisible characters:
//  - C0 and C1 control characters and DEL (a line break, a tab, an escape sequence),
//  - U+2028/U+2029 and U+0085 (line breaks to some editors and parsers),
//  - bidirectional controls (U+061C, U+200E/F, U+202A-E, U+2066-9): text that reads
//    differently from what it is,
//  - U+FEFF, U+FFFE, U+FFFF and lone surrogates (no character, or not valid UTF-8 / XML),
//  - a space at the start or end (readers trim lines; editors strip trailing spaces).
// A `%` is escaped (`%25`) only where the reader would otherwise decode it: before two hex
// digits or `u` and four, so benign text such as `100% uptime` is written as it is. Decoding is
// lenient: a `%` that starts no valid escape is kept, so hand-written text reads as written.

export type UnsafeTest = (char: string, index: number, text: string) => boolean;

const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\uFEFF\uFFFE\uFFFF]/;
const HEX2 = /^[0-9A-Fa-f]{2}$/;
const HEX4 = /^[0-9A-Fa-f]{4}$/;

/** Characters no output language may carry raw (see the header). */
export function isInvisibleOrBreak(char: string): boolean {
  const c = char.charCodeAt(0);
  if (c >= 0x20 && c < 0x7f) return false; // printable ASCII: the common case, decided fast
  const lone = char.length === 1 && c >= 0xd800 && c <= 0xdfff;
  return lone || CONTROL.test(char) || BIDI.test(char);
}

/** A space that starts or ends the text. */
export function isEdgeSpace(char: string, index: number, text: string): boolean {
  return char === ' ' && (index === 0 || index + 1 === text.length);
}

/** A space that follows another space (runs collapse in some configs). */
export function isRepeatedSpace(char: string, index: number, text: string): boolean {
  return char === ' ' && text[index - 1] === ' ';
}

/** What every line-oriented language cannot carry. */
export const lineUnsafe: UnsafeTest = (char, index, text) => isInvisibleOrBreak(char) || isEdgeSpace(char, index, text);

function percentBytes(char: string): string {
  const c = char.charCodeAt(0);
  if (char.length === 1 && c >= 0xd800 && c <= 0xdfff) return `%u${c.toString(16).toUpperCase().padStart(4, '0')}`;
  return [...Buffer.from(char, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/** Would the reader take the `%` at `index` for the start of an escape? */
function startsEscape(text: string, index: number): boolean {
  if (HEX2.test(text.slice(index + 1, index + 3))) return true;
  return text[index + 1] === 'u' && HEX4.test(text.slice(index + 2, index + 6));
}

/**
 * `text` with every character `unsafe` picks written as `%XX` (per UTF-8 byte; a lone surrogate
 * as `%uXXXX`), and `%` as `%25` where it would start an escape. `unsafe` sees each code point
 * with its UTF-16 offset in `text`.
 */
export function escapeText(text: string, unsafe: UnsafeTest): string {
  // Most text needs no escape: runs of kept characters are copied as slices, and text with
  // nothing to escape is returned as it is.
  let out = '';
  let kept = 0; // text[kept, offset) is copied as it is
  let offset = 0;
  while (offset < text.length) {
    const c = text.charCodeAt(offset);
    // a code point: a surrogate pair, or one UTF-16 unit (a lone surrogate as itself)
    const pair = c >= 0xd800 && c <= 0xdbff && (text.charCodeAt(offset + 1) & 0xfc00) === 0xdc00;
    const ch = pair ? text.slice(offset, offset + 2) : text[offset]!;
    const escaped = ch === '%' ? (startsEscape(text, offset) ? '%25' : undefined) : unsafe(ch, offset, text) ? percentBytes(ch) : undefined;
    const next = offset + ch.length;
    if (escaped !== undefined) {
      out += text.slice(kept, offset) + escaped;
      kept = next;
    }
    offset = next;
  }
  return kept === 0 ? text : out + text.slice(kept);
}

/** The length of the UTF-8 sequence a lead byte starts; 0 for a byte that starts none. */
function sequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Decodes one escaped character at `index`: the character and the escape's length, or undefined. */
function decodeAt(text: string, index: number): { char: string; length: number } | undefined {
  if (text[index + 1] === 'u' && HEX4.test(text.slice(index + 2, index + 6))) {
    return { char: String.fromCharCode(parseInt(text.slice(index + 2, index + 6), 16)), length: 6 };
  }
  const byteAt = (k: number): number | undefined => {
    const at = index + 3 * k;
    if (text[at] !== '%') return undefined;
    const hex = text.slice(at + 1, at + 3);
    return HEX2.test(hex) ? parseInt(hex, 16) : undefined;
  };
  const lead = byteAt(0);
  if (lead === undefined) return undefined;
  const n = sequenceLength(lead);
  if (n === 0) return undefined;
  const bytes = [lead];
  for (let k = 1; k < n; k++) {
    const b = byteAt(k);
    if (b === undefined || (b & 0xc0) !== 0x80) return undefined;
    bytes.push(b);
  }
  try {
    const char = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(Uint8Array.from(bytes));
    return { char, length: 3 * n };
  } catch {
    return undefined; // an overlong form or a surrogate: not something escapeText writes
  }
}

/** The inverse of `escapeText` for any `unsafe`; a `%` that starts no valid escape is kept. */
export function unescapeText(text: string): string {
  if (!text.includes('%')) return text;
  let out = '';
  for (let i = 0; i < text.length; ) {
    if (text[i] === '%') {
      const d = decodeAt(text, i);
      if (d) {
        out += d.char;
        i += d.length;
        continue;
      }
    }
    out += text[i]!;
    i++;
  }
  return out;
}

/**
 * Printable ASCII without `%` that neither starts nor ends with a space, as nearly all user text
 * is: nothing in it is `lineUnsafe` or starts an escape, so `lineText` (and a language that
 * escapes no more printable ASCII than it, IOS-XE) returns it as it is, with no test per character.
 */
const PLAIN_LINE_TEXT = /^(?:[\x21-\x24\x26-\x7e](?:[\x20-\x24\x26-\x7e]*[\x21-\x24\x26-\x7e])?)?$/;

export function isPlainLineText(text: string): boolean {
  return PLAIN_LINE_TEXT.test(text);
}

/** User text on one line of any line-oriented config (comments, descriptions): see the header. */
export function lineText(text: string): string {
  return isPlainLineText(text) ? text : escapeText(text, lineUnsafe);
}
