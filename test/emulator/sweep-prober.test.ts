// The exposure sweep's batched processes (emulator/sweep-prober.ts, emulator/echo-server.ts)
// against the tools they replace, in two namespaces of their own joined by a veth pair (IPv4 and
// IPv6): every probe the prober runs in one process gives the verdict that a socat connection, a
// socat datagram or a ping of its own gives, with the same waits, through filters that drop
// requests, drop answers on their way back, and reset, towards sockets the echo service holds and
// ports nobody holds. Root only: skipped loudly elsewhere, and fails in CI if it cannot run.

import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRunId } from '../../emulator/index.js';
import { Listeners } from '../../emulator/listeners.js';
import { execIn, haveTool, type ToolResult } from '../../emulator/netns.js';
import { PYTHON } from '../../emulator/python.js';
import { runProber, type ProberTry } from '../../emulator/sweep-prober.js';
import { proberTry, type SweepProbe } from '../../emulator/sweep.js';
import { udpSockets } from '../../emulator/sweep-udp-icmp.js';
import { claimRun, teardownRun } from '../../emulator/teardown.js';

const canRun = process.getuid?.() === 0 && ['ip', 'nft', 'socat', 'ping', PYTHON].every(haveTool);
if (!canRun && !process.env.CI) console.warn('\n*** SKIPPING the sweep prober namespace test: it needs root, nft, socat, ping and python3 (CI runs it as root) ***\n');
const rootIt = canRun || process.env.CI ? it : it.skip;

const run = newRunId();
const [SRC, DEV] = [`${run}-src`, `${run}-dev`] as const;
/** The source's addresses, the device's two addresses per family (the second one: no UDP socket). */
const A = { 4: '10.77.0.1', 6: 'fd77::1' } as const;
const D = { 4: ['10.77.0.2', '10.77.0.3'], 6: ['fd77::2', 'fd77::3'] } as const;

/**
 * The device's filter: TCP 23 and UDP 53 dropped on the way in, TCP 8080 reset, the answers of
 * TCP 443 and UDP 123 dropped on the way out, echo requests to the second IPv4 address dropped;
 * the first SYN to each of TCP 7777 and 7778 dropped (a full accept queue does that), not the next.
 */
const FILTER = `table inet sweep_test {
  chain in {
    type filter hook input priority 0; policy accept;
    tcp dport 23 drop
    udp dport 53 drop
    tcp dport 8080 reject with tcp reset
    ip daddr ${D[4][1]} icmp type echo-request drop
    tcp dport 7777 quota until 100 bytes drop
    tcp dport 7778 quota until 100 bytes drop
  }
  chain out {
    type filter hook output priority 0; policy accept;
    tcp sport 443 drop
    udp sport 123 drop
  }
}
`;

const TCP_PORTS = [22, 23, 443, 8080, 9999];
/** Ports whose first SYN the device's filter drops (each port's quota: one SYN). */
const ONE_SYN_LOST = [7777, 7778];
const UDP_PORTS = [53, 123, 161, 162];

function ip(...args: string[]): void {
  execFileSync('ip', args, { stdio: 'pipe' });
}

/** Every probe from the source to each device address: TCP, UDP and ICMP, half of them with a second try. */
function probes(): ProberTry[] {
  const out: ProberTry[] = [];
  for (const fam of [4, 6] as const) {
    for (const destination of D[fam]) {
      const at = { source: A[fam], destination };
      for (const port of TCP_PORTS) out.push({ protocol: 'tcp', ...at, port, wait: 0.5, retryWait: 0 });
      for (const port of UDP_PORTS) out.push({ protocol: 'udp', ...at, port, wait: 0.5, retryWait: port % 2 === 1 ? 3 : 0 });
      out.push({ protocol: 'icmp', ...at, port: 0, wait: 0.5, retryWait: 3 });
    }
  }
  return out;
}

