// The editor offers the words of `survive N failures` and of an assertion's `under` clause, and
// the devices a failed link or device can name.

import { beforeAll, describe, expect, it } from 'vitest';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { Workspace } from '../../lsp/workspace.js';
import { ACME, completeAt } from './complete.js';

describe('completion of failures', () => {
  let workspace: Workspace;
  const complete = (text: string): string[] => completeAt(workspace, text);

  beforeAll(async () => {
    workspace = new Workspace(await loadFrontEnd());
  });

  it('offers `survive` at the top level and the word after its number', () => {
    expect(complete(`${ACME}|`)).toContain('survive');
    expect(complete(`${ACME}survive 1 |`)).toEqual(['failure']);
    expect(complete(`${ACME}survive 2 |`)).toEqual(['failures']);
  });

  it('offers `under` after an assertion\u2019s services, then `failure`, `of` and the devices', () => {
    expect(complete(`${ACME}assert reach office -> web : https |`)).toEqual(expect.arrayContaining(['via', 'under']));
    expect(complete(`${ACME}assert reach office -> web : https under |`)).toEqual(['failure']);
    expect(complete(`${ACME}assert reach office -> web : https under failure |`)).toEqual(['of']);
    expect(complete(`${ACME}assert reach office -> web : https under failure of |`)).toContain('fra1.fw1');
    expect(complete(`${ACME}assert reach office -> web : https under failure of fra1.fw1 -- |`)).toContain('fra1.core1');
  });
});
