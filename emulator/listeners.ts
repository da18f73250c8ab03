// The echo services behind the probes' connections: socat listeners inside the lab's namespaces
// (TCP and UDP, on one address or on all of a device's), and what already listens there (`ss`).
// An endpoint's listener answers the probe's line with the line and the source address it saw
// (`plumb-probe seen 100.64.20.100`): through translations, the far end's view of the source.

import type { ChildProcess } from 'node:child_process';
import { assertSafeWord, execIn, spawnIn, sleep } from './netns.js';

/** One line read and echoed with the peer's address (socat sets SOCAT_PEERADDR for the child). */
// No quotes: socat's address syntax would take them (and backslashes) apart.
const ECHO_SEEN = 'read -r line; echo $line seen $SOCAT_PEERADDR';

export class Listeners {
  private readonly running = new Map<string, ChildProcess>();

  /**
   * A TCP or UDP echo service on address:port inside a namespace (idempotent: the first one
   * started stays), saying the source it saw unless `saySource` is false (a plain echo, with no
   * shell started per packet: the sweep's, which waits half a second).
   */
  async ensure(ns: string, protocol: 6 | 17, address: string, port: number, saySource = true): Promise<void> {
    const key = `${ns}|${protocol}|${address}|${port}`;
    if (this.running.has(key)) return;
    const fam = address.includes(':') ? '6' : '4';
    const bind = fam === '6' ? `[${assertSafeWord(address)}]` : assertSafeWord(address);
    const spec =
      protocol === 6
        ? `TCP${fam}-LISTEN:${port},bind=${bind},reuseaddr,fork`
        : `UDP${fam}-RECVFROM:${port},bind=${bind},fork`;
    this.running.set(key, spawnIn(ns, 'socat', [spec, saySource ? `SYSTEM:${ECHO_SEEN}` : 'PIPE']));
  }

  /**
   * A TCP echo service on every address of a namespace (IPv6 and IPv4 alike) on a port: a
   * device's own services for the probes to it. Idempotent; the caller leaves out ports a
   * daemon already holds (`listeningTcpPorts`), where the daemon answers instead.
   */
  ensureAnyTcp(ns: string, port: number): void {
    const key = `${ns}|6|*|${port}`;
    if (this.running.has(key)) return;
    this.running.set(key, spawnIn(ns, 'socat', [`TCP6-LISTEN:${port},ipv6only=0,reuseaddr,fork`, 'PIPE']));
  }

  /** Waits until every listener is bound (`ss` in its namespace), at most `limitMs`. */
  async settle(limitMs = 10_000): Promise<void> {
    const pending = new Set(this.running.keys());
    const t0 = Date.now();
    while (pending.size > 0 && Date.now() - t0 < limitMs) {
      await sleep(100);
      const byNs = new Map<string, string[]>();
      for (const key of pending) byNs.set(key.split('|')[0]!, [...(byNs.get(key.split('|')[0]!) ?? []), key]);
      for (const [ns, keys] of byNs) {
        const r = await execIn(ns, 'ss', ['-H', '-l', '-n', '-t', '-u']);
        const bound = new Set(
          r.stdout
            .split('\n')
            .map((l) => l.trim().split(/\s+/))
            .filter((t) => t.length >= 5)
            .map((t) => `${t[0] === 'tcp' ? 6 : 17}|${t[4]!.replace(/^\[|\](?=:\d+$)/g, '')}`),
        );
        for (const key of keys) {
          const [, proto, address, port] = key.split('|');
          const any = address === '*' && ['*', '::', '0.0.0.0'].some((a) => bound.has(`${proto}|${a}:${port}`));
          if (any || bound.has(`${proto}|${address}:${port}`)) pending.delete(key);
        }
      }
    }
  }

  stop(): void {
    for (const c of this.running.values()) c.kill('SIGKILL');
    this.running.clear();
  }
}

/** Per TCP port something listens on in a namespace, the addresses it is bound to (`*`: all). */
export function listeningTcpAddresses(ns: string): Promise<Map<number, Set<string>>> {
  return listeningAddresses(ns, 'tcp');
}

/** Per port of `protocol` something listens on in a namespace (`ss`), the addresses it is bound to (`*`: all). */
export async function listeningAddresses(ns: string, protocol: 'tcp' | 'udp'): Promise<Map<number, Set<string>>> {
  const r = await execIn(ns, 'ss', ['-H', '-l', '-n', protocol === 'tcp' ? '-t' : '-u']);
  const held = new Map<number, Set<string>>();
  for (const line of r.stdout.split('\n')) {
    const local = line.trim().split(/\s+/)[3];
    const m = local ? /^\[?(.*?)\]?(?:%[^:]*)?:(\d+)$/.exec(local) : null;
    if (!m) continue;
    const port = Number(m[2]);
    held.set(port, (held.get(port) ?? new Set()).add(m[1]!));
  }
  return held;
}
