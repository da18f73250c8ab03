// Workspace symbols and folding ranges on a real analysis, without the server: the fuzzy
// order, the cap, and folds at the edges of a file (a comment run at its end, CRLF lines).

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { foldingRanges } from '../../lsp/folding.js';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { fuzzyScore, workspaceSymbols } from '../../lsp/workspace-symbols.js';
import { Workspace, type Project } from '../../lsp/workspace.js';
import { ROOT } from './harness.js';

const ACME = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');

describe('workspace symbols and folding', () => {
  let workspace: Workspace;
  const open = (text: string): Project => workspace.setDocument('untitled:acme.plumb', text, 1);

  beforeAll(async () => {
    workspace = new Workspace(await loadFrontEnd());
  });

  it('scores equal, prefix, substring, then subsequence matches, ignoring case', () => {
    expect(fuzzyScore('web', 'web')).toBe(0);
    expect(fuzzyScore('', 'web')).toBe(0);
    expect(fuzzyScore('We', 'web')).toBe(1);
    expect(fuzzyScore('core', 'fra1.core1')).toBe(2);
    expect(fuzzyScore('fc1', 'fra1.core1')).toBe(3);
    expect(fuzzyScore('1f', 'fra1.core1')).toBeUndefined();
    expect(fuzzyScore('webs', 'web')).toBeUndefined();
  });

  it('orders by match then name, and stops at the limit', () => {
    const project = open(ACME);
    const analysis = workspace.analysis(project);
    const names = (query: string, limit?: number): string[] =>
      workspaceSymbols(query, [{ project, analysis }], limit).map((s) => (s.containerName ? `${s.containerName}.${s.name}` : s.name));
    // A substring before a subsequence (p-o-s-t-g-r-e-s-r-W), whatever the names' order.
    expect(names('gw')).toEqual(['ams1.gw1', 'postgres-rw']);
    expect(names('core')).toEqual(['ams1.core2', 'fra1.core1']);
    expect(names('db')[0]).toBe('db');
    const all = names('');
    expect(all.length).toBeGreaterThan(15);
    expect(names('', 5)).toEqual(all.slice(0, 5));
  });

  it('folds a comment run that ends the file, and blocks written with CRLF', () => {
    const text = ACME.replace(/\n/g, '\r\n') + '# one\r\n  # two\r\n# three';
    const project = open(text);
    const analysis = workspace.analysis(project);
    const lines = text.split('\r\n');
    const ranges = foldingRanges(analysis.result.files[0], project.fileByName('acme.plumb')!);
    const fra1 = lines.findIndex((l) => l.startsWith('site fra1'));
    const brace = lines.findIndex((l, i) => i > fra1 && l === '}');
    expect(ranges).toContainEqual({ startLine: fra1, endLine: brace - 1 });
    expect(ranges).toContainEqual({ startLine: lines.length - 3, endLine: lines.length - 1, kind: 'comment' });
    // The first line is a lone comment: nothing to fold.
    expect(ranges.some((r) => r.startLine === 0)).toBe(false);
  });
});
