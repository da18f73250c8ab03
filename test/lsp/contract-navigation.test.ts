// Go to definition, find references and rename of a contract across modules: from an
// `implements` in one party's intent to the contract in the module both parties keep
// (test/fixtures/contracts); and the outline of the files that hold them.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { definitionAt, referencesAt, renameAt } from '../../lsp/navigation.js';
import { outline } from '../../lsp/outline.js';
import { Workspace } from '../../lsp/workspace.js';
import { ROOT } from './harness.js';

const FIXTURE = join(ROOT, 'test/fixtures/contracts');

describe('navigation to a contract', () => {
  let workspace: Workspace;
  beforeAll(async () => {
    workspace = new Workspace(await loadFrontEnd());
  });

  it('goes from `implements shared.frankfurt` to the contract, and finds the implementation from there', () => {
    const path = join(FIXTURE, 'acme/main.plumb');
    const text = readFileSync(path, 'utf8');
    const project = workspace.setDocument(pathToFileURL(path).href, text, 1);
    const file = project.fileByName('main.plumb')!;
    const analysis = workspace.analysis(project);
    const offset = text.indexOf('shared.frankfurt') + 'shared.'.length;
    const def = definitionAt(project, file, offset, analysis);
    expect(def?.uri).toBe(pathToFileURL(join(FIXTURE, 'contracts/frankfurt.plumb')).href);
    expect(def?.range.start).toEqual({ line: 4, character: 16 });
    const refs = referencesAt(project, file, offset, analysis, true);
    expect(refs.map((r) => `${r.uri.slice(r.uri.lastIndexOf('/') + 1)}:${r.range.start.line + 1}`).sort()).toEqual(['frankfurt.plumb:5', 'main.plumb:15']);
  });

  it('renames the contract in the module and in the implementation, keeping the import\'s name', () => {
    const path = join(FIXTURE, 'acme/main.plumb');
    const text = readFileSync(path, 'utf8');
    const project = workspace.setDocument(pathToFileURL(path).href, text, 1);
    const file = project.fileByName('main.plumb')!;
    const offset = text.indexOf('shared.frankfurt') + 'shared.'.length;
    const edit = renameAt(project, file, offset, 'fra5', workspace.analysis(project));
    const edits = Object.entries(edit.changes ?? {}).flatMap(([uri, list]) => list.map((e) => `${uri.slice(uri.lastIndexOf('/') + 1)}:${e.range.start.line + 1} ${e.newText}`)).sort();
    expect(edits).toEqual(['frankfurt.plumb:5 fra5', 'main.plumb:15 shared.fra5']);
  });

  it('the outline lists the contract with its lines, and the implementation', () => {
    for (const [name, expected] of [['contracts/frankfurt.plumb', 'frankfurt'], ['acme/main.plumb', 'implements shared.frankfurt as acme']] as const) {
      const path = join(FIXTURE, name);
      const project = workspace.setDocument(pathToFileURL(path).href, readFileSync(path, 'utf8'), 1);
      const file = project.fileByName(name.slice(name.indexOf('/') + 1))!;
      const tree = workspace.analysis(project).result.files.find((f) => f.path === file.name)!;
      const symbol = outline(tree, file).find((s) => s.name === expected);
      expect(symbol, name).toBeDefined();
      expect(symbol!.children!.length, name).toBeGreaterThan(1);
    }
  });
});
