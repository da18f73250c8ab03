// `writeOutput`: a compile result's files into an output folder, as `plumb compile -o DIR`
// writes them (backends/output-write.ts: staged, journaled, under the folder's lock; only the
// files the previous manifest lists are replaced). The same refusals as the CLI's (the home or
// working folder, a folder holding the intent, a folder that is not Plumb's, a symbolic link)
// come back as a problem, not a throw. Only a compile result without errors and, when it was
// validated, with every device read back equal is written.

import { resolve } from 'node:path';
import { MANIFEST_FORMAT, OutputFolderError, outputLocationProblem, replaceableProblem, writeOutput as writeFolder, type RenderedOutput } from '../backends/output.js';
import type { InputProblem } from './input.js';
import type { CompileResult } from './compile.js';

export interface WriteOutputOptions {
  /** The folder `dir` and the intent's paths are relative to (default: process.cwd()). */
  cwd?: string;
  /** When `dir` is a symbolic link, write into its target (`--follow-symlink`). */
  followSymlink?: boolean;
  /** How long to wait for another writer of the folder, in milliseconds (default 10,000). */
  lockWaitMs?: number;
}

export interface WriteOutputResult {
  ok: boolean;
  /** Devices and files written. */
  devices?: number;
  files?: number;
  /** An interrupted earlier write that was found and finished or rolled back, and other notes. */
  notes?: string[];
  /** Why nothing was written. */
  problem?: InputProblem;
}

export function writeOutput(dir: string, compiled: CompileResult, options: WriteOutputOptions = {}): WriteOutputResult {
  if (typeof dir !== 'string') throw new TypeError('dir must be a string');
  if (typeof compiled !== 'object' || compiled === null) throw new TypeError('writeOutput takes the result of compile()');
  const { model, devices, manifest } = compiled;
  if (!compiled.ok || !model || !devices || !manifest || manifest.format !== MANIFEST_FORMAT) {
    return { ok: false, problem: { message: 'the compile result has errors (or its files did not validate): nothing to write', hint: 'write only a result whose `ok` is true' } };
  }
  const cwd = options.cwd ?? process.cwd();
  const where = outputLocationProblem(resolve(cwd, dir), dir, {
    sources: manifest.intent.sources.map((s) => resolve(cwd, s.path)),
    cwd,
    followSymlink: options.followSymlink === true,
  });
  if ('problem' in where) return { ok: false, problem: where.problem };
  const replaceable = replaceableProblem(where.dir, dir);
  if (replaceable) return { ok: false, problem: replaceable };
  const byId = new Map(model.devices.map((d) => [d.id, d]));
  const output: RenderedOutput = {
    manifest,
    devices: devices.map((d) => {
      const device = byId.get(d.id);
      if (!device) throw new TypeError(`the compile result's device ${d.id} is not in its model`);
      return { device, dir: d.dir, files: d.files.map((f) => ({ ...f })) };
    }),
    unsupported: [],
  };
  try {
    const report = writeFolder(where.dir, output, { shown: dir, lockWaitMs: options.lockWaitMs ?? 10_000 });
    const notes = [
      ...(report.recovered ? [`${report.recovered.outcome} the interrupted write of pid ${report.recovered.pid}`] : []),
      ...report.removedStale.map((s) => `removed ${s}, left by an interrupted write`),
      ...(report.unfinished ? [`the output is written, but cleaning up after it failed (${report.unfinished})`] : []),
    ];
    return { ok: true, devices: devices.length, files: devices.reduce((n, d) => n + d.files.length, 0), notes };
  } catch (err) {
    if (err instanceof OutputFolderError) return { ok: false, problem: { message: err.message, ...(err.hint ? { hint: err.hint } : {}) } };
    const code = (err as NodeJS.ErrnoException).code;
    if (code === undefined) throw err;
    return { ok: false, problem: { message: `cannot write ${dir}: ${code}`, hint: `${dir} holds the previous output` } };
  }
}
