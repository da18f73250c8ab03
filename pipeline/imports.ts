// Follows the `import` lines of an intent's files (docs/language.md, "Modules"): every module
// they name, and the modules those name, are read too, within the intent's budget. Only `.plumb`
// files are ever read through an import, and symbolic links only to `.plumb` files and folders:
// an intent must not be a way to print another file (a key, say) into a CI log. What cannot be
// followed is handed to the front end as a problem of the import, which reports it at the
// import's string; absolute paths and cycles are the front end's to report (language/modules.ts).

import { opendirSync, realpathSync, statSync, type Dirent } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { importedPath, type ImportProblem } from '../language/module-paths.js';
import { stringValue } from '../language/parser.js';

/** A file of the intent as read: where it is on disk, and its text as the front end gets it. */
export interface ReadFile {
  abs: string;
  source: {
    path: string;
    text: string;
    imported?: boolean;
    importProblems?: Record<string, ImportProblem>;
  };
  /** For a module: the import of a file given as the intent that led to it (its file and PATH). */
  via?: { file: string; path: string };
}

const PLUMB = '.plumb';

/** `import "PATH"` at the start of a line (a statement; one inside a block is a syntax error). */
const IMPORT_LINE = /^[ \t]*import[ \t]+("(?:[^"\\\r\n]|\\[^\r\n])*")/gm;

/** The PATHs of a text's `import` lines, in order. */
export function importPaths(text: string): string[] {
  return [...text.matchAll(IMPORT_LINE)].map((m) => stringValue(m[1]!));
}

/**
 * Reads the modules the files import, transitively, appending them to `files`. `read` reads one
 * file within the intent's budget (it throws when the budget is spent).
 */
export function followImports(files: ReadFile[], read: (abs: string, shown: string) => ReadFile['source']): void {
  const seen = new Set(files.map((f) => f.abs));
  for (let i = 0; i < files.length; i++) {
    const importer = files[i]!;
    for (const path of importPaths(importer.source.text)) {
      if (path.startsWith('/') || path.startsWith('\\') || /^[A-Za-z]:/.test(path)) continue;
      const shown = importedPath(importer.source.path, path);
      const found = moduleFiles(resolve(dirname(importer.abs), path), path, shown);
      if ('problem' in found) {
        importer.source.importProblems = { ...importer.source.importProblems, [path]: found.problem };
        continue;
      }
      for (const file of found.files) {
        if (seen.has(file.abs)) continue;
        seen.add(file.abs);
        const via = importer.via ?? { file: importer.source.path, path };
        files.push({ abs: file.abs, source: { ...read(file.abs, file.shown), imported: true }, via });
      }
    }
  }
}

type Found = { files: { abs: string; shown: string }[] } | { problem: ImportProblem };

/** The files an import names: the `.plumb` file, or the `.plumb` files directly in the folder. */
function moduleFiles(abs: string, written: string, shown: string): Found {
  let real: string;
  let isFolder: boolean;
  try {
    real = realpathSync(abs);
    isFolder = statSync(real).isDirectory();
  } catch {
    return { problem: { kind: 'missing', shown } };
  }
  if (!isFolder) {
    return written.endsWith(PLUMB) && real.endsWith(PLUMB) ? { files: [{ abs, shown }] } : { problem: { kind: 'not-plumb', shown } };
  }
  const files: { abs: string; shown: string }[] = [];
  const handle = opendirSync(real);
  const entries: Dirent[] = [];
  try {
    for (let e = handle.readSync(); e; e = handle.readSync()) entries.push(e);
  } finally {
    handle.closeSync();
  }
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (!e.name.endsWith(PLUMB) || e.name.startsWith('.')) continue;
    const file = join(abs, e.name);
    try {
      // A link in the folder is followed only to a regular `.plumb` file.
      const target = realpathSync(file);
      if (!target.endsWith(PLUMB) || !statSync(target).isFile()) continue;
    } catch {
      continue;
    }
    files.push({ abs: file, shown: `${shown}/${e.name}` });
  }
  return files.length > 0 ? { files } : { problem: { kind: 'missing', shown } };
}
