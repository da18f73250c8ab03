// Random and adversarial LSP traffic against the built server (issue #12): seeded sequences of
// well-formed and malformed notifications and requests — wrong types, huge, negative and
// fractional positions, reversed ranges, unknown methods, changes before opens and after closes,
// documents opened and closed twice, URIs that are not files, not *.plumb files or climb out of
// their folder — sent to a server that also has a valid document open in the same folder. After
// each sequence every request must have been answered (a result or an error, never silence), the
// valid document must still get its correct hover and outline, and the server must answer
// `shutdown` and exit with 0 on `exit`.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DocumentSymbol, Hover } from 'vscode-languageserver-protocol';
import { BUILD_TIMEOUT_MS, ensureBuilt, ROOT, startServer, workspaceDir, type TestServer } from './harness.js';
import { binaryUnit } from '../binary-unit.js';

const ACME = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');
const SEED = 20261204;
const RUNS = 12;

interface Message {
  kind: 'notification' | 'request';
  method: string;
  params: unknown;
}

describe('fuzzed LSP traffic', () => {
  let ws: ReturnType<typeof workspaceDir>;
  let expectedSymbols: string[];

  beforeAll(async () => {
    await ensureBuilt();
    ws = workspaceDir({ 'acme.plumb': ACME, 'secret.txt': 'TOPSECRET\n' });
    const server = await startServer({ verifyOnSave: false });
    server.open(ws.uri('acme.plumb'), ACME, 1);
    expectedSymbols = await symbolNames(server, ws.uri('acme.plumb'));
    expect(expectedSymbols).toContain('acme');
    expect(await server.stop()).toBe(0);
  }, BUILD_TIMEOUT_MS);
  afterAll(() => ws.cleanup());

  it(
    `survives ${RUNS} seeded sequences of hostile messages`,
    async () => {
      const acme = ws.uri('acme.plumb');
      const messages = fc.array(messageArbitrary(ws), { minLength: 5, maxLength: 60 });
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(messages, async (sequence) => {
          runs++;
          const server = await startServer({ verifyOnSave: false, debounceMs: 0 });
          try {
            server.open(acme, ACME, 1);
            const pending: Promise<unknown>[] = [];
            for (const m of sequence) {
              if (m.kind === 'notification') void server.connection.sendNotification(m.method, m.params);
              else pending.push(server.connection.sendRequest(m.method, m.params).then(() => 'answered', (e: { code?: number }) => e.code));
            }
            const settled = await within(30_000, Promise.all(pending), 'requests unanswered');
            expect(settled.every((r) => r === 'answered' || typeof r === 'number')).toBe(true);
            expect(settled).not.toContain(-32603); // InternalError: a bug, not a rejection
            const h: Hover | null = await server.connection.sendRequest('textDocument/hover', { textDocument: { uri: acme }, position: { line: 1, character: 9 } });
            expect(JSON.stringify(h)).toContain('network acme');
            expect(await symbolNames(server, acme)).toEqual(expectedSymbols);
            for (const p of server.diagnostics.values()) expect(JSON.stringify(p)).not.toContain('TOPSECRET');
            expect(server.logs.join('\n')).not.toContain('internal error');
            expect(server.stderr()).toBe('');
            await within(10_000, server.connection.sendRequest('shutdown'), 'no answer to shutdown');
            const exited = new Promise<number | null>((r) => server.child.once('exit', (code) => r(code)));
            await server.connection.sendNotification('exit');
            expect(await within(10_000, exited, 'no exit after `exit`')).toBe(0);
          } finally {
            if (server.child.exitCode === null) server.child.kill('SIGKILL');
            server.connection.dispose();
          }
        }),
        { seed: SEED, numRuns: RUNS, interruptAfterTimeLimit: 240_000, endOnFailure: true },
      );
      expect(runs).toBeGreaterThan(0);
    },
    300_000,
  );
});

async function symbolNames(server: TestServer, uri: string): Promise<string[]> {
  const symbols: DocumentSymbol[] = await server.connection.sendRequest('textDocument/documentSymbol', { textDocument: { uri } });
  return symbols.map((s) => s.name);
}

