// A program outside the repository that uses Plumb as a package: a folder of its own whose
// node_modules/plumb-net links to the repository (the package root, as an install would give
// it), compiled with tsc against the declarations the build emits and run with node. Shared by
// the package test and the test of docs/api.md's examples.

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const ROOT = join(import.meta.dirname, '..', '..');

/**
 * Runs a program to its end: its status and output. Asynchronous, so that the test runner's
 * worker stays responsive during the minutes a build takes on a loaded machine.
 */
function execute(command: string, args: readonly string[], cwd: string, timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (b: Buffer) => void (stdout += b.toString('utf8')));
    child.stderr.on('data', (b: Buffer) => void (stderr += b.toString('utf8')));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr, timedOut });
    });
  });
}

/** Builds dist/ (the bundle the package's `exports` names, and the API's declarations) when api/ is newer than its build. */
export async function ensureBuilt(): Promise<void> {
  const built = join(ROOT, 'dist/api/index.d.ts');
  const mtime = (p: string): number => (existsSync(p) ? statSync(p).mtimeMs : 0);
  const newest = Math.max(...readdirSync(join(ROOT, 'api')).map((f) => mtime(join(ROOT, 'api', f))), mtime(join(ROOT, 'package.json')));
  if (mtime(built) >= newest && mtime(join(ROOT, 'dist/cli/bundle/api.js')) >= newest) return;
  const run = await execute('npm', ['run', 'build'], ROOT, 900_000);
  if (run.status !== 0) throw new Error(`npm run build failed:\n${run.stdout}${run.stderr}`);
}

export interface Consumer {
  dir: string;
  /** Writes `<name>.ts` into the program's folder. */
  write(name: string, text: string): void;
  /** tsc over every .ts file written: its exit status and output. */
  typeCheck(): Promise<{ status: number | null; output: string }>;
  /** Runs the compiled `<name>.js` with node in `cwd`, until it ends by itself (or `timeoutMs`). */
  run(name: string, cwd: string, timeoutMs: number): Promise<{ status: number | null; stdout: string; stderr: string; timedOut: boolean }>;
  remove(): void;
}

export function consumer(): Consumer {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-consumer-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(ROOT, join(dir, 'node_modules', 'plumb-net'), 'dir');
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'consumer', private: true, type: 'module' })}\n`);
  writeFileSync(
    join(dir, 'tsconfig.json'),
    `${JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        outDir: 'out',
        types: ['node'],
        typeRoots: [join(ROOT, 'node_modules/@types')],
        skipLibCheck: true,
      },
      include: ['*.ts'],
    })}\n`,
  );
  return {
    dir,
    write: (name, text) => writeFileSync(join(dir, `${name}.ts`), text),
    typeCheck: async () => {
      const tsc = await execute(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], dir, 600_000);
      return { status: tsc.status, output: `${tsc.stdout}${tsc.stderr}` };
    },
    run: (name, cwd, timeoutMs) => execute(process.execPath, [join(dir, 'out', `${name}.js`)], cwd, timeoutMs),
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
