// The echo services behind the probes' connections inside the lab's namespaces, and what already
// listens there (`ss`): an endpoint's socat listener per address and port, which answers the
// probe's line with the line and the source address it saw (`plumb-probe seen 100.64.20.100`:
// through translations, the far end's view of the source); a device's plain echo service, one
// process per namespace for all the sockets asked at once (echo-server.ts).

import type { ChildProcess } from 'node:child_process';
import { ECHO_SERVER_SCRIPT, echoServerArgs, type EchoSocket } from './echo-server.js';
import { assertSafeWord, execIn, spawnIn, sleep } from './netns.js';
import { PYTHON, pythonArgs } from './python.js';

/** One line read and echoed with the peer's address (socat sets SOCAT_PEERADDR for the child). */
// No quotes: socat's address syntax would take them (and backslashes) apart.
const ECHO_SEEN = 'read -r line; echo $line seen $SOCAT_PEERADDR';

export class Listeners {
  private readonly running = new Map<string, ChildProcess>();
  /** Keys of `running` seen bound by an earlier `settle`: not looked for again. */
  private readonly bound = new Set<string>();

  /**
   * A TCP or UDP echo service on address:port inside a namespace that says the source it saw
   * (idempotent: the first service started on an address and port stays, a plain echo included).
   */
  async ensure(ns: string, protocol: 6 | 17, address: string, port: number): Promise<void> {
    const key = `${ns}|${protocol}|${address}|${port}`;
    if (this.running.has(key)) return;
    const fam = address.includes(':') ? '6' : '4';
    const bind = fam === '6' ? `[${assertSafeWord(address)}]` : assertSafeWord(address);
    const spec =
      protocol === 6
        ? `TCP${fam}-LISTEN:${port},bind=${bind},reuseaddr,fork`
        : `UDP${fam}-RECVFROM:${port},bind=${bind},fork`;
    this.running.set(key, spawnIn(ns, 'socat', [spec, `SYSTEM:${ECHO_SEEN}`]));
  }

  /**
   * A plain echo service on these sockets of a namespace, all in one process: a device's own
   * services for the probes to it (TCP address `*`: every address, IPv6 and IPv4 alike).
   * Sockets already served (by this or `ensure`) are left out; the caller leaves out the ports a
   * daemon already holds (`listeningTcpAddresses`), where the daemon answers instead.
   */
  serve(ns: string, sockets: readonly EchoSocket[]): void {
    const fresh = new Map<string, EchoSocket>();
    for (const s of sockets) {
      const key = `${ns}|${s.protocol}|${s.address}|${s.port}`;
      if (!this.running.has(key) && (s.address === '*' || assertSafeWord(s.address))) fresh.set(key, s);
    }
    if (fresh.size === 0) return;
    const child = spawnIn(ns, PYTHON, pythonArgs(ECHO_SERVER_SCRIPT, echoServerArgs([...fresh.values()])));
    for (const key of fresh.keys()) this.running.set(key, child);
  }

  /** Waits until every listener is bound (`ss` in its namespace, all namespaces at once), at most `limitMs`. */
  async settle(limitMs = 10_000): Promise<void> {
    const pending = new Set([...this.running.keys()].filter((k) => !this.bound.has(k)));
    const t0 = Date.now();
    while (pending.size > 0 && Date.now() - t0 < limitMs) {
      await sleep(100);
      const byNs = new Map<string, string[]>();
      for (const key of pending) byNs.set(key.split('|')[0]!, [...(byNs.get(key.split('|')[0]!) ?? []), key]);
      await Promise.all(
        [...byNs].map(async ([ns, keys]) => {
          const r = await execIn(ns, 'ss', ['-H', '-l', '-n', '-t', '-u']);
          const listening = new Set(
            r.stdout
              .split('\n')
              .map((l) => l.trim().split(/\s+/))
              .filter((t) => t.length >= 5)
              .map((t) => `${t[0] === 'tcp' ? 6 : 17}|${t[4]!.replace(/^\[|\](?=:\d+$)/g, '')}`),
          );
          for (const key of keys) {
            const [, proto, address, port] = key.split('|');
            const any = address === '*' && ['*', '::', '0.0.0.0'].some((a) => listening.has(`${proto}|${a}:${port}`));
            if (any || listening.has(`${proto}|${address}:${port}`)) {
              pending.delete(key);
              this.bound.add(key);
            }
          }
        }),
      );
    }
  }

  stop(): void {
    // A process serving several sockets is under each of their keys: killed once.
    for (const c of new Set(this.running.values())) c.kill('SIGKILL');
    this.running.clear();
    this.bound.clear();
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