function within<T>(millis: number, promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} within ${millis} ms`)), millis)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

function messageArbitrary(ws: ReturnType<typeof workspaceDir>): fc.Arbitrary<Message> {
  writeFileSync(join(ws.dir, 'disk.plumb'), 'group on-disk = web\n');
  const uri = fc.oneof(
    { weight: 6, arbitrary: fc.constantFrom(ws.uri('fuzz1.plumb'), ws.uri('fuzz2.plumb'), ws.uri('disk.plumb')) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        ws.uri('secret.txt'),
        `${ws.uri('sub')}/../fuzz3.plumb`,
        `${ws.uri('sub')}/%2e%2e/secret.txt`,
        'untitled:Untitled-1',
        'http://example.invalid/a.plumb',
        'file://remotehost/share/a.plumb',
        'file:///%2e%2e/%2e%2e/etc/passwd',
        'file:///tmp/%00.plumb',
        'file:///',
        'vscode-notebook-cell:/x.plumb#c1',
      ),
    },
    { weight: 1, arbitrary: fc.oneof(fc.constant(''), fc.constant('x'.repeat(20_000)), fc.integer(), fc.constant(null), fc.string()) },
  );
  const text = fc.oneof(
    fc.constantFrom(
      'group g = web, db\n',
      'network acme\n',
      'segment web 10.1.0.0/24 at fra1.core1\n',
      'site s {\n  router r frr\n',
      '}\n}\n}\n',
      'policy {\n  allow web -> db : https\n',
      '\r\n\r',
      '\u{1F600}é\u0000\uD800',
      'assert reach web -> db : https via fra1.fw1\n',
    ),
    fc.string({ maxLength: 200 }),
    fc.string({ unit: binaryUnit, maxLength: 200 }),
    fc.nat({ max: 20_000 }).map((n) => '  link a -- b\n'.repeat(n)),
    fc.oneof(fc.integer(), fc.constant(null), fc.constant({ text: 'x' })),
  );
  const coordinate = fc.oneof(
    { weight: 4, arbitrary: fc.nat({ max: 60 }) },
    { weight: 1, arbitrary: fc.constantFrom(1e9, 2 ** 31, 2 ** 53 - 1, 1e300, -1, -1e9, 0.5, Number.NaN) },
    { weight: 1, arbitrary: fc.oneof(fc.string({ maxLength: 3 }), fc.constant(null), fc.boolean()) },
  );
  const position = fc.oneof(
    { weight: 8, arbitrary: fc.record({ line: coordinate, character: coordinate }) },
    { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.constant({ line: 1 }), fc.constant([1, 2]), fc.string()) },
  );
  const range = fc.oneof(
    { weight: 8, arbitrary: fc.record({ start: position, end: position }) },
    { weight: 1, arbitrary: fc.oneof(fc.constant(null), fc.constant('all'), fc.constant({ start: { line: 0, character: 0 } })) },
  );
  const version = fc.oneof(fc.integer({ min: -5, max: 100 }), fc.constantFrom(1.5, '2', null, 2 ** 60));
  const doc = (extra: Record<string, fc.Arbitrary<unknown>> = {}): fc.Arbitrary<unknown> => fc.record({ uri, ...extra });
  const garbage = fc.oneof(fc.constant(null), fc.constant('nonsense'), fc.constant([]), fc.integer(), fc.anything({ maxDepth: 2 }));
  const note = (method: string, params: fc.Arbitrary<unknown>): fc.Arbitrary<Message> =>
    fc.oneof({ weight: 6, arbitrary: params }, { weight: 1, arbitrary: garbage }).map((p) => ({ kind: 'notification' as const, method, params: p }));
  const request = (method: string, params: fc.Arbitrary<unknown>): fc.Arbitrary<Message> =>
    fc.oneof({ weight: 6, arbitrary: params }, { weight: 1, arbitrary: garbage }).map((p) => ({ kind: 'request' as const, method, params: p }));
  const atPosition = fc.record({ textDocument: doc(), position });

  return fc.oneof(
    note('textDocument/didOpen', fc.record({ textDocument: doc({ languageId: fc.constant('plumb'), version, text }) })),
    { weight: 3, arbitrary: note('textDocument/didChange', fc.record({
      textDocument: doc({ version }),
      contentChanges: fc.array(fc.oneof({ weight: 4, arbitrary: fc.record({ range, text }) }, { weight: 1, arbitrary: fc.record({ text }) }), { maxLength: 4 }),
    })) },
    note('textDocument/didClose', fc.record({ textDocument: doc() })),
    note('textDocument/didSave', fc.record({ textDocument: doc() })),
    note('workspace/didChangeWatchedFiles', fc.record({ changes: fc.array(fc.record({ uri, type: fc.oneof(fc.constantFrom(1, 2, 3), fc.integer()) }), { maxLength: 3 }) })),
    note('plumb/unknownNotification', garbage),
    request('textDocument/hover', atPosition),
    request('textDocument/definition', atPosition),
    request('textDocument/references', fc.record({ textDocument: doc(), position, context: fc.oneof(fc.record({ includeDeclaration: fc.boolean() }), garbage) })),
    request('textDocument/prepareRename', atPosition),
    request('textDocument/rename', fc.record({ textDocument: doc(), position, newName: fc.oneof(fc.constantFrom('web2', 'x y', ''), fc.string(), fc.integer()) })),
    request('textDocument/completion', atPosition),
    request('textDocument/documentSymbol', fc.record({ textDocument: doc() })),
    request('textDocument/documentHighlight', atPosition),
    request('textDocument/foldingRange', fc.record({ textDocument: doc() })),
    request('workspace/symbol', fc.record({ query: fc.oneof(fc.constantFrom('', 'web', 'fr1cr'), fc.string(), fc.integer()) })),
    request('textDocument/semanticTokens/full', fc.record({ textDocument: doc() })),
    request('textDocument/formatting', fc.record({ textDocument: doc(), options: fc.constant({ tabSize: 2, insertSpaces: true }) })),
    request('textDocument/codeAction', fc.record({
      textDocument: doc(),
      range,
      context: fc.record({ diagnostics: fc.array(fc.record({ range, message: fc.string(), data: fc.oneof(fc.record({ fix: fc.array(fc.record({ range, newText: fc.string() }), { maxLength: 3 }) }), garbage) }), { maxLength: 3 }) }),
    })),
    request('plumb/stats', fc.constant({})),
    request('plumb/noSuchRequest', garbage),
  );
}
