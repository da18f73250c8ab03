// The language server on a part of the other party (`datahub.api`, a contract's named
// announcement), in the federation example's Acme: completion after `datahub.`, definition at
// the name in the contract's `announces` line, references in the intent and the contract, and
// rename of the name everywhere it is used.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { completionsAt } from '../../lsp/completion.js';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { definitionAt, referencesAt, renameAt } from '../../lsp/navigation.js';
import { Workspace } from '../../lsp/workspace.js';
import { ROOT } from './harness.js';

const EXAMPLE = join(ROOT, 'examples/federation');
const ACME = join(EXAMPLE, 'acme/acme.plumb');
const CONTRACT = join(EXAMPLE, 'contracts/frankfurt.plumb');
const where = (uri: string, line: number): string => `${uri.slice(uri.lastIndexOf('/') + 1)}:${line + 1}`;

describe('a part of the other party in the editor', () => {
  let workspace: Workspace;
  const text = readFileSync(ACME, 'utf8');
  const open = (content = text) => {
    const project = workspace.setDocument(pathToFileURL(ACME).href, content, 1);
    return { project, file: project.fileByName('acme.plumb')!, analysis: workspace.analysis(project) };
  };
  beforeAll(async () => {
    workspace = new Workspace(await loadFrontEnd());
  });

  it('completes the parts after `datahub.`', () => {
    const typed = text.replace('allow app -> datahub.api :', 'allow app -> datahub.a :');
    const { file, analysis } = open(typed);
    const offset = typed.indexOf('datahub.a :') + 'datahub.a'.length;
    const answer = completionsAt(file, offset, analysis.index.allDefinitions());
    expect((Array.isArray(answer) ? answer : answer.items).map((c) => c.label)).toEqual(['api']);
  });

  it('goes to the name in the contract, and finds every use of it', () => {
    const { project, file, analysis } = open();
    const offset = text.indexOf('datahub.api') + 'datahub.'.length + 1;
    const def = definitionAt(project, file, offset, analysis);
    expect(def?.uri).toBe(pathToFileURL(CONTRACT).href);
    const contractLines = readFileSync(CONTRACT, 'utf8').split('\n');
    const line = contractLines.findIndex((l) => l.includes('datahub announces api'));
    expect(def?.range.start).toEqual({ line, character: contractLines[line]!.indexOf('api') });
    const refs = referencesAt(project, file, offset, analysis, true).map((r) => where(r.uri, r.range.start.line)).sort();
    expect(refs).toEqual([`acme.plumb:${text.split('\n').findIndex((l) => l.includes('allow app -> datahub.api')) + 1}`, `acme.plumb:${text.split('\n').findIndex((l) => l.includes('assert reach app -> datahub.api')) + 1}`, 'frankfurt.plumb:11', 'frankfurt.plumb:12'].sort());
  });

  it('renames the name in the contract, its offer and the intent, keeping `datahub.`', () => {
    const { project, file, analysis } = open();
    const offset = text.indexOf('datahub.api') + 'datahub.'.length;
    const edit = renameAt(project, file, offset, 'ingestion', analysis);
    const edits = Object.entries(edit.changes ?? {}).flatMap(([uri, list]) => list.map((e) => `${where(uri, e.range.start.line)} ${e.newText}`)).sort();
    expect(edits).toHaveLength(4);
    expect(new Set(edits.map((e) => e.split(' ')[1]))).toEqual(new Set(['ingestion']));
  });
});