/** A probe as its own process would run it: what the sweep ran before the prober. */
async function alone(t: ProberTry): Promise<boolean> {
  const v6 = t.destination.includes(':');
  const [dst, src] = v6 ? [`[${t.destination}]`, `[${t.source}]`] : [t.destination, t.source];
  const once = async (wait: number): Promise<boolean> => {
    let r: ToolResult;
    if (t.protocol === 'tcp') {
      r = await execIn(SRC, 'socat', ['-u', 'OPEN:/dev/null', `TCP${v6 ? 6 : 4}:${dst}:${t.port},bind=${src},connect-timeout=${wait}`]);
      return r.code === 0;
    }
    if (t.protocol === 'udp') {
      r = await execIn(SRC, 'socat', ['-t', String(wait), '-T', String(wait + 1), '-', `UDP${v6 ? 6 : 4}:${dst}:${t.port},bind=${src}`], { input: 'plumb-sweep\n' });
      return r.stdout.includes('plumb-sweep') || /Connection refused/.test(r.stderr);
    }
    r = await execIn(SRC, 'ping', ['-n', '-q', '-c', '1', '-W', String(wait), '-I', t.source, t.destination]);
    return r.code === 0;
  };
  return (await once(t.wait)) || (t.retryWait > 0 && (await once(t.retryWait)));
}

const listeners = new Listeners();

beforeAll(async () => {
  if (!canRun) return;
  // Owned by this process, as a lab's run is: a lab starting meanwhile in another test file
  // removes the namespaces of runs without a live owner (emulator/teardown.ts, staleRuns).
  claimRun(run);
  ip('netns', 'add', SRC);
  ip('netns', 'add', DEV);
  ip('link', 'add', 'swp-s', 'netns', SRC, 'type', 'veth', 'peer', 'name', 'swp-d', 'netns', DEV);
  for (const [ns, ifname, addrs] of [
    [SRC, 'swp-s', [`${A[4]}/24`, `${A[6]}/64`]],
    [DEV, 'swp-d', [...D[4].map((a) => `${a}/24`), ...D[6].map((a) => `${a}/64`)]],
  ] as const) {
    for (const a of addrs) ip('-n', ns, 'addr', 'add', a, 'dev', ifname, ...(a.includes(':') ? ['nodad'] : []));
    ip('-n', ns, 'link', 'set', ifname, 'up');
    ip('-n', ns, 'link', 'set', 'lo', 'up');
  }
  execFileSync('ip', ['netns', 'exec', DEV, 'nft', '-f', '-'], { input: FILTER });
  // TCP on every address of the device but 9999 (nobody: a reset); UDP on the first address of each family only.
  listeners.serve(DEV, [
    ...[...TCP_PORTS.filter((p) => p !== 9999), ...ONE_SYN_LOST].map((port) => ({ protocol: 6 as const, address: '*', port })),
    ...udpSockets([D[4][0], D[6][0]].flatMap((address) => UDP_PORTS.map((port) => ({ address, port })))),
  ]);
  await listeners.settle(60_000);
  // As in a lab whose routing has converged: the neighbours resolved (ARP, IPv6 neighbour
  // discovery) before the first probe, whose half second is the network's, not theirs.
  for (const fam of [4, 6] as const) {
    for (const a of D[fam]) {
      const dst = fam === 6 ? `[${a}]` : a;
      for (let i = 0; i < 10; i++) if ((await execIn(SRC, 'socat', ['-u', 'OPEN:/dev/null', `TCP${fam}:${dst}:22,connect-timeout=5`])).code === 0) break;
    }
  }
}, 300_000);

afterAll(() => {
  listeners.stop();
  if (canRun) teardownRun(run);
});

