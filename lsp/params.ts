// The parameters of every request and notification the server handles, checked before a handler
// sees them. A client is an editor, a plugin or anything that speaks JSON-RPC: a missing field,
// a wrong type, a negative or fractional position, an absurdly long URI or array must be turned
// away here with a message that names the field, so that no handler (and no shared state) ever
// meets a value of the wrong shape. Positions past the end of a document are valid: they are
// clamped to the end where the document is known (lsp/documents.ts, lsp/text.ts).

import type { Diagnostic, Position, Range } from 'vscode-languageserver';
import { MAX_CODE_ACTION_DIAGNOSTICS, MAX_CONTENT_CHANGES, MAX_NEW_NAME_LENGTH, MAX_SYMBOL_QUERY_LENGTH, MAX_URI_LENGTH } from './limits.js';

/** Parameters that do not have the shape the method requires; the message names the field. */
export class InvalidParams extends Error {}

/** Checks an unknown value and returns it typed, or throws InvalidParams. */
export type ParamsReader<T> = (params: unknown) => T;

export interface DocumentParams {
  textDocument: { uri: string };
}
export interface PositionParams extends DocumentParams {
  position: Position;
}
export interface ReferenceParams extends PositionParams {
  includeDeclaration: boolean;
}
export interface RenameParams extends PositionParams {
  newName: string;
}
export interface WorkspaceSymbolParams {
  query: string;
}
export interface CodeActionParams extends DocumentParams {
  range: Range;
  diagnostics: Diagnostic[];
}
export interface DidOpenParams {
  textDocument: { uri: string; version: number; text: string };
}
/** One change of a didChange: a range to replace, or the whole text when `range` is absent. */
export interface ContentChange {
  range?: Range;
  text: string;
}
export interface DidChangeParams {
  textDocument: { uri: string; version: number };
  contentChanges: ContentChange[];
}
export interface WatchedFileChange {
  uri: string;
  type: 1 | 2 | 3;
}

type Fields = Record<string, unknown>;

function fail(path: string, expected: string, value: unknown): never {
  throw new InvalidParams(`${path} must be ${expected}, not ${shown(value)}`);
}

/** A value as the client sent it, short enough for one log line. */
function shown(value: unknown): string {
  if (value === undefined) return 'missing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 60 ? `${text.slice(0, 60)}…` : text;
}

function record(value: unknown, path: string): Fields {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(path, 'an object', value);
  return value as Fields;
}

function string(value: unknown, path: string, maxLength = Infinity): string {
  if (typeof value !== 'string') fail(path, 'a string', value);
  if (value.length > maxLength) throw new InvalidParams(`${path} is ${value.length} characters long, more than the ${maxLength} accepted`);
  return value;
}

function integer(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(path, 'a whole number', value);
  return value;
}

function array(value: unknown, path: string, maxLength: number): unknown[] {
  if (!Array.isArray(value)) fail(path, 'an array', value);
  if (value.length > maxLength) throw new InvalidParams(`${path} has ${value.length} items, more than the ${maxLength} accepted`);
  return value;
}

function uri(value: unknown, path: string): string {
  const text = string(value, path, MAX_URI_LENGTH);
  if (text === '') fail(path, 'a URI', value);
  return text;
}

/** A position: whole numbers from 0 (any size: past the end means the end). */
export function readPosition(value: unknown, path = 'position'): Position {
  const p = record(value, path);
  const coordinate = (name: 'line' | 'character'): number => {
    const v = p[name];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0) fail(`${path}.${name}`, 'a whole number from 0', v);
    return v;
  };
  return { line: coordinate('line'), character: coordinate('character') };
}

/** A range; one given end first is put in order (start before end). */
export function readRange(value: unknown, path = 'range'): Range {
  const r = record(value, path);
  const start = readPosition(r.start, `${path}.start`);
  const end = readPosition(r.end, `${path}.end`);
  const reversed = end.line < start.line || (end.line === start.line && end.character < start.character);
  return reversed ? { start: end, end: start } : { start, end };
}

export const readDocumentParams: ParamsReader<DocumentParams> = (params) => {
  const p = record(params, 'params');
  return { textDocument: { uri: uri(record(p.textDocument, 'textDocument').uri, 'textDocument.uri') } };
};

export const readPositionParams: ParamsReader<PositionParams> = (params) => ({
  ...readDocumentParams(params),
  position: readPosition((params as Fields).position),
});

