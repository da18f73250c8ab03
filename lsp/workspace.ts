// The files the server knows, grouped into projects: one project is one intent, the `*.plumb`
// files of one folder. Open documents override what is on disk. A project's analysis is
// recomputed only when a file's content changed (content hashes), so requests between edits reuse it.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { ParseResult } from '../language/ast.js';
import type { Analysis, FrontEnd } from './frontend.js';
import { IncrementalParser } from './incremental-parse.js';
import { SymbolIndex } from './symbol-index.js';
import { contentHash, LineIndex } from './text.js';

/** Files larger than this are not read from disk (the CLI's limit too). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

export class ProjectFile {
  private lineIndex: LineIndex | undefined;
  readonly hash: string;

  constructor(
    /** The path the front end sees (the file's name inside its folder). */
    readonly name: string,
    readonly uri: string,
    readonly text: string,
    /** The editor's version of an open document; undefined for a file read from disk. */
    readonly version: number | undefined,
  ) {
    this.hash = contentHash(text);
  }

  get open(): boolean {
    return this.version !== undefined;
  }

  get lines(): LineIndex {
    this.lineIndex ??= new LineIndex(this.text);
    return this.lineIndex;
  }
}

export class ProjectAnalysis {
  private symbolIndex: SymbolIndex | undefined;

  constructor(
    /** Identifies the file contents analysed: equal keys, equal analyses. */
    readonly key: string,
    readonly result: Analysis,
    readonly millis: number,
    /** CPU time of the check (steadier than `millis` on a busy machine). */
    readonly cpuMillis: number,
  ) {}

  /** Built on the first question, not on every edit: publishing diagnostics does not need it. */
  get index(): SymbolIndex {
    this.symbolIndex ??= new SymbolIndex(this.result.symbols);
    return this.symbolIndex;
  }
}

export class Project {
  readonly files = new Map<string, ProjectFile>();
  private current: ProjectAnalysis | undefined;
  /** Parse results by file name, reused while the file's content hash is unchanged. */
  private readonly parsed = new Map<string, { hash: string; result: ParseResult }>();
  /** Per file, the chunks of its last parse: an edit re-parses only the chunks it touched. */
  private readonly parsers = new Map<string, IncrementalParser>();

  constructor(
    /** The folder's path, or the URI of a document that is not a file. */
    readonly id: string,
    readonly folder: string | undefined,
  ) {}

  /** The key of the files as they are now. */
  get key(): string {
    return [...this.files.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((f) => `${f.name}\u0000${f.hash}`)
      .join('\u0001');
  }

  /** True when the last analysis no longer matches the files. */
  get stale(): boolean {
    return this.current === undefined || this.current.key !== this.key;
  }

  /** The analysis of the files as they are now (computed here if stale). */
  analysis(frontEnd: FrontEnd): ProjectAnalysis {
    const key = this.key;
    if (this.current && this.current.key === key) return this.current;
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const files = [...this.files.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const parsed = files.map((f) => {
      const cached = this.parsed.get(f.name);
      if (cached && cached.hash === f.hash) return cached.result;
      let parser = this.parsers.get(f.name);
      if (!parser) this.parsers.set(f.name, (parser = new IncrementalParser(frontEnd.parse, f.name)));
      const result = parser.parse(f.text);
      this.parsed.set(f.name, { hash: f.hash, result });
      return result;
    });
    for (const name of this.parsed.keys()) {
      if (!this.files.has(name)) {
        this.parsed.delete(name);
        this.parsers.delete(name);
      }
    }
    const result = frontEnd.analyzeParsed(parsed);
    const cpu = process.cpuUsage(cpuStarted);
    this.current = new ProjectAnalysis(key, result, performance.now() - started, (cpu.user + cpu.system) / 1000);
    return this.current;
  }

  /** The last analysis, possibly of older contents (completion uses it while text is invalid). */
  get lastAnalysis(): ProjectAnalysis | undefined {
    return this.current;
  }

  fileByName(name: string): ProjectFile | undefined {
    return this.files.get(name);
  }
}

export class Workspace {
  private readonly projects = new Map<string, Project>();

  constructor(private readonly frontEnd: FrontEnd) {}

  /** The project a document belongs to, created (and its folder read) on first use. */
  projectOf(uri: string): Project {
    const location = locate(uri);
    let project = this.projects.get(location.projectId);
    if (!project) {
      project = new Project(location.projectId, location.folder);
      if (location.folder) {
        for (const name of listPlumbFiles(location.folder)) {
          const text = readText(join(location.folder, name));
          if (text !== undefined) {
            project.files.set(name, new ProjectFile(name, pathToFileURL(join(location.folder, name)).href, text, undefined));
          }
        }
      }
      this.projects.set(location.projectId, project);
    }
    return project;
  }

  /** The project and file of a URI, if the server knows it. */
  find(uri: string): { project: Project; file: ProjectFile } | undefined {
    const location = locate(uri);
    const project = this.projects.get(location.projectId);
    const file = project?.files.get(location.name);
    return project && file ? { project, file } : undefined;
  }

  /** An editor opened or changed a document: its text now overrides the disk. */
  setDocument(uri: string, text: string, version: number): Project {
    const project = this.projectOf(uri);
    const { name } = locate(uri);
    project.files.set(name, new ProjectFile(name, uri, text, version));
    return project;
  }

  /** An editor closed a document: the file on disk counts again (or the file is gone). */
  closeDocument(uri: string): Project | undefined {
    const location = locate(uri);
    const project = this.projects.get(location.projectId);
    if (!project) return undefined;
    this.reloadFromDisk(project, location.name, uri);
    return project;
  }

  /** A file changed on disk; open documents keep the editor's text. */
  diskChanged(uri: string): Project | undefined {
    const location = locate(uri);
    const project = this.projects.get(location.projectId);
    if (!project || project.files.get(location.name)?.open) return undefined;
    this.reloadFromDisk(project, location.name, uri);
    return project;
  }

  private reloadFromDisk(project: Project, name: string, uri: string): void {
    const text = project.folder ? readText(join(project.folder, name)) : undefined;
    if (text === undefined) project.files.delete(name);
    else project.files.set(name, new ProjectFile(name, project.files.get(name)?.uri ?? uri, text, undefined));
  }

  analysis(project: Project): ProjectAnalysis {
    return project.analysis(this.frontEnd);
  }

  /** The file formatted as `plumb fmt` would, or undefined when it does not parse. */
  format(file: ProjectFile): string | undefined {
    return this.frontEnd.format(file.text, file.name).text;
  }

  /** Forgets a project (its last open document closed): its files and caches are freed. */
  forget(project: Project): void {
    if (this.projects.get(project.id) === project) this.projects.delete(project.id);
  }

  allProjects(): Project[] {
    return [...this.projects.values()];
  }
}

interface Location {
  projectId: string;
  folder: string | undefined;
  name: string;
}

function locate(uri: string): Location {
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

function listPlumbFiles(folder: string): string[] {
  try {
    return readdirSync(folder, { withFileTypes: true })
      .filter((e) => e.isFile() && e.name.endsWith('.plumb') && !e.name.startsWith('.'))
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

function readText(path: string): string | undefined {
  try {
    if (statSync(path).size > MAX_FILE_BYTES) return undefined;
    const text = readFileSync(path, 'utf8');
    return text.includes('\u0000') ? undefined : text;
  } catch {
    return undefined;
  }
}

