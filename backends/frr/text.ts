// The escaping layer of frr.conf: every piece of user text reaches it through these, and the
// reader undoes them with `readText`. `!` lines are line comments (`lineText`). A neighbour's
// `description` is the rest of its line: vtysh splits it into words and joins them with single
// spaces, and the reader (like vtysh for a line's first word) takes `!` and `#` for the start of
// a comment, so those and every space after a space are escaped as well.

import { escapeText, isRepeatedSpace, lineText, lineUnsafe, unescapeText } from '../text-escape.js';

/** A `!` comment line. */
export const commentText = lineText;

/** Reads text written by any function here. */
export const readText = unescapeText;

/** The text of `neighbor ADDR description TEXT`. */
export function descriptionText(text: string): string {
  return escapeText(text, (c, i, t) => lineUnsafe(c, i, t) || c === '!' || c === '#' || isRepeatedSpace(c, i, t));
}
