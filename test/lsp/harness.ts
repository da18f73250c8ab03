// Drives the real server the way an editor does: `node dist/cli/main.js lsp` over stdio with a
// JSON-RPC client. dist is rebuilt first when any source is newer than it (one build at a time,
// across test files, by a lock directory).

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync, cpSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node.js';
import type { Diagnostic, InitializeResult, PublishDiagnosticsParams, ServerCapabilities } from 'vscode-languageserver-protocol';
import { generateIntent } from '../../bench/generate.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SERVER_ENTRY = join(ROOT, 'dist/cli/main.js');
const SOURCE_DIRS = ['language', 'compiler', 'verifier', 'backends', 'emulator', 'cli', 'lsp', 'bench'];

function newestSource(dir: string): number {
  let newest = 0;
  const walk = (d: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const full = join(d, e.name);
      if (e.isDirectory()) walk(full);
      else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  walk(dir);
  return newest;
}

function mtime(path: string): number {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
}

/** Building dist type-checks the whole project: minutes on a busy 2-core machine. */
export const BUILD_TIMEOUT_MS = 400_000;

/** Builds dist when it is older than the sources. Others' type errors do not stop the emit. */
export async function ensureBuilt(): Promise<void> {
  const lock = join(tmpdir(), 'plumb-lsp-test-build.lock');
  for (let waited = 0; ; waited += 200) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      if (Date.now() - mtime(lock) > BUILD_TIMEOUT_MS) {
        rmSync(lock, { recursive: true, force: true });
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const newest = Math.max(...SOURCE_DIRS.map((d) => newestSource(join(ROOT, d))));
    if (mtime(SERVER_ENTRY) >= newest && mtime(join(ROOT, 'dist/lsp/server.js')) >= newest) return;
    // Not spawnSync: a build of minutes must not block the test worker's event loop (vitest's
    // own messages to the worker time out meanwhile).
    await new Promise<void>((resolveBuild) => {
      const build = spawn('npx', ['tsc', '-p', 'tsconfig.build.json', '--noEmitOnError', 'false'], { cwd: ROOT, stdio: 'ignore' });
      build.once('error', () => resolveBuild());
      build.once('exit', () => resolveBuild());
    });
    if (mtime(SERVER_ENTRY) === 0) throw new Error('the build wrote no dist/cli/main.js');
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface TestServer {
  connection: MessageConnection;
  /** What the server advertised in its answer to `initialize`. */
  capabilities: ServerCapabilities;
  child: ChildProcess;
  stderr: () => string;
  /** The latest diagnostics published per URI. */
  diagnostics: Map<string, PublishDiagnosticsParams>;
  /** Resolves with the first publication for `uri` that satisfies `accept` (checked on past ones too). */
  waitForDiagnostics(uri: string, accept?: (p: PublishDiagnosticsParams) => boolean, timeoutMs?: number): Promise<PublishDiagnosticsParams>;
  logs: string[];
  open(uri: string, text: string, version?: number): void;
  change(uri: string, text: string, version: number): void;
  stop(): Promise<number | null>;
}

export async function startServer(initializationOptions: Record<string, unknown> = {}, rootUri: string | null = null): Promise<TestServer> {
  const child = spawn(process.execPath, [SERVER_ENTRY, 'lsp', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const connection = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const diagnostics = new Map<string, PublishDiagnosticsParams>();
  const history: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; accept: (p: PublishDiagnosticsParams) => boolean; resolve: (p: PublishDiagnosticsParams) => void }[] = [];
  const logs: string[] = [];
  connection.onNotification('textDocument/publishDiagnostics', (p: PublishDiagnosticsParams) => {
    diagnostics.set(p.uri, p);
    history.push(p);
    for (const w of [...waiters]) {
      if (w.uri === p.uri && w.accept(p)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(p);
      }
    }
  });
  connection.onNotification('window/logMessage', (p: { message: string }) => void logs.push(p.message));
  connection.onRequest('client/registerCapability', () => null);
  connection.onRequest('workspace/configuration', () => []);
  connection.listen();
  const initialized: InitializeResult = await connection.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    capabilities: { textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } } },
    initializationOptions,
  });
  await connection.sendNotification('initialized', {});
  return {
    connection,
    capabilities: initialized.capabilities,
    child,
    stderr: () => stderr,
    diagnostics,
    logs,
    waitForDiagnostics(uri, accept = () => true, timeoutMs = 20_000) {
      const past = [...history].reverse().find((p) => p.uri === uri);
      if (past && accept(past)) return Promise.resolve(past);
      return new Promise((resolvePromise, reject) => {
        const timer = setTimeout(() => reject(new Error(`no matching diagnostics for ${uri} within ${timeoutMs} ms`)), timeoutMs);
        waiters.push({
          uri,
          accept,
          resolve: (p) => {
            clearTimeout(timer);
            resolvePromise(p);
          },
        });
      });
    },
    open(uri, text, version = 1) {
      void connection.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'plumb', version, text } });
    },
    change(uri, text, version) {
      void connection.sendNotification('textDocument/didChange', {
        textDocument: { uri, version },
        contentChanges: [{ text }],
      });
    },
    async stop() {
      const exited = new Promise<number | null>((r) => {
        if (child.exitCode !== null) r(child.exitCode);
        else child.once('exit', (code) => r(code));
      });
      try {
        await Promise.race([connection.sendRequest('shutdown'), new Promise((r) => setTimeout(r, 2000))]);
        await connection.sendNotification('exit');
      } catch {
        // The connection may already be gone; the kill below still ends the process.
      }
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      connection.dispose();
      return code;
    },
  };
}

/** A fresh copy of an example folder (or given files) in a temporary directory. */
export function workspaceDir(files: Record<string, string> | { example: string }): { dir: string; uri: (name: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-lsp-'));
  if ('example' in files && typeof files.example === 'string' && !files.example.endsWith('.plumb')) {
    cpSync(join(ROOT, 'examples', files.example), dir, { recursive: true });
  } else {
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  }
  return {
    dir,
    uri: (name) => pathToFileURL(join(dir, name)).href,
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => String(d.code ?? d.source)).sort();
}

/** A generated, clean intent with `segments` segments (and enough rules to use them all). */
export function generatedIntent(segments: number, seed: number, sites = 8): string {
  const rules = segments + Math.floor(segments / 10) + Math.max(1, Math.floor(segments / 50)) + 70;
  return generateIntent({ sites, devicesPerSite: 4, segments, rules, assertions: 30, seed });
}
