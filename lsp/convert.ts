// Plumb's values in LSP's terms: spans become ranges and locations, diagnostics become LSP
// diagnostics (with the hint and the edits of the diagnostic's fix kept in `data` for quick fixes).
// The only place besides the handlers where LSP types meet the front end's.

import type { Diagnostic as PlumbDiagnostic, Severity, Span } from '../language/diagnostic.js';
import {
  DiagnosticSeverity,
  type Diagnostic,
  type DiagnosticRelatedInformation,
  type Location,
  type Range,
} from 'vscode-languageserver';
import type { Project, ProjectFile } from './workspace.js';

/** What a quick fix needs from a diagnostic, carried in its `data`. */
export interface DiagnosticData {
  hint?: string;
  /** The edits that do what the hint proposes (the diagnostic's `fix`), in the same document. */
  fix?: { range: Range; newText: string }[];
}

/**
 * A span's range. Spans carry 1-based lines and UTF-16 columns, which are LSP's positions plus
 * one: no need to index the file's lines (a large file is not scanned to publish one diagnostic).
 */
export function spanRange(span: Span, _file?: ProjectFile): Range {
  return {
    start: { line: span.start.line - 1, character: span.start.column - 1 },
    end: { line: span.end.line - 1, character: span.end.column - 1 },
  };
}

export function spanLocation(span: Span, project: Project): Location | undefined {
  const file = project.fileByName(span.file);
  return file ? { uri: file.uri, range: spanRange(span, file) } : undefined;
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

export function toLspDiagnostic(d: PlumbDiagnostic, file: ProjectFile, project: Project): Diagnostic {
  const related: DiagnosticRelatedInformation[] = [];
  for (const r of d.related) {
    const location = spanLocation(r.span, project);
    if (location) related.push({ location, message: r.message });
  }
  const data: DiagnosticData = {};
  if (d.hint) data.hint = d.hint;
  // A fix edits the file the diagnostic is in; any other edit would be a bug, and is left out.
  const edits = d.fix?.filter((edit) => edit.replace.file === d.span.file && d.span.file === file.name) ?? [];
  if (edits.length > 0) data.fix = edits.map((edit) => ({ range: spanRange(edit.replace, file), newText: edit.with }));
  return {
    range: d.span.file === file.name ? spanRange(d.span, file) : { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: SEVERITY[d.severity],
    code: d.code,
    source: 'plumb',
    // A diagnostic of another file (the folder's plumb.lock) is shown at the top of this one,
    // and says where it is.
    message: `${d.span.file === file.name ? '' : `${d.span.file}:${d.span.start.line}: `}${d.hint ? `${d.message}\n${d.hint}` : d.message}`,
    ...(related.length > 0 ? { relatedInformation: related } : {}),
    ...(Object.keys(data).length > 0 ? { data } : {}),
  };
}