export const readReferenceParams: ParamsReader<ReferenceParams> = (params) => {
  const context = (params as Fields).context;
  let includeDeclaration = true;
  if (context !== undefined && context !== null) {
    const flag = record(context, 'context').includeDeclaration;
    if (flag !== undefined && typeof flag !== 'boolean') fail('context.includeDeclaration', 'true or false', flag);
    includeDeclaration = flag !== false;
  }
  return { ...readPositionParams(params), includeDeclaration };
};

export const readRenameParams: ParamsReader<RenameParams> = (params) => ({
  ...readPositionParams(params),
  newName: string((params as Fields).newName, 'newName', MAX_NEW_NAME_LENGTH),
});

export const readWorkspaceSymbolParams: ParamsReader<WorkspaceSymbolParams> = (params) => ({
  query: string(record(params, 'params').query, 'query', MAX_SYMBOL_QUERY_LENGTH),
});

export const readCodeActionParams: ParamsReader<CodeActionParams> = (params) => {
  const base = readDocumentParams(params);
  const p = params as Fields;
  const range = readRange(p.range);
  const context = p.context === undefined ? {} : record(p.context, 'context');
  const list = context.diagnostics === undefined ? [] : array(context.diagnostics, 'context.diagnostics', MAX_CODE_ACTION_DIAGNOSTICS);
  const diagnostics = list.map((item, i) => {
    const d = record(item, `context.diagnostics[${i}]`);
    if (d.data !== undefined && d.data !== null) record(d.data, `context.diagnostics[${i}].data`);
    return { ...d, range: readRange(d.range, `context.diagnostics[${i}].range`) } as Diagnostic;
  });
  return { ...base, range, diagnostics };
};

/** Any object (methods that read no parameters). */
export const readAnyParams: ParamsReader<Fields> = (params) => (params === undefined || params === null ? {} : record(params, 'params'));

export const readDidOpenParams: ParamsReader<DidOpenParams> = (params) => {
  const doc = record(record(params, 'params').textDocument, 'textDocument');
  return {
    textDocument: {
      uri: uri(doc.uri, 'textDocument.uri'),
      version: integer(doc.version, 'textDocument.version'),
      text: string(doc.text, 'textDocument.text'),
    },
  };
};

export const readDidChangeParams: ParamsReader<DidChangeParams> = (params) => {
  const p = record(params, 'params');
  const doc = record(p.textDocument, 'textDocument');
  const changes = array(p.contentChanges, 'contentChanges', MAX_CONTENT_CHANGES).map((item, i): ContentChange => {
    const c = record(item, `contentChanges[${i}]`);
    const text = string(c.text, `contentChanges[${i}].text`);
    return c.range === undefined ? { text } : { range: readRange(c.range, `contentChanges[${i}].range`), text };
  });
  return {
    textDocument: { uri: uri(doc.uri, 'textDocument.uri'), version: integer(doc.version, 'textDocument.version') },
    contentChanges: changes,
  };
};

export const readDidChangeWatchedFilesParams: ParamsReader<{ changes: WatchedFileChange[] }> = (params) => {
  const p = record(params, 'params');
  const changes = array(p.changes, 'changes', Number.MAX_SAFE_INTEGER).map((item, i): WatchedFileChange => {
    const c = record(item, `changes[${i}]`);
    const type = c.type;
    if (type !== 1 && type !== 2 && type !== 3) fail(`changes[${i}].type`, '1, 2 or 3', type);
    return { uri: uri(c.uri, `changes[${i}].uri`), type };
  });
  return { changes };
};

/** The stand-in for a dropped oversized message (message-limit.ts), which the server itself writes. */
export const readOversizedParams: ParamsReader<{ bytes: number; method?: string; uri?: string }> = (params) => {
  const p = record(params, 'params');
  return {
    bytes: integer(p.bytes, 'bytes'),
    ...(typeof p.method === 'string' ? { method: p.method } : {}),
    ...(typeof p.uri === 'string' && p.uri !== '' ? { uri: p.uri } : {}),
  };
};

/** The document URI of a notification whose other fields may be wrong, if it has a readable one. */
export function documentUriOf(params: unknown): string | undefined {
  try {
    return readDocumentParams(params).textDocument.uri;
  } catch {
    return undefined;
  }
}
