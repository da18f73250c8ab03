// setup.sh's route commands and `# route` comments, read by setup-read.ts and
// setup-read-routes.ts: the batch's lines, `ip route ...` shell lines, canonical and
// non-canonical prefixes, host bits, and routes without their comment.

import { describe, expect, it } from 'vitest';
import { readSetup } from '../../backends/linux/setup-read.js';

const HEAD = [
  '#!/bin/sh',
  'set -eu',
  'sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1',
];

function read(batch: string[], shell: string[] = []): ReturnType<typeof readSetup> {
  return readSetup('setup.sh', [...HEAD, ...shell, "ip -batch - <<'PLUMB_EOF'", ...batch, 'PLUMB_EOF', ''].join('\n'));
}

const codes = (r: ReturnType<typeof readSetup>): string[] => r.diagnostics.map((d) => d.code);

describe('setup.sh routes', () => {
  it('gives each route its comment origin, and a route without one its line', () => {
    const r = read([
      '# route 10.1.0.0/16 via 192.0.2.1 @ a.plumb:3:1-3:9 [20,28]',
      'route replace 10.1.0.0/16 via 192.0.2.1',
      '#  route 10.2.0.0/16 via 192.0.2.1 @ a.plumb:4:1-4:9 [30,38]',
      'route replace 10.2.0.0/16 via 192.0.2.1',
      'route replace 10.3.0.0/16 nexthop via 192.0.2.1 nexthop via 192.0.2.3',
    ]);
    expect(codes(r).filter((c) => c !== 'R907')).toEqual([]);
    expect(r.staticRoutes.map((s) => [s.prefix, s.nextHop, s.origin.file, s.origin.start.line])).toEqual([
      ['10.1.0.0/16', '192.0.2.1', 'a.plumb', 3],
      ['10.2.0.0/16', '192.0.2.1', 'a.plumb', 4],
      ['10.3.0.0/16', '192.0.2.1', 'setup.sh', 9],
      ['10.3.0.0/16', '192.0.2.3', 'setup.sh', 9],
    ]);
    expect(r.staticRoutes[2]!.origin).toEqual(r.staticRoutes[3]!.origin);
    expect(r.staticRoutes[2]!.origin.start.column).toBe(1);
  });

  it('reads a prefix written otherwise but without host bits as its canonical text, and refuses host bits', () => {
    const r = read([
      'route replace 2001:0db8:0:0::/32 via 2001:db8::1',
      'route replace 10.4.0.1/16 via 192.0.2.1',
      'route replace blackhole 10.5.0.0/16 metric 7',
      'route replace blackhole 10.6.0.9/16',
    ]);
    expect(r.staticRoutes.map((s) => [s.prefix, s.discard ?? false, s.distance])).toEqual([
      ['10.5.0.0/16', true, 7],
      ['2001:db8::/32', false, undefined],
    ]);
    const bad = r.diagnostics.filter((d) => d.message.includes('is not a network prefix'));
    expect(bad.map((d) => [d.message.split('`')[1], d.span.start.line, d.span.start.column])).toEqual([
      ['10.4.0.1/16', 6, 15],
      ['10.6.0.9/16', 8, 25],
    ]);
  });

  it('reads `ip route` and `ip -4 route` shell lines as the batch reads its lines', () => {
    const r = read([], ['ip route replace 10.7.0.0/16 dev eth1', 'ip -4 route add 10.8.0.0/16 via 192.0.2.1 metric 5', 'ip -4 route replace 10.9.0.1/16 dev eth1']);
    expect(r.staticRoutes.map((s) => [s.prefix, s.interface, s.nextHop, s.distance, s.origin.start.line])).toEqual([
      ['10.7.0.0/16', 'eth1', undefined, undefined, 4],
      ['10.8.0.0/16', undefined, '192.0.2.1', 5, 5],
    ]);
    const bad = r.diagnostics.find((d) => d.message.includes('10.9.0.1/16'))!;
    expect([bad.span.start.line, bad.span.start.column]).toEqual([6, 21]);
  });
});
