// Fixed source ports of probes in the ephemeral range (emulator/probe-ports.ts): a connection's
// counter leaves them out only where its kernel never picks them, and reserving them in a
// namespace really keeps the kernel off them. The namespace test needs root and iproute2: it
// skips loudly outside CI.

import { describe, expect, it } from 'vitest';
import { haveTool, run } from '../../emulator/netns.js';
import { fixedEphemeralPort, kernelPicksPort, reserveSourcePorts } from '../../emulator/probe-ports.js';
import { counterMatch, type ProbeSpec } from '../../emulator/probe.js';
import { PYTHON } from '../../emulator/python.js';

const canUseNamespaces = process.getuid?.() === 0 && haveTool('ip');
if (!canUseNamespaces && !process.env.CI) {
  console.warn('\n*** SKIPPING the namespace test of probe-ports.ts: it needs root and iproute2 (CI runs it as root) ***\n');
}
/** Outside CI a machine without root or `ip` skips; in CI it must not. */
const rootIt = canUseNamespaces || process.env.CI ? it : it.skip;

const spec = (fromNs: string, sourcePort?: number, kind: ProbeSpec['kind'] = 'connect'): ProbeSpec => ({
  id: 'a0p0',
  kind,
  fromNs,
  toNs: 'dst',
  packet: { source: '10.0.0.1', destination: '10.0.1.1', protocol: 6, destinationPort: 22, ...(sourcePort !== undefined ? { sourcePort } : {}) },
  note: '',
});

describe('fixed source ports', () => {
  it('says which probes have one and which take the kernel’s', () => {
    expect(fixedEphemeralPort(spec('a', 49152))).toBe(49152);
    expect(fixedEphemeralPort(spec('a', 443))).toBeUndefined();
    expect(fixedEphemeralPort(spec('a'))).toBeUndefined();
    expect(kernelPicksPort(spec('a'))).toBe(true);
    expect(kernelPicksPort(spec('a', 49152))).toBe(false);
    // A crafted packet without a port is sent from one of its own, never the kernel's pick.
    expect(kernelPicksPort(spec('a', undefined, 'craft'))).toBe(false);
  });

  it('leaves reserved ports out of a picked port’s counter only', () => {
    const p = spec('a').packet;
    expect(counterMatch(p, false, false, [49152, 50000]).join(' ')).toContain('th sport 32768-60999 th sport != { 49152, 50000 }');
    expect(counterMatch(p, false).join(' ')).not.toContain('!=');
    expect(counterMatch({ ...p, sourcePort: 49152 }, true, false, [49152]).join(' ')).toContain('th sport 49152');
    expect(counterMatch({ ...p, sourcePort: 49152 }, true, false, [49152]).join(' ')).not.toContain('!=');
  });

  rootIt('keeps the kernel off the reserved ports of a namespace', async () => {
    const ns = `plpp${process.pid}`;
    await run('ip', ['netns', 'add', ns]);
    try {
      await run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      // Two ports to pick from, the odd one reserved: every pick must be the even one (an
      // unconnected bind takes an odd port first when it can).
      await run('ip', ['netns', 'exec', ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_local_port_range=40000 40001']);
      expect([...(await reserveSourcePorts([spec(ns), spec(ns, 40001)], [40001]))]).toEqual([ns]);
      const picks = await run('ip', [
        'netns',
        'exec',
        ns,
        PYTHON,
        '-c',
        'import socket\nfor f, a in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")) * 3:\n s = socket.socket(f); s.bind((a, 0)); print(s.getsockname()[1]); s.close()',
      ]);
      expect(picks.stdout.trim().split('\n')).toEqual(Array(6).fill('40000'));
      // Nothing to reserve: no namespace is touched.
      expect((await reserveSourcePorts([spec(ns)], [])).size).toBe(0);
    } finally {
      await run('ip', ['netns', 'del', ns]);
    }
  });
});
