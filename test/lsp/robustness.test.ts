// The server survives what editors and users throw at it: malformed JSON-RPC, unknown methods,
// nonsense parameters, files that do not parse, and a file of the largest size analysed.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompletionItem, Hover, PublishDiagnosticsParams } from 'vscode-languageserver-protocol';
import { MAX_DOCUMENT_BYTES } from '../../lsp/limits.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, generatedIntent, ROOT, startServer, workspaceDir, type TestServer } from './harness.js';

const ACME = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');

describe('robustness', () => {
  let server: TestServer;
  let ws: ReturnType<typeof workspaceDir>;

  beforeAll(async () => {
    await ensureBuilt();
    ws = workspaceDir({ 'acme.plumb': ACME });
    server = await startServer({ verifyOnSave: false });
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    ws.cleanup();
  });

  const alive = async (): Promise<void> => {
    const uri = ws.uri('acme.plumb');
    const h: Hover | null = await server.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: { line: 1, character: 9 },
    });
    expect(server.child.exitCode).toBeNull();
    expect(JSON.stringify(h)).toContain('network acme');
  };

  it('answers after malformed messages on the wire', async () => {
    server.open(ws.uri('acme.plumb'), ACME, 1);
    await server.waitForDiagnostics(ws.uri('acme.plumb'));
    const raw = (body: string, header = `Content-Length: ${Buffer.byteLength(body)}`): void =>
      void server.child.stdin!.write(`${header}\r\n\r\n${body}`);
    raw('{ this is not json');
    raw('{"jsonrpc":"2.0"}');
    raw('{"jsonrpc":"2.0","id":"x","method":42}');
    raw('[1,2,3]');
    raw('{"jsonrpc":"2.0","method":"textDocument/didOpen","params":"nonsense"}');
    raw('{"jsonrpc":"2.0","method":"textDocument/didChange","params":{"textDocument":{"uri":"file:///nowhere.plumb","version":3},"contentChanges":[{"text":"x"}]}}');
    await new Promise((r) => setTimeout(r, 200));
    await alive();
  });

  it('rejects unknown methods and nonsense parameters with errors, not a crash', async () => {
    await expect(server.connection.sendRequest('plumb/noSuchMethod', {})).rejects.toMatchObject({ code: -32601 });
    await server.connection.sendNotification('plumb/noSuchNotification', { x: 1 });
    await server.connection.sendNotification('$/noSuchNotification', null);
    await expect(server.connection.sendRequest('textDocument/hover', null)).rejects.toMatchObject({ code: -32602 });
    await expect(
      server.connection.sendRequest('textDocument/hover', { textDocument: { uri: 5 }, position: { line: 0, character: 0 } }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(
      server.connection.sendRequest('textDocument/definition', { textDocument: { uri: ws.uri('acme.plumb') }, position: { line: 'a' } }),
    ).rejects.toMatchObject({ code: -32602 });
    await expect(
      server.connection.sendRequest('textDocument/rename', {
        textDocument: { uri: ws.uri('acme.plumb') },
        position: { line: 1, character: 9 },
        newName: 7,
      }),
    ).rejects.toMatchObject({ code: -32602 });
    // Positions far past the end of the document mean its end, and unknown documents are
    // answered, not errors; a negative position is malformed.
    const far = await server.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: ws.uri('acme.plumb') },
      position: { line: 1e9, character: 5 },
    });
    expect(far).toBeNull();
    await expect(
      server.connection.sendRequest('textDocument/hover', { textDocument: { uri: ws.uri('acme.plumb') }, position: { line: 1e9, character: -5 } }),
    ).rejects.toMatchObject({ code: -32602 });
    const unknown = await server.connection.sendRequest('textDocument/completion', {
      textDocument: { uri: 'file:///no/such/file.plumb' },
      position: { line: 0, character: 0 },
    });
    expect(unknown).toEqual([]);
    await alive();
  });

  it('checks every edit of a file that does not parse', async () => {
    const uri = ws.uri('broken.plumb');
    const edits = [
      'site {{{{ }',
      '}}}}\n"unterminated',
      'segment web 10.0.0.0/99 at nowhere\nassert reach -> :\n',
      '\u0000\u0001\u0002 binary \uffff',
      `policy {\n${'  allow a -> b\n'.repeat(200)}`,
      'x'.repeat(200_000),
      '',
      ACME.slice(0, ACME.length / 2),
    ];
    server.open(uri, edits[0]!, 1);
    for (let i = 1; i < edits.length; i++) server.change(uri, edits[i]!, i + 1);
    const last = await server.waitForDiagnostics(uri, (p) => p.version === edits.length);
    expect(last.diagnostics.length).toBeGreaterThan(0);
    // Every request works on the half file too.
    for (const method of ['textDocument/documentSymbol', 'textDocument/semanticTokens/full', 'textDocument/formatting']) {
      await server.connection.sendRequest(method, { textDocument: { uri }, options: { tabSize: 2, insertSpaces: true } });
    }
    const items: CompletionItem[] = await server.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: 5, character: 3 },
    });
    expect(Array.isArray(items)).toBe(true);
    await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
    await alive();
  });

  it(
    'opens and edits a file of the largest size analysed',
    async () => {
      // Just under the limit, with room for the edits below; over a million characters, so
      // that its checks after edits run on the worker thread.
      let text = generatedIntent(10_000, 7, 60);
      const room = MAX_DOCUMENT_BYTES - 4096 - Buffer.byteLength(text);
      expect(room).toBeGreaterThan(0);
      text += '# padding\n'.repeat(Math.floor(room / 10));
      expect(text.length).toBeGreaterThan(1_000_000);
      const huge = workspaceDir({});
      const uri = huge.uri('huge.plumb');
      const opened = Date.now();
      server.open(uri, text, 1);
      // While the large file is checked (on the worker thread), the server answers at once.
      await new Promise((r) => setTimeout(r, 300));
      const asked = Date.now();
      await alive();
      const answerMillis = Date.now() - asked;
      const first = await server.waitForDiagnostics(uri, (p) => p.version === 1, 100_000);
      const openMillis = Date.now() - opened;
      expect(answerMillis).toBeLessThan(Math.max(2000, openMillis / 3));
      // A burst of edits is coalesced into few checks; the last version is the one published.
      const seen: PublishDiagnosticsParams[] = [];
      const edited = Date.now();
      for (let v = 2; v <= 6; v++) {
        const end = { line: text.split('\n').length - 1, character: 0 };
        const added = `segment extra${v} 192.0.2.${v * 8}/29 at s000.d0\n`;
        text += added;
        void server.connection.sendNotification('textDocument/didChange', {
          textDocument: { uri, version: v },
          contentChanges: [{ range: { start: end, end }, text: added }],
        });
      }
      seen.push(await server.waitForDiagnostics(uri, (p) => p.version === 6, 100_000));
      const editMillis = Date.now() - edited;
      const warned = seen[0]!.diagnostics.find((d) => d.message.includes('extra6'));
      expect(warned ?? seen[0]!.diagnostics.length).toBeTruthy();
      const h: Hover | null = await server.connection.sendRequest('textDocument/hover', {
        textDocument: { uri },
        position: { line: text.split('\n').length - 2, character: 9 },
      });
      expect(JSON.stringify(h)).toContain('extra6');
      console.log(
        `${text.split('\n').length} lines (${Buffer.byteLength(text)} bytes): first check ${openMillis} ms (${first.diagnostics.length} diagnostics), another file answered in ` +
          `${answerMillis} ms meanwhile, a burst of 5 edits checked in ${editMillis} ms`,
      );
      await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri } });
      await alive();
      huge.cleanup();
    },
    180_000,
  );
});
