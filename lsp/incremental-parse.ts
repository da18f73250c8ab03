// Incremental parsing for large files: a file is cut into chunks of whole top-level
// declarations, each chunk is parsed alone and its result kept by its text. After an edit only
// the chunks whose text changed are parsed again; the others are reused, their spans shifted in
// place to their new offsets. The result equals a parse of the whole text (the tests check it):
// chunks are cut only where the parser is at the top level with nothing pending.
//
// Where a cut is safe: at the start of a line that begins (in column 1) with a top-level keyword,
// outside any `{ }` block, when the previous line of code does not end with `,` `->` `:` or `=`
// (after those a statement continues on the next line). Which safe places become cuts depends
// only on the line's own text (a hash), so an edit moves no cut but its own.

import type { ParseResult } from '../language/ast.js';
import { compareDiagnostics, type Position } from '../language/diagnostic.js';

const TOP_LEVEL = /^(network|routing|pool|site|link|segment|host|group|external|service|policy|assert)\b/;
const CONTINUES = /(,|->|:|=)\s*$/;
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
      if (!cached) cached = { result: this.parseText(chunkText, this.path), offset: 0, line: 0 };
      if (cached.offset !== chunk.start || cached.line !== chunk.line) {
        shiftPositions(cached.result, chunk.start - cached.offset, chunk.line - cached.line);
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

/** Cuts the text into chunks at safe places (see the header). */
export function splitChunks(text: string): Chunk[] {
  const chunks: Chunk[] = [];
  let depth = 0;
  let chunkStart = 0;
  let chunkLine = 0;
  let continues = false;
  let line = 0;
  for (let start = 0; start < text.length; line++) {
    const nl = text.indexOf('\n', start);
    const end = nl < 0 ? text.length : nl + 1;
    if (
      depth === 0 &&
      !continues &&
      start > chunkStart &&
      TOP_LEVEL.test(text.slice(start, Math.min(end, start + 10))) &&
      (line - chunkLine >= MAX_CHUNK_LINES || lineHash(text, start, end) % CUT_EVERY === 0)
    ) {
      chunks.push({ start: chunkStart, end: start, line: chunkLine });
      chunkStart = start;
      chunkLine = line;
    }
    const code = scanLine(text, start, end);
    depth = Math.max(0, depth + code.depthChange);
    if (code.hasCode) continues = code.continues;
    start = end;
  }
  chunks.push({ start: chunkStart, end: text.length, line: chunkLine });
  return chunks;
}

/** Brace balance of one line outside strings and comments, and whether the statement goes on. */
function scanLine(text: string, start: number, end: number): { depthChange: number; hasCode: boolean; continues: boolean } {
  let depthChange = 0;
  let codeEnd = end;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === 35 /* # */) {
      codeEnd = i;
      break;
    }
    if (c === 34 /* " */) {
      for (i++; i < end; i++) {
        const s = text.charCodeAt(i);
        if (s === 92 /* \ */) i++;
        else if (s === 34 || s === 10 || s === 13) break;
      }
    } else if (c === 123) depthChange++;
    else if (c === 125) depthChange--;
  }
  const code = text.slice(start, codeEnd);
  const hasCode = code.trim() !== '';
  return { depthChange, hasCode, continues: hasCode && CONTINUES.test(code) };
}

function lineHash(text: string, start: number, end: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 16777619);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Moves every position in a parse result by the given offset and line deltas, each once. */
function shiftPositions(result: ParseResult, offsetDelta: number, lineDelta: number): void {
  const seen = new Set<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
      return;
    }
    const record = value as Record<string, unknown>;
    if (typeof record.offset === 'number' && typeof record.line === 'number' && typeof record.column === 'number') {
      const p = record as unknown as Position;
      p.offset += offsetDelta;
      p.line += lineDelta;
      return;
    }
    for (const key in record) {
      if (key !== 'text') visit(record[key]);
    }
  };
  visit(result.file);
  visit(result.diagnostics);
}
