// The language server's one door into the language front end (language/): parse a file (or
// some lines of a block's body, for the incremental parse), check parsed files as one intent,
// format one file, and the grammar's statement keywords. The rest of lsp/ sees only these and
// the contract types, so the front end can change inside without touching the server.

import type { Diagnostic } from '../language/diagnostic.js';
import type { ParseResult } from '../language/ast.js';
import { analyzeParsed, type Analysis, type AnalyzeOptions, type ModuleReading } from '../language/analyze.js';
import { formatText } from '../language/format.js';
import { parse } from '../language/parser.js';
import { parseBlockMembers, type BlockMembers } from '../language/parse-members.js';

export type { Analysis, AnalyzeOptions, BlockMembers, ModuleReading };

/** The lexer's limit on a line (longer lines are not read) and the parser's on a file's reports: the incremental parse follows both. */
export { MAX_DIAGNOSTICS_PER_FILE, MAX_LINE_LENGTH } from '../language/limits.js';

/** What a project's last resolution keeps for its next one (language/resolve-memo.ts). */
export { ResolveMemo } from '../language/resolve-memo.js';
/** What a project's last analysis's checks keep for its next one (language/check-memo.ts). */
export { CheckMemo } from '../language/check-memo.js';

// The statement keywords the parser itself uses: the editor's completion and name checks
// (vocabulary.ts) offer exactly what the grammar accepts.
export { BLOCK_KEYWORDS, TOP_LEVEL_KEYWORDS } from '../language/parser.js';
export { CONTRACT_KEYWORDS, IMPLEMENTS_KEYWORDS } from '../language/parse-contracts.js';

export interface FormatResult {
  /** The formatted text; absent when the file does not parse. */
  text?: string;
  diagnostics: Diagnostic[];
}

/** The path an import names, from the importing file's path (language/module-paths.ts). */
export { importedPath } from '../language/module-paths.js';
export { stringValue } from '../language/parser.js';

/** The allocation lock's file name: a project reads its folder's lock with its files. */
export { LOCK_FILE_NAME } from '../language/lock.js';

export interface FrontEnd {
  /** Parses one file (the server caches the result per file content). */
  parse(text: string, path: string): ParseResult;
  /** Parses some lines of a policy block's body (language/parse-members.ts); undefined where the block must be parsed whole. */
  parseBlockMembers(text: string, path: string, kind: 'policy'): BlockMembers | undefined;
  /** Resolves and checks parsed files as one intent, with the folder's plumb.lock when it has one. */
  analyzeParsed(parsed: readonly ParseResult[], lock?: readonly { path: string; text: string }[], modules?: ModuleReading, options?: AnalyzeOptions): Analysis;
  format(text: string, path: string): FormatResult;
}

/** The front end the server uses: the language's own parse, check and format. */
export async function loadFrontEnd(): Promise<FrontEnd> {
  return {
    parse,
    parseBlockMembers,
    analyzeParsed: (parsed, lock = [], modules, options) => analyzeParsed([...parsed], lock, modules, options),
    format: (text, path) => formatText(text, path),
  };
}
