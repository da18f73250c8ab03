// Quick fixes: a diagnostic whose hint proposes a name ("did you mean `web`?") offers to
// replace the misspelt name with it. The proposal travels in the LSP diagnostic's `data`. The
// client's ranges are clamped to the document, and the edit replaces the clamped range.

import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver';
import type { DiagnosticData } from './convert.js';
import { MAX_NEW_NAME_LENGTH } from './limits.js';
import type { ProjectFile } from './workspace.js';

export function quickFixes(file: ProjectFile, uri: string, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    const data = d.data as DiagnosticData | undefined;
    if (!data || typeof data.suggestion !== 'string') continue;
    const start = file.lines.offsetAt(d.range.start);
    const end = file.lines.offsetAt(d.range.end);
    // A name is replaced by a name: a longer range or proposal is not one of our diagnostics.
    if (end - start > MAX_NEW_NAME_LENGTH || data.suggestion.length > MAX_NEW_NAME_LENGTH) continue;
    const range = { start: file.lines.positionAt(start), end: file.lines.positionAt(end) };
    const current = file.text.slice(start, end);
    let replacement = data.suggestion;
    // A device written `site.dev` has its diagnostic on `dev` alone: keep the written site.
    const dot = replacement.lastIndexOf('.');
    const site = replacement.slice(0, dot + 1);
    if (dot >= 0 && start >= site.length && file.text.startsWith(site, start - site.length)) replacement = replacement.slice(dot + 1);
    if (replacement === current) continue;
    out.push({
      title: `Replace \`${current}\` with \`${replacement}\``,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      edit: { changes: { [uri]: [{ range, newText: replacement }] } },
    });
  }
  return out;
}
