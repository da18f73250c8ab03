// IOS configuration text → lines of words with positions (lexed by backends/config-text.ts in
// IOS's syntax), grouped into sections (a line at column 1 and the indented lines under it).
// Comment lines (`!`) are kept apart: `! plumb ...` annotations are data for the reader, other
// comments are ignored.

import { readLines, type ConfigLine } from '../config-text.js';

/** A line of an IOS config: words split at any whitespace, no quoting; `!` lines are comments. */
export interface IosLine extends ConfigLine {
  /** The line's first word starts with `!` (its words are kept: `! plumb` annotations are data). */
  isComment: boolean;
}

export interface Section {
  head: IosLine;
  body: IosLine[];
  /** Comment lines directly above the head (annotations for it). */
  before: IosLine[];
}

/** The non-blank lines of an IOS config. */
export function lexConfig(file: string, content: string): IosLine[] {
  const out: IosLine[] = [];
  for (const line of readLines(file, content, { commentChars: '', quotes: false, blanks: 'whitespace' })) {
    if (line.texts.length > 0) out.push(Object.assign(line, { isComment: line.texts[0]!.startsWith('!') }));
  }
  return out;
}

export function sectionsOf(lines: IosLine[]): Section[] {
  const sections: Section[] = [];
  let pending: IosLine[] = [];
  let current: Section | undefined;
  for (const l of lines) {
    if (l.indent === 0) {
      if (l.isComment) {
        pending.push(l);
        current = undefined;
        continue;
      }
      current = { head: l, body: [], before: pending };
      pending = [];
      sections.push(current);
    } else if (current) {
      current.body.push(l);
    } else if (!l.isComment) {
      // an indented line outside any section: let the caller report it as a section of its own
      sections.push({ head: l, body: [], before: pending });
      pending = [];
    }
  }
  return sections;
}
