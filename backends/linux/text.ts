// The escaping layer of the Linux files: every piece of user text (descriptions, the intent's
// name, source paths in origin tags) reaches setup.sh and nftables.conf through these, and the
// readers undo them with `readText`. setup.sh comments (shell lines before the batch, iproute2
// batch lines inside it) and nftables `#` lines are line comments: `lineText` keeps the text on
// its line. An nftables `comment "…"` cannot hold `"` (nft has no escape for it) and at most 128
// bytes; the interface alias in the batch is a quoted iproute2 argument, which ends at `"` and `'`
// and is cut at `#`. Those two are cosmetic copies, capped; the comment lines carry the text
// exactly.

import { escapeText, isPlainLineText, lineText, lineUnsafe, unescapeText } from '../text-escape.js';

/** A comment line of setup.sh or nftables.conf. */
export const commentText = lineText;

/** Reads text written by any function here. */
export const readText = unescapeText;

/** `text` escaped, or its longest escaped prefix of at most `maxBytes` (a whole code point). */
function capped(text: string, unsafe: string, maxBytes: number): string {
  // Plain line text (printable ASCII, no `%`, no space at either end: nearly every description)
  // without the characters `unsafe` adds is written as it is, one byte a character.
  if (text.length <= maxBytes && isPlainLineText(text) && !hasAnyOf(text, unsafe)) return text;
  return cappedEscaped(text, unsafe, maxBytes);
}

/** `capped` without its shortcut for plain text: every character tested (exported for the test
 * that holds the shortcut to it). */
export function cappedEscaped(text: string, unsafe: string, maxBytes: number): string {
  const write = (t: string): string => escapeText(t, (c, i, all) => lineUnsafe(c, i, all) || unsafe.includes(c));
  const fits = (t: string): boolean => Buffer.byteLength(t, 'utf8') <= maxBytes;
  const whole = write(text);
  if (fits(whole)) return whole;
  const chars = [...text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (fits(write(chars.slice(0, mid).join('')))) lo = mid;
    else hi = mid - 1;
  }
  return write(chars.slice(0, lo).join(''));
}

/** The text of an nftables `comment "…"` (nft keeps at most 128 bytes). */
export function nftCommentString(text: string): string {
  return capped(text, '"', 120);
}

/** The interface alias in the iproute2 batch (the kernel keeps at most 255 bytes). */
export function aliasText(description: string): string {
  return capped(description, `"'#\\`, 255);
}

/** Whether `text` holds any character of `chars`. */
function hasAnyOf(text: string, chars: string): boolean {
  for (let i = 0; i < chars.length; i++) if (text.includes(chars[i]!)) return true;
  return false;
}
