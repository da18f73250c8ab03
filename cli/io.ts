// The CLI's contact with the outside world, passed in so that commands run in-process in tests.

import { once } from 'node:events';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /**
   * Resolves once what `stdout` was given has been taken by the pipe or file (a long text written
   * piece by piece waits here between pieces: Node queues a pipe's writes in memory, and one
   * writev of a queue of many megabytes fails with ENOBUFS). Absent: nothing to wait for.
   */
  stdoutTaken?(): Promise<void>;
  /** Whether stdout/stderr is a terminal (colours, progress lines). */
  isTTY: boolean;
  cwd: string;
  env: Record<string, string | undefined>;
}

/** Exit codes, as in docs/cli.md. */
export const ExitCode = {
  ok: 0,
  /** The intent or a check failed: errors in the intent, a refuted or unknown assertion. */
  failed: 1,
  /** Usage error or input the tool could not read. */
  usage: 2,
  /** A bug in Plumb. */
  internal: 3,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/**
 * Thrown for bad usage or unreadable input; the CLI prints the message and exits 2. The
 * pipeline's own InputError (pipeline/sources.ts: intent files that cannot be read) is reported
 * the same way; the pipeline returns its other problems as values, which commands throw as this.
 */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UsageError';
  }
}

export function processIo(): CliIo {
  return {
    stdout: (text) => void process.stdout.write(text),
    stdoutTaken: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : Promise.resolve()),
    stderr: (text) => void process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY) && !process.env.CI,
    cwd: process.cwd(),
    env: process.env,
  };
}
