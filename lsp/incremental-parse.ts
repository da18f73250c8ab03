// Incremental parsing for large files: a file is cut into chunks of whole top-level
// declarations (chunks.ts), each chunk is parsed alone and its result kept by its text. After an
// edit only the chunks whose text changed are parsed again; the others are reused, their spans
// shifted in place to their new offsets. The result equals a parse of the whole text (the tests
// check it): chunks are cut only where the parser is at the top level with nothing pending.
//
// A policy block with a layout (chunks.ts) is parsed in pieces: its frame (the chunk without the
// body: the `policy` line, the `}` line and the declarations after it) and the runs of rules of
// its body (language/parse-members.ts), each kept by its text. An edit in a rule re-parses its
// run; the policy is then a new object holding the rules of every run (the runs it did not touch
// keep their objects), and stays the same object while neither its frame nor any run changed (the
// resolver's and the checks' memos replay what an unchanged declaration reported). A run that a
// whole parse would read otherwise (a top-level declaration inside the block) leaves the chunk to
// a parse of its own.
//
// The whole text is parsed instead when a report names a line number (written relative to its
// piece) or the reports reach the parser's limit per file (past it, reports are only counted,
// and which ones depends on the order the whole parse met them).

import type { Declaration, ParseResult, PolicyDecl, PolicyRule } from '../language/ast.js';
import { compareDiagnostics, type Diagnostic, type Position } from '../language/diagnostic.js';
import { splitChunks, type BlockLayout, type Chunk } from './chunks.js';
import { MAX_DIAGNOSTICS_PER_FILE, type BlockMembers } from './frontend.js';

export { splitChunks } from './chunks.js';

const LINE_NUMBER = /\bline \d/;
/** Below this size a file is parsed whole: chunks would not pay for themselves. */
const MIN_CHUNKED_LENGTH = 16 * 1024;

export type ParseFunction = (text: string, path: string) => ParseResult;
export type ParseMembersFunction = (text: string, path: string, kind: 'policy') => BlockMembers | undefined;

/** Position objects that move together, and where they say their text starts now. */
interface Placed {
  positions: Position[];
  offset: number;
  line: number;
}

/** A chunk parsed alone. */
interface ChunkPiece extends Placed {
  result: ParseResult;
}

/** A run of a policy's rules parsed alone; `members` undefined when the block must be parsed whole. */
interface RunPiece extends Placed {
  members: BlockMembers | undefined;
}

/** A policy chunk without its body, parsed alone: the part before the body and the part after move apart. */
interface FramePiece {
  result: ParseResult;
  head: Placed;
  tail: Placed;
  /** The policy as the frame parsed it (no rules); undefined when the frame did not parse as one policy. */
  decl: PolicyDecl | undefined;
  /** For each list of the file, the index of its first item after the body. */
  tailFrom: Map<string, number>;
  /** The policy last built on this frame, and the runs it holds. */
  built?: { runs: RunPiece[]; decl: PolicyDecl };
}

/** Pieces by their text, in the order they were used: the pieces of the last parse and of this one. */
class Pieces<T> {
  private last = new Map<string, T[]>();
  private next = new Map<string, T[]>();

  take(text: string): T | undefined {
    return this.last.get(text)?.shift();
  }

  keep(text: string, piece: T): void {
    const list = this.next.get(text);
    if (list) list.push(piece);
    else this.next.set(text, [piece]);
  }

  /** The parse is done: what it kept is what the next one may take. */
  turn(): void {
    this.last = this.next;
    this.next = new Map();
  }

  clear(): void {
    this.last = new Map();
    this.next = new Map();
  }
}

/** The lists of the file being put together, and its reports. */
class Assembly {
  readonly lists = new Map<string, unknown[]>();
  readonly diagnostics: Diagnostic[] = [];

  list(key: string): unknown[] {
    let into = this.lists.get(key);
    if (!into) this.lists.set(key, (into = []));
    return into;
  }

  add(key: string, items: readonly unknown[], from = 0, to = items.length): void {
    if (from >= to) return;
    const into = this.list(key);
    for (let i = from; i < to; i++) into.push(items[i]);
  }

  report(diagnostics: readonly Diagnostic[]): void {
    for (const d of diagnostics) this.diagnostics.push(d);
  }
}

/** Parses successive versions of one file, reusing the pieces that did not change. */
export class IncrementalParser {
  private readonly chunks = new Pieces<ChunkPiece>();
  private readonly frames = new Pieces<FramePiece>();
  private readonly runs = new Pieces<RunPiece>();

  /** Without `parseMembers`, a policy block is parsed whole with its chunk. */
  constructor(
    private readonly parseText: ParseFunction,
    private readonly path: string,
    private readonly parseMembers?: ParseMembersFunction,
  ) {}

