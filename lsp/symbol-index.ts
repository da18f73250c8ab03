// Answers "what is at this offset" and "where is this symbol used" from the front end's symbol
// table, in O(log n) per question: occurrences are sorted per file once per analysis.

import type { Span } from '../language/diagnostic.js';
import type { SymbolDef, SymbolTable } from '../language/symbols.js';

export interface Occurrence {
  key: string;
  span: Span;
  /** True at the name of the declaration itself. */
  declaration: boolean;
}

export class SymbolIndex {
  private readonly definitions = new Map<string, SymbolDef>();
  private readonly byFile = new Map<string, Occurrence[]>();
  private readonly byKey = new Map<string, Occurrence[]>();

  constructor(table: SymbolTable) {
    for (const def of table.definitions) {
      if (!this.definitions.has(def.key)) this.definitions.set(def.key, def);
      if (def.nameSpan) this.add({ key: def.key, span: def.nameSpan, declaration: true });
    }
    for (const ref of table.references) this.add({ key: ref.key, span: ref.span, declaration: false });
    for (const list of this.byFile.values()) {
      list.sort((a, b) => a.span.start.offset - b.span.start.offset || a.span.end.offset - b.span.end.offset);
    }
    for (const list of this.byKey.values()) list.sort(compareOccurrences);
  }

  private add(o: Occurrence): void {
    let inFile = this.byFile.get(o.span.file);
    if (!inFile) this.byFile.set(o.span.file, (inFile = []));
    inFile.push(o);
    let forKey = this.byKey.get(o.key);
    if (!forKey) this.byKey.set(o.key, (forKey = []));
    forKey.push(o);
  }

  definition(key: string): SymbolDef | undefined {
    return this.definitions.get(key);
  }

  allDefinitions(): SymbolDef[] {
    return [...this.definitions.values()];
  }

  /** Every occurrence in one file, in source order. */
  occurrencesIn(file: string): readonly Occurrence[] {
    return this.byFile.get(file) ?? [];
  }

  /** The occurrences inside a span (e.g. the names a declaration refers to), in source order. */
  occurrencesWithin(span: Span): Occurrence[] {
    const list = this.byFile.get(span.file) ?? [];
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.span.start.offset < span.start.offset) lo = mid + 1;
      else hi = mid;
    }
    const out: Occurrence[] = [];
    for (let i = lo; i < list.length && list[i]!.span.start.offset < span.end.offset; i++) out.push(list[i]!);
    return out;
  }

  /** Declaration and references of a key, sorted by file and position. */
  occurrencesOf(key: string): readonly Occurrence[] {
    return this.byKey.get(key) ?? [];
  }

  /**
   * The innermost occurrence whose span contains `offset` (a cursor just after a name still
   * counts, as editors place it there after typing).
   */
  at(file: string, offset: number): Occurrence | undefined {
    const list = this.byFile.get(file);
    if (!list || list.length === 0) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    let last = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.span.start.offset <= offset) {
        last = mid;
        lo = mid + 1;
      } else {
        hi = mid - 1;
      }
    }
    let best: Occurrence | undefined;
    // Spans may nest (a site token inside `site.device`): look back over the few that start
    // at or before the offset and keep the narrowest that contains it.
    for (let i = last; i >= 0 && i > last - 4; i--) {
      const o = list[i]!;
      if (o.span.start.offset <= offset && offset <= o.span.end.offset) {
        if (!best || o.span.end.offset - o.span.start.offset < best.span.end.offset - best.span.start.offset) best = o;
      }
    }
    return best;
  }
}

function compareOccurrences(a: Occurrence, b: Occurrence): number {
  if (a.span.file !== b.span.file) return a.span.file < b.span.file ? -1 : 1;
  return a.span.start.offset - b.span.start.offset;
}
