// Reading a folder's `*.plumb` files from disk as the CLI reads them (never more than the limit,
// never a file that is not `*.plumb`), and where a document's URI puts it: its project (folder)
// and its name there. workspace.ts groups what is read here into projects.

import { readdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readSourceFile } from '../pipeline/sources.js';
import { MAX_DOCUMENT_BYTES, MAX_INTENT_BYTES } from './limits.js';

export interface Location {
  projectId: string;
  folder: string | undefined;
  name: string;
}

export function locate(uri: string): Location {
  if (uri.startsWith('file:')) {
    try {
      const path = fileURLToPath(uri);
      return { projectId: dirname(path), folder: dirname(path), name: basename(path) };
    } catch {
      // Fall through: an unusual file URI is treated like an untitled document.
    }
  }
  const last = uri.split(/[/\\:]/).pop() ?? '';
  const name = /^[\w.-]+$/.test(last) && last !== '' ? last : 'untitled.plumb';
  return { projectId: uri, folder: undefined, name };
}

export function listPlumbFiles(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((e) => e.isFile() && isPlumbFileName(e.name))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

export function notReadMessage(): string {
  return (
    `this file was not read: the files before it by name are already more than the ${mib(MAX_INTENT_BYTES)} Plumb checks as one intent ` +
    '(`plumb check` has the same limit); split the folder into several intents'
  );
}

export function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
}

/** The names the server reads from disk: what `plumb check DIR` reads in a folder. */
export function isPlumbFileName(name: string): boolean {
  return name.endsWith('.plumb') && !name.startsWith('.');
}

/**
 * A file's text, read as the CLI reads it (never more than the limit, never blocking on a FIFO);
 * a file that is too large or not UTF-8 text takes part with the reason; undefined when it is gone.
 */
export function readDiskFile(path: string): { text: string; refusal?: string } | undefined {
  const read = readSourceFile(path, basename(path), MAX_DOCUMENT_BYTES);
  if ('text' in read) return { text: read.text };
  if (read.failure.message.includes('no such file')) return undefined;
  const hint = read.failure.hint ? ` (${read.failure.hint})` : '';
  return { text: '', refusal: `${read.failure.message}, so it is not checked${hint}` };
}

/** Why a document of `bytes` UTF-8 bytes is not analysed. */
export function tooLargeMessage(bytes: number): string {
  return (
    `this file is ${mib(bytes)}, more than the ${mib(MAX_DOCUMENT_BYTES)} Plumb analyses (\`plumb check\` has the same limit), ` +
    'so it is not checked; split the intent into several files of one folder'
  );
}

