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
  /**
   * Whether stdout's reader has gone (`plumb ... | head`): what is still to print has no one to
   * take it, and a long text stops there. Absent: never.
   */
  stdoutClosed?(): boolean;
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

/**
 * The process's own streams. A reader that stops early (`plumb compile --emit model | head`)
 * closes the pipe: Node then reports EPIPE on the stream, which unhandled would end the process
 * with a stack trace. Here it only marks the stream closed: nothing more is written to it, the
 * command finishes and exits with its own code (docs/cli.md, "Exit codes"); any other error of a
 * stream is thrown as before (a bug in Plumb or the machine: exit 3).
 */
export function processIo(): CliIo {
  const closed = { stdout: false, stderr: false };
  const onError = (stream: keyof typeof closed) => (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    closed[stream] = true;
  };
  process.stdout.on('error', onError('stdout'));
  process.stderr.on('error', onError('stderr'));
  return {
    stdout: (text) => void (closed.stdout || process.stdout.write(text)),
    stdoutTaken: () => stdoutDrained(() => closed.stdout),
    stdoutClosed: () => closed.stdout,
    stderr: (text) => void (closed.stderr || process.stderr.write(text)),
    isTTY: Boolean(process.stdout.isTTY) && !process.env.CI,
    cwd: process.cwd(),
    env: process.env,
  };
}

/** Resolves when stdout has taken what it was given, or its reader has gone. */
async function stdoutDrained(isClosed: () => boolean): Promise<void> {
  if (isClosed() || !process.stdout.writableNeedDrain) return;
  try {
    await once(process.stdout, 'drain');
  } catch (error) {
    // events.once rejects on the stream's 'error': a reader gone is the end of the wait
    if ((error as NodeJS.ErrnoException).code !== 'EPIPE') throw error;
  }
}
