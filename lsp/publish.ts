// Publishing a project's diagnostics: each file gets its share (a module's problems at the
// import that brought it in, a file that is not analysed the reason why, the proof's findings),
// at most MAX_DIAGNOSTICS_PER_FILE of them, and a list identical to the one last sent to a file
// that is not open is not sent again.

import { DiagnosticSeverity, type Connection, type Diagnostic } from 'vscode-languageserver';
import type { Diagnostic as PlumbDiagnostic } from '../language/diagnostic.js';
import { toLspDiagnostic } from './convert.js';
import { atImportSite } from './project-modules.js';
import { proofDiagnostics, type ProofState } from './verification.js';
import type { Project } from './workspace.js';

export class DiagnosticPublisher {
  /** The diagnostics last sent per URI, to skip resending identical lists. */
  private readonly sent = new Map<string, string>();
  /** The URIs each project has published diagnostics for (to clear those of deleted files). */
  private readonly publishedUris = new Map<Project, Set<string>>();

  constructor(private readonly connection: Connection) {}

  /** Sends each file of the project its share of `current`, with the proof's findings. */
  publish(project: Project, current: readonly PlumbDiagnostic[], proof: ProofState | undefined): void {
    const byFile = new Map<string, Diagnostic[]>();
    const files = [...project.files.values()];
    const notAnalysed = project.notAnalysed();
    for (const f of files) byFile.set(f.name, []);
    for (const d of current) {
      // A module's problems show at the import that brought it in.
      const imported = project.files.has(d.span.file) ? undefined : atImportSite(d, project.modules, project.files);
      const file = imported?.file ?? project.fileByName(d.span.file) ?? files[0];
      if (file && byFile.has(file.name) && !notAnalysed.has(file.name)) byFile.get(file.name)!.push(toLspDiagnostic(imported?.diagnostic ?? d, file, project));
    }
    for (const [name, reason] of notAnalysed) byFile.get(name)!.push(refusalDiagnostic(reason));
    if (proof) for (const f of files) byFile.get(f.name)!.push(...proofDiagnostics(proof, f, project));
    const uris = new Set(files.map((f) => f.uri));
    for (const uri of this.publishedUris.get(project) ?? []) {
      if (uris.has(uri)) continue;
      this.sent.delete(uri);
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    this.publishedUris.set(project, uris);
    for (const f of files) {
      const diagnostics = capped(byFile.get(f.name)!);
      const json = JSON.stringify(diagnostics);
      // Open documents always get an answer for their version (clients wait for it).
      if (!f.open && this.sent.get(f.uri) === json) continue;
      this.sent.set(f.uri, json);
      void this.connection.sendDiagnostics({ uri: f.uri, ...(f.version !== undefined ? { version: f.version } : {}), diagnostics });
    }
  }

  /** Takes back every diagnostic the project published (its last open document closed). */
  clear(project: Project): void {
    for (const uri of this.publishedUris.get(project) ?? []) {
      this.sent.delete(uri);
      void this.connection.sendDiagnostics({ uri, diagnostics: [] });
    }
    this.publishedUris.delete(project);
  }
}

/** Editors slow down with thousands of markers: show the most severe ones and say what is left out. */
export const MAX_DIAGNOSTICS_PER_FILE = 1000;

function refusalDiagnostic(message: string): Diagnostic {
  return {
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: DiagnosticSeverity.Error,
    source: 'plumb',
    message,
  };
}

function capped(diagnostics: Diagnostic[]): Diagnostic[] {
  if (diagnostics.length <= MAX_DIAGNOSTICS_PER_FILE) return diagnostics;
  const kept = [...diagnostics]
    .sort((a, b) => (a.severity ?? 1) - (b.severity ?? 1) || a.range.start.line - b.range.start.line)
    .slice(0, MAX_DIAGNOSTICS_PER_FILE);
  kept.push({
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
    severity: 3,
    source: 'plumb',
    message: `${diagnostics.length - MAX_DIAGNOSTICS_PER_FILE} more diagnostics in this file are not shown; \`plumb check\` lists them all`,
  });
  return kept;
}
