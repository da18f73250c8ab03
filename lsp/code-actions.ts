// Quick fixes: a diagnostic whose hint proposes one exact text ("did you mean `web`?") carries
// the edits that write it (the front end's structured `fix`), which travel in the LSP
// diagnostic's `data` and come back with the request. They come from the client, so their shape
// is checked and their ranges are clamped to the document; the edit replaces the clamped range.

import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver';
import type { DiagnosticData } from './convert.js';
import { MAX_NEW_NAME_LENGTH } from './limits.js';
import type { ProjectFile } from './workspace.js';

/** Most edits one fix may make: the front end's fixes make one. */
const MAX_FIX_EDITS = 8;

export function quickFixes(file: ProjectFile, uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const edits = fixEdits(file, d.data);
    if (!edits || edits.length === 0) continue;
    const first = edits[0]!;
    const current = file.text.slice(file.lines.offsetAt(first.range.start), file.lines.offsetAt(first.range.end));
    if (edits.length === 1 && first.newText === current) continue;
    out.push({
      title: edits.length === 1 ? `Replace \`${current}\` with \`${first.newText}\`` : ((d.data as DiagnosticData).hint ?? 'Apply the fix'),
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [uri]: edits } },
    });
  }
  return out;
}

/** The fix's edits with their ranges clamped to the document, or undefined when `data` carries none of ours. */
function fixEdits(file: ProjectFile, data: unknown): TextEdit[] | undefined {
  const fix = (data as DiagnosticData | undefined)?.fix;
  if (!Array.isArray(fix) || fix.length > MAX_FIX_EDITS) return undefined;
  const edits: TextEdit[] = [];
  for (const edit of fix as unknown[]) {
    const { range, newText } = (edit ?? {}) as Partial<TextEdit>;
    if (typeof newText !== 'string' || !isPosition(range?.start) || !isPosition(range?.end)) return undefined;
    const start = file.lines.offsetAt(range.start);
    const end = file.lines.offsetAt(range.end);
    // A name is replaced by a name: a longer range or text is not one of our fixes.
    if (end < start || end - start > MAX_NEW_NAME_LENGTH || newText.length > MAX_NEW_NAME_LENGTH) return undefined;
    edits.push({ range: { start: file.lines.positionAt(start), end: file.lines.positionAt(end) }, newText });
  }
  return edits;
}

function isPosition(p: unknown): p is { line: number; character: number } {
  const position = p as { line?: unknown; character?: unknown } | undefined;
  return typeof position?.line === 'number' && typeof position.character === 'number' && Number.isFinite(position.line) && Number.isFinite(position.character);
}
