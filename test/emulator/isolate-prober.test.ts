// The isolate probes' prober (emulator/isolate-prober.ts) against the tools it stands in for: in
// two namespaces joined by a veth, with the lab's echo listeners behind one and a filter that
// drops or refuses some ports, every connection the prober makes (TCP, UDP, ICMP echo, IPv4 and
// IPv6, open, dropped, refused, from a fixed source port, an echo answered once) comes out as the
// socat or ping process of its own says: the reply read, the source the far end saw, the error
// line (socat's buffer address aside). Which probes it takes is pure. Root only (namespaces): it
// skips loudly outside CI.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunId } from '../../emulator/index.js';
import { IsolateProbers, proberTakes, type IsolateTry } from '../../emulator/isolate-prober.js';
import { execIn, execInOk, ipBatch, nftApply } from '../../emulator/netns.js';
import { Listeners, sourceSeenIn, type ProbeSpec } from '../../emulator/probe.js';
import { claimRun, teardownRun } from '../../emulator/teardown.js';
import { rootOnly } from '../intent-runs.js';

const rootIt = rootOnly('the isolate prober against socat and ping', { concurrent: true });

describe('which probes the prober takes', () => {
  const spec = (over: Partial<ProbeSpec>, packet: Partial<ProbeSpec['packet']> = {}): ProbeSpec => ({
    id: 'p',
    kind: 'connect',
    fromNs: 'a',
    toNs: 'b',
    note: '',
    waitSeconds: 1,
    ...over,
    packet: { source: '10.0.0.1', destination: '10.0.0.2', protocol: 6, destinationPort: 22, ...packet },
  });
  it("an isolate's connection to an endpoint: TCP or UDP to a port, an ICMP echo", () => {
    expect(proberTakes(spec({}))).toBe(true);
    expect(proberTakes(spec({}, { protocol: 17, destinationPort: 53 }))).toBe(true);
    expect(proberTakes(spec({}, { protocol: 1, destinationPort: undefined }))).toBe(true);
    expect(proberTakes(spec({}, { protocol: 58, icmpType: 128, destinationPort: undefined }))).toBe(true);
  });
  it('not a reach (no wait of its own), a crafted packet, a device as destination, another ICMP type', () => {
    const { waitSeconds: _, ...reach } = spec({});
    expect(proberTakes(reach)).toBe(false);
    expect(proberTakes(spec({ kind: 'craft' }))).toBe(false);
    expect(proberTakes(spec({ toDevice: true }))).toBe(false);
    expect(proberTakes(spec({}, { protocol: 1, icmpType: 13, destinationPort: undefined }))).toBe(false);
    expect(proberTakes(spec({}, { protocol: 6, destinationPort: undefined }))).toBe(false);
  });
});

