// The server against a hostile or broken client (issue #12): each defect the security review
// found, replayed over stdio against the built server, plus the checks that now guard against
// its kind: positions far past the end, parameters of the wrong type, documents larger than the
// limit, changes that cannot be applied, and URIs of files that are not `*.plumb` files.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentSymbol, Hover } from 'vscode-languageserver-protocol';
import { MAX_DOCUMENT_BYTES, MAX_INTENT_BYTES, MAX_MESSAGE_BYTES } from '../../lsp/limits.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, ROOT, startServer, workspaceDir, type TestServer } from './harness.js';

const ACME = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');
const EXTRA = 'segment extra 10.98.0.0/24 at ams1.gw1\n';

describe('hostile input', () => {
  let server: TestServer;
  let ws: ReturnType<typeof workspaceDir>;
  let acme: string;

  beforeAll(async () => {
    await ensureBuilt();
    ws = workspaceDir({ 'acme.plumb': ACME, 'more.plumb': 'group everyone = internal, guest\n' });
    acme = ws.uri('acme.plumb');
    server = await startServer({ verifyOnSave: false });
    server.open(acme, ACME, 1);
    await server.waitForDiagnostics(acme, (p) => p.version === 1);
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    ws.cleanup();
  });

  const hover = (uri: string, line: number, character: number): Promise<Hover | null> =>
    server.connection.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  const symbols = async (uri: string): Promise<string[]> => {
    const answer: DocumentSymbol[] = await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    return answer.map((s) => s.name);
  };
  const notify = (method: string, params: unknown): Promise<void> => server.connection.sendNotification(method, params);
  const logged = async (text: string): Promise<void> => {
    for (let i = 0; i < 100 && !server.logs.some((l) => l.includes(text)); i++) await new Promise((r) => setTimeout(r, 50));
    expect(server.logs.join('\n')).toContain(text);
  };

  it('clamps a didChange at line 1,000,000,000 to the end of the document and keeps answering', async () => {
    const far = { line: 1_000_000_000, character: 0 };
    await notify('textDocument/didChange', {
      textDocument: { uri: acme, version: 2 },
      contentChanges: [{ range: { start: far, end: far }, text: EXTRA }],
    });
    const far2 = { line: 2_000_000_000, character: 7 };
    await notify('textDocument/didChange', {
      textDocument: { uri: acme, version: 3 },
      contentChanges: [{ range: { start: far2, end: { line: 2_000_000_001, character: 1e15 } }, text: '# end\n' }],
    });
    // An edit at the top then shifts every line after it: with an unclamped line table of two
    // billion entries this pass never ended.
    const top = { line: 0, character: 0 };
    await notify('textDocument/didChange', {
      textDocument: { uri: acme, version: 4 },
      contentChanges: [{ range: { start: top, end: top }, text: '# top\n' }],
    });
    const started = Date.now();
    const published = await server.waitForDiagnostics(acme, (p) => p.version === 4);
    expect(published.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    // The text was appended at the end: the new segment is the last declaration.
    expect((await symbols(acme)).at(-1)).toBe('extra');
    const line = `# top\n${ACME}`.split('\n').length - 1;
    expect(JSON.stringify(await hover(acme, line, 9))).toContain('extra');
    expect(await hover(acme, 1e9, 0)).toBeNull();
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(server.child.exitCode).toBeNull();
    server.change(acme, ACME, 5);
    await server.waitForDiagnostics(acme, (p) => p.version === 5);
  });

  it('ignores a didOpen whose text is a number, and the folder keeps working', async () => {
    const more = ws.uri('more.plumb');
    await notify('textDocument/didOpen', { textDocument: { uri: more, languageId: 'plumb', version: 1, text: 42 } });
    await logged('ignored didOpen: textDocument.text must be a string, not 42');
    expect(JSON.stringify(await hover(acme, 1, 9))).toContain('network acme');
    // The file on disk still counts for the folder: `everyone` is a group of it.
    expect(JSON.stringify(await hover(more, 0, 7))).toContain('group');
    server.open(more, 'group everyone = internal, guest, web\n', 1);
    const published = await server.waitForDiagnostics(more, (p) => p.version === 1);
    expect(published.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    await notify('textDocument/didClose', { textDocument: { uri: more } });
  });

  it('rejects negative and fractional positions as InvalidParams, for that request only', async () => {
    const ask = (method: string, position: unknown): Promise<unknown> =>
      server.connection.sendRequest(method, { textDocument: { uri: acme }, position, newName: 'x', context: { includeDeclaration: true } });
    for (const method of ['textDocument/hover', 'textDocument/definition', 'textDocument/references', 'textDocument/completion', 'textDocument/rename', 'textDocument/prepareRename', 'textDocument/documentHighlight']) {
      for (const position of [{ line: -1, character: 0 }, { line: 0, character: -3 }, { line: 1.5, character: 0 }, { line: 0 }, null, { line: '1', character: 0 }]) {
        await expect(ask(method, position), `${method} ${JSON.stringify(position)}`).rejects.toMatchObject({ code: -32602 });
      }
    }
    await expect(
      server.connection.sendRequest('textDocument/codeAction', {
        textDocument: { uri: acme },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [{ range: { start: { line: -1, character: 0 }, end: { line: 0, character: 0 } }, message: 'x' }] },
      }),
    ).rejects.toMatchObject({ code: -32602, message: expect.stringContaining('context.diagnostics[0].range.start.line') });
    // Far past the end is not an error: it means the end.
    expect(await hover(acme, 1e9, 1e9)).toBeNull();
    expect(JSON.stringify(await hover(acme, 1, 1e12))).toBeDefined();
    await logged('rejected hover: position.line must be a whole number from 0, not -1');
    expect(JSON.stringify(await hover(acme, 1, 9))).toContain('network acme');
  });

  it('loses track of a document whose change cannot be applied, until the editor sends the whole text', async () => {
    const uri = ws.uri('lost.plumb');
    server.open(uri, 'group lost = web\n', 1);
    await server.waitForDiagnostics(uri, (p) => p.version === 1);
    await notify('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '# ok\n' }, { range: 'everything', text: 'x' }],
    });
    const lost = await server.waitForDiagnostics(uri, (p) => p.diagnostics.some((d) => d.message.includes('lost track')));
    expect(lost.diagnostics).toHaveLength(1);
    expect(lost.diagnostics[0]!.message).toContain('contentChanges[1].range must be an object');
    expect(await hover(uri, 0, 7)).toBeNull();
    // Formatting a text the server does not know would overwrite the user's: nothing to do.
    expect(await server.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options: {} })).toEqual([]);
    // A rename must not miss the uses in that file: refused.
    await expect(
      server.connection.sendRequest('textDocument/rename', { textDocument: { uri: acme }, position: { line: 22, character: 9 }, newName: 'www' }),
    ).rejects.toMatchObject({ message: expect.stringContaining('lost.plumb is not checked') });
    // Ranged changes cannot bring it back; the whole text does.
    await notify('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: 'y' }],
    });
    server.change(uri, 'group found = web, db\n', 4);
    const back = await server.waitForDiagnostics(uri, (p) => p.version === 4);
    expect(back.diagnostics.some((d) => d.message.includes('lost track'))).toBe(false);
    expect(JSON.stringify(await hover(uri, 0, 7))).toContain('found');
    await notify('textDocument/didClose', { textDocument: { uri } });
  });

  it('ignores changes and closes of documents that are not open, and a second open replaces the first', async () => {
    const uri = ws.uri('twice.plumb');
    server.change(uri, 'garbage {', 5);
    await notify('textDocument/didClose', { textDocument: { uri } });
    await logged(`ignored didChange: ${uri} is not open`);
    await logged(`ignored didClose: ${uri} is not open`);
    server.open(uri, 'group one = web\n', 1);
    server.open(uri, 'group two = web\n', 1);
    await server.waitForDiagnostics(uri, () => true);
    expect(await symbols(uri)).toEqual(['two']);
    await notify('textDocument/didClose', { textDocument: { uri } });
    await notify('textDocument/didClose', { textDocument: { uri } });
    expect(JSON.stringify(await hover(acme, 1, 9))).toContain('network acme');
  });

  it('never reads a file that is not a *.plumb file, whatever URI names it', async () => {
    writeFileSync(join(ws.dir, 'secret.txt'), 'TOPSECRET\n');
    const secret = ws.uri('secret.txt');
    const uris = [secret, `${ws.uri('sub')}/../secret.txt`, secret.replace('secret.txt', `%2e%2e/${ws.dir.split('/').at(-1)!}/secret.txt`)];
    for (const uri of uris) {
      server.open(uri, 'group decoy = web\n', 1);
      await server.waitForDiagnostics(uri, (p) => p.version === 1);
      await notify('textDocument/didClose', { textDocument: { uri } });
      // After the close the file leaves the intent (its diagnostics are taken back), unread.
      await server.waitForDiagnostics(uri, (p) => p.version === undefined && p.diagnostics.length === 0);
      await notify('workspace/didChangeWatchedFiles', { changes: [{ uri, type: 2 }] });
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const p of server.diagnostics.values()) expect(JSON.stringify(p)).not.toContain('TOPSECRET');
    const h = await hover(acme, 1, 9);
    expect(JSON.stringify(h)).toContain('network acme');
  });

  it(
    `refuses a document over ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB with one diagnostic instead of analysing it`,
    async () => {
      const uri = ws.uri('huge.plumb');
      const text = '# a comment line\n'.repeat(Math.ceil((MAX_DOCUMENT_BYTES + 1) / 17));
      server.open(uri, text, 1);
      const published = await server.waitForDiagnostics(uri, (p) => p.version === 1, 60_000);
      expect(published.diagnostics).toHaveLength(1);
      const mib = (n: number): string => (n / 1024 / 1024).toFixed(1);
      expect(published.diagnostics[0]!.message).toContain(`this file is ${mib(Buffer.byteLength(text))} MiB, more than the ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB`);
      expect(await symbols(uri)).toEqual([]);
      // An edit that brings it under the limit brings the analysis back.
      server.change(uri, 'group small = web\n', 2);
      const small = await server.waitForDiagnostics(uri, (p) => p.version === 2);
      expect(small.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
      expect(await symbols(uri)).toEqual(['small']);
      await notify('textDocument/didClose', { textDocument: { uri } });
    },
    120_000,
  );

  it('drops a message over the limit unread, and says so on its document', async () => {
    const uri = ws.uri('flood.plumb');
    server.open(uri, 'x'.repeat(MAX_MESSAGE_BYTES + 1), 1);
    const published = await server.waitForDiagnostics(uri, () => true, 60_000);
    expect(published.diagnostics).toHaveLength(1);
    expect(published.diagnostics[0]!.message).toContain(`more than the ${MAX_MESSAGE_BYTES} Plumb reads`);
    await logged('dropped a message of');
    expect(JSON.stringify(await hover(acme, 1, 9))).toContain('network acme');
    // The whole text under the limit brings it back.
    server.change(uri, 'group flood = web\n', 2);
    const back = await server.waitForDiagnostics(uri, (p) => p.version === 2);
    expect(back.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
    await notify('textDocument/didClose', { textDocument: { uri } });
  });

  it('leaves out the files past the limit for one intent, by name, as `plumb check` refuses the intent', async () => {
    // Each file under the limit for one file, together over the limit for one intent.
    const each = Math.min(MAX_DOCUMENT_BYTES, Math.ceil(MAX_INTENT_BYTES / 2) + 1024);
    const padded = (head: string): string => head + '#'.repeat(99).concat('\n').repeat(Math.ceil((each - head.length) / 100));
    const folder = workspaceDir({ 'a.plumb': padded('network big\npool infra 10.255.0.0/16\nsite s {\n  router r frr\n}\n'), 'b.plumb': padded('segment web 10.0.0.0/24 at s.r\n'), 'c.plumb': 'group c = web\n' });
    try {
      server.open(folder.uri('a.plumb'), readFileSync(join(folder.dir, 'a.plumb'), 'utf8'), 1);
      const a = await server.waitForDiagnostics(folder.uri('a.plumb'), (p) => p.version === 1);
      expect(a.diagnostics.filter((d) => d.severity === 1).map((d) => d.message)).toEqual([]);
      const b = await server.waitForDiagnostics(folder.uri('b.plumb'), (p) => p.diagnostics.length > 0);
      expect(b.diagnostics).toHaveLength(1);
      expect(b.diagnostics[0]!.message).toContain(`the intent's files together are more than the ${MAX_INTENT_BYTES / 1024 / 1024} MiB Plumb checks as one intent`);
      // A file after the limit is not even read.
      const c = await server.waitForDiagnostics(folder.uri('c.plumb'), (p) => p.diagnostics.length > 0);
      expect(c.diagnostics.map((d) => d.message)).toEqual([expect.stringContaining('this file was not read')]);
      await notify('textDocument/didClose', { textDocument: { uri: folder.uri('a.plumb') } });
    } finally {
      folder.cleanup();
    }
  });
});
