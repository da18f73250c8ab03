// The escaping layer of the IOS-XE config: every piece of user text (interface and neighbour
// descriptions, ACL remarks, the intent's name, paths in origin tags) reaches `<device>.cfg`
// through `iosText`, and the reader undoes it with `readText`. IOS takes a description or remark
// as the rest of its line and drops spaces at its ends; the config is ASCII. So on top of what no
// line may carry (text-escape.ts: line breaks, control and bidi characters, edge spaces), every
// character outside ASCII is written %-escaped (`plumb check` warns about those, P515).

import { escapeText, isPlainLineText, lineUnsafe, unescapeText } from '../text-escape.js';

export function iosText(text: string): string {
  if (isPlainLineText(text)) return text;
  return escapeText(text, (c, i, t) => lineUnsafe(c, i, t) || c > '\x7e');
}

/** Reads text written by `iosText`. */
export const readText = unescapeText;
