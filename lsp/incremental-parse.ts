// Incremental parsing for large files: a file is cut into chunks of whole top-level
// declarations, each chunk is parsed alone and its result kept by its text. After an edit only
// the chunks whose text changed are parsed again; the others are reused, their spans shifted in
// place to their new offsets. The result equals a parse of the whole text (the tests check it):
// chunks are cut only where the parser is at the top level with nothing pending.
//
// Where a cut is safe: at the start of a line that begins (in column 1) with a top-level keyword,
// outside any `{ }` block, when the previous line of code does not end with `,` `->` `:` or `=`
// (after those a statement continues on the next line). Which safe places become cuts depends
// only on the line's own text (a hash), so an edit moves no cut but its own. A `policy` line
// is always a cut: a policy block is the longest declaration and the one most edited, and in a
// chunk of its own an edit inside it leaves the declarations around it the same objects (the
// resolver's and the checks' memos replay what those reported).

import type { ParseResult } from '../language/ast.js';
import { compareDiagnostics, type Position } from '../language/diagnostic.js';

const TOP_LEVEL = new Set(['network', 'routing', 'pool', 'site', 'link', 'segment', 'host', 'group', 'external', 'service', 'policy', 'assert', 'survive']);
const LINE_NUMBER = /\bline \d/;
/** About one safe place in CUT_EVERY becomes a cut. */
const CUT_EVERY = 8;
/** Lines after which a chunk is cut at the next safe place whatever its hash. */
const MAX_CHUNK_LINES = 256;
/** Below this size a file is parsed whole: chunks would not pay for themselves. */
const MIN_CHUNKED_LENGTH = 16 * 1024;

interface Chunk {
  start: number;
  end: number;
  /** 0-based line of `start`. */
  line: number;
}

interface CachedChunk {
  result: ParseResult;
  /** Every position object of the result, once each: shifting is one pass over this list. */
  positions: Position[];
  /** Where the result's spans currently say the chunk starts. */
  offset: number;
  line: number;
}

export type ParseFunction = (text: string, path: string) => ParseResult;

/** Parses successive versions of one file, reusing the chunks that did not change. */
export class IncrementalParser {
  private cache = new Map<string, CachedChunk[]>();

  constructor(
    private readonly parseText: ParseFunction,
    private readonly path: string,
  ) {}

  parse(text: string): ParseResult {
    const chunks = text.length < MIN_CHUNKED_LENGTH ? [] : splitChunks(text);
    if (chunks.length <= 1) {
      this.cache.clear();
      return this.parseText(text, this.path);
    }
    const next = new Map<string, CachedChunk[]>();
    // Every list of the file (declarations, comments, and any the parser adds) is the
    // concatenation of the chunks' lists, in order.
    const lists = new Map<string, unknown[]>();
    const diagnostics: ParseResult['diagnostics'] = [];
    for (const chunk of chunks) {
      const chunkText = text.slice(chunk.start, chunk.end);
      let cached = this.cache.get(chunkText)?.pop();
      if (!cached) {
        const result = this.parseText(chunkText, this.path);
        cached = { result, positions: collectPositions(result), offset: 0, line: 0 };
      }
      if (cached.offset !== chunk.start || cached.line !== chunk.line) {
        const offsetDelta = chunk.start - cached.offset;
        const lineDelta = chunk.line - cached.line;
        for (const p of cached.positions) {
          p.offset += offsetDelta;
          p.line += lineDelta;
        }
        cached.offset = chunk.start;
        cached.line = chunk.line;
      }
      let list = next.get(chunkText);
      if (!list) next.set(chunkText, (list = []));
      list.push(cached);
      for (const [key, value] of Object.entries(cached.result.file)) {
        if (!Array.isArray(value)) continue;
        let into = lists.get(key);
        if (!into) lists.set(key, (into = []));
        for (const item of value) into.push(item);
      }
      for (const d of cached.result.diagnostics) diagnostics.push(d);
    }
    this.cache = next;
    // A message that names a line number was written relative to its chunk: parse whole.
    if (diagnostics.some((d) => LINE_NUMBER.test(d.message) || LINE_NUMBER.test(d.hint ?? ''))) return this.parseText(text, this.path);
    diagnostics.sort(compareDiagnostics);
    const file: ParseResult['file'] = { kind: 'file', path: this.path, text, declarations: [], comments: [] };
    const record = file as unknown as Record<string, unknown>;
    for (const [key, value] of lists) if (value.length > 0 || key === 'declarations' || key === 'comments') record[key] = value;
    return { file, diagnostics };
  }
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
  for (let start = 0; start < text.length; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    if (
      depth === 0 &&
      !continues &&
      start > chunkStart &&
      (keyword = topLevelKeyword(text, start, end)) !== undefined &&
      (keyword === 'policy' || line - chunkLine >= MAX_CHUNK_LINES || lineHash(text, start, end) % CUT_EVERY === 0)
    ) {
      chunks.push({ start: chunkStart, end: start, line: chunkLine });
      chunkStart = start;
      chunkLine = line;
    }
    // The line's code: braces outside strings and comments, and its last character.
    let last = -1;
    for (let i = start; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 35 /* # */) break;
      if (c === 34 /* " */) {
        for (i++; i < end; i++) {
          const q = text.charCodeAt(i);
          if (q === 92 /* \ */) i++;
          else if (q === 34 || q === 10 || q === 13) break;
        }
        last = 34;
        continue;
      }
      if (c === 123) depth++;
      else if (c === 125) depth = Math.max(0, depth - 1);
      if (c !== 32 && c !== 9 && c !== 10 && c !== 13) last = c;
    }
    // After `,` `->` `:` or `=` a statement continues on the next line.
    if (last >= 0) continues = last === 44 || last === 62 || last === 58 || last === 61;
    start = end;
  }
  chunks.push({ start: chunkStart, end: text.length, line: chunkLine });
  return chunks;
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

/** Every position object in a parse result, each once (the parser may share them). */
function collectPositions(result: ParseResult): Position[] {
  const seen = new Set<object>();
  const out: Position[] = [];
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.offset === 'number' && typeof record.line === 'number' && typeof record.column === 'number') {
      out.push(record as unknown as Position);
      return;
    }
    for (const key in record) {
      if (key !== 'text') visit(record[key]);
    }
  };
  visit(result.file);
  visit(result.diagnostics);
  return out;
}
