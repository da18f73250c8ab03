// Which folders `plumb compile -o DIR` may write into. Two kinds of rule:
// - where DIR is (`outputLocationProblem`): never the filesystem root, the home folder, the
//   working directory or an ancestor of one of them, never a folder that is, holds or lies
//   above one of the intent's sources, and never a symbolic link unless the caller asked to
//   follow it. Paths are compared after resolving links, so `-o ./proj/..` or a link to the
//   sources is caught too.
// - what DIR holds (`replaceableProblem`): absent, empty, a Plumb output (a readable
//   manifest.json) or one whose write was interrupted (a journal). A non-empty folder without
//   a manifest is someone else's and is left alone.
// Each problem comes with a hint; the CLI turns it into exit 2.

import { existsSync, lstatSync, readdirSync, readlinkSync, realpathSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { MANIFEST_FILE, readManifest } from './manifest.js';
import { LOCK_FILE } from './output-lock.js';

export const JOURNAL_FILE = '.plumb-write.json';
export const STAGING_PREFIX = '.plumb-staging-';
/** Where a run puts its files before it takes the lock (output-pending.ts). */
export const PENDING_PREFIX = '.plumb-pending-';

export interface OutputProblem {
  message: string;
  hint: string;
}

/** Plumb's own working entries in DIR: the lock, the journal, staging and pending folders. */
export function isWorkEntry(name: string): boolean {
  return (
    name === LOCK_FILE ||
    name === JOURNAL_FILE ||
    /^\.plumb-(?:staging|pending)-\d+$/.test(name) ||
    /^\.plumb-lock\.(?:stale-\d+|\d+\.new)$/.test(name)
  );
}

/** `path` with every symbolic link resolved, also when its last parts do not exist yet. */
export function canonicalPath(path: string): string {
  const abs = resolve(path);
  const rest: string[] = [];
  let at = abs;
  for (;;) {
    try {
      return join(realpathSync(at), ...rest.reverse());
    } catch {
      const up = dirname(at);
      if (up === at) return abs;
      rest.push(basename(at));
      at = up;
    }
  }
}

/** Whether `inner` is `outer` or lies inside it (both canonical). */
function within(inner: string, outer: string): boolean {
  const rel = relative(outer, inner);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

export interface OutputLocation {
  /** The intent's files and folders as given, absolute. */
  sources: readonly string[];
  cwd: string;
  /** Default: the user's home folder. */
  home?: string;
  /** Write into the target of DIR when DIR is a symbolic link. */
  followSymlink?: boolean;
}

/**
 * Where to write for `-o DIR` (DIR absolute, `shown` as the user wrote it): the folder itself,
 * or the link's target with `followSymlink`; or why DIR is refused.
 */
export function outputLocationProblem(
  dir: string,
  shown: string,
  where: OutputLocation,
): { dir: string } | { problem: OutputProblem } {
  let target = dir;
  const st = lstatOrUndefined(dir);
  if (st?.isSymbolicLink()) {
    const to = readlinkSync(dir);
    if (!where.followSymlink) {
      return {
        problem: {
          message: `${shown} is a symbolic link (to ${to}); Plumb does not write through links unless asked`,
          hint: `give the folder itself (-o ${resolve(dirname(dir), to)}), or add --follow-symlink to write into the link's target`,
        },
      };
    }
    if (!existsSync(dir)) {
      return {
        problem: { message: `${shown} is a symbolic link to ${to}, which does not exist`, hint: 'create the target folder first, or give another folder' },
      };
    }
    target = realpathSync(dir);
  }
  const real = canonicalPath(target);
  const refuse = (message: string, hint = 'choose a folder of its own for the output, such as ./out'): { problem: OutputProblem } => ({
    problem: { message, hint },
  });
  if (dirname(real) === real) return refuse(`${shown} is the root of the filesystem; Plumb never writes its output there`);
  const home = canonicalPath(where.home ?? homedir());
  if (real === home) return refuse(`${shown} is your home folder; Plumb never writes its output there`);
  if (within(home, real)) return refuse(`${shown} contains your home folder (${home}); Plumb never writes its output there`);
  const cwd = canonicalPath(where.cwd);
  if (real === cwd) return refuse(`${shown} is the working directory; Plumb writes its output into a folder of its own`);
  if (within(cwd, real)) return refuse(`${shown} contains the working directory (${cwd}); Plumb writes its output into a folder of its own`);
  for (const source of where.sources) {
    const s = canonicalPath(source);
    if (real === s) return refuse(`${shown} is one of the intent's sources (${source}); writing there could overwrite the sources`);
    if (within(s, real)) return refuse(`${shown} contains the intent's source ${relative(real, s)}; writing there could overwrite the sources`);
  }
  return { dir: target };
}

function lstatOrUndefined(path: string) {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

/**
 * Why the contents of `dir` forbid writing an output there, or undefined when it may be written
 * (absent, empty, a Plumb output with a readable manifest, or an interrupted write).
 */
export function replaceableProblem(dir: string, shown = dir): OutputProblem | undefined {
  const st = lstatOrUndefined(dir);
  if (!st) return undefined;
  if (st.isSymbolicLink())
    return { message: `${shown} is a symbolic link`, hint: 'give the folder itself, or add --follow-symlink' };
  if (!st.isDirectory()) return { message: `${shown} exists and is not a folder`, hint: 'choose another name for the output folder' };
  const names = readdirSync(dir);
  if (names.includes(JOURNAL_FILE)) return undefined; // interrupted: the next write recovers it
  const others = names.filter((n) => !isWorkEntry(n));
  if (others.length === 0) return undefined;
  if (!others.includes(MANIFEST_FILE)) {
    return {
      message: `${shown} is not empty and has no ${MANIFEST_FILE}: it is not a Plumb output folder, so it is left alone`,
      hint: 'choose another folder, or an empty one',
    };
  }
  if (!lstatSync(join(dir, MANIFEST_FILE)).isFile()) {
    return { message: `${join(shown, MANIFEST_FILE)} is not a regular file`, hint: 'remove it, or choose another folder' };
  }
  const read = readManifest(dir);
  if ('error' in read) {
    return {
      message: `${shown} holds a ${MANIFEST_FILE} that cannot be used (${read.error}), so Plumb cannot tell which files it wrote there`,
      hint: `restore ${join(shown, MANIFEST_FILE)} from the last compile, or choose another folder`,
    };
  }
  return undefined;
}
