// The editor offers `contract` and `implements` where a top-level statement starts, and the
// lines of each block inside it: a contract's keywords and its parties' names, an
// implementation's `attach`, `announce` and `password`.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { Workspace } from '../../lsp/workspace.js';
import { ACME, completeAt } from './complete.js';

describe('completion of contracts', () => {
  let workspace: Workspace;
  const complete = (text: string): string[] => completeAt(workspace, text);

  beforeAll(async () => {
    workspace = new Workspace(await loadFrontEnd());
  });

  it('offers `contract` and `implements` at the top level', () => {
    expect(complete(`${ACME}|`)).toEqual(expect.arrayContaining(['contract', 'implements', 'network']));
    expect(complete(`${ACME}site lab {\n  |\n}\n`)).not.toContain('contract');
  });

  it("offers a contract's keywords and its parties inside a contract", () => {
    const inside = complete(`${ACME}export contract fra {\n  party acme asn 65010\n  party datahub asn 64700\n  |\n}\n`);
    expect(inside).toEqual(['party', 'meet', 'acme', 'datahub']);
  });

  it("offers an implementation's lines inside `implements`", () => {
    expect(complete(`${ACME}implements shared.fra as acme {\n  |\n}\n`)).toEqual(['attach', 'announce', 'password']);
  });
});
