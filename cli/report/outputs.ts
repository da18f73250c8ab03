// Several report formats from one run: the main format goes to stdout, the others to files
// (`--json F --sarif F --junit F`) and GitHub annotations (`--github`) to stdout after it, so
// that CI proves once and gets every report. A report file is written whole or not at all.

import { lstatSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { visibleText } from '../../language/safe-text.js';
import { UsageError } from '../io.js';

export const FILE_FORMATS = ['json', 'sarif', 'junit'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

/** The report files a command was asked for (absent: not asked). */
export type ReportFileOptions = Partial<Record<FileFormat, string>>;

/** The formats asked for as files, each with its path; two formats to one path is a usage error. */
export function requestedFiles(opts: ReportFileOptions, cwd: string): { format: FileFormat; path: string; abs: string }[] {
  const out: { format: FileFormat; path: string; abs: string }[] = [];
  for (const format of FILE_FORMATS) {
    const path = opts[format];
    if (path === undefined) continue;
    if (path === '') throw new UsageError(`--${format} needs a file name`, `e.g. --${format} plumb.${format === 'junit' ? 'xml' : format}`);
    const abs = resolve(cwd, path);
    const clash = out.find((o) => o.abs === abs);
    if (clash) throw new UsageError(`--${clash.format} and --${format} name the same file ${visibleText(path)}`, 'give each report its own file');
    out.push({ format, path, abs });
  }
  return out;
}

/**
 * Checks before any work that every report file can be written where asked: its folder exists
 * and it is not a folder itself (a long proof should not end in "cannot write").
 */
export function checkReportTargets(files: readonly { format: FileFormat; path: string; abs: string }[]): void {
  for (const f of files) {
    const shown = visibleText(f.path);
    let dir;
    try {
      dir = lstatSync(dirname(f.abs));
    } catch {
      throw new UsageError(`cannot write --${f.format} ${shown}: its folder does not exist`, 'create the folder first, or give another path');
    }
    if (!dir.isDirectory()) throw new UsageError(`cannot write --${f.format} ${shown}: ${visibleText(dirname(f.path))} is not a folder`, 'give another path');
    try {
      if (lstatSync(f.abs).isDirectory()) throw new UsageError(`cannot write --${f.format} ${shown}: it is a folder`, 'name a file');
    } catch (err) {
      if (err instanceof UsageError) throw err;
    }
  }
}

/** Writes a report by a temporary file beside it and a rename: readers never see half a report. */
export function writeReportFile(abs: string, shown: string, text: string): void {
  const temp = join(dirname(abs), `.${basename(abs)}.${process.pid}.tmp`);
  try {
    writeFileSync(temp, text, { flag: 'wx' });
    renameSync(temp, abs);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    if (code !== 'EEXIST') rmSync(temp, { force: true });
    throw new UsageError(`cannot write ${visibleText(shown)}: ${code}`, 'the report is written to a temporary file beside it and renamed, so its folder must be writable');
  }
}
