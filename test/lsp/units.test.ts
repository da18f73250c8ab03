// The server's pure parts, in process: text positions, hints, names, blocks, the symbol index,
// completion by context, quick fixes and rename, on real front-end output.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Diagnostic } from 'vscode-languageserver';
import { enclosingBlock } from '../../lsp/ast-query.js';
import { quickFixes } from '../../lsp/code-actions.js';
import { completionsAt } from '../../lsp/completion.js';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { renameAt, RenameRefused } from '../../lsp/navigation.js';
import { toLspDiagnostic } from '../../lsp/convert.js';
import { LineIndex } from '../../lsp/text.js';
import { invalidNameReason } from '../../lsp/vocabulary.js';
import { Workspace, type Project, type ProjectFile } from '../../lsp/workspace.js';
import { ROOT } from './harness.js';

const ACME = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');
const URI = 'untitled:acme.plumb';

describe('text positions', () => {
  it('converts offsets and LSP positions for \\n, \\r\\n and \\r line ends', () => {
    const lines = new LineIndex('ab\ncd\r\nef\rg');
    expect(lines.lineCount).toBe(4);
    expect(lines.positionAt(4)).toEqual({ line: 1, character: 1 });
    expect(lines.positionAt(7)).toEqual({ line: 2, character: 0 });
    expect(lines.positionAt(10)).toEqual({ line: 3, character: 0 });
    expect(lines.offsetAt({ line: 1, character: 99 })).toBe(5); // clamped to the line's end
    expect(lines.offsetAt({ line: 99, character: 0 })).toBe(11);
    expect(lines.offsetAt({ line: -1, character: 0 })).toBe(0);
    expect(lines.lineText(1)).toBe('cd');
  });
});

describe('names and blocks', () => {
  it('accepts valid names and refuses others with a reason', () => {
    expect(invalidNameReason('web-2_b')).toBeUndefined();
    expect(invalidNameReason('9web')).toMatch(/not a valid name/);
    expect(invalidNameReason('a b')).toMatch(/not a valid name/);
    expect(invalidNameReason('segment')).toMatch(/keyword/);
    expect(invalidNameReason('any')).toMatch(/keyword/);
  });

  it('finds the enclosing block from the text', () => {
    const text = 'site fra1 "x" {\n  router r frr\n  \n}\nexternal e {\n  asn 1\n';
    expect(enclosingBlock(text, text.indexOf('  \n') + 2)).toEqual({ kind: 'site', name: 'fra1' });
    expect(enclosingBlock(text, text.indexOf('external'))).toBeUndefined();
    expect(enclosingBlock(text, text.length)).toEqual({ kind: 'external', name: 'e' });
  });
});

