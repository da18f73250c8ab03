// The files the server knows, grouped into projects: one project is one intent, the `*.plumb`
// files of one folder. Open documents override what is on disk. A project's analysis is
// recomputed only when a file's content changed (content hashes), so requests between edits reuse it.
// A file Plumb does not analyse (larger than the limit, or an open document whose text the server
// lost track of) takes part as an empty file that carries the reason, shown as its one diagnostic.
// Only `*.plumb` files are ever read from disk, whatever URI the client names.

import { statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { readSourceFile } from '../pipeline/sources.js';
import type { ParseResult } from '../language/ast.js';
import { CheckMemo, LOCK_FILE_NAME, ResolveMemo, type Analysis, type AnalyzeOptions, type FrontEnd } from './frontend.js';
import { IncrementalParser } from './incremental-parse.js';
import { ProjectModules } from './project-modules.js';
import { isPlumbFileName, listPlumbFiles, locate, mib, notReadMessage, readDiskFile } from './disk-files.js';
import { SymbolIndex } from './symbol-index.js';
import { MAX_DOCUMENT_BYTES, MAX_INTENT_BYTES } from './limits.js';
import { contentHash, LineIndex } from './text.js';

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
    /** Why the file is not analysed (its text is then empty), as a sentence for the user. */
    readonly refusal?: string,
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

  private byteLength: number | undefined;
  /** The text's size in UTF-8 bytes, as the CLI's limits count it. */
  get bytes(): number {
    this.byteLength ??= Buffer.byteLength(this.text, 'utf8');
    return this.byteLength;
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
  /**
   * Files whose parse threw (a bug in Plumb), with the error: such a file takes part as an
   * empty file, so that one file the parser cannot read does not stop the checks of its folder.
   */
  readonly parseFailures = new Map<string, string>();
  /** The modules the files import, read from disk (lsp/project-modules.ts). */
  readonly modules = new ProjectModules();
  private readonly moduleFiles = new Map<string, ProjectFile>();
  /** What the last resolution kept: the declarations an edit did not touch are not resolved again. */
  private readonly resolveMemo = new ResolveMemo();
  /** What the last analysis's checks kept: the policies an edit did not touch are not checked again. */
  private readonly checkMemo = new CheckMemo();

  constructor(
    /** The folder's path, or the URI of a document that is not a file. */
    readonly id: string,
    readonly folder: string | undefined,
  ) {}

  /** The key of the files as they are now (the folder's plumb.lock with them). */
  get key(): string {
    const files = [...this.files.values()]
      .sort((a, b) => (a.name < b.name ? -1 : 1))
      .map((f) => `${f.name}\u0000${f.hash}`)
      .join('\u0001');
    const lock = this.lock();
    const modules = this.modules.refresh(this.folder, [...this.files.values()]);
    return `${lock ? `${files}\u0002${lock.stamp}` : files}${modules ? `\u0003${modules}` : ''}`;
  }

  private lockRead: { stamp: string; source?: { path: string; text: string } } | undefined;

  /**
   * The folder's allocation lock (plumb.lock), as the CLI reads it with the intent: read again
   * when its modification time or size changes (plumb compile -o and plumb lock rewrite it).
   */
  lock(): { stamp: string; source?: { path: string; text: string } } | undefined {
    if (!this.folder) return undefined;
    const path = join(this.folder, LOCK_FILE_NAME);
    let stamp: string;
    try {
      const st = statSync(path);
      stamp = `${st.mtimeMs}:${st.size}:${st.ino}`;
    } catch {
      this.lockRead = undefined;
      return undefined;
    }
    if (this.lockRead?.stamp === stamp) return this.lockRead;
    const read = readSourceFile(path, LOCK_FILE_NAME, MAX_DOCUMENT_BYTES);
    this.lockRead = 'text' in read ? { stamp, source: { path: LOCK_FILE_NAME, text: read.text } } : { stamp };
    return this.lockRead;
  }

  /** True when the last analysis no longer matches the files. */
  get stale(): boolean {
    return this.current === undefined || this.current.key !== this.key;
  }

  /**
   * The files, by name, past which the intent's files together exceed the CLI's limit for one
   * intent: `plumb check` refuses such an intent; here those files are not analysed.
   */
  private overBudget(): Set<string> {
    const out = new Set<string>();
    let total = 0;
    for (const f of [...this.files.values()].sort((a, b) => (a.name < b.name ? -1 : 1))) {
      total += f.bytes;
      if (total > MAX_INTENT_BYTES) out.add(f.name);
    }
    return out;
  }

  /** Why each file whose text is not analysed (it takes part as an empty file) is not, by name. */
  notAnalysed(): Map<string, string> {
    const out = new Map<string, string>();
    const over = this.overBudget();
    for (const file of this.files.values()) {
      const failure = this.parseFailures.get(file.name);
      if (file.refusal !== undefined) out.set(file.name, file.refusal);
      else if (over.has(file.name)) {
        out.set(
          file.name,
          `the intent's files together are more than the ${mib(MAX_INTENT_BYTES)} Plumb checks as one intent (\`plumb check\` has the same limit), ` +
            'so this file and the ones after it by name are not checked; split the folder into several intents',
        );
      } else if (failure !== undefined) {
        out.set(file.name, `internal error: Plumb could not parse this file (a bug in Plumb: ${failure}), so it is not checked`);
      }
    }
    return out;
  }

  /** Each file's name and the text analysed for it (empty past the limit for one intent). */
  analysedTexts(): { name: string; text: string }[] {
    const over = this.overBudget();
    return [...this.files.values()].map((f) => ({ name: f.name, text: over.has(f.name) ? '' : f.text }));
  }

  /**
   * The analysis of the files as they are now (computed here if stale). A project analysed with
   * `{ intent: false }` (the worker's, which wants diagnostics only) is always analysed so.
   */
  analysis(frontEnd: FrontEnd, options: AnalyzeOptions = {}): ProjectAnalysis {
    const key = this.key;
    if (this.current && this.current.key === key) return this.current;
    const started = performance.now();
    const cpuStarted = process.cpuUsage();
    const files = [...this.files.values()].sort((a, b) => (a.name < b.name ? -1 : 1));
    const over = this.overBudget();
    const parsed = files.map((f) => {
      if (over.has(f.name)) return frontEnd.parse('', f.name);
      const cached = this.parsed.get(f.name);
      if (cached && cached.hash === f.hash) return cached.result;
      let parser = this.parsers.get(f.name);
      if (!parser) this.parsers.set(f.name, (parser = new IncrementalParser(frontEnd.parse, f.name, frontEnd.parseBlockMembers)));
      let result: ParseResult;
      try {
        result = parser.parse(f.text);
        this.parseFailures.delete(f.name);
      } catch (err) {
        this.parsers.delete(f.name);
        result = frontEnd.parse('', f.name);
        this.parseFailures.set(f.name, err instanceof Error ? err.message : String(err));
      }
      this.parsed.set(f.name, { hash: f.hash, result });
      return result;
    });
    const modules = [...this.modules.files.values()].map((m) => {
      let file = this.moduleFiles.get(m.name);
      if (!file || file.text !== m.text) this.moduleFiles.set(m.name, (file = new ProjectFile(m.name, m.uri, m.text, undefined)));
      const cached = this.parsed.get(m.name);
      if (cached && cached.hash === file.hash) return cached.result;
      const result = frontEnd.parse(m.text, m.name);
      this.parsed.set(m.name, { hash: file.hash, result });
      return result;
    });
    for (const name of this.moduleFiles.keys()) if (!this.modules.files.has(name)) this.moduleFiles.delete(name);
    for (const name of this.parsed.keys()) {
      if (!this.files.has(name) && !this.moduleFiles.has(name)) {
        this.parsed.delete(name);
        this.parsers.delete(name);
        this.parseFailures.delete(name);
      }
    }
    const lock = this.lock()?.source;
    const result = frontEnd.analyzeParsed([...parsed, ...modules], lock ? [lock] : [], {
      roots: new Set(files.map((f) => f.name)),
      problems: this.modules.problems,
    }, { ...options, resolveMemo: this.resolveMemo, checkMemo: this.checkMemo });
    const cpu = process.cpuUsage(cpuStarted);
    this.current = new ProjectAnalysis(key, result, performance.now() - started, (cpu.user + cpu.system) / 1000);
    return this.current;
  }

  /** The last analysis, possibly of older contents (completion uses it while text is invalid). */
  get lastAnalysis(): ProjectAnalysis | undefined {
    return this.current;
  }

  /** A file of the project, or of a module it imports (named from the project's folder). */
  fileByName(name: string): ProjectFile | undefined {
    return this.files.get(name) ?? this.moduleFiles.get(name);
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
        // Reading stops at the limit for one intent: a folder of thousands of large files costs
        // their names, not their contents.
        let total = 0;
        for (const name of listPlumbFiles(location.folder)) {
          const uri = pathToFileURL(join(location.folder, name)).href;
          if (total > MAX_INTENT_BYTES) {
            project.files.set(name, new ProjectFile(name, uri, '', undefined, notReadMessage()));
            continue;
          }
          const read = readDiskFile(join(location.folder, name));
          if (read === undefined) continue;
          const file = new ProjectFile(name, uri, read.text, undefined, read.refusal);
          total += file.bytes;
          project.files.set(name, file);
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

  /**
   * An editor opened or changed a document: its text now overrides the disk. With a refusal
   * (the text is too large, or unknown) the file takes part as an empty file that says why.
   */
  setDocument(uri: string, text: string, version: number, refusal?: string): Project {
    const project = this.projectOf(uri);
    const { name } = locate(uri);
    project.files.set(name, refusal === undefined ? new ProjectFile(name, uri, text, version) : new ProjectFile(name, uri, '', version, refusal));
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
    if (!project || project.files.get(location.name)?.open || !isPlumbFileName(location.name)) return undefined;
    this.reloadFromDisk(project, location.name, uri);
    return project;
  }

  private reloadFromDisk(project: Project, name: string, uri: string): void {
    // A document that is not a `*.plumb` file (say /etc/passwd opened by its URI) leaves with its
    // editor: the server never reads it from disk.
    const read = project.folder && isPlumbFileName(name) ? readDiskFile(join(project.folder, name)) : undefined;
    if (read === undefined) project.files.delete(name);
    else project.files.set(name, new ProjectFile(name, project.files.get(name)?.uri ?? uri, read.text, undefined, read.refusal));
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
