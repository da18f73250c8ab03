// The language server's answers to editor requests, one registration per feature: each asks
// the module of lsp/ that answers that kind of question. server.ts owns the connection, the
// re-checks after edits and the guarding of handlers; it hands these handlers a FeatureHost.
// Each handler names the reader of its parameters (params.ts), so it only ever sees checked
// values; answers whose size grows with the document are capped (limits.ts).

import { ErrorCodes, ResponseError, type Connection } from 'vscode-languageserver';
import { quickFixes } from './code-actions.js';
import { completionsAt } from './completion.js';
import { hoverAt } from './hover.js';
import { foldingRanges } from './folding.js';
import { definitionAt, highlightsAt, importLinks, prepareRenameAt, referencesAt, renameAt, RenameRefused } from './navigation.js';
import { outline } from './outline.js';
import {
  readAnyParams,
  readCodeActionParams,
  readDocumentParams,
  readPositionParams,
  readReferenceParams,
  readRenameParams,
  readWorkspaceSymbolParams,
  type ParamsReader,
} from './params.js';
import { semanticTokens } from './semantic-tokens.js';
import type { ProofRunner } from './verification.js';
import { workspaceSymbols } from './workspace-symbols.js';
import type { Project, ProjectAnalysis, ProjectFile, Workspace } from './workspace.js';

/** What the request handlers need from the server. */
export interface FeatureHost {
  readonly workspace: Workspace;
  /** Wraps a request handler: its parameters are read by `read`; malformed ones and bugs become error responses. */
  request<P, R>(name: string, read: ParamsReader<P>, handler: (params: P) => R): (params: unknown) => R;
  /** The project and file of a URI, if the server knows it. */
  locate(uri: string): { project: Project; file: ProjectFile } | undefined;
  /** The project's analysis of its current contents (runs a pending re-check now). */
  fresh(project: Project): ProjectAnalysis;
  /** Whether the project's checks after edits run on the worker thread. */
  isLarge(project: Project): boolean;
  proofState(project: Project): ReturnType<ProofRunner['state']>;
  /** Duration of the project's last check on the worker thread, if any. */
  /** The project's latest check on the worker thread: its wall and CPU time, and whether it is of the current contents. */
  lastBackgroundCheck(project: Project): { millis: number; cpuMillis: number; current: boolean } | null;
}

/** Registers the handlers of hover, navigation, rename, completion, outline, folding, formatting, etc. */
export function registerFeatureRequests(c: Connection, host: FeatureHost): void {
  c.onHover(
    host.request('hover', readPositionParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return null;
      const analysis = host.fresh(at.project);
      const answer = hoverAt(at.project, at.file, at.file.lines.offsetAt(params.position), analysis, host.proofState(at.project));
      if (!answer) return null;
      return {
        contents: { kind: 'markdown' as const, value: answer.markdown },
        range: { start: at.file.lines.positionAt(answer.span.start.offset), end: at.file.lines.positionAt(answer.span.end.offset) },
      };
    }),
  );
  c.onDefinition(
    host.request('definition', readPositionParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return null;
      return definitionAt(at.project, at.file, at.file.lines.offsetAt(params.position), host.fresh(at.project)) ?? null;
    }),
  );
  c.onReferences(
    host.request('references', readReferenceParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return [];
      const offset = at.file.lines.offsetAt(params.position);
      return referencesAt(at.project, at.file, offset, host.fresh(at.project), params.includeDeclaration);
    }),
  );
  c.onDocumentLinks(
    host.request('documentLink', readDocumentParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return [];
      return importLinks(at.project, at.file, host.fresh(at.project));
    }),
  );
  c.onDocumentHighlight(
    host.request('documentHighlight', readPositionParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return [];
      return highlightsAt(at.file, at.file.lines.offsetAt(params.position), host.fresh(at.project));
    }),
  );
  c.onPrepareRename(
    host.request('prepareRename', readPositionParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return null;
      return refusalAsError(() => prepareRenameAt(at.file, at.file.lines.offsetAt(params.position), host.fresh(at.project)));
    }),
  );
  c.onRenameRequest(
    host.request('rename', readRenameParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return null;
      return refusalAsError(() =>
        renameAt(at.project, at.file, at.file.lines.offsetAt(params.position), params.newName.trim(), host.fresh(at.project)),
      );
    }),
  );
  c.onCompletion(
    host.request('completion', readPositionParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return [];
      // Names change rarely while typing: a large project answers from its last check.
      const last = at.project.lastAnalysis;
      const analysis = last && host.isLarge(at.project) ? last : host.fresh(at.project);
      return completionsAt(at.file, at.file.lines.offsetAt(params.position), analysis.index.allDefinitions());
    }),
  );
  c.onDocumentSymbol(
    host.request('documentSymbol', readDocumentParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return [];
      const tree = host.fresh(at.project).result.files.find((f) => f.path === at.file.name);
      return tree ? outline(tree, at.file) : [];
    }),
  );
  c.onWorkspaceSymbol(
    host.request('workspaceSymbol', readWorkspaceSymbolParams, (params) => {
      // A large intent answers from its last check, as completion does: the query changes per keystroke.
      const projects = host.workspace.allProjects().map((project) => {
        const last = project.lastAnalysis;
        return { project, analysis: last && host.isLarge(project) ? last : host.fresh(project) };
      });
      return workspaceSymbols(params.query, projects);
    }),
  );
  c.onFoldingRanges(
    host.request('foldingRange', readDocumentParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return [];
      const tree = host.fresh(at.project).result.files.find((f) => f.path === at.file.name);
      return foldingRanges(tree, at.file);
    }),
  );
  c.onDocumentFormatting(
    host.request('formatting', readDocumentParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return [];
      const formatted = host.workspace.format(at.file);
      if (formatted === undefined || formatted === at.file.text) return [];
      const end = at.file.lines.positionAt(at.file.text.length);
      return [{ range: { start: { line: 0, character: 0 }, end }, newText: formatted }];
    }),
  );
  c.languages.semanticTokens.on(
    host.request('semanticTokens', readDocumentParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return { data: [] };
      return semanticTokens(at.file, host.fresh(at.project));
    }),
  );
  c.onCodeAction(
    host.request('codeAction', readCodeActionParams, (params) => {
      const at = host.locate(params.textDocument.uri);
      if (!at) return [];
      return quickFixes(at.file, params.textDocument.uri, params.diagnostics);
    }),
  );
  // Not part of LSP: how long the last checks took, for benchmarks and bug reports.
  c.onRequest(
    'plumb/stats',
    host.request('plumb/stats', readAnyParams, () => ({
      projects: host.workspace.allProjects().map((p) => ({
        id: p.id,
        files: p.files.size,
        lastCheck: p.lastAnalysis ? { millis: p.lastAnalysis.millis, cpuMillis: p.lastAnalysis.cpuMillis, current: !p.stale } : null,
        lastBackgroundCheck: host.lastBackgroundCheck(p),
      })),
    })),
  );
}

function refusalAsError<T>(f: () => T): T {
  try {
    return f();
  } catch (err) {
    if (err instanceof RenameRefused) throw new ResponseError(ErrorCodes.InvalidRequest, err.message);
    throw err;
  }
}
