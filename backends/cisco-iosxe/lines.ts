// IOS configuration text → lines of words with positions, grouped into sections (a line at
// column 1 and the indented lines under it). Comment lines (`!`) are kept apart: `! plumb ...`
// annotations are data for the reader, other comments are ignored.

import type { Diagnostic, Span } from '../../language/diagnostic.js';
import { lineSpan } from './origin-text.js';

export interface Word {
  text: string;
  column: number; // 1-based
  offset: number;
}

export interface ConfigLine {
  file: string;
  line: number; // 1-based
  offset: number; // of the line's first character
  indent: number;
  raw: string; // without the line break, trailing whitespace removed
  words: Word[];
  comment: boolean;
}

export interface Section {
  head: ConfigLine;
  body: ConfigLine[];
  /** Comment lines directly above the head (annotations for it). */
  before: ConfigLine[];
}

export function lexConfig(file: string, content: string): ConfigLine[] {
  const out: ConfigLine[] = [];
  let offset = 0;
  const rawLines = content.split('\n');
  rawLines.forEach((rawLine, i) => {
    const raw = rawLine.replace(/\s+$/, '');
    const words: Word[] = [];
    const re = /\S+/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(raw)) !== null) words.push({ text: m[0], column: m.index + 1, offset: offset + m.index });
    const indent = words[0] ? words[0].column - 1 : 0;
    if (words.length > 0) {
      out.push({ file, line: i + 1, offset, indent, raw, words, comment: words[0]!.text.startsWith('!') });
    }
    offset += rawLine.length + 1;
  });
  return out;
}

export function sectionsOf(lines: ConfigLine[]): Section[] {
  const sections: Section[] = [];
  let pending: ConfigLine[] = [];
  let current: Section | undefined;
  for (const l of lines) {
    if (l.indent === 0) {
      if (l.comment) {
        pending.push(l);
        current = undefined;
        continue;
      }
      current = { head: l, body: [], before: pending };
      pending = [];
      sections.push(current);
    } else if (current) {
      current.body.push(l);
    } else if (!l.comment) {
      // an indented line outside any section: let the caller report it as a section of its own
      sections.push({ head: l, body: [], before: pending });
      pending = [];
    }
  }
  return sections;
}

/** The text after the first `n` words, as written (inner spacing kept). */
export function restAfter(l: ConfigLine, n: number): string {
  const w = l.words[n];
  return w ? l.raw.slice(w.column - 1) : '';
}

export function wordSpan(l: ConfigLine, index: number): Span {
  const w = l.words[Math.min(index, l.words.length - 1)]!;
  return lineSpan(l.file, l.line, w.column, w.text.length, w.offset);
}

export function lineSpanOf(l: ConfigLine): Span {
  return lineSpan(l.file, l.line, l.indent + 1, l.raw.length - l.indent, l.offset + l.indent);
}

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  error(code: string, span: Span, message: string, hint?: string): void {
    this.diagnostics.push({ code, severity: 'error', span, message, related: [], ...(hint ? { hint } : {}) });
  }
  warning(code: string, span: Span, message: string, hint?: string): void {
    this.diagnostics.push({ code, severity: 'warning', span, message, related: [], ...(hint ? { hint } : {}) });
  }
}
