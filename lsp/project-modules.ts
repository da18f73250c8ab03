// The modules a project's files import (docs/language.md, "Modules"), read from disk by the
// reader the CLI uses (pipeline/sources.ts), so that the editor and `plumb check` link the same
// files. They are read again when a project file's text changes or a module file changes on
// disk (its modification time, size or inode), as the folder's plumb.lock is.

import { statSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { InputError, readImportedModules } from '../pipeline/sources.js';
import type { Diagnostic as PlumbDiagnostic } from '../language/diagnostic.js';
import type { ProjectFile } from './workspace.js';

type Problems = ReturnType<typeof readImportedModules>['problems'];

export class ProjectModules {
  /** The module files by the path the front end sees (relative to the project's folder). */
  readonly files = new Map<string, { name: string; uri: string; text: string; abs: string }>();
  /** For each module file, the import of a project file that led to it. */
  readonly via = new Map<string, { file: string; path: string }>();
  problems: Problems = new Map();
  /** Why the modules could not be read (over the intent's limits), for the importing file. */
  failure: string | undefined;
  private rootsKey = '';
  private stamps = '';

  /** Reads the modules again when needed; returns a stamp of what was read, for the project's key. */
  refresh(folder: string | undefined, roots: readonly ProjectFile[]): string {
    const importing = folder !== undefined && roots.some((f) => f.text.includes('import'));
    const rootsKey = importing ? roots.map((f) => `${f.name}\u0000${f.hash}`).join('\u0001') : '';
    if (rootsKey === this.rootsKey && this.stampNow() === this.stamps) return this.stamps;
    this.rootsKey = rootsKey;
    this.files.clear();
    this.via.clear();
    this.problems = new Map();
    this.failure = undefined;
    if (importing) {
      try {
        const read = readImportedModules(folder, roots.map((f) => ({ path: f.name, text: f.text })));
        for (const m of read.modules) {
          this.files.set(m.source.path, { name: m.source.path, uri: pathToFileURL(m.abs).href, text: m.source.text, abs: m.abs });
          if (m.via) this.via.set(m.source.path, m.via);
        }
        this.problems = read.problems;
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        this.failure = err.hint ? `${err.message} (${err.hint})` : err.message;
      }
    }
    this.stamps = this.stampNow();
    return this.stamps;
  }

  private stampNow(): string {
    const out: string[] = [];
    for (const f of this.files.values()) {
      try {
        const st = statSync(f.abs);
        out.push(`${f.name}:${st.mtimeMs}:${st.size}:${st.ino}`);
      } catch {
        out.push(`${f.name}:gone`);
      }
    }
    return out.join('\u0001');
  }
}

/**
 * A diagnostic of an imported module, as the importing file shows it: at the string of the
 * import that led to the module, saying where in the module it is (the related information
 * points there too).
 */
export function atImportSite(d: PlumbDiagnostic, modules: ProjectModules, files: ReadonlyMap<string, ProjectFile>): { file: ProjectFile; diagnostic: PlumbDiagnostic } | undefined {
  const via = modules.via.get(d.span.file);
  const file = via && files.get(via.file);
  if (!via || !file) return undefined;
  const match = new RegExp(`^[ \\t]*import[ \\t]+("${escapeRegExp(via.path)}")`, 'm').exec(file.text);
  const start = match ? match.index + match[0].length - match[1]!.length : 0;
  const end = match ? start + match[1]!.length : 0;
  const position = (offset: number) => {
    const p = file.lines.positionAt(offset);
    return { line: p.line + 1, column: p.character + 1, offset };
  };
  return {
    file,
    diagnostic: {
      ...d,
      span: { file: file.name, start: position(start), end: position(end) },
      message: `in the imported ${d.span.file}:${d.span.start.line}:${d.span.start.column}: ${d.message}`,
      related: [{ span: d.span, message: 'here in the module' }, ...d.related],
      fix: undefined,
    } as PlumbDiagnostic,
  };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
