// The npm package is `plumb-net` (the name `plumb` belongs to an unrelated package with no
// `plumb` command); its command is `plumb`. The manifest says so, installing it runs no build,
// and no document or message tells anyone to install a package named `plumb`.

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

interface Manifest {
  name: string;
  version: string;
  bin: Record<string, string>;
  files: string[];
  scripts: Record<string, string>;
  engines: { node: string };
}

const manifest = JSON.parse(readFileSync('package.json', 'utf8')) as Manifest;

/** The files people read for how to install and start Plumb. */
function documents(): string[] {
  const inDir = (dir: string, ext: RegExp): string[] => (existsSync(dir) ? readdirSync(dir).filter((f) => ext.test(f)).map((f) => join(dir, f)) : []);
  return [
    'README.md',
    ...inDir('docs', /\.md$/),
    ...inDir('docs/backends', /\.md$/),
    'editors/vscode/README.md',
    'editors/vscode/package.json',
    ...inDir('editors/vscode/src', /\.ts$/),
    ...inDir('editors/neovim', /\.lua$/),
    ...inDir('examples/ci', /\.ya?ml$/),
    'action.yml',
    'cli/program.ts',
  ].filter((f) => existsSync(f));
}

/** `npm install -g plumb`, `npm i plumb@1`: installing the package named exactly `plumb`. */
const INSTALLS_PLUMB = /\bnpm\s+(?:install|i|add)\b[^\n`'"#:;()]*?\s(plumb)(?:@[^\s`'"]*)?(?=[\s`'",)]|$)/gm;

describe('the package name', () => {
  it('is plumb-net, with the command plumb from the prebuilt dist/', () => {
    expect(manifest.name).toBe('plumb-net');
    expect(manifest.bin).toEqual({ plumb: 'dist/cli/main.js' });
    expect(manifest.files).toContain('dist/cli/bundle');
    expect(manifest.files).toContain('dist/**/*.d.ts');
    expect(manifest.engines.node).toBe('>=20');
    const lock = JSON.parse(readFileSync('package-lock.json', 'utf8')) as { name: string; packages: Record<string, { name?: string }> };
    expect(lock.name).toBe(manifest.name);
    expect(lock.packages['']?.name).toBe(manifest.name);
  });

  it('installs without building: no install-time script, the build runs only in a clone (prepare)', () => {
    for (const hook of ['preinstall', 'install', 'postinstall']) expect(manifest.scripts[hook], hook).toBeUndefined();
    expect(manifest.scripts.prepare).toBe('npm run build');
    expect(manifest.scripts.plumb).toBe('node dist/cli/main.js');
  });

  it('the pattern finds an install of the unrelated package', () => {
    const finds = (s: string): boolean => [...s.matchAll(INSTALLS_PLUMB)].length > 0;
    expect(finds('npm install -g plumb')).toBe(true);
    expect(finds('run `npm i plumb@0.1.0` first')).toBe(true);
    expect(finds('(npm install -g plumb) or set')).toBe(true);
    expect(finds('npm install -g plumb-net')).toBe(false);
    expect(finds('npm install -g ./plumb-net-0.1.0.tgz')).toBe(false);
    expect(finds('npm install --no-audit plumb-network/plumb')).toBe(false);
    expect(finds('npm install -g plumb-net   # its command plumb')).toBe(false);
  });

  it('no document or message tells anyone to install the package named plumb', () => {
    const docs = documents();
    expect(docs.length).toBeGreaterThan(10);
    const wrong = docs.flatMap((f) => [...readFileSync(f, 'utf8').matchAll(INSTALLS_PLUMB)].map((m) => `${f}: ${m[0]}`));
    expect(wrong).toEqual([]);
  });
});
