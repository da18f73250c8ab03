// Where the incremental parse (incremental-parse.ts) may cut a large file: into chunks of whole
// top-level declarations, and a policy block's body into runs of whole rules.
//
// A chunk starts at the start of a line that begins (in column 1) with a top-level keyword,
// outside any `{ }` block, when the previous line of code does not end with `,` `->` `:` or `=`
// (after those a statement continues on the next line). Which such places become cuts depends
// only on the line's own text (a hash), so an edit moves no cut but its own. A `policy` line is
// always a cut: a policy block is the longest declaration and the one most edited, and in a
// chunk of its own an edit inside it leaves the declarations around it the same objects.
//
// A policy chunk whose `policy` line ends with its only brace, `{`, and whose body holds no brace
// up to a line that is `}` alone has a layout: its body is cut into runs at lines of code that
// no statement continues into, again chosen by the line's hash. A whole parse starts a statement
// of the block at each such line, so each run parses alone as it parses in the whole
// (language/parse-members.ts).
//
// Lines are read as the lexer reads them (language/tokens.ts): a comment or a string ends at a
// carriage return as at a line feed, and a line over the lexer's limit is not read at all.

import { MAX_LINE_LENGTH } from './frontend.js';

/** The keywords whose lines may start a chunk. */
const TOP_LEVEL = new Set(['network', 'routing', 'pool', 'site', 'link', 'segment', 'host', 'group', 'external', 'service', 'policy', 'assert', 'survive']);
/** About one safe place in CUT_EVERY becomes a cut. */
const CUT_EVERY = 8;
/** Lines after which a chunk is cut at the next safe place whatever its hash. */
const MAX_CHUNK_LINES = 256;
/** About one line of code in RUN_EVERY of a policy's body starts a run. */
const RUN_EVERY = 16;
/** Lines after which a run is cut at the next safe place whatever its hash. */
const MAX_RUN_LINES = 64;

/** A policy chunk's body: its runs and where it ends. Offsets and 0-based lines in the file. */
export interface BlockLayout {
  /** Where each run starts, the first at the line after the `{` line; the last ends at `bodyEnd`. */
  runStarts: number[];
  runLines: number[];
  /** Where the `}` line starts. */
  bodyEnd: number;
  closeLine: number;
}

export interface Chunk {
  start: number;
  end: number;
  /** 0-based line of `start`. */
  line: number;
  /** Set for a policy block that may be parsed in runs. */
  block?: BlockLayout;
}

// What a character is to the line scan: the lexer's blanks (and line breaks), a comment's
// start, a string's, a brace, or any other code.
const CODE = 0;
const BLANK = 1;
const COMMENT = 2;
const QUOTE = 3;
const OPEN = 4;
const CLOSE = 5;
const CHAR_KINDS = new Uint8Array(128);
for (const c of ' \t\r\f\v\n') CHAR_KINDS[c.charCodeAt(0)] = BLANK;
CHAR_KINDS[35] = COMMENT;
CHAR_KINDS[34] = QUOTE;
CHAR_KINDS[123] = OPEN;
CHAR_KINDS[125] = CLOSE;

const enum Block {
  None,
  Header,
  Body,
  Closed,
}

