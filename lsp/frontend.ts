// The language server's one door into the language front end (language/): analyze a set of
// sources, format one file. Everything else in lsp/ sees only these functions and the contract
// types, so the front end can change inside without touching the server.

import type { Diagnostic } from '../language/diagnostic.js';
import type { SourceFile } from '../language/ast.js';
import type { CheckedIntent } from '../language/intent.js';
import type { SymbolTable } from '../language/symbols.js';

export interface SourceText {
  path: string;
  text: string;
}

/** What the front end knows about one intent (a set of files). */
export interface Analysis {
  files: SourceFile[];
  intent?: CheckedIntent;
  symbols: SymbolTable;
  diagnostics: Diagnostic[];
}

export interface FormatResult {
  /** The formatted text; absent when the file does not parse. */
  text?: string;
  diagnostics: Diagnostic[];
}

export interface FrontEnd {
  analyze(sources: readonly SourceText[]): Analysis;
  format(text: string, path: string): FormatResult;
}

type AnalyzeModule = { analyze(sources: SourceText[]): Analysis };
type FormatModule = { formatText(text: string, path: string): FormatResult };

/**
 * Loads the front end. The modules are imported by computed specifiers so that the server builds
 * and starts even while the front end is incomplete: a missing module gives an empty analysis.
 */
export async function loadFrontEnd(): Promise<FrontEnd> {
  const analyzeModule = await importOptional<AnalyzeModule>('../language/analyze.js');
  const formatModule = await importOptional<FormatModule>('../language/format.js');
  return {
    analyze: (sources) =>
      analyzeModule
        ? analyzeModule.analyze([...sources])
        : { files: [], symbols: { definitions: [], references: [] }, diagnostics: [] },
    format: (text, path) => (formatModule ? formatModule.formatText(text, path) : { diagnostics: [] }),
  };
}

async function importOptional<T>(specifier: string): Promise<T | undefined> {
  try {
    return (await import(new URL(specifier, import.meta.url).href)) as T;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND') return undefined;
    throw err;
  }
}