describe('the sweep prober', () => {
  rootIt(
    'gives every probe the verdict its own socat or ping gives, in one process',
    async () => {
      const tries = probes();
      const batched = await runProber(SRC, tries);
      // Each destination's probes one after the other, the four destinations side by side: the
      // port unreachables some of them wait for all come from the second address of a family
      // (the first holds every probed UDP port), so the kernel's limit on them per peer
      // (net.ipv4.icmp_ratelimit) sees them one after the other, as before.
      const single: boolean[] = new Array(tries.length);
      const destinations = [...new Set(tries.map((t) => t.destination))];
      await Promise.all(
        destinations.map(async (d) => {
          for (const [i, t] of tries.entries()) if (t.destination === d) single[i] = await alone(t);
        }),
      );
      const text = (open: boolean[]): string[] => tries.map((t, i) => `${t.protocol} ${t.destination} ${t.port}: ${open[i] ? 'open' : 'closed'}`);
      expect(text(batched)).toEqual(text(single));
      // The cases are the ones meant: each verdict as the filter and the sockets make it.
      const verdict = (protocol: string, destination: string, port: number): boolean =>
        batched[tries.findIndex((t) => t.protocol === protocol && t.destination === destination && t.port === port)]!;
      for (const fam of [4, 6] as const) {
        const [first, second] = D[fam];
        expect(TCP_PORTS.map((p) => verdict('tcp', first, p))).toEqual([true, false, false, false, false]);
        // Dropped on the way in, echo dropped on the way out, echoed, echoed; on the second
        // address nobody holds a port, and the port unreachable (not UDP: the filter's `udp
        // sport 123` lets it out) says the datagram got there.
        expect(UDP_PORTS.map((p) => verdict('udp', first, p))).toEqual([false, false, true, true]);
        expect(UDP_PORTS.map((p) => verdict('udp', second, p))).toEqual([false, true, true, true]);
        expect(verdict('icmp', first, 0)).toBe(true);
        expect(verdict('icmp', second, 0)).toBe(fam === 6);
      }
    },
    300_000,
  );

  rootIt(
    'runs many probes at once and keeps each one its own (no answer taken for another probe)',
    async () => {
      // The same probes ten times over, shuffled by a fixed rule: the verdicts repeat exactly.
      // Not the datagrams to the second addresses: their port unreachables are rate-limited by the
      // kernel per source (net.ipv4.icmp_ratelimit), and in a sweep every datagram goes to a bound
      // echo socket.
      const base = probes().filter((t) => t.protocol !== 'udp' || t.destination === D[4][0] || t.destination === D[6][0]);
      const many = Array.from({ length: 10 }, (_, k) => base.map((_, i) => base[(i * 7 + k) % base.length]!)).flat();
      const once = await runProber(SRC, base);
      const all = await runProber(SRC, many, 64);
      const expected = Array.from({ length: 10 }, (_, k) => base.map((_, i) => once[(i * 7 + k) % base.length]!)).flat();
      const show = (open: boolean[]): string[] => many.map((t, i) => `${i} ${t.protocol} ${t.destination} ${t.port}: ${open[i] ? 'open' : 'closed'}`);
      expect(show(all)).toEqual(show(expected));
    },
    300_000,
  );

  rootIt('a source address the namespace does not have gives closed, as socat does; a missing namespace is an error', async () => {
    const stray: ProberTry = { protocol: 'udp', source: '10.77.9.9', destination: D[4][0], port: 161, wait: 0.5, retryWait: 0 };
    expect(await runProber(SRC, [stray, { ...stray, protocol: 'tcp', port: 22 }, { ...stray, protocol: 'icmp', port: 0 }])).toEqual([false, false, false]);
    expect(await alone(stray)).toBe(false);
    await expect(runProber(`${run}-none`, [stray])).rejects.toThrow(/the sweep's prober in .*-none failed/);
  }, 120_000);

  rootIt('tries a TCP connection again after a lost SYN when given a second wait, and only then', async () => {
    // The kernel sends a lost SYN again after a second, past the first try's half second: only
    // a second try (a new connection) sees the port open.
    const at = { protocol: 'tcp' as const, source: A[4], destination: D[4][0], wait: 0.5 };
    expect(await runProber(SRC, [{ ...at, port: ONE_SYN_LOST[0]!, retryWait: 3 }, { ...at, port: ONE_SYN_LOST[1]!, retryWait: 0 }])).toEqual([true, false]);
  }, 120_000);

  it('gives every probe the model opens a second try, a TCP one too, and no other probe one', () => {
    const probe = (protocol: SweepProbe['protocol'], expected: boolean): SweepProbe =>
      ({ device: 'd', deviceNs: 'ns-d', fromNs: 'ns-s', source: A[4], destination: D[4][0], protocol, port: protocol === 'icmp' ? 0 : 22, expected }) as SweepProbe;
    for (const protocol of ['tcp', 'udp', 'icmp'] as const) {
      expect(proberTry(probe(protocol, true)).retryWait, protocol).toBeGreaterThan(1);
      expect(proberTry(probe(protocol, false)).retryWait, protocol).toBe(0);
    }
  });
});
