// The language server's limits, in one place: how large a document it analyses, how much of a
// client's message it accepts, and how many items one answer holds. Each bounds the time and
// memory of one request on any input; docs/editors.md lists them (a test keeps it true).

import { MAX_SOURCE_BYTES, MAX_TOTAL_SOURCE_BYTES } from '../pipeline/sources.js';

/**
 * The largest document analysed, in UTF-8 bytes: the CLI's limit, so that the editor and
 * `plumb check` agree. A larger document gets one diagnostic saying so instead of an analysis.
 */
export const MAX_DOCUMENT_BYTES = MAX_SOURCE_BYTES;

/**
 * The largest intent analysed, all files of a folder together (the CLI's limit too): files past
 * it, by name, take part as empty files with one diagnostic saying so.
 */
export const MAX_INTENT_BYTES = MAX_TOTAL_SOURCE_BYTES;

/**
 * Largest JSON-RPC message read, in bytes: room for a document of the largest size with every
 * character escaped (`\u0001` is six bytes). A larger message is dropped unread (message-limit.ts).
 */
export const MAX_MESSAGE_BYTES = 8 * MAX_DOCUMENT_BYTES;

/** Longest URI accepted (a path of 4,096 bytes, every byte percent-encoded, fits). */
export const MAX_URI_LENGTH = 16 * 1024;

/** Most content changes in one didChange (each costs a pass over the document's line table). */
export const MAX_CONTENT_CHANGES = 10_000;

/** Most diagnostics a codeAction request may carry (the server publishes at most 1,001 per file). */
export const MAX_CODE_ACTION_DIAGNOSTICS = 10_000;

/** Longest new name a rename accepts. */
export const MAX_NEW_NAME_LENGTH = 1_000;

/** Most symbols in a document's outline, children included; the last one says what is left out. */
export const MAX_OUTLINE_SYMBOLS = 10_000;

/** Longest name or detail of one outline symbol, in characters. */
export const MAX_OUTLINE_TEXT = 200;

/** Most semantic tokens of one document; names after the last one keep the grammar's colours. */
export const MAX_SEMANTIC_TOKENS = 100_000;

/** Most locations in a references answer (the first ones by file and position). */
export const MAX_REFERENCES = 10_000;

/** Most edits of one rename; a name used more often is not renamed (a partial rename would break the intent). */
export const MAX_RENAME_EDITS = 50_000;

/** Most items in a completion answer; a longer list is cut to the items matching the typed word and marked incomplete. */
export const MAX_COMPLETION_ITEMS = 1_000;

/** Most symbols in a `workspace/symbol` answer (the best matches first). */
export const MAX_WORKSPACE_SYMBOLS = 1_000;

/** Longest query a `workspace/symbol` request accepts (names are short; matching is linear in it). */
export const MAX_SYMBOL_QUERY_LENGTH = 1_000;