/** Cuts the text into chunks at safe places (see the header). One pass, no allocation per line. */
export function splitChunks(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let depth = 0;
  let chunkStart = 0;
  let chunkLine = 0;
  let continues = false;
  let line = 0;
  let keyword: string | undefined;
  let block = Block.None;
  let layout: BlockLayout | undefined;
  for (let start = 0; start < text.length; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    const long = (nl < 0 ? text.length : nl) - start > MAX_LINE_LENGTH;
    if (
      depth === 0 &&
      !continues &&
      start > chunkStart &&
      (keyword = topLevelKeyword(text, start, end)) !== undefined &&
      (keyword === 'policy' || line - chunkLine >= MAX_CHUNK_LINES || lineHash(text, start, end) % CUT_EVERY === 0)
    ) {
      chunks.push({ start: chunkStart, end: start, line: chunkLine, ...(block === Block.Closed ? { block: layout } : {}) });
      chunkStart = start;
      chunkLine = line;
      block = keyword === 'policy' ? Block.Header : Block.None;
    } else if (start === 0) {
      block = topLevelKeyword(text, start, end) === 'policy' ? Block.Header : Block.None;
    }
    if (long) {
      // The lexer does not read it: no code, no brace.
      if (block === Block.Header) block = Block.None;
      start = end;
      continue;
    }
    // The line's code: braces outside strings and comments, its first and last characters.
    let last = -1;
    let first = -1;
    let braces = 0;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      const kind = c < 128 ? CHAR_KINDS[c]! : c === 0xfeff ? BLANK : CODE;
      if (kind === BLANK) continue;
      if (kind === COMMENT) {
        while (i + 1 < end && text.charCodeAt(i + 1) !== 10 && text.charCodeAt(i + 1) !== 13) i++;
        continue;
      }
      if (kind === QUOTE) i = stringEnd(text, i, end);
      else if (kind === OPEN) {
        depth++;
        braces++;
      } else if (kind === CLOSE) {
        depth = Math.max(0, depth - 1);
        braces++;
      }
      if (first < 0) first = c;
      last = c;
    }
    if (block === Block.Header) {
      // `policy ... {` with no other brace: the body starts on the next line.
      block = braces === 1 && last === 123 ? Block.Body : Block.None;
      if (block === Block.Body) layout = { runStarts: [end], runLines: [line + 1], bodyEnd: end, closeLine: line + 1 };
    } else if (block === Block.Body && last >= 0) {
      if (braces > 0) {
        // The body ends at a line of `}` alone that no statement continues into; any other brace
        // leaves the block to a whole parse.
        const closes = braces === 1 && first === 125 && last === 125 && !continues;
        block = closes ? Block.Closed : Block.None;
        if (closes) {
          layout!.bodyEnd = start;
          layout!.closeLine = line;
        }
      } else if (!continues) {
        const runs = layout!.runStarts;
        const runLine = layout!.runLines[runs.length - 1]!;
        if (start > runs[runs.length - 1]! && (line - runLine >= MAX_RUN_LINES || lineHash(text, start, end) % RUN_EVERY === 0)) {
          runs.push(start);
          layout!.runLines.push(line);
        }
      }
    }
    // After `,` `->` `:` or `=` a statement continues on the next line.
    if (last >= 0) continues = last === 44 || last === 62 || last === 58 || last === 61;
    start = end;
  }
  chunks.push({ start: chunkStart, end: text.length, line: chunkLine, ...(block === Block.Closed ? { block: layout } : {}) });
  return chunks;
}

/**
 * Where the string token starting at `i` (a `"`) ends, as the lexer reads it: the index of its
 * last character. It ends at its closing quote, or unterminated before a line break (a `\`
 * right before the break is its last character).
 */
function stringEnd(text: string, i: number, end: number): number {
  for (i++; i < end; i++) {
    const q = text.charCodeAt(i);
    if (q === 34) return i;
    if (q === 10 || q === 13) return i - 1;
    if (q === 92 /* \ */) {
      const next = i + 1 < end ? text.charCodeAt(i + 1) : 10;
      if (next === 10 || next === 13) return i;
      i++;
    }
  }
  return end - 1;
}

/** The top-level keyword the line begins with (in column 1), if any. */
function topLevelKeyword(text: string, start: number, end: number): string | undefined {
  const first = text.charCodeAt(start);
  if (first < 97 || first > 122) return undefined;
  let i = start + 1;
  while (i < end && isWordChar(text.charCodeAt(i))) i++;
  const word = text.slice(start, i);
  return TOP_LEVEL.has(word) ? word : undefined;
}

function isWordChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 45 || c === 95;
}

function lineHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h ^ (h >>> 16)) >>> 0;
}
