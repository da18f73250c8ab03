// Answers whose size grows with the document are bounded (lsp/limits.ts), and a document of the
// largest size analysed gets each of them in bounded time: outline, semantic tokens, references,
// rename, completion and hover on the worst shapes of text (one block of links, one policy of
// rules, as many as the limit allows). A document of 10 MB is answered at once, unanalysed. The
// times are printed; docs/editors.md states them.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionItem, CompletionList, DocumentSymbol, Location, SemanticTokens } from 'vscode-languageserver-protocol';
import {
  MAX_COMPLETION_ITEMS,
  MAX_DOCUMENT_BYTES,
  MAX_MESSAGE_BYTES,
  MAX_OUTLINE_SYMBOLS,
  MAX_REFERENCES,
  MAX_RENAME_EDITS,
  MAX_SEMANTIC_TOKENS,
} from '../../lsp/limits.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, startServer, workspaceDir, type TestServer } from './harness.js';

/** `head`, then `line` repeated until the text is just under `bytes`. */
function filled(head: string, line: string, bytes: number): string {
  return head + line.repeat(Math.floor((bytes - head.length - 2) / line.length)) + '}\n';
}

const LIMIT = `${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`;
const LINKS = filled('network n\nsite s {\n  router a frr\n  router b frr\n', '  link a -- b\n', MAX_DOCUMENT_BYTES);
const RULES = filled(
  'network n\nsite s {\n  router a frr\n}\nsegment web 10.0.0.0/24 at s.a\nsegment db 10.0.1.0/24 at s.a\npolicy {\n',
  '  allow web -> db : https\n',
  MAX_DOCUMENT_BYTES,
);

describe('bounded answers', () => {
  let server: TestServer;
  let ws: ReturnType<typeof workspaceDir>;
  const timings: string[] = [];

  beforeAll(async () => {
    await ensureBuilt();
    ws = workspaceDir({});
    server = await startServer({ verifyOnSave: false });
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    console.log(timings.join('\n'));
    expect(await server.stop()).toBe(0);
    ws.cleanup();
  });

  const timed = async <T>(label: string, request: () => Promise<T>): Promise<T> => {
    const started = Date.now();
    const answer = await request();
    const millis = Date.now() - started;
    timings.push(`${label}: ${millis} ms`);
    return answer;
  };
  const ask = <T>(method: string, uri: string, extra: Record<string, unknown> = {}): Promise<T> =>
    server.connection.sendRequest(method, { textDocument: { uri }, ...extra });

  it(
    `answers every request on ${LIMIT} of links within the limits`,
    async () => {
      const uri = ws.uri('links.plumb');
      expect(Buffer.byteLength(LINKS)).toBeLessThanOrEqual(MAX_DOCUMENT_BYTES);
      server.open(uri, LINKS, 1);
      const links = LINKS.split('\n').length - 6;
      const symbols = await timed(`documentSymbol, ${links} links (first, with the check)`, () => ask<DocumentSymbol[]>('textDocument/documentSymbol', uri));
      const count = (list: DocumentSymbol[]): number => list.reduce((n, s) => n + 1 + count(s.children ?? []), 0);
      expect(count(symbols)).toBe(MAX_OUTLINE_SYMBOLS + 1);
      expect(symbols.at(-1)!.name).toBe(`… ${links + 2 - (MAX_OUTLINE_SYMBOLS - 2)} more symbols (the outline shows the first ${MAX_OUTLINE_SYMBOLS})`);
      await timed('documentSymbol again', () => ask('textDocument/documentSymbol', uri));
      const tokens = await timed('semanticTokens', () => ask<SemanticTokens>('textDocument/semanticTokens/full', uri));
      expect(tokens.data.length).toBe(5 * MAX_SEMANTIC_TOKENS);
      const position = { line: 2, character: 9 }; // `a` in `router a frr`
      const refs = await timed('references', () => ask<Location[]>('textDocument/references', uri, { position, context: { includeDeclaration: true } }));
      expect(refs).toHaveLength(MAX_REFERENCES);
      expect(refs[0]!.range.start).toEqual(position);
      await expect(timed('rename (refused)', () => ask('textDocument/rename', uri, { position, newName: 'c' }))).rejects.toMatchObject({
        message: expect.stringContaining(`\`a\` is used ${links + 1} times, more than the ${MAX_RENAME_EDITS} one rename changes`),
      });
      const hover = await timed('hover', () => ask('textDocument/hover', uri, { position }));
      expect(JSON.stringify(hover)).toContain('s.a');
      const items = await timed('completion', () => ask<CompletionItem[]>('textDocument/completion', uri, { position: { line: 6, character: 7 } }));
      expect(items.map((i) => i.label)).toContain('s.a');
      await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    300_000,
  );

  it(
    `answers every request on ${LIMIT} of policy rules within the limits`,
    async () => {
      const uri = ws.uri('rules.plumb');
      server.open(uri, RULES, 1);
      const symbols = await timed(`documentSymbol, ${LIMIT} of rules (first, with the check)`, () => ask<DocumentSymbol[]>('textDocument/documentSymbol', uri));
      expect(symbols.at(-1)!.name).toMatch(/^… \d+ more symbols/);
      const tokens = await timed('semanticTokens', () => ask<SemanticTokens>('textDocument/semanticTokens/full', uri));
      expect(tokens.data.length).toBe(5 * MAX_SEMANTIC_TOKENS);
      const refs = await timed('references', () =>
        ask<Location[]>('textDocument/references', uri, { position: { line: 4, character: 9 }, context: { includeDeclaration: false } }),
      );
      expect(refs).toHaveLength(MAX_REFERENCES);
      const hover = await timed('hover on a segment named by every rule', () => ask('textDocument/hover', uri, { position: { line: 4, character: 9 } }));
      expect(JSON.stringify(hover)).toContain('web');
      await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    },
    300_000,
  );

  it('cuts a long completion list to the items matching the typed word', async () => {
    const names = Array.from({ length: 3 * MAX_COMPLETION_ITEMS }, (_, i) => `segment s${i} 10.${i >> 8}.${i & 255}.0/24 at x.r\n`).join('');
    const uri = ws.uri('many.plumb');
    const text = `network n\nsite x {\n  router r frr\n}\n${names}group g = s19`;
    server.open(uri, text, 1);
    const line = text.split('\n').length - 1;
    const answer = await ask<CompletionList>('textDocument/completion', uri, { position: { line, character: 13 } });
    expect(answer.isIncomplete).toBe(true);
    expect(answer.items.length).toBeLessThanOrEqual(MAX_COMPLETION_ITEMS);
    expect(answer.items.every((i) => i.label.startsWith('s19'))).toBe(true);
    expect(answer.items.map((i) => i.label)).toContain('s1999');
    await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });

  it('answers at once on a 10 MB document: it is not analysed', async () => {
    const uri = ws.uri('ten.plumb');
    const text = filled('site s {\n', '  link a -- b\n', 10_000_000);
    const started = Date.now();
    server.open(uri, text, 1);
    const symbols = await ask<DocumentSymbol[]>('textDocument/documentSymbol', uri);
    // Its didOpen is larger than any message the server reads: dropped unread, and said so.
    const published = await server.waitForDiagnostics(uri, () => true);
    const millis = Date.now() - started;
    timings.push(`10 MB document: outline and its one diagnostic in ${millis} ms`);
    expect(symbols).toEqual([]);
    expect(published.diagnostics).toHaveLength(1);
    expect(published.diagnostics[0]!.message).toContain(`more than the ${MAX_MESSAGE_BYTES} Plumb reads`);
    expect(millis).toBeLessThan(10_000);
    await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
  });
});
