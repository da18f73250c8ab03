// The Python interpreter of the lab's batch processes (echo-server.ts, sweep-prober.ts): the
// system's own, /usr/bin/python3, where there is one, else the first python3 on PATH. A version
// manager's shim on PATH (pyenv's is a shell script) costs half a second of CPU per start here,
// against 50 ms for the interpreter itself.

import { existsSync } from 'node:fs';

export const PYTHON = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

/** Isolated (no environment variables, no user site) and without `site`: only the standard library loads. */
export function pythonArgs(script: string, args: readonly string[] = []): string[] {
  return ['-I', '-S', '-c', script, ...args];
}
