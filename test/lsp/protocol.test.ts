// The server over stdio, driven by a JSON-RPC client as an editor would drive it.

import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  CodeAction,
  CompletionItem,
  DocumentSymbol,
  Hover,
  Location,
  Position,
  SemanticTokens,
  TextEdit,
  WorkspaceEdit,
} from 'vscode-languageserver-protocol';
import { formatText } from '../../language/format.js';
import { BUILD_TIMEOUT_MS, ensureBuilt, ROOT, startServer, workspaceDir, type TestServer } from './harness.js';

const ACME = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');

/** The LSP position of the `n`th occurrence of `needle` (plus `delta` characters). */
function pos(text: string, needle: string, n = 0, delta = 0): Position {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not found`);
  }
  const before = text.slice(0, at + delta);
  const line = before.split('\n').length - 1;
  return { line, character: before.length - before.lastIndexOf('\n') - 1 };
}

/** Every occurrence of a whole word outside comments (also after `site.` if `qualified`), as LSP positions. */
function wordPositions(text: string, word: string, qualified = false): Position[] {
  const out: Position[] = [];
  text.split('\n').forEach((lineText, line) => {
    const code = lineText.replace(/#.*$/, '');
    const before = qualified ? '(?<![\\w-])' : '(?<![\\w.-])';
    for (const m of code.matchAll(new RegExp(`${before}${word}(?![\\w-])`, 'g'))) out.push({ line, character: m.index });
  });
  return out;
}

const hoverText = (h: Hover | null): string => {
  if (!h) return '';
  const c = h.contents as { value: string };
  return c.value;
};

describe('language server over stdio', () => {
  let server: TestServer;
  let ws: ReturnType<typeof workspaceDir>;
  let uri: string;

  beforeAll(async () => {
    await ensureBuilt();
    ws = workspaceDir({ example: 'acme' });
    uri = ws.uri('acme.plumb');
    server = await startServer({ verifyOnSave: false });
  }, BUILD_TIMEOUT_MS);
  afterAll(async () => {
    expect(await server.stop()).toBe(0);
    ws.cleanup();
  });

  it('publishes diagnostics as the user types, with a quick fix for a misspelt name', async () => {
    const typo = ACME.replace('allow office -> web : http', 'allow office -> webb : http');
    server.open(uri, typo, 1);
    const published = await server.waitForDiagnostics(uri, (p) => p.version === 1);
    const unknown = published.diagnostics.filter((d) => d.code === 'P201');
    expect(unknown).toHaveLength(1);
    expect(unknown[0]!.range.start).toEqual(pos(typo, 'webb'));
    expect(unknown[0]!.message).toContain('did you mean `web`?');

    const actions: CodeAction[] = await server.connection.sendRequest('textDocument/codeAction', {
      textDocument: { uri },
      range: unknown[0]!.range,
      context: { diagnostics: unknown },
    });
    expect(actions).toHaveLength(1);
    expect(actions[0]!.title).toBe('Replace `webb` with `web`');
    expect(actions[0]!.edit!.changes![uri]).toEqual([{ range: unknown[0]!.range, newText: 'web' }]);

    server.change(uri, ACME, 2);
    const fixed = await server.waitForDiagnostics(uri, (p) => p.version === 2);
    expect(fixed.diagnostics.filter((d) => d.severity === 1)).toEqual([]);

    const stats: { projects: { id: string; files: number; lastCheck: { cpuMillis: number; current: boolean } }[] } =
      await server.connection.sendRequest('plumb/stats', {});
    const project = stats.projects.find((p) => p.id === ws.dir)!;
    expect(project.files).toBe(1);
    expect(project.lastCheck.current).toBe(true);
    expect(project.lastCheck.cpuMillis).toBeGreaterThanOrEqual(0);
  });

  it('hovers a segment: addresses, gateway and platform, and the policy rules that apply', async () => {
    const h: Hover | null = await server.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: pos(ACME, 'web', 2, 1), // `allow office -> web : http`
    });
    const text = hoverText(h);
    expect(text).toContain('segment web 10.10.1.0/24');
    expect(text).toContain('gateway `fra1.fw1` (paloalto-panos)');
    expect(text).toContain('`allow any -> web : https`');
    expect(text).toContain('`allow web -> db : postgres-rw`');
    expect(text).not.toContain('`allow db -> snowflake : https`');
  });

  it('hovers a device reference: its platform', async () => {
    const h: Hover | null = await server.connection.sendRequest('textDocument/hover', {
      textDocument: { uri },
      position: pos(ACME, 'fra1.core1 --', 0, 6),
    });
    expect(hoverText(h)).toContain('platform **frr**');
  });

  it('goes to the definition and finds every reference', async () => {
    const def: Location = await server.connection.sendRequest('textDocument/definition', {
      textDocument: { uri },
      position: pos(ACME, 'office', 2, 2), // in the policy
    });
    expect(def.uri).toBe(uri);
    expect(def.range.start).toEqual(pos(ACME, 'segment office', 0, 8));

    const refs: Location[] = await server.connection.sendRequest('textDocument/references', {
      textDocument: { uri },
      position: pos(ACME, 'segment web', 0, 8),
      context: { includeDeclaration: true },
    });
    const expected = wordPositions(ACME, 'web');
    expect(refs.map((r) => r.range.start).sort((a, b) => a.line - b.line || a.character - b.character)).toEqual(expected);
  });

  it('renames with checks: valid names only, no collisions, no built-ins', async () => {
    const edit: WorkspaceEdit = await server.connection.sendRequest('textDocument/rename', {
      textDocument: { uri },
      position: pos(ACME, 'segment db', 0, 8),
      newName: 'database',
    });
    const edits = edit.changes![uri]!;
    expect(edits.map((e) => e.range.start)).toEqual(wordPositions(ACME, 'db'));
    expect(edits.every((e) => e.newText === 'database')).toBe(true);

    await expect(
      server.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: pos(ACME, 'segment db', 0, 8), newName: 'web' }),
    ).rejects.toThrow(/already the name of segment `web`/);
    await expect(
      server.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: pos(ACME, 'segment db', 0, 8), newName: '9db' }),
    ).rejects.toThrow(/not a valid name/);
    await expect(
      server.connection.sendRequest('textDocument/prepareRename', { textDocument: { uri }, position: pos(ACME, 'https', 0, 1) }),
    ).rejects.toThrow(/built in/);
    // A device is renamed in its site only: `edge1` may become `core1`'s neighbour name but not `fw1`.
    await expect(
      server.connection.sendRequest('textDocument/rename', { textDocument: { uri }, position: pos(ACME, 'edge1', 0, 1), newName: 'fw1' }),
    ).rejects.toThrow(/device `fra1.fw1`/);
    const deviceEdit: WorkspaceEdit = await server.connection.sendRequest('textDocument/rename', {
      textDocument: { uri },
      position: pos(ACME, 'edge1', 0, 1),
      newName: 'border1',
    });
    expect(deviceEdit.changes![uri]!.map((e) => e.range.start)).toEqual(wordPositions(ACME, 'edge1', true));
    expect(wordPositions(ACME, 'edge1', true)).toHaveLength(6); // its declaration, its link, the external's attach lines, two assertions
  });

  it('completes devices after `site.`, keywords at a line start, platforms after a device name', async () => {
    const text = `${ACME}\nlink fra1.\nrouter x \n`;
    server.change(uri, text, 3);
    await server.waitForDiagnostics(uri, (p) => p.version === 3);
    const lines = text.split('\n');
    const linkLine = lines.indexOf('link fra1.');
    const devices: CompletionItem[] = await server.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: linkLine, character: 'link fra1.'.length },
    });
    expect(devices.map((c) => c.label).sort()).toEqual(['core1', 'edge1', 'fw1']);

    const platforms: CompletionItem[] = await server.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: linkLine + 1, character: 'router x '.length },
    });
    expect(platforms.map((c) => c.label).sort()).toEqual(['cisco-iosxe', 'frr', 'linux', 'paloalto-panos']);

    const keywords: CompletionItem[] = await server.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: { line: linkLine + 2, character: 0 },
    });
    expect(keywords.map((c) => c.label)).toEqual(expect.arrayContaining(['segment', 'policy', 'assert', 'external']));

    const endpoints: CompletionItem[] = await server.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: pos(text, 'allow office -> web', 0, 'allow '.length),
    });
    expect(endpoints.map((c) => c.label)).toEqual(expect.arrayContaining(['office', 'pg-primary', 'internal', 'internet', 'any']));
    expect(endpoints.map((c) => c.label)).not.toContain('https');

    const services: CompletionItem[] = await server.connection.sendRequest('textDocument/completion', {
      textDocument: { uri },
      position: pos(text, 'allow office -> web : http', 0, 'allow office -> web : '.length),
    });
    expect(services.map((c) => c.label)).toEqual(expect.arrayContaining(['http', 'https', 'dns', 'postgres-rw']));
    expect(services.map((c) => c.label)).not.toContain('office');

    server.change(uri, ACME, 4);
    await server.waitForDiagnostics(uri, (p) => p.version === 4);
  });

  it('gives an outline and semantic tokens', async () => {
    const symbols: DocumentSymbol[] = await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
    const fra1 = symbols.find((s) => s.name === 'fra1');
    expect(fra1?.children?.filter((c) => c.kind === 5).map((c) => c.name)).toEqual(['edge1', 'fw1', 'core1']);
    expect(symbols.map((s) => s.name)).toEqual(expect.arrayContaining(['acme', 'web', 'pg-primary', 'snowflake', 'postgres-rw']));

    const tokens: SemanticTokens = await server.connection.sendRequest('textDocument/semanticTokens/full', { textDocument: { uri } });
    expect(tokens.data.length % 5).toBe(0);
    // One token per name occurrence plus one per platform: at least every `web`.
    expect(tokens.data.length / 5).toBeGreaterThan(wordPositions(ACME, 'web').length + 7);
  });

  it('formats exactly as `plumb fmt`, and leaves a file with syntax errors alone', async () => {
    const messy = ACME.replace('segment db 10.10.2.0/24 at fra1.core1', 'segment    db 10.10.2.0/24 at   fra1.core1').replace(
      '  router edge1 cisco-iosxe asn 65010',
      '        router edge1    cisco-iosxe asn 65010',
    );
    const expected = formatText(messy, 'acme.plumb').text;
    expect(expected).toBeDefined();
    expect(expected).not.toBe(messy);
    server.change(uri, messy, 10);
    await server.waitForDiagnostics(uri, (p) => p.version === 10);
    const options = { tabSize: 2, insertSpaces: true };
    const edits: TextEdit[] = await server.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options });
    expect(edits).toHaveLength(1);
    expect(edits[0]!.range.start).toEqual({ line: 0, character: 0 });
    expect(edits[0]!.newText).toBe(expected);

    server.change(uri, `${messy}segment broken 10.0.0.0/24 at\n`, 11);
    await server.waitForDiagnostics(uri, (p) => p.version === 11);
    expect(await server.connection.sendRequest('textDocument/formatting', { textDocument: { uri }, options })).toEqual([]);
    server.change(uri, ACME, 12);
    await server.waitForDiagnostics(uri, (p) => p.version === 12);
  });

  it('re-checks the other files of the folder when one changes (open documents override the disk)', async () => {
    const multi = workspaceDir({
      'a.plumb': ACME.slice(0, ACME.indexOf('service postgres-rw')),
      'b.plumb': ACME.slice(ACME.indexOf('service postgres-rw')),
    });
    try {
      const a = multi.uri('a.plumb');
      const b = multi.uri('b.plumb');
      server.open(b, readFileSync(join(multi.dir, 'b.plumb'), 'utf8'), 1);
      const clean = await server.waitForDiagnostics(b, (p) => p.version === 1);
      expect(clean.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
      // a.plumb is not open: it was read from disk. Opening it with `web` renamed breaks b.plumb.
      const aText = readFileSync(join(multi.dir, 'a.plumb'), 'utf8').replace('segment web ', 'segment www ');
      server.open(a, aText, 7);
      const broken = await server.waitForDiagnostics(b, (p) => p.diagnostics.some((d) => d.code === 'P201'));
      expect(broken.diagnostics.filter((d) => d.code === 'P201').length).toBeGreaterThan(0);
      // Definition across files: from b.plumb to a.plumb.
      const bText = readFileSync(join(multi.dir, 'b.plumb'), 'utf8');
      const def: Location = await server.connection.sendRequest('textDocument/definition', {
        textDocument: { uri: b },
        position: pos(bText, 'office', 0, 1),
      });
      expect(def.uri).toBe(a);
      // Closing a.plumb without saving: the disk's text counts again and b.plumb is clean.
      await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: a } });
      const again = await server.waitForDiagnostics(b, (p) => !p.diagnostics.some((d) => d.code === 'P201'));
      expect(again.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
      // A change on disk reported by the client's file watcher is picked up too.
      writeFileSync(join(multi.dir, 'a.plumb'), aText);
      await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: a, type: 2 }] });
      await server.waitForDiagnostics(b, (p) => p.diagnostics.some((d) => d.code === 'P201'));
      // A deleted file's diagnostics are cleared and its declarations are gone.
      writeFileSync(join(multi.dir, 'c.plumb'), 'segment web 10.77.0.0/24 at nowhere.dev\n');
      await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: multi.uri('c.plumb'), type: 1 }] });
      await server.waitForDiagnostics(multi.uri('c.plumb'), (p) => p.diagnostics.length > 0);
      rmSync(join(multi.dir, 'c.plumb'));
      await server.connection.sendNotification('workspace/didChangeWatchedFiles', { changes: [{ uri: multi.uri('c.plumb'), type: 3 }] });
      await server.waitForDiagnostics(multi.uri('c.plumb'), (p) => p.diagnostics.length === 0);
      // Closing the folder's last open document forgets the folder and takes back its diagnostics.
      await server.connection.sendNotification('textDocument/didClose', { textDocument: { uri: b } });
      await server.waitForDiagnostics(b, (p) => p.diagnostics.length === 0);
      const stats: { projects: { id: string }[] } = await server.connection.sendRequest('plumb/stats', {});
      expect(stats.projects.map((p) => p.id)).not.toContain(multi.dir);
    } finally {
      multi.cleanup();
    }
  });
});