describe('the isolate prober in a lab of two namespaces', () => {
  const runId = newRunId();
  const [a, b] = [`${runId}-s-a`, `${runId}-s-b`];
  const listeners = new Listeners();
  const probers = new IsolateProbers();

  beforeAll(async () => {
    if (process.getuid?.() !== 0) return;
    claimRun(runId);
    await ipBatch(undefined, [['netns', 'add', a], ['netns', 'add', b]]);
    // As the lab does: no duplicate address detection (no address tentative) before the veth exists.
    for (const ns of [a, b]) await execInOk(ns, 'sysctl', ['-q', '-w', 'net.ipv6.conf.all.accept_dad=0', 'net.ipv6.conf.default.accept_dad=0']);
    await ipBatch(undefined, [['link', 'add', 'pa0', 'netns', a, 'type', 'veth', 'peer', 'name', 'pb0', 'netns', b]]);
    for (const [ns, ifname, k] of [[a, 'pa0', 1], [b, 'pb0', 2]] as const) {
      const extra = k === 2 ? ['10.77.0.3/24', '10.77.0.4/24', '10.77.0.5/24', 'fd77::3/64'].map((x) => ['addr', 'add', x, 'dev', ifname]) : [];
      await ipBatch(ns, [['link', 'set', 'lo', 'up'], ['link', 'set', ifname, 'up'], ['addr', 'add', `10.77.0.${k}/24`, 'dev', ifname], ['addr', 'add', `fd77::${k}/64`, 'dev', ifname], ...extra]);
    }
    // Dropped: TCP 81, UDP 84, echoes to .3 and every echo but the first to .4 and to .5 (one
    // reply of two); refused: TCP 82 (a reset), UDP 83 (nothing listens).
    await nftApply(
      b,
      'table inet f {\n chain in {\n  type filter hook input priority 0; policy accept;\n  tcp dport 81 drop\n  tcp dport 82 reject with tcp reset\n  udp dport 84 drop\n  ip daddr 10.77.0.3 icmp type echo-request drop\n  ip daddr 10.77.0.4 icmp type echo-request limit rate over 1/minute burst 1 packets drop\n  ip daddr 10.77.0.5 icmp type echo-request limit rate over 1/minute burst 1 packets drop\n  ip6 daddr fd77::3 icmpv6 type echo-request drop\n }\n}\n',
    );
    for (const address of ['10.77.0.2', 'fd77::2']) {
      await listeners.ensure(b, 6, address, 80);
      await listeners.ensure(b, 17, address, 80);
    }
    await listeners.settle();
  }, 60_000);

  afterAll(() => {
    probers.close();
    listeners.stop();
    if (process.getuid?.() === 0) teardownRun(runId);
  });

  /** What socat or ping itself says of the same connection, as probe.ts reads it. */
  async function byTool(t: IsolateTry): Promise<{ ok: boolean; seen?: string; error: string }> {
    const wait = String(t.wait);
    if (t.protocol === 'icmp') {
      const r = await execIn(a, 'ping', ['-n', '-q', '-c', '2', '-i', '0.3', '-w', wait, '-I', t.source, t.destination]);
      return { ok: r.code === 0, error: '' };
    }
    const v6 = t.destination.includes(':');
    const [bind, dst] = v6 ? [`[${t.source}]`, `[${t.destination}]`] : [t.source, t.destination];
    const from = t.sourcePort !== undefined ? `${bind}:${t.sourcePort}` : bind;
    const addr = t.protocol === 'tcp' ? `TCP${v6 ? 6 : 4}:${dst}:${t.port},bind=${from},connect-timeout=${wait}` : `UDP${v6 ? 6 : 4}:${dst}:${t.port},bind=${from}`;
    const r = await execIn(a, 'socat', ['-T', wait, '-t', wait, '-', addr], { input: 'plumb-probe\n' });
    return read(r.stdout, r.stderr);
  }

  async function byProber(t: IsolateTry): Promise<{ ok: boolean; seen?: string; error: string }> {
    const r = await probers.connect(a, t);
    return t.protocol === 'icmp' ? { ok: r.echoed, error: '' } : read(r.stdout, r.stderr);
  }

  function read(stdout: string, stderr: string): { ok: boolean; seen?: string; error: string } {
    const ok = stdout.includes('plumb-probe');
    const seen = ok ? sourceSeenIn(stdout) : undefined;
    // The line as the report's detail holds it; socat's buffer address differs from run to run.
    const error = (stderr.trim().split('\n').pop() ?? '').replace(/^.*socat\[\d+\] /, '').replace(/0x[0-9a-f]+/, '0x0');
    return { ok, ...(seen ? { seen } : {}), error };
  }

  const cases: [string, IsolateTry, boolean][] = [
    // The prober's own copy of the address (.5): each gets its one reply.
    ['IPv4 ICMP echo answered once (ping wants two)', { protocol: 'icmp', source: '10.77.0.1', destination: '10.77.0.4', port: 0, wait: 1 }, false],
  ];
  for (const [fam, src, dst, dropped] of [['IPv4', '10.77.0.1', '10.77.0.2', '10.77.0.3'], ['IPv6', 'fd77::1', 'fd77::2', 'fd77::3']] as const) {
    const at = (protocol: IsolateTry['protocol'], port: number, destination: string = dst): IsolateTry => ({ protocol, source: src, destination, port, wait: 1 });
    cases.push(
      [`${fam} TCP to a listener`, at('tcp', 80), true],
      [`${fam} TCP from a fixed source port`, { ...at('tcp', 80), sourcePort: 40100 }, true],
      [`${fam} TCP dropped`, at('tcp', 81), false],
      [`${fam} TCP reset`, at('tcp', 82), false],
      [`${fam} UDP to a listener`, at('udp', 80), true],
      [`${fam} UDP to a closed port`, at('udp', 83), false],
      [`${fam} UDP dropped`, at('udp', 84), false],
      [`${fam} ICMP echo answered`, at('icmp', 0), true],
      [`${fam} ICMP echo dropped`, at('icmp', 0, dropped), false],
    );
  }

  for (const [what, t, open] of cases) {
    rootIt(`${what}: as the tool of its own says`, async () => {
      // A fixed source port: the next one for the prober (the tool's closed connection may hold its own).
      const own = t.sourcePort !== undefined ? { ...t, sourcePort: t.sourcePort + 1 } : t.destination === '10.77.0.4' ? { ...t, destination: '10.77.0.5' } : t;
      const [tool, prober] = await Promise.all([byTool(t), byProber(own)]);
      expect(tool.ok).toBe(open);
      expect(prober).toEqual(tool);
      if (open && t.protocol !== 'icmp') expect(prober.seen).toBe(t.source);
    }, 30_000);
  }
});
