// Go to definition, find references, document highlight and rename, all from the symbol index. Rename is checked:
// the new name must be a valid name and must not collide with any other declaration. Answers
// are bounded: at most MAX_REFERENCES locations; a rename of more than MAX_RENAME_EDITS uses, or
// in an intent with a file the server does not analyse, is refused rather than done in part.

import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DocumentHighlightKind, type DocumentHighlight, type DocumentLink, type Location, type Range, type TextEdit, type WorkspaceEdit } from 'vscode-languageserver';
import { importedPath, stringValue } from './frontend.js';
import { spanLocation, spanRange } from './convert.js';
import { MAX_REFERENCES, MAX_RENAME_EDITS } from './limits.js';
import { invalidNameReason } from './vocabulary.js';
import type { Project, ProjectAnalysis, ProjectFile } from './workspace.js';

export function definitionAt(project: Project, file: ProjectFile, offset: number, analysis: ProjectAnalysis): Location | undefined {
  const occurrence = analysis.index.at(file.name, offset);
  const def = occurrence && analysis.index.definition(occurrence.key);
  return def?.nameSpan ? spanLocation(def.nameSpan, project) : undefined;
}

export function referencesAt(
  project: Project,
  file: ProjectFile,
  offset: number,
  analysis: ProjectAnalysis,
  includeDeclaration: boolean,
): Location[] {
  const occurrence = analysis.index.at(file.name, offset);
  if (!occurrence) return [];
  const out: Location[] = [];
  for (const o of analysis.index.occurrencesOf(occurrence.key)) {
    if (out.length >= MAX_REFERENCES) break;
    if (o.declaration && !includeDeclaration) continue;
    const location = spanLocation(o.span, project);
    if (location) out.push(location);
  }
  return out;
}

/**
 * The symbol under the cursor in this document: its declaration (Write) and its uses (Read).
 * Bounded as references are.
 */
export function highlightsAt(file: ProjectFile, offset: number, analysis: ProjectAnalysis): DocumentHighlight[] {
  const occurrence = analysis.index.at(file.name, offset);
  if (!occurrence) return [];
  const out: DocumentHighlight[] = [];
  for (const o of analysis.index.occurrencesOf(occurrence.key)) {
    if (out.length >= MAX_REFERENCES) break;
    if (o.span.file !== file.name) continue;
    out.push({ range: spanRange(o.span, file), kind: o.declaration ? DocumentHighlightKind.Write : DocumentHighlightKind.Read });
  }
  return out;
}

/** Why a rename cannot happen here, as a message for the user. */
export class RenameRefused extends Error {}

/** The range of the renamable name at the offset and its current text. */
export function prepareRenameAt(file: ProjectFile, offset: number, analysis: ProjectAnalysis): { range: Range; placeholder: string } {
  const occurrence = analysis.index.at(file.name, offset);
  if (!occurrence) throw new RenameRefused('there is no name here to rename');
  const def = analysis.index.definition(occurrence.key);
  if (!def || !def.nameSpan) throw new RenameRefused(`\`${occurrence.key}\` is built in and cannot be renamed`);
  // A module's declaration used from an importer (`partners.dp`): the part after the dot is its name.
  const text = file.text.slice(occurrence.span.start.offset, occurrence.span.end.offset);
  const dot = text.lastIndexOf('.');
  const range = spanRange(occurrence.span, file);
  return dot < 0 ? { range, placeholder: text } : { range: { ...range, start: { ...range.start, character: range.start.character + dot + 1 } }, placeholder: text.slice(dot + 1) };
}

export function renameAt(
  project: Project,
  file: ProjectFile,
  offset: number,
  newName: string,
  analysis: ProjectAnalysis,
): WorkspaceEdit {
  prepareRenameAt(file, offset, analysis);
  const occurrence = analysis.index.at(file.name, offset)!;
  const def = analysis.index.definition(occurrence.key)!;
  const invalid = invalidNameReason(newName);
  if (invalid) throw new RenameRefused(invalid);
  const qualifier = def.key.includes('.') ? def.key.slice(0, def.key.lastIndexOf('.') + 1) : '';
  if (newName === def.name || qualifier + newName === def.key) return { changes: {} };
  // Devices live in their site's namespace (`site.device`), a module's declarations in the
  // module's (`partners.dp`); every other name in the file-wide one.
  const newKey = qualifier + newName;
  const clash = analysis.index.definition(newKey);
  if (clash) {
    const where = clash.nameSpan ? ` (${clash.nameSpan.file}:${clash.nameSpan.start.line})` : ' (built in)';
    throw new RenameRefused(`\`${newName}\` is already the name of ${clash.kind} \`${clash.key}\`${where}`);
  }
  const uses = analysis.index.occurrencesOf(def.key);
  if (uses.length > MAX_RENAME_EDITS) {
    throw new RenameRefused(`\`${def.name}\` is used ${uses.length} times, more than the ${MAX_RENAME_EDITS} one rename changes`);
  }
  for (const [name, reason] of project.notAnalysed()) {
    throw new RenameRefused(`${name} is not checked (${reason}), so its uses of \`${def.name}\` are unknown`);
  }
  const changes: Record<string, TextEdit[]> = {};
  for (const o of uses) {
    const target = project.fileByName(o.span.file);
    if (!target) continue;
    // An importer's `partners.dp` keeps its module's name: only the part after the dot changes.
    const written = target.text.slice(o.span.start.offset, o.span.end.offset);
    const dot = def.kind === 'device' ? -1 : written.lastIndexOf('.');
    (changes[target.uri] ??= []).push({ range: spanRange(o.span, target), newText: dot < 0 ? newName : `${written.slice(0, dot + 1)}${newName}` });
  }
  return { changes };
}

/**
 * The import strings of the file as links to what they import: the module's file, or its
 * folder. An import that names nothing readable (its diagnostic says why) has no link.
 */
export function importLinks(project: Project, file: ProjectFile, analysis: ProjectAnalysis): DocumentLink[] {
  const tree = analysis.result.files.find((f) => f.path === file.name);
  if (!tree?.imports || !project.folder) return [];
  const problems = project.modules.problems.get(file.name) ?? {};
  const out: DocumentLink[] = [];
  for (const i of tree.imports) {
    const path = stringValue(i.path.text);
    if (problems[path] || path.startsWith('/') || /^[A-Za-z]:|^\\/.test(path)) continue;
    const shown = importedPath(file.name, path);
    const target = project.fileByName(shown)?.uri ?? pathToFileURL(join(project.folder, shown)).href;
    out.push({ range: spanRange(i.path.span, file), target });
  }
  return out;
}