  parse(text: string): ParseResult {
    const chunks = text.length < MIN_CHUNKED_LENGTH ? [] : splitChunks(text);
    if (chunks.length === 0 || (chunks.length === 1 && !(chunks[0]!.block && this.parseMembers))) {
      this.chunks.clear();
      this.frames.clear();
      this.runs.clear();
      return this.parseText(text, this.path);
    }
    // Every list of the file (declarations, comments, and any the parser adds) is the
    // concatenation of the pieces' lists, in order.
    const out = new Assembly();
    for (const chunk of chunks) {
      const chunkText = text.slice(chunk.start, chunk.end);
      if (chunk.block && this.parseMembers && this.addBlock(text, chunkText, chunk, chunk.block, out)) continue;
      let piece = this.chunks.take(chunkText);
      if (!piece) {
        const result = this.parseText(chunkText, this.path);
        piece = { result, positions: collectPositions([result.file, result.diagnostics]), offset: 0, line: 0 };
      }
      place(piece, chunk.start, chunk.line);
      this.chunks.keep(chunkText, piece);
      for (const [key, value] of Object.entries(piece.result.file)) if (Array.isArray(value)) out.add(key, value);
      out.report(piece.result.diagnostics);
    }
    this.chunks.turn();
    this.frames.turn();
    this.runs.turn();
    const diagnostics = out.diagnostics;
    if (diagnostics.length >= MAX_DIAGNOSTICS_PER_FILE || diagnostics.some((d) => LINE_NUMBER.test(d.message) || LINE_NUMBER.test(d.hint ?? ''))) {
      return this.parseText(text, this.path);
    }
    diagnostics.sort(compareDiagnostics);
    const file: ParseResult['file'] = { kind: 'file', path: this.path, text, declarations: [], comments: [] };
    const record = file as unknown as Record<string, unknown>;
    for (const [key, value] of out.lists) if (value.length > 0 || key === 'declarations' || key === 'comments') record[key] = value;
    return { file, diagnostics };
  }

  /** A policy chunk from its frame and runs; false (nothing added) when it must be parsed as a chunk. */
  private addBlock(text: string, chunkText: string, chunk: Chunk, layout: BlockLayout, out: Assembly): boolean {
    const bodyStart = layout.runStarts[0]! - chunk.start;
    const bodyEnd = layout.bodyEnd - chunk.start;
    const frameText = chunkText.slice(0, bodyStart) + chunkText.slice(bodyEnd);
    const frame = this.frames.take(frameText) ?? this.parseFrame(frameText, bodyStart);
    this.frames.keep(frameText, frame);
    const runs: RunPiece[] = [];
    let whole = frame.decl === undefined;
    const starts = layout.runStarts;
    for (let k = 0; k < starts.length; k++) {
      const runText = text.slice(starts[k], k + 1 < starts.length ? starts[k + 1] : layout.bodyEnd);
      let run = this.runs.take(runText);
      if (!run) {
        const members = this.parseMembers!(runText, this.path, 'policy');
        run = { members, positions: members ? collectPositions([members.items, members.comments, members.incompleteNames, members.diagnostics]) : [], offset: 0, line: 0 };
      }
      this.runs.keep(runText, run);
      if (!run.members) whole = true;
      runs.push(run);
    }
    if (whole) return false;
    place(frame.head, chunk.start, chunk.line);
    place(frame.tail, layout.bodyEnd, layout.closeLine);
    for (let k = 0; k < runs.length; k++) place(runs[k]!, starts[k]!, layout.runLines[k]!);
    const built = frame.built;
    let decl: PolicyDecl;
    if (built && built.runs.length === runs.length && built.runs.every((r, k) => r === runs[k])) {
      decl = built.decl;
    } else {
      const rules: PolicyRule[] = [];
      for (const run of runs) for (const item of run.members!.items) rules.push(item as PolicyRule);
      decl = { ...frame.decl!, rules };
      frame.built = { runs, decl };
    }
    // Each list: the frame's items before the body, the runs', then the frame's after it.
    const lists = Object.entries(frame.result.file).filter((e): e is [string, unknown[]] => Array.isArray(e[1]));
    for (const [key, items] of lists) {
      const from = frame.tailFrom.get(key)!;
      if (key === 'declarations') {
        out.list(key).push(decl);
        out.add(key, items, 1, from);
      } else out.add(key, items, 0, from);
    }
    for (const run of runs) {
      out.add('comments', run.members!.comments);
      out.add('incompleteNames', run.members!.incompleteNames);
    }
    for (const [key, items] of lists) out.add(key, items, frame.tailFrom.get(key)!);
    out.report(frame.result.diagnostics);
    for (const run of runs) out.report(run.members!.diagnostics);
    return true;
  }

  private parseFrame(frameText: string, bodyStart: number): FramePiece {
    const result = this.parseText(frameText, this.path);
    const head: Placed = { positions: [], offset: 0, line: 0 };
    const tail: Placed = { positions: [], offset: bodyStart, line: lineCount(frameText, bodyStart) };
    for (const p of collectPositions([result.file, result.diagnostics])) (p.offset < bodyStart ? head : tail).positions.push(p);
    const tailFrom = new Map<string, number>();
    let spanned = true;
    for (const [key, value] of Object.entries(result.file)) {
      if (!Array.isArray(value)) continue;
      const items = value as { span?: { start: Position } }[];
      if (!items.every((item) => item.span !== undefined)) spanned = false;
      const from = items.findIndex((item) => item.span!.start.offset >= bodyStart);
      tailFrom.set(key, from < 0 ? items.length : from);
    }
    const first: Declaration | undefined = result.file.declarations[0];
    const decl = spanned && first?.kind === 'policy' && first.rules.length === 0 && first.span.start.offset === 0 && tailFrom.get('declarations')! >= 1 ? first : undefined;
    return { result, head, tail, decl, tailFrom };
  }
}

/** Moves the positions to say their text starts at `offset`, on `line`. */
function place(placed: Placed, offset: number, line: number): void {
  if (placed.offset === offset && placed.line === line) return;
  const offsetDelta = offset - placed.offset;
  const lineDelta = line - placed.line;
  for (const p of placed.positions) {
    p.offset += offsetDelta;
    p.line += lineDelta;
  }
  placed.offset = offset;
  placed.line = line;
}

/** The number of line breaks in text[0, end). */
function lineCount(text: string, end: number): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Every position object under the roots, each once (the parser may share them). */
function collectPositions(roots: readonly unknown[]): Position[] {
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
  for (const root of roots) visit(root);
  return out;
}
