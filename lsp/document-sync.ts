// The language server's document sync: didOpen, didChange, didClose, didSave, watched files and
// the stand-in for a message too large to read (message-limit.ts), each wired to the open
// documents (documents.ts) and the projects (workspace.ts). server.ts owns the connection, the
// re-checks and the guarding of handlers; it hands these handlers a SyncHost. A document whose
// text the server does not analyse (too large, or lost after a change it could not apply) takes
// part in its project as an empty file with the reason.

import type { Connection } from 'vscode-languageserver';
import type { OpenDocument, OpenDocuments } from './documents.js';
import { MAX_DOCUMENT_BYTES, MAX_MESSAGE_BYTES } from './limits.js';
import { OVERSIZED_MESSAGE } from './message-limit.js';
import {
  documentUriOf,
  readDidChangeParams,
  readDidChangeWatchedFilesParams,
  readDidOpenParams,
  readDocumentParams,
  readOversizedParams,
  type ParamsReader,
} from './params.js';
import { tooLargeMessage } from './disk-files.js';
import type { Project, Workspace } from './workspace.js';

/** What the sync handlers need from the server. */
export interface SyncHost {
  readonly documents: OpenDocuments;
  readonly workspace: Workspace;
  /**
   * Wraps a notification handler: its parameters are read by `read`; malformed ones are logged
   * and ignored (after `onInvalid`, if given); an exception is logged, never fatal.
   */
  guard<P>(name: string, read: ParamsReader<P>, handler: (params: P) => void, onInvalid?: (raw: unknown, message: string) => void): (params: unknown) => void;
  /** The project's files changed: re-check it (after the debounce if asked). */
  changed(project: Project, debounce: boolean): void;
  /** The last open document of the project closed. */
  forget(project: Project): void;
  saved(uri: string): void;
  warn(message: string): void;
}

export function registerDocumentSync(c: Connection, host: SyncHost): void {
  const { documents, workspace } = host;
  const edited = (document: OpenDocument, debounce: boolean): void => {
    host.changed(workspace.setDocument(document.uri, document.text, document.version, refusalOf(document)), debounce);
  };

  c.onDidOpenTextDocument(host.guard('didOpen', readDidOpenParams, (params) => edited(documents.open(params), false)));
  c.onDidChangeTextDocument(
    host.guard(
      'didChange',
      readDidChangeParams,
      (params) => {
        const document = documents.change(params);
        if (document) edited(document, true);
        else host.warn(`ignored didChange: ${params.textDocument.uri} is not open`);
      },
      // The editor believes the change applied: the document's text is no longer known, so it
      // is not analysed until the editor sends its whole text again.
      (raw, message) => {
        const uri = documentUriOf(raw);
        const lost = `Plumb lost track of this document's text (the editor sent a change it could not apply: ${message}), so it is not checked; close and reopen the document`;
        const document = uri === undefined ? undefined : documents.lose(uri, lost);
        if (document) edited(document, false);
      },
    ),
  );
  c.onDidCloseTextDocument(
    host.guard('didClose', readDocumentParams, ({ textDocument: { uri } }) => {
      if (!documents.close(uri)) {
        host.warn(`ignored didClose: ${uri} is not open`);
        return;
      }
      const project = workspace.closeDocument(uri);
      if (!project) return;
      if ([...project.files.values()].some((f) => f.open)) host.changed(project, true);
      else host.forget(project);
    }),
  );
  c.onDidSaveTextDocument(host.guard('didSave', readDocumentParams, (params) => host.saved(params.textDocument.uri)));
  c.onNotification(
    OVERSIZED_MESSAGE,
    host.guard('oversizedMessage', readOversizedParams, ({ bytes, method, uri }) => {
      host.warn(`dropped a message of ${bytes} bytes (${method ?? 'unknown method'}${uri ? ` for ${uri}` : ''}), more than the ${MAX_MESSAGE_BYTES} read`);
      if (!uri || (method !== 'textDocument/didOpen' && method !== 'textDocument/didChange')) return;
      const reason =
        `the editor sent this document in a message of ${bytes} bytes, more than the ${MAX_MESSAGE_BYTES} Plumb reads, ` +
        'so it is not checked; close it, or make it smaller than the limit for one file and reopen it';
      const document = method === 'textDocument/didOpen' ? documents.openUnknown(uri, reason) : documents.lose(uri, reason);
      if (document) edited(document, false);
    }),
  );
  c.onDidChangeWatchedFiles(
    host.guard('didChangeWatchedFiles', readDidChangeWatchedFilesParams, (params) => {
      // Each file once, however often the message names it: one read per file.
      for (const uri of new Set(params.changes.map((change) => change.uri))) {
        const project = workspace.diskChanged(uri);
        if (project) host.changed(project, true);
      }
    }),
  );
}

/** Why an open document is not analysed, if it is not. */
function refusalOf(document: OpenDocument): string | undefined {
  if (document.lostReason !== undefined) return document.lostReason;
  const text = document.text;
  // A UTF-16 unit is at most 3 UTF-8 bytes: most documents need no byte count.
  if (text.length * 3 <= MAX_DOCUMENT_BYTES) return undefined;
  const bytes = Buffer.byteLength(text, 'utf8');
  return bytes > MAX_DOCUMENT_BYTES ? tooLargeMessage(bytes) : undefined;
}
