// One intent in several files (examples/acme split into sites, segments and policy files), over
// stdio: workspace symbols across the files with a fuzzy query, folding ranges of blocks and
// comment runs, document highlights of a name's declaration and uses, and hovers that name the
// file where they cite a place.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentHighlight, FoldingRange, Hover, Position, SymbolInformation } from 'vscode-languageserver-protocol';
import { BUILD_TIMEOUT_MS, ensureBuilt, ROOT, startServer, workspaceDir, type TestServer } from './harness.js';

const ACME = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');

/** acme.plumb cut at the lines that start `segment web` and `manage`, with a comment block on top of each part. */
function splitAcme(): Record<string, string> {
  const lines = ACME.split('\n');
  const segments = lines.findIndex((l) => l.startsWith('segment web'));
  const policy = lines.findIndex((l) => l.startsWith('manage'));
  const header = (what: string): string => `# acme: ${what}\n# (one intent in three files)\n`;
  return {
    'sites.plumb': header('sites and links') + lines.slice(0, segments).join('\n') + '\n',
    'segments.plumb': header('segments, hosts, externals, services') + lines.slice(segments, policy).join('\n') + '\n',
    'policy.plumb': header('policy and assertions') + lines.slice(policy).join('\n'),
  };
}

const FILES = splitAcme();

/** The LSP position of the `n`th occurrence of `needle` (plus `delta` characters). */
function pos(text: string, needle: string, n = 0, delta = 0): Position {
  let at = -1;
  for (let i = 0; i <= n; i++) {
    at = text.indexOf(needle, at + 1);
    if (at < 0) throw new Error(`${needle} not found`);
  }
  const before = text.slice(0, at + delta);
  return { line: before.split('\n').length - 1, character: before.length - before.lastIndexOf('\n') - 1 };
}

const lineOf = (text: string, needle: string): number => pos(text, needle).line;

