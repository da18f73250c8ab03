// The language server's one door into the language front end (language/): parse a file, check
// parsed files as one intent, format one file. The rest of lsp/ sees only these functions and
// the contract types, so the front end can change inside without touching the server.

import type { Diagnostic } from '../language/diagnostic.js';
import type { ParseResult } from '../language/ast.js';
import { analyzeParsed, type Analysis } from '../language/analyze.js';
import { parse } from '../language/parser.js';

export type { Analysis };

export interface FormatResult {
  /** The formatted text; absent when the file does not parse. */
  text?: string;
  diagnostics: Diagnostic[];
}

export interface FrontEnd {
  /** Parses one file (the server caches the result per file content). */
  parse(text: string, path: string): ParseResult;
  /** Resolves and checks parsed files as one intent. */
  analyzeParsed(parsed: readonly ParseResult[]): Analysis;
  format(text: string, path: string): FormatResult;
}

type FormatModule = { formatText(text: string, path: string): FormatResult };

/**
 * Loads the front end. The formatter is imported by a computed specifier so that the server
 * builds and runs while it is not yet part of the build (formatting then changes nothing).
 */
export async function loadFrontEnd(): Promise<FrontEnd> {
  const formatModule = await importOptional<FormatModule>('../language/format.js');
  return {
    parse,
    analyzeParsed: (parsed) => analyzeParsed([...parsed]),
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
