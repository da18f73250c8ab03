// The packaged VS Code extension (.ci/run builds it before the tests with
// `npm --prefix editors/vscode ci && npm --prefix editors/vscode run package`): the .vsix holds
// the manifest, the grammar, the language configuration and one bundled extension.js that needs
// nothing but VS Code itself, and no node_modules. A .vsix is a zip; python3 reads it.

import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../lsp/harness.js';

const VSCODE = join(ROOT, 'editors/vscode');
const manifest = JSON.parse(readFileSync(join(VSCODE, 'package.json'), 'utf8')) as { version: string; main: string };
const VSIX = join(VSCODE, `plumb-${manifest.version}.vsix`);
const built = existsSync(VSIX);
if (!built && !process.env.CI) {
  console.warn(`\n*** SKIPPING the .vsix test: ${VSIX} is not built (npm --prefix editors/vscode ci && npm --prefix editors/vscode run package) ***\n`);
}

/** The entries of the zip and the text of the ones asked for. */
function readZip(path: string, texts: string[]): { names: string[]; texts: Record<string, string> } {
  const script = [
    'import json, sys, zipfile',
    'z = zipfile.ZipFile(sys.argv[1])',
    'names = z.namelist()',
    'print(json.dumps({"names": names, "texts": {n: z.read(n).decode("utf-8") for n in sys.argv[2:] if n in names}}))',
  ].join('\n');
  const result = spawnSync('python3', ['-c', script, path, ...texts], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`python3 could not read ${path}: ${result.stderr}`);
  return JSON.parse(result.stdout) as { names: string[]; texts: Record<string, string> };
}

describe('the VS Code extension package', () => {
  it.skipIf(!built && !process.env.CI)('holds the manifest, the grammar and one bundled extension.js', () => {
    expect(built, `${VSIX} must be built in CI (.ci/run)`).toBe(true);
    const main = `extension/${manifest.main.replace(/^\.\//, '')}`;
    const { names, texts } = readZip(VSIX, [main, 'extension/package.json']);
    expect(names).toEqual(
      expect.arrayContaining([
        'extension.vsixmanifest',
        'extension/package.json',
        main,
        'extension/syntaxes/plumb.tmLanguage.json',
        'extension/language-configuration.json',
        'extension/LICENSE.txt',
      ]),
    );
    // Bundled: the language client is inside extension.js, so the package carries no node_modules
    // and no sources.
    expect(names.filter((n) => n.includes('node_modules/'))).toEqual([]);
    expect(names.filter((n) => n.startsWith('extension/src/') || n.endsWith('.map') || n.endsWith('.vsix'))).toEqual([]);
    const bundle = texts[main]!;
    expect(bundle).toContain('textDocument/didOpen'); // the protocol of the bundled client
    expect(bundle).not.toMatch(/require\(["']vscode-languageclient/);
    expect(bundle).toMatch(/require\(["']vscode["']\)/);
    expect(JSON.parse(texts['extension/package.json']!)).toMatchObject({ name: 'plumb-intent', version: manifest.version, main: manifest.main });
  });
});
