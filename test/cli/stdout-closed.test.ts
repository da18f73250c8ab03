// A reader that stops early (`plumb compile --emit model | head`) closes the pipe under the CLI:
// the command stops writing and exits with its own code, with nothing about the pipe on stderr
// (cli/io.ts). Run as a real process (Node reports the closed pipe as EPIPE on the stream, which
// unhandled ends the process with a stack trace), and in-process for the model's long write,
// which stops making text once no one takes it.

import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateIntent } from '../../bench/generate.js';
import { networkOptions } from '../../bench/whole.js';
import { run } from '../../cli/program.js';
import { capturedIo } from './captured-io.js';

const ROOT = join(import.meta.dirname, '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'main.js');
const ACME = join(ROOT, 'examples', 'acme', 'acme.plumb');

/** Runs the built CLI with one of its output pipes closed by the reader before it writes. */
async function withClosed(stream: 'stdout' | 'stderr', args: string[]): Promise<{ status: number | null; other: string }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  child[stream].destroy();
  let other = '';
  child[stream === 'stdout' ? 'stderr' : 'stdout'].on('data', (d: Buffer) => void (other += d.toString('utf8')));
  const status = await new Promise<number | null>((done) => child.on('close', done));
  return { status, other };
}

describe('a reader that stops early', () => {
  it("ends `plumb compile --emit model` with the command's exit code and no error", async () => {
    const { status, other } = await withClosed('stdout', ['compile', ACME, '--emit', 'model']);
    expect(other).not.toMatch(/EPIPE|node:events|internal error|at .*\.js:\d+/);
    expect(other).toContain('warning'); // the command ran to its end: its warnings are printed
    expect(status).toBe(0);
  });

  it('ends `plumb check` with its exit code when stdout is closed', async () => {
    const { status, other } = await withClosed('stdout', ['check', ACME]);
    expect(other).toBe('');
    expect(status).toBe(0);
  });

  it('ends `plumb compile -o` with its exit code when stderr is closed, every file written', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-stderr-closed-'));
    try {
      const { status } = await withClosed('stderr', ['compile', ACME, '-o', join(dir, 'out')]);
      expect(status).toBe(0);
      expect(readdirSync(join(dir, 'out')).sort()).toEqual(readdirSync(join(ROOT, 'examples', 'acme', 'out')).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('stops making the model text once stdout is closed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-stdout-closed-'));
    try {
      writeFileSync(join(dir, 'net.plumb'), generateIntent(networkOptions(10)));
      const io = capturedIo(dir);
      let writes = 0;
      io.stdout = () => void writes++;
      io.stdoutTaken = () => Promise.resolve();
      io.stdoutClosed = () => writes > 0;
      expect(await run(['compile', 'net.plumb', '--emit', 'model'], io)).toBe(0);
      // the 10 devices' model is 3.5 MB: one write, then nothing more
      expect(writes).toBe(1);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
