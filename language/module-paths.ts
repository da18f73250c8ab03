// The paths of modules, as strings only (the front end reads no files): an import's PATH joined
// to the importing file's folder names a `.plumb` file or a folder of them among the files of
// the intent. The reader of the intent's files (pipeline/sources.ts) shows the files it reads
// through imports by the same join, so that both agree on every path.

/** An import the reader could not follow: the path as shown, and why. */
export interface ImportProblem {
  kind: 'missing' | 'not-plumb';
  /** The resolved path, as shown. */
  shown: string;
}

const PLUMB = '.plumb';

/** `a/b/../c/./d/` → `a/c/d`; a path going above its start keeps its leading `..`. */
export function normalizePath(path: string): string {
  const absolute = path.startsWith('/');
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..' && out.length > 0 && out[out.length - 1] !== '..') out.pop();
    else if (part !== '..' || !absolute) out.push(part);
  }
  const joined = out.join('/');
  return absolute ? `/${joined}` : joined || '.';
}

export function folderOf(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '.' : at === 0 ? '/' : path.slice(0, at);
}

/** The path an import names, as shown: the importing file's folder joined with PATH. */
export function importedPath(from: string, path: string): string {
  const folder = folderOf(from);
  return normalizePath(folder === '.' ? path : `${folder}/${path}`);
}

/** The default name of an import: the file's or folder's base name, without `.plumb`. */
export function moduleBaseName(path: string): string {
  const base = normalizePath(path).split('/').pop() ?? '';
  return base.endsWith(PLUMB) ? base.slice(0, -PLUMB.length) : base;
}

/**
 * Which module each file belongs to ('' for the root intent) and which module each import
 * names. `roots` are the files given as the intent (the reader knows them); without it, the
 * files no import names are the root.
 */
export function linkPaths(files: readonly string[], imports: readonly { from: string; path: string }[], roots?: ReadonlySet<string>) {
  const fileSet = new Set(files);
  const byFolder = new Map<string, string[]>();
  for (const f of files) {
    if (!f.endsWith(PLUMB)) continue;
    const list = byFolder.get(folderOf(f)) ?? [];
    list.push(f);
    byFolder.set(folderOf(f), list);
  }
  /** The module key of an imported path: the file itself, or the folder. */
  const keyOf = (p: string): string | undefined => (p.endsWith(PLUMB) && fileSet.has(p) ? p : byFolder.has(p) ? p : undefined);
  const targeted = new Set<string>();
  for (const i of imports) {
    const key = keyOf(importedPath(i.from, i.path));
    if (key !== undefined) targeted.add(key);
  }
  const memberKey = (f: string): string | undefined => (targeted.has(f) ? f : targeted.has(folderOf(f)) ? folderOf(f) : undefined);
  let rootFiles = roots ? new Set(files.filter((f) => roots.has(f))) : new Set(files.filter((f) => memberKey(f) === undefined));
  if (rootFiles.size === 0 && files.length > 0) rootFiles = new Set([files[0]!]);
  const moduleOf = (f: string): string => (rootFiles.has(f) ? '' : (memberKey(f) ?? ''));
  return {
    moduleOf,
    /** The module an import names; '' when it names the root intent's own files (a cycle). */
    target(from: string, path: string): string {
      const key = keyOf(importedPath(from, path))!;
      if (rootFiles.has(key)) return '';
      if (byFolder.has(key) && byFolder.get(key)!.some((f) => rootFiles.has(f))) return '';
      return key;
    },
    /** Why an import names no file of the intent (for texts given in memory, without a reader). */
    problem(from: string, path: string): ImportProblem | undefined {
      const shown = importedPath(from, path);
      if (keyOf(shown) !== undefined) return undefined;
      const base = shown.split('/').pop() ?? '';
      return { kind: base.includes('.') && !base.endsWith(PLUMB) ? 'not-plumb' : 'missing', shown };
    },
  };
}
