// The language server's connection: initialization and the moving parts behind it: debounced
// re-analysis after edits, publishing diagnostics, proofs started on save and cancelled by the
// next edit, and guarding every handler so that no request can stop the server. Document sync
// is wired in document-sync.ts; the answers to editor requests (hover, navigation, completion,
// ...) in feature-requests.ts; what each file is sent in publish.ts.
// Every handler is registered with the reader of its parameters (params.ts): a request whose
// parameters are malformed gets an InvalidParams error, a malformed notification is ignored with
// a line in the log, and neither reaches the open documents or the projects.

import {
  CodeActionKind,
  DidChangeWatchedFilesNotification,
  ErrorCodes,
  ResponseError,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver';
import { hasErrors, type Diagnostic as PlumbDiagnostic } from '../language/diagnostic.js';
import { BackgroundChecker } from './background-check.js';
import { registerDocumentSync } from './document-sync.js';
import { OpenDocuments } from './documents.js';
import type { FrontEnd } from './frontend.js';
import { registerFeatureRequests } from './feature-requests.js';
import { InvalidParams, type ParamsReader } from './params.js';
import { DiagnosticPublisher } from './publish.js';
import { SEMANTIC_TOKENS_LEGEND } from './semantic-tokens.js';
import type { Prover } from './prover.js';
import { ProofRunner } from './verification.js';
import { Workspace, type Project, type ProjectAnalysis, type ProjectFile } from './workspace.js';

export interface ServerOptions {
  /** Quiet time after an edit before the project is re-analysed. */
  debounceMs: number;
  /** Time limit of one proof run. */
  proofTimeoutMs: number;
  /** Prove on save (initializationOptions.verifyOnSave may turn it off). */
  verifyOnSave: boolean;
  /** Replaces the compiler and verifier (tests). */
  prover?: () => Promise<Prover | undefined>;
}

export const DEFAULT_OPTIONS: ServerOptions = { debounceMs: 10, proofTimeoutMs: 60_000, verifyOnSave: true };

/** Starts serving on the connection; resolves when the connection closes. */
export function startServer(connection: Connection, frontEnd: FrontEnd, defaults: ServerOptions = DEFAULT_OPTIONS): Promise<void> {
  const server = new PlumbServer(connection, frontEnd, defaults);
  return server.listen();
}

class PlumbServer {
  private readonly documents = new OpenDocuments();
  private readonly workspace: Workspace;
  private readonly timers = new Map<Project, NodeJS.Timeout>();
  private readonly publisher: DiagnosticPublisher;
  private proofs: ProofRunner;
  private options: ServerOptions;
  private watchFiles = false;
  private readonly background: BackgroundChecker;
  /** Diagnostics of large projects checked on the worker thread, with the content key checked. */
  private readonly checkedInBackground = new Map<Project, BackgroundCheck>();
  /** The CPU milliseconds of each project's latest check, on whichever thread it ran. */
  private readonly lastCheckCpu = new Map<Project, number>();

  constructor(
    private readonly connection: Connection,
    frontEnd: FrontEnd,
    defaults: ServerOptions,
  ) {
    this.workspace = new Workspace(frontEnd);
    this.options = { ...defaults };
    this.proofs = this.makeProofRunner();
    this.background = new BackgroundChecker((message) => this.connection.console.warn(message));
    this.publisher = new DiagnosticPublisher(connection);
  }

  private makeProofRunner(): ProofRunner {
    return new ProofRunner({
      timeoutMs: this.options.proofTimeoutMs,
      changed: (project) => this.publish(project),
      log: (message) => this.connection.console.info(message),
      ...(this.options.prover ? { prover: this.options.prover } : {}),
    });
  }

  listen(): Promise<void> {
    const c = this.connection;
    c.onInitialize((params): InitializeResult => {
      if (typeof params !== 'object' || params === null) throw new ResponseError(ErrorCodes.InvalidParams, 'initialize: params must be an object');
      const options: unknown = params.initializationOptions;
      const init = (typeof options === 'object' && options !== null ? options : {}) as Partial<Record<keyof ServerOptions, unknown>>;
      // Bounded: a timer longer than 2^31 ms fires at once in Node.
      if (typeof init.debounceMs === 'number' && init.debounceMs >= 0 && init.debounceMs <= 60_000) this.options.debounceMs = init.debounceMs;
      if (typeof init.proofTimeoutMs === 'number' && init.proofTimeoutMs > 0 && init.proofTimeoutMs <= 3_600_000) {
        this.options.proofTimeoutMs = init.proofTimeoutMs;
      }
      if (typeof init.verifyOnSave === 'boolean') this.options.verifyOnSave = init.verifyOnSave;
      this.proofs = this.makeProofRunner();
      this.watchFiles = params.capabilities?.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
      return {
        capabilities: {
          textDocumentSync: { openClose: true, change: TextDocumentSyncKind.Incremental, save: { includeText: false } },
          hoverProvider: true,
          definitionProvider: true,
          referencesProvider: true,
          documentHighlightProvider: true,
          documentLinkProvider: { resolveProvider: false },
          workspaceSymbolProvider: true,
          foldingRangeProvider: true,
          renameProvider: { prepareProvider: true },
          completionProvider: { triggerCharacters: ['.', ':', ' '] },
          documentSymbolProvider: true,
          documentFormattingProvider: true,
          semanticTokensProvider: { legend: SEMANTIC_TOKENS_LEGEND, full: true },
          codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
        },
        serverInfo: { name: 'plumb', version: '0.1.0' },
      };
    });
    c.onInitialized(() => {
      if (this.watchFiles) {
        void c.client
          .register(DidChangeWatchedFilesNotification.type, { watchers: [{ globPattern: '**/*.plumb' }] })
          .catch(() => undefined);
      }
    });

    registerDocumentSync(c, {
      documents: this.documents,
      workspace: this.workspace,
      guard: (name, read, handler, onInvalid) => this.guard(name, read, handler, onInvalid),
      changed: (project, debounce) => this.changed(project, debounce),
      forget: (project) => this.forget(project),
      saved: (uri) => this.saved(uri),
      warn: (message) => this.connection.console.warn(message),
    });
    registerFeatureRequests(c, {
      workspace: this.workspace,
      request: (name, read, handler) => this.request(name, read, handler),
      locate: (uri) => this.locate(uri),
      fresh: (project) => this.fresh(project),
      isLarge: (project) => this.isLarge(project),
      proofState: (project) => this.proofs.state(project),
      lastBackgroundCheck: (project) => {
        const check = this.checkedInBackground.get(project);
        return check ? { millis: check.millis, cpuMillis: check.cpuMillis, current: check.key === project.key } : null;
      },
    });
    c.onShutdown(() => {
      for (const timer of this.timers.values()) clearTimeout(timer);
      this.timers.clear();
      for (const project of this.workspace.allProjects()) this.proofs.cancel(project);
      return this.background.stop();
    });

    const closed = new Promise<void>((resolve) => c.onExit(() => resolve()));
    c.listen();
    return closed;
  }

  private changed(project: Project, debounce: boolean): void {
    this.proofs.cancel(project);
    const pending = this.timers.get(project);
    if (pending) clearTimeout(pending);
    // Even without a debounce the check waits one turn of the event loop, so that a burst of
    // opens or watched-file events is checked once. A project whose check takes seconds (a file
    // of 100,000 lines) waits longer after an edit: a burst of edits costs one check, not one
    // per keystroke. Slow means the latest check's CPU, not its wall time (on a busy machine
    // every check takes longer) and not the first check of the intent (it pays for the whole
    // parse and a cold JIT).
    const lastCpu = this.lastCheckCpu.get(project) ?? 0;
    const slow = lastCpu > 1000 ? Math.min(500, lastCpu / 4) : 0;
    const delay = debounce ? Math.max(this.options.debounceMs, slow) : 0;
    this.timers.set(project, setTimeout(() => this.check(project), delay));
  }

  private check(project: Project): void {
    try {
      this.timers.delete(project);
      if (this.isLarge(project) && this.background.available) {
        void this.checkInBackground(project);
        return;
      }
      this.analyseHere(project);
      this.publish(project);
    } catch (err) {
      this.logError('analysis', err);
    }
  }

  /**
   * A project whose check takes seconds is checked on the worker thread after edits, so that
   * the server keeps answering meanwhile; requests that need its symbols still check it here.
   */
  private isLarge(project: Project): boolean {
    // CPU time, not wall time: on a busy machine a small intent must not move to the worker.
    if ((project.lastAnalysis?.cpuMillis ?? 0) > LARGE_CHECK_MILLIS) return true;
    let size = 0;
    for (const f of project.files.values()) size += f.text.length;
    return size > LARGE_PROJECT_CHARS;
  }

  private async checkInBackground(project: Project): Promise<void> {
    const key = project.key;
    const files = project.analysedTexts();
    const reply = await this.background.check(project.id, files);
    if (project.key !== key) return; // edited meanwhile: a newer check is scheduled
    if (!this.workspace.allProjects().includes(project)) return; // closed meanwhile
    if ('error' in reply) {
      if (reply.error === 'superseded') return;
      this.logError('background check', reply.error);
      this.analyseHere(project);
    } else {
      this.checkedInBackground.set(project, { key, diagnostics: reply.diagnostics, millis: reply.millis, cpuMillis: reply.cpuMillis });
      this.lastCheckCpu.set(project, reply.cpuMillis);
    }
    this.publish(project);
  }

  /** The last open document of a project closed: free it and take back its diagnostics. */
  private forget(project: Project): void {
    this.proofs.cancel(project);
    const timer = this.timers.get(project);
    if (timer) clearTimeout(timer);
    this.timers.delete(project);
    this.checkedInBackground.delete(project);
    this.lastCheckCpu.delete(project);
    this.publisher.clear(project);
    this.background.forget(project.id);
    this.workspace.forget(project);
  }

  /** The project's analysis of its current contents (runs a pending re-check now). */
  private fresh(project: Project): ProjectAnalysis {
    const pending = this.timers.get(project);
    if (pending) {
      clearTimeout(pending);
      this.timers.delete(project);
    }
    const published = this.currentDiagnostics(project) !== undefined;
    const analysis = this.analyseHere(project);
    if (!published) this.publish(project);
    return analysis;
  }

  /** The project's analysis on this thread (computed if stale), its CPU noted when computed. */
  private analyseHere(project: Project): ProjectAnalysis {
    const before = project.lastAnalysis;
    const analysis = this.workspace.analysis(project);
    if (analysis !== before) this.lastCheckCpu.set(project, analysis.cpuMillis);
    return analysis;
  }

  private saved(uri: string): void {
    if (!this.options.verifyOnSave) return;
    const at = this.workspace.find(uri);
    if (!at) return;
    const analysis = this.fresh(at.project);
    const intent = analysis.result.intent;
    if (!intent || hasErrors(analysis.result.diagnostics)) return;
    this.proofs.start(at.project, analysis.key, intent);
    this.publish(at.project);
  }

  /** The diagnostics of the project's current contents, from whichever check has them. */
  private currentDiagnostics(project: Project): PlumbDiagnostic[] | undefined {
    const key = project.key;
    if (project.lastAnalysis?.key === key) return project.lastAnalysis.result.diagnostics;
    const background = this.checkedInBackground.get(project);
    return background?.key === key ? background.diagnostics : undefined;
  }

  private publish(project: Project): void {
    const current = this.currentDiagnostics(project);
    if (!current) return;
    this.publisher.publish(project, current, this.proofs.state(project));
  }

  private locate(uri: string): { project: Project; file: ProjectFile } | undefined {
    return this.workspace.find(uri);
  }

  /**
   * Wraps a notification handler: its parameters are read first (malformed ones are ignored
   * with a line in the log, after `onInvalid`); an exception is logged, never fatal.
   */
  private guard<P>(
    name: string,
    read: ParamsReader<P>,
    handler: (params: P) => void,
    onInvalid?: (raw: unknown, message: string) => void,
  ): (params: unknown) => void {
    return (raw) => {
      let params: P;
      try {
        params = read(raw);
      } catch (err) {
        if (!(err instanceof InvalidParams)) return this.logError(name, err);
        this.connection.console.warn(`ignored ${name}: ${err.message}`);
        if (onInvalid) this.guardedCall(name, () => onInvalid(raw, err.message));
        return;
      }
      this.guardedCall(name, () => handler(params));
    };
  }

  private guardedCall(name: string, f: () => void): void {
    try {
      f();
    } catch (err) {
      this.logError(name, err);
    }
  }

  /** Wraps a request handler: malformed parameters and bugs become error responses. */
  private request<P, R>(name: string, read: ParamsReader<P>, handler: (params: P) => R): (params: unknown) => R {
    return (raw) => {
      let params: P;
      try {
        params = read(raw);
      } catch (err) {
        if (!(err instanceof InvalidParams)) throw err;
        this.connection.console.warn(`rejected ${name}: ${err.message}`);
        throw new ResponseError(ErrorCodes.InvalidParams, `${name}: ${err.message}`);
      }
      try {
        return handler(params);
      } catch (err) {
        if (err instanceof ResponseError) throw err;
        this.logError(name, err);
        throw new ResponseError(ErrorCodes.InternalError, `${name} failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    };
  }

  private logError(where: string, err: unknown): void {
    const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
    this.connection.console.error(`internal error in ${where} (a bug in Plumb): ${detail}`);
  }
}

interface BackgroundCheck {
  /** The project's key (its contents) when checked. */
  key: string;
  diagnostics: PlumbDiagnostic[];
  millis: number;
  cpuMillis: number;
}

/** A check slower than this moves the project's checks after edits to the worker thread. */
const LARGE_CHECK_MILLIS = 500;
/** So does a project this large (about 30,000 lines) before its first check. */
const LARGE_PROJECT_CHARS = 1_000_000;
