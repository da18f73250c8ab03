// Questions about a file's syntax tree at an offset: which declaration holds it, which block
// (site, external, policy) it is in. Declarations are in source order, so a binary search finds them.

import type { Declaration, SourceFile } from '../language/ast.js';

/** The top-level declaration whose span contains `offset` (end inclusive), if any. */
export function declarationAt(file: SourceFile, offset: number): Declaration | undefined {
  const decls = file.declarations;
  let lo = 0;
  let hi = decls.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (decls[mid]!.span.start.offset <= offset) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  const decl = found >= 0 ? decls[found] : undefined;
  return decl && offset <= decl.span.end.offset ? decl : undefined;
}

export type BlockKind = 'site' | 'external' | 'policy' | 'contract' | 'implements';

/**
 * The block the offset is in, read from the text (the tree may be stale or partial while the
 * user types): the nearest unclosed `{` before the offset and the keyword that opened it. Braces
 * inside comments are counted too: an approximation that only completion relies on.
 */
export function enclosingBlock(text: string, offset: number): { kind: BlockKind; name?: string } | undefined {
  let depth = 0;
  for (let i = Math.min(offset, text.length) - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 125 /* } */) depth++;
    else if (c === 123 /* { */) {
      if (depth > 0) {
        depth--;
        continue;
      }
      const lineStart = text.lastIndexOf('\n', i - 1) + 1;
      const header = stripComment(text.slice(lineStart, i)).trim();
      const m = /^(?:export\s+)?(site|external|policy|contract|implements)\b\s*([A-Za-z][A-Za-z0-9_-]*)?/.exec(header);
      if (!m) return undefined;
      return { kind: m[1] as BlockKind, ...(m[2] ? { name: m[2] } : {}) };
    }
  }
  return undefined;
}

export function stripComment(line: string): string {
  const hash = line.indexOf('#');
  return hash >= 0 ? line.slice(0, hash) : line;
}
