// A CliIo that keeps what a command prints, for the CLI tests that run commands in-process.

import type { CliIo } from '../../cli/io.js';

export type CapturedIo = CliIo & { out: string; err: string };

/** Captures stdout and stderr; not a terminal; runs in `cwd` with an empty environment. */
export function capturedIo(cwd: string): CapturedIo {
  const captured: CapturedIo = {
    out: '',
    err: '',
    stdout: (s: string) => void (captured.out += s),
    stderr: (s: string) => void (captured.err += s),
    isTTY: false,
    cwd,
    env: {},
  };
  return captured;
}
