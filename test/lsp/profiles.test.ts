// The editor knows the PAN-OS profiles: completion of the `security` line and of a rule's
// `profile-group` / `log-forwarding` clauses (a profile's name is the firewall's, so nothing is
// offered there), and hover on a `security` line (the firewalls it applies to, what each profile
// does, the rules that name their own).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { hoverAt } from '../../lsp/hover.js';
import { Workspace } from '../../lsp/workspace.js';
import { completeAt } from './complete.js';
import { ROOT } from './harness.js';

const ACME = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');
const URI = 'untitled:acme.plumb';

describe('PAN-OS profiles in the editor', () => {
  let workspace: Workspace;
  const complete = (text: string): string[] => completeAt(workspace, text);

  beforeAll(async () => {
    workspace = new Workspace(await loadFrontEnd());
  });

  it('offers `security` at the top level, then the firewalls and both clauses, then the clause not yet given', () => {
    expect(complete(`${ACME}|`)).toContain('security');
    expect(complete(`${ACME}security |`)).toEqual(expect.arrayContaining(['fra1.fw1', 'profile-group', 'log-forwarding']));
    expect(complete(`${ACME}security fra1.fw1 profile-group strict |`)).toEqual(['log-forwarding']);
    expect(complete(`${ACME}security profile-group |`)).toEqual([]);
  });

  it("offers the clauses after a rule's services, and no name after them", () => {
    const rule = (tail: string): string => ACME.replace('  allow office -> web : http\n', `  allow office -> web : http${tail}\n`);
    expect(complete(rule(' |'))).toEqual(expect.arrayContaining(['profile-group', 'log-forwarding', 'https']));
    expect(complete(rule(' profile-group |'))).toEqual([]);
  });

  it('hover on the `security` line names the firewalls, the profiles and the rules with their own', () => {
    const project = workspace.setDocument(URI, ACME, 2);
    const file = project.fileByName('acme.plumb')!;
    const offset = ACME.indexOf('security profile-group') + 2;
    const hover = hoverAt(project, file, offset, workspace.analysis(project), undefined);
    expect(hover?.markdown).toContain('security-profile group `internal`');
    expect(hover?.markdown).toContain('log-forwarding profile `siem`');
    expect(hover?.markdown).toContain('Firewalls: `fra1.fw1`');
    const line = ACME.slice(0, ACME.indexOf('profile-group outbound')).split('\n').length;
    expect(hover?.markdown).toContain(`1 rule names its own instead (line ${line})`);
  });
});
