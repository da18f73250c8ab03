// docs/editors.md's table of the language server's limits says what lsp/limits.ts says: every
// limit has its row, with its value, and a new limit cannot be added without one.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MAX_SOURCE_BYTES, MAX_TOTAL_SOURCE_BYTES } from '../../pipeline/sources.js';
import * as limits from '../../lsp/limits.js';
import { ROOT } from './harness.js';

const DOC = readFileSync(join(ROOT, 'docs/editors.md'), 'utf8');
const TABLE = DOC.slice(DOC.indexOf('| limit | value | past it |'), DOC.indexOf('\n\n', DOC.indexOf('| limit | value | past it |')));

/** Each limit and the start of its row. */
const ROWS: Record<keyof typeof limits, string> = {
  MAX_DOCUMENT_BYTES: '| size of one document or disk file |',
  MAX_INTENT_BYTES: '| size of one intent',
  MAX_MESSAGE_BYTES: '| size of one JSON-RPC message |',
  MAX_URI_LENGTH: '| length of a URI |',
  MAX_CONTENT_CHANGES: '| changes in one `didChange` |',
  MAX_CODE_ACTION_DIAGNOSTICS: '| diagnostics in one `codeAction` request |',
  MAX_NEW_NAME_LENGTH: "| length of a rename's new name |",
  MAX_OUTLINE_SYMBOLS: '| outline symbols',
  MAX_OUTLINE_TEXT: '| characters of one outline name or detail |',
  MAX_SEMANTIC_TOKENS: '| semantic tokens of one document |',
  MAX_REFERENCES: '| locations of `references` |',
  MAX_RENAME_EDITS: '| uses changed by one rename |',
  MAX_COMPLETION_ITEMS: '| completion items |',
  MAX_WORKSPACE_SYMBOLS: '| symbols of `workspace/symbol` |',
  MAX_SYMBOL_QUERY_LENGTH: '| length of a `workspace/symbol` query |',
};

describe('docs/editors.md: the language server limits', () => {
  it('has a row for every limit, with its value', () => {
    expect(TABLE.length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(limits)) {
      const start = ROWS[name as keyof typeof limits];
      expect(start, `${name} has no row in the test's list`).toBeDefined();
      const row = TABLE.split('\n').find((line) => line.startsWith(start));
      expect(row, `no row for ${name}`).toBeDefined();
      if (name === 'MAX_MESSAGE_BYTES') {
        expect(row).toContain(`${limits.MAX_MESSAGE_BYTES / limits.MAX_DOCUMENT_BYTES} times the limit for one file`);
      } else if (name === 'MAX_DOCUMENT_BYTES' || name === 'MAX_INTENT_BYTES') {
        expect(row).toContain("the CLI's limit");
      } else {
        expect(row!.split('|')[2]!.trim()).toMatch(new RegExp(`^${value.toLocaleString('en-US')}( characters)?$`));
      }
    }
  });

  it('uses the CLI limits for documents and intents', () => {
    expect(limits.MAX_DOCUMENT_BYTES).toBe(MAX_SOURCE_BYTES);
    expect(limits.MAX_INTENT_BYTES).toBe(MAX_TOTAL_SOURCE_BYTES);
  });
});
