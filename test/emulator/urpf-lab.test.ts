// Strict uRPF of an emulated IOS-XE router in real namespaces: the router's lab ruleset
// (emulator/filters.ts, from the model's `urpf`) drops a packet whose source routes back by
// another interface, even where the local filter admits that source (ssh from the NOC), and lets
// the session peer's own packets through. Root only: skipped loudly elsewhere.

import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { renderEmulatedFilters } from '../../emulator/filters.js';
import { localEdgeRouter } from '../backends/iosxe-local-fixture.js';

const root = process.getuid?.() === 0;
if (!root && !process.env.CI) console.warn('\n*** SKIPPING the uRPF namespace test: not root (it runs in CI as root) ***\n');
const rootIt = root || process.env.CI ? it : it.skip;

const tag = `ur${process.pid.toString(36)}`;
const R = `${tag}-r`;
const S = `${tag}-s`;

function sh(...args: string[]): string {
  return execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
function inNs(ns: string, ...args: string[]): string {
  return sh('ip', 'netns', 'exec', ns, ...args);
}
function nft(ns: string, text: string): void {
  execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
}
function counted(comment: string): number {
  const j = JSON.parse(inNs(R, 'nft', '-j', 'list', 'chain', 'inet', 'probe', 'local')) as { nftables: { rule?: { comment?: string; expr: { counter?: { packets: number } }[] } }[] };
  const rule = j.nftables.find((x) => x.rule?.comment === comment)?.rule;
  return rule?.expr.find((e) => e.counter)?.counter?.packets ?? 0;
}
function syn(source: string, port: number): void {
  try {
    inNs(S, 'socat', '-u', 'OPEN:/dev/null', `TCP4:169.254.10.1:${port},bind=${source},connect-timeout=1`);
  } catch {
    // no answer is expected where the packet is dropped
  }
}

afterAll(() => {
  if (!root) return;
  for (const ns of [R, S]) execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
});

describe('strict uRPF in the lab', () => {
  rootIt('drops a spoofed source the local filter admits, and passes the peer', () => {
    for (const ns of [R, S]) sh('ip', 'netns', 'add', ns);
    // R: eth2 to the partner (strict uRPF), eth1 towards the inside (a stub), where the NOC is routed
    sh('ip', 'link', 'add', 'eth2', 'netns', R, 'type', 'veth', 'peer', 'name', 'up0', 'netns', S);
    inNs(R, 'ip', 'link', 'add', 'eth1', 'type', 'veth', 'peer', 'name', 'eth1-stb');
    for (const c of ['all', 'default']) inNs(R, 'sysctl', '-q', '-w', `net.ipv4.conf.${c}.rp_filter=0`);
    inNs(R, 'ip', 'addr', 'add', '169.254.10.1/30', 'dev', 'eth2');
    inNs(R, 'ip', 'addr', 'add', '10.255.0.0/31', 'dev', 'eth1');
    for (const l of ['eth1', 'eth1-stb', 'eth2', 'lo']) inNs(R, 'ip', 'link', 'set', l, 'up');
    inNs(R, 'ip', 'route', 'add', '10.10.0.0/16', 'via', '10.255.0.1', 'dev', 'eth1');
    inNs(S, 'ip', 'addr', 'add', '169.254.10.2/30', 'dev', 'up0');
    inNs(S, 'ip', 'addr', 'add', '10.10.9.5/32', 'dev', 'lo');
    for (const l of ['up0', 'lo']) inNs(S, 'ip', 'link', 'set', l, 'up');
    inNs(S, 'ip', 'route', 'add', 'default', 'via', '169.254.10.1');
    const rules = renderEmulatedFilters(localEdgeRouter()).replace(/GigabitEthernet(\d)/g, 'eth$1');
    expect(rules).toContain('iifname "eth2" fib saddr . iif oif missing counter drop');
    nft(R, rules);
    nft(
      R,
      `table inet probe {\n  chain local {\n    type filter hook input priority 400; policy accept;\n` +
        `    ip saddr 10.10.9.5 tcp dport 22 counter comment "spoofed"\n` +
        `    ip saddr 169.254.10.2 tcp dport 179 counter comment "peer"\n  }\n}\n`,
    );
    syn('10.10.9.5', 22);
    syn('169.254.10.2', 179);
    expect(counted('peer')).toBeGreaterThan(0);
    expect(counted('spoofed')).toBe(0);
    // without uRPF the same packet is the NOC's ssh, which the local filter admits
    inNs(R, 'nft', 'delete', 'table', 'inet', 'plumb_emulated');
    nft(R, rules.replace(/.*urpf strict.*\n/g, ''));
    syn('10.10.9.5', 22);
    expect(counted('spoofed')).toBeGreaterThan(0);
  }, 30_000);
});