describe('an intent of several files over stdio', () => {
  let server: TestServer;
  let ws: ReturnType<typeof workspaceDir>;

  beforeAll(async () => {
    await ensureBuilt();
    ws = workspaceDir(FILES);
    server = await startServer({ verifyOnSave: false });
    // Only the policy file is open: the others are read from disk as parts of its intent.
    server.open(ws.uri('policy.plumb'), FILES['policy.plumb']!);
    const published = await server.waitForDiagnostics(ws.uri('policy.plumb'), undefined, 60_000);
    expect(published.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await server?.stop();
    ws?.cleanup();
  });

  it('advertises workspace symbols, folding ranges and document highlights', () => {
    expect(server.capabilities).toMatchObject({ workspaceSymbolProvider: true, foldingRangeProvider: true, documentHighlightProvider: true });
  });

  it('finds the declarations of every file of the intent, fuzzily', async () => {
    const all: SymbolInformation[] = await server.connection.sendRequest('workspace/symbol', { query: '' });
    const where = (name: string): string | undefined => all.find((s) => s.name === name)?.location.uri;
    expect(where('fra1')).toBe(ws.uri('sites.plumb'));
    expect(where('web')).toBe(ws.uri('segments.plumb'));
    expect(where('postgres-rw')).toBe(ws.uri('segments.plumb'));
    expect(all.filter((s) => s.location.uri === ws.uri('policy.plumb'))).toEqual([]); // a policy without a name declares nothing
    expect(all.some((s) => s.name === 'https')).toBe(false); // built-ins are declared nowhere

    const core: SymbolInformation[] = await server.connection.sendRequest('workspace/symbol', { query: 'core1' });
    expect(core[0]).toMatchObject({
      name: 'core1',
      kind: 5, // Class: a device
      containerName: 'fra1',
      location: { uri: ws.uri('sites.plumb'), range: { start: pos(FILES['sites.plumb']!, 'router core1', 0, 7) } },
    });
    // A subsequence of `site.device`; the better matches come first.
    const fuzzy: SymbolInformation[] = await server.connection.sendRequest('workspace/symbol', { query: 'fr1cr' });
    expect(fuzzy.map((s) => `${s.containerName ?? ''}.${s.name}`)).toEqual(['fra1.core1']);
    const web: SymbolInformation[] = await server.connection.sendRequest('workspace/symbol', { query: 'WE' });
    expect(web[0]!.name).toBe('web');
    await expect(server.connection.sendRequest('workspace/symbol', {})).rejects.toThrow(/query must be a string/);
  });

  it('folds blocks up to their closing brace and runs of comment lines', async () => {
    const text = FILES['sites.plumb']!;
    const ranges: FoldingRange[] = await server.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri: ws.uri('sites.plumb') } });
    const fra1 = lineOf(text, 'site fra1');
    const fra1End = text.split('\n').findIndex((l, i) => i > fra1 && l === '}');
    expect(ranges).toContainEqual({ startLine: fra1, endLine: fra1End - 1 });
    expect(ranges).toContainEqual({ startLine: lineOf(text, 'site ams1'), endLine: lineOf(text, 'link core2 -- gw1') });
    // The two header lines and acme's own first line.
    expect(ranges).toContainEqual({ startLine: 0, endLine: 2, kind: 'comment' });
    // One-line statements do not fold.
    expect(ranges.some((r) => r.startLine === lineOf(text, 'pool infra'))).toBe(false);

    const policyText = FILES['policy.plumb']!;
    const policy: FoldingRange[] = await server.connection.sendRequest('textDocument/foldingRange', { textDocument: { uri: ws.uri('policy.plumb') } });
    expect(policy).toContainEqual({ startLine: lineOf(policyText, 'policy {'), endLine: lineOf(policyText, 'allow internal, guest') });
  });

  it('highlights the declaration (write) and the uses (read) of the name under the cursor, in that document', async () => {
    const segments = FILES['segments.plumb']!;
    const onDeclaration: DocumentHighlight[] = await server.connection.sendRequest('textDocument/documentHighlight', {
      textDocument: { uri: ws.uri('segments.plumb') },
      position: pos(segments, 'segment web', 0, 9),
    });
    expect(onDeclaration).toEqual([
      { range: { start: pos(segments, 'segment web', 0, 8), end: pos(segments, 'segment web', 0, 11) }, kind: 3 },
      { range: { start: pos(segments, '= web', 0, 2), end: pos(segments, '= web', 0, 5) }, kind: 2 },
    ]);
    // In the policy file the declaration is elsewhere: only its uses there, all reads.
    const policy = FILES['policy.plumb']!;
    const uses: DocumentHighlight[] = await server.connection.sendRequest('textDocument/documentHighlight', {
      textDocument: { uri: ws.uri('policy.plumb') },
      position: pos(policy, '-> web', 0, 4),
    });
    const webLines = policy.split('\n').flatMap((l, i) => (/(^|[\s,])web([\s,:]|$)/.test(l.replace(/#.*$/, '')) ? [i] : []));
    expect(uses.map((h) => h.range.start.line)).toEqual(webLines);
    expect(uses.every((h) => h.kind === 2)).toBe(true);
    const nothing: DocumentHighlight[] = await server.connection.sendRequest('textDocument/documentHighlight', {
      textDocument: { uri: ws.uri('policy.plumb') },
      position: pos(policy, 'policy {', 0, 2),
    });
    expect(nothing).toEqual([]);
  });

  it('hovers name the file of the places they cite', async () => {
    const policy = FILES['policy.plumb']!;
    const hover: Hover | null = await server.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: ws.uri('policy.plumb') },
      position: pos(policy, '-> web', 0, 4),
    });
    const text = (hover?.contents as { value: string } | undefined)?.value ?? '';
    expect(text).toContain(`Declared at \`segments.plumb:${lineOf(FILES['segments.plumb']!, 'segment web') + 1}\``);
    expect(text).toContain(`(from and to, policy.plumb:${lineOf(policy, 'allow any -> web') + 1})`);
    expect(text).toContain(`(to, policy.plumb:${lineOf(policy, 'allow office -> web') + 1})`);
    expect(text).not.toMatch(/\bline \d/);
    const security: Hover | null = await server.connection.sendRequest('textDocument/hover', {
      textDocument: { uri: ws.uri('policy.plumb') },
      position: pos(policy, 'security profile-group', 0, 2),
    });
    const securityText = (security?.contents as { value: string } | undefined)?.value ?? '';
    expect(securityText).toContain(`1 rule names its own instead (policy.plumb:${lineOf(policy, 'profile-group outbound') + 1})`);
  });
});