describe('answers on a real analysis', () => {
  let workspace: Workspace;
  const at = (text: string): { project: Project; file: ProjectFile } => {
    const project = workspace.setDocument(URI, text, 1);
    workspace.analysis(project);
    return { project, file: project.fileByName('acme.plumb')! };
  };
  const complete = (text: string, marker = '|'): string[] => {
    const offset = text.indexOf(marker);
    const clean = text.slice(0, offset) + text.slice(offset + marker.length);
    const { project, file } = at(clean);
    const answer = completionsAt(file, offset, workspace.analysis(project).index.allDefinitions());
    return (Array.isArray(answer) ? answer : answer.items).map((c) => c.label);
  };

  beforeAll(async () => {
    workspace = new Workspace(await loadFrontEnd());
  });

  it('completes by context', () => {
    expect(complete(ACME.replace('  link fw1 -- core1', '  |\n  link fw1 -- core1'))).toEqual(['router', 'firewall', 'link']);
    expect(complete(ACME.replace('  asn 64600', '  |\n  asn 64600'))).toEqual(['asn', 'prefixes', 'attach', 'announce', 'password', 'translate', 'publish']);
    expect(complete(ACME.replace('  deny guest', '  |\n  deny guest'))).toEqual(['allow', 'deny']);
    expect(complete(`${ACME}assert |`)).toEqual(['reach', 'isolate']);
    expect(complete(`${ACME}routing |`)).toEqual(['static', 'ospf']);
    expect(complete(`${ACME}host h 10.20.0.9 in |`)).toEqual(['web', 'db', 'office', 'guest', 'noc']);
    const devices = complete(`${ACME}segment x 10.30.0.0/24 at |`);
    expect(devices).toEqual(expect.arrayContaining(['fra1.edge1', 'ams1.gw1', 'fra1', 'ams1']));
    expect(devices).not.toContain('web');
    expect(complete(`${ACME}assert reach office -> web : https via |`)).toContain('fra1.fw1');
    expect(complete(`${ACME}# a comment |`)).toEqual([]);
    // Inside a site, a link may name the site's own devices bare.
    expect(complete(ACME.replace('  link fw1 -- core1', '  link fw1 -- |'))).toEqual(expect.arrayContaining(['core1', 'fra1.core1']));
  });

  /** The quick fixes offered for the diagnostics of `text`, as edits: what they replace and with what. */
  const fixesOf = (text: string): { replaced: string; newText: string; title: string }[] => {
    const { project, file } = at(text);
    const published = workspace.analysis(project).result.diagnostics.map((d) => toLspDiagnostic(d, file, project));
    return quickFixes(file, URI, published).flatMap((action) =>
      action.edit!.changes![URI]!.map((e) => ({
        replaced: text.slice(file.lines.offsetAt(e.range.start), file.lines.offsetAt(e.range.end)),
        newText: e.newText,
        title: action.title,
      })),
    );
  };

  it("offers the front end's fixes: a near name, a qualified device keeping its site, a device of another site", () => {
    expect(fixesOf(ACME.replace('allow office -> web : http', 'allow office -> wbe : http'))).toEqual([
      { replaced: 'wbe', newText: 'web', title: 'Replace `wbe` with `web`' },
    ]);
    // `fra1.core` is near `core1` of the written site: only the device's name changes.
    expect(fixesOf(ACME.replace('link fra1.core1 --', 'link fra1.core --'))).toEqual([
      { replaced: 'core', newText: 'core1', title: 'Replace `core` with `core1`' },
    ]);
    // `ams1.edge1` names no device of ams1, but fra1 has an edge1: the whole reference is replaced.
    expect(fixesOf(ACME.replace('link fra1.core1 --', 'link ams1.edge1 --'))).toEqual([
      { replaced: 'ams1.edge1', newText: 'fra1.edge1', title: 'Replace `ams1.edge1` with `fra1.edge1`' },
    ]);
  });

  it('offers no fix for data that is not a fix of ours', () => {
    const { file } = at(ACME);
    const range = { start: file.lines.positionAt(0), end: file.lines.positionAt(4) };
    const diagnostics: Diagnostic[] = [
      { range, message: 'x', data: { suggestion: 'web' } },
      { range, message: 'x', data: { fix: [{ range, newText: 7 }] } },
      { range, message: 'x', data: { fix: [{ range: { start: range.start }, newText: 'web' }] } },
      { range, message: 'x', data: { fix: 'web' } },
    ];
    expect(quickFixes(file, URI, diagnostics)).toEqual([]);
  });

  it('renames a site in every qualified device reference and refuses a taken name', () => {
    const { project, file } = at(ACME);
    const analysis = workspace.analysis(project);
    const edit = renameAt(project, file, ACME.indexOf('site fra1') + 6, 'fra2', analysis);
    const renamed = edit.changes![URI]!.map((e) => ACME.slice(file.lines.offsetAt(e.range.start), file.lines.offsetAt(e.range.end)));
    expect(renamed.every((t) => t === 'fra1')).toBe(true);
    expect(renamed.length).toBe(ACME.match(/\bfra1\b/g)!.length);
    expect(() => renameAt(project, file, ACME.indexOf('site fra1') + 6, 'ams1', analysis)).toThrow(RenameRefused);
    expect(() => renameAt(project, file, ACME.indexOf('site fra1') + 6, 'office', analysis)).toThrow(/segment `office`/);
  });
});

describe('plumb lsp', () => {
  it('refuses a bad --debounce with exit code 2 before starting', async () => {
    const { run } = await import('../../cli/program.js');
    let stderr = '';
    const io = { stdout: () => undefined, stderr: (t: string) => void (stderr += t), isTTY: false, cwd: ROOT, env: {} };
    expect(await run(['lsp', '--debounce', 'soon'], io)).toBe(2);
    expect(stderr).toContain('--debounce must be a whole number of milliseconds');
  });
});
