// The editor offers the words of modules, `import` and `export`, where a top-level statement
// starts, and not inside a block.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { Workspace } from '../../lsp/workspace.js';
import { ACME, completeAt } from './complete.js';

describe('completion of the words of modules', () => {
  let workspace: Workspace;
  const complete = (text: string): string[] => completeAt(workspace, text);

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
