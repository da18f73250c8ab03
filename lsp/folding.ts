// Folding ranges of one file: every declaration that spans lines (the bodies of sites,
// externals and policies, and a statement continued over several lines) and every run of two or
// more comment lines. A block folds up to the line before its closing `}`, so that the brace
// stays in view as the end of the folded header. Linear in the file.

import { FoldingRangeKind, type FoldingRange } from 'vscode-languageserver';
import type { SourceFile } from '../language/ast.js';
import type { ProjectFile } from './workspace.js';

export function foldingRanges(tree: SourceFile | undefined, file: ProjectFile): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const d of tree?.declarations ?? []) {
    const startLine = d.span.start.line - 1;
    const closesBlock = d.span.end.offset > 0 && file.text[d.span.end.offset - 1] === '}';
    const endLine = d.span.end.line - 1 - (closesBlock ? 1 : 0);
    if (endLine > startLine) out.push({ startLine, endLine });
  }
  out.push(...commentRuns(file.text));
  return out.sort((a, b) => a.startLine - b.startLine || b.endLine - a.endLine);
}

/** Runs of two or more lines that hold only a comment. */
function commentRuns(text: string): FoldingRange[] {
  const out: FoldingRange[] = [];
  let runStart = -1;
  let line = 0;
  const close = (lastLine: number): void => {
    if (runStart >= 0 && lastLine > runStart) out.push({ startLine: runStart, endLine: lastLine, kind: FoldingRangeKind.Comment });
    runStart = -1;
  };
  for (let at = 0; at <= text.length; line++) {
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    let i = at;
    while (i < end && (text[i] === ' ' || text[i] === '\t' || text[i] === '\r')) i++;
    if (i < end && text[i] === '#') {
      if (runStart < 0) runStart = line;
    } else {
      close(line - 1);
    }
    at = end + 1;
  }
  close(line - 1);
  return out;
}
