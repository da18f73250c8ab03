// Go to definition and find references of a contract across modules: from an `implements` in
// one party's intent to the contract in the module both parties keep (test/fixtures/contracts).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { definitionAt, referencesAt } from '../../lsp/navigation.js';
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
});
