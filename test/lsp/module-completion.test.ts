// The editor offers the words of modules, `import` and `export`, where a top-level statement
// starts, and not inside a block.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { completionsAt } from '../../lsp/completion.js';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { Workspace } from '../../lsp/workspace.js';
import { ROOT } from './harness.js';

const ACME = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');
const URI = 'untitled:acme.plumb';

describe('completion of the words of modules', () => {
  let workspace: Workspace;
  const complete = (text: string): string[] => {
    const offset = text.indexOf('|');
    const project = workspace.setDocument(URI, text.slice(0, offset) + text.slice(offset + 1), 1);
    const file = project.fileByName('acme.plumb')!;
    const answer = completionsAt(file, offset, workspace.analysis(project).index.allDefinitions());
    return (Array.isArray(answer) ? answer : answer.items).map((c) => c.label);
  };

  beforeAll(async () => {
    workspace = new Workspace(await loadFrontEnd());
  });

  it('offers `import` and `export` at the top level, beside the declarations', () => {
    const top = complete(`${ACME}|`);
    expect(top).toEqual(expect.arrayContaining(['import', 'export', 'network', 'service']));
  });

  it('does not offer them inside a site', () => {
    const inSite = complete(`${ACME}site lab {\n  |\n}\n`);
    expect(inSite).toContain('router');
    expect(inSite).not.toContain('import');
    expect(inSite).not.toContain('export');
  });
});
