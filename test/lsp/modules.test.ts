// Modules in the editor, over stdio (test/fixtures/modules/): the server reads the imported
// files as the CLI does, goes to a module's declaration and finds its uses across files, renames
// an exported declaration in the module and in its importers, and shows a module's problems at
// the import that brought it in.

import { cpSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Location, Position, WorkspaceEdit } from 'vscode-languageserver-protocol';
import { BUILD_TIMEOUT_MS, ensureBuilt, ROOT, startServer, workspaceDir, type TestServer } from './harness.js';

/** The LSP position of `needle` in `text` (plus `delta` characters). */
function pos(text: string, needle: string, delta = 0): Position {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`${needle} not found`);
  const before = text.slice(0, at + delta);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

describe('modules over stdio', () => {
  let server: TestServer;
  let ws: ReturnType<typeof workspaceDir>;
  let acme: string;
  const uri = (path: string): string => pathToFileURL(join(ws.dir, path)).href;

  beforeAll(async () => {
    await ensureBuilt();
    ws = workspaceDir({});
    cpSync(join(ROOT, 'test/fixtures/modules'), ws.dir, { recursive: true });
    // A module with a declaration no module may hold: its error shows at the importing line.
    writeFileSync(join(ws.dir, 'partners/broken.plumb'), 'segment x 10.9.0.0/24 at fra1.core1\n');
    acme = readFileSync(join(ws.dir, 'site/acme.plumb'), 'utf8');
    server = await startServer({ verifyOnSave: false });
    server.open(uri('site/acme.plumb'), acme);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await server?.stop();
    ws?.cleanup();
  });

  const ask = <T>(method: string, path: string, params: Record<string, unknown>): Promise<T> =>
    server.connection.sendRequest(method, { textDocument: { uri: uri(path) }, ...params }) as Promise<T>;

  it("shows a module's problem at the import that brought it in, and nothing else", async () => {
    const published = await server.waitForDiagnostics(uri('site/acme.plumb'), (p) => p.diagnostics.some((d) => d.code === 'P237'), 60_000);
    const errors = published.diagnostics.filter((d) => d.severity === 1);
    expect(errors.map((d) => d.code)).toEqual(['P237']);
    expect(errors[0]!.range.start).toEqual(pos(acme, '"../partners"'));
    expect(errors[0]!.message).toContain('in the imported ../partners/broken.plumb:1:1: `segment` in an imported module');
    expect(errors[0]!.relatedInformation?.[0]?.location.uri).toBe(uri('partners/broken.plumb'));
  });

  it("goes from `partners.analytics` to the module's declaration, and finds every use from there", async () => {
    const use = pos(acme, 'partners.analytics :', 10);
    const def = await ask<Location>('textDocument/definition', 'site/acme.plumb', { position: use });
    const module = readFileSync(join(ws.dir, 'partners/analytics.plumb'), 'utf8');
    expect(def).toEqual({ uri: uri('partners/analytics.plumb'), range: { start: pos(module, 'analytics "'), end: pos(module, 'analytics "', 9) } });
    const refs = await ask<Location[]>('textDocument/references', 'site/acme.plumb', { position: use, context: { includeDeclaration: true } });
    const where = refs.map((r) => `${r.uri === uri('site/acme.plumb') ? 'acme' : r.uri.slice(r.uri.lastIndexOf('/') + 1)}:${r.range.start.line + 1}`);
    expect(where).toContain('analytics.plumb:2');
    // The block that attaches it, the rule and the two assertions.
    expect(where.filter((w) => w.startsWith('acme:'))).toEqual(['acme:32', 'acme:49', 'acme:55', 'acme:56']);
  });

  it('links each import string to the file or folder it imports', async () => {
    const links = await ask<{ range: { start: Position }; target: string }[]>('textDocument/documentLink', 'site/acme.plumb', {});
    expect(links.map((l) => [l.range.start, l.target])).toEqual([
      [pos(acme, '"../services.plumb"'), uri('services.plumb')],
      [pos(acme, '"../partners"'), uri('partners')],
    ]);
  });

  it('renames an exported service in its module and in the importing file, keeping the module name', async () => {
    const edit = await ask<WorkspaceEdit>('textDocument/rename', 'site/acme.plumb', { position: pos(acme, 'shared.web', 8), newName: 'www' });
    const services = readFileSync(join(ws.dir, 'services.plumb'), 'utf8');
    expect(edit.changes?.[uri('services.plumb')]).toEqual([{ range: { start: pos(services, 'web ='), end: pos(services, 'web =', 3) }, newText: 'www' }]);
    const inAcme = edit.changes?.[uri('site/acme.plumb')] ?? [];
    expect(inAcme.length).toBe(3);
    expect(new Set(inAcme.map((e) => e.newText))).toEqual(new Set(['shared.www']));
  });

  it('reads a module again when it changes on disk', async () => {
    const path = join(ws.dir, 'services.plumb');
    writeFileSync(path, `# moved down two lines\n\n${readFileSync(path, 'utf8')}`);
    const def = await ask<Location>('textDocument/definition', 'site/acme.plumb', { position: pos(acme, 'shared.web', 8) });
    expect(def.uri).toBe(uri('services.plumb'));
    expect(def.range.start.line).toBe(pos(readFileSync(path, 'utf8'), 'web =').line);
  });
});
