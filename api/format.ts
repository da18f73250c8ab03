// `format`: the intent's files in the one canonical layout (language/format.ts), as `plumb fmt`
// writes them; nothing is written here. A file with syntax errors is left as it is and reported
// with its diagnostics. `formatSources` is the computation, shared with the CLI's fmt command,
// which writes the files that change.

import type { Diagnostic } from '../language/diagnostic.js';
import { formatText } from '../language/format.js';
import type { SourceText } from '../pipeline/sources.js';
import { isLockPath } from '../language/lock.js';
import { readIntent, type InputOptions, type InputProblem, type IntentInput } from './input.js';
import { jsonDiagnostics, type JsonDiagnostic } from './reports.js';

export interface Formatted {
  source: SourceText;
  /** The canonical text; absent when the file has syntax errors. */
  text?: string;
  diagnostics: Diagnostic[];
}

/** Every intent file formatted; the allocation lock (plumb.lock) is the tools' to write, and left out. */
export function formatSources(sources: readonly SourceText[]): Formatted[] {
  return sources.filter((source) => !isLockPath(source.path)).map((source) => {
    const result = formatText(source.text, source.path);
    return result.text === undefined ? { source, diagnostics: result.diagnostics } : { source, text: result.text, diagnostics: result.diagnostics };
  });
}

export interface FormattedFile {
  path: string;
  /** The canonical text; absent when the file has syntax errors (see `diagnostics`). */
  text?: string;
  /** The canonical text differs from the given one (`plumb fmt --check` lists such files). */
  changed: boolean;
  diagnostics: JsonDiagnostic[];
}

export interface FormatResult {
  /** Every file could be formatted. */
  ok: boolean;
  files: FormattedFile[];
  inputProblem?: InputProblem;
}

export function format(input: IntentInput, options: InputOptions = {}): FormatResult {
  const read = readIntent(input, options);
  if ('inputProblem' in read) return { ok: false, files: [], inputProblem: read.inputProblem };
  const files = formatSources(read.sources).map((f): FormattedFile => ({
    path: f.source.path,
    ...(f.text !== undefined ? { text: f.text } : {}),
    changed: f.text !== undefined && f.text !== f.source.text,
    diagnostics: jsonDiagnostics(f.diagnostics),
  }));
  return { ok: files.every((f) => f.text !== undefined), files };
}
