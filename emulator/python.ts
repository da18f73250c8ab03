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

/** The Internet checksum (RFC 1071) of a bytes object, as a Python function the probers'
 * programs share: the ICMP echo requests they make on raw sockets carry it. */
export const PYTHON_CHECKSUM = String.raw`def checksum(b):
    if len(b) % 2:
        b += b'\0'
    s = sum(struct.unpack('!%dH' % (len(b) // 2), b))
    while s >> 16:
        s = (s & 0xffff) + (s >> 16)
    return ~s & 0xffff
`;
