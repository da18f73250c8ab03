// Path-MTU discovery through an emulated stateless IOS-XE edge, with real packets: office's host
// pings web's host with "don't fragment" across a core router whose interface toward web has a
// smaller MTU; the core answers "fragmentation needed" (IPv4 type 3 code 4) or "packet too big"
// (ICMPv6 type 2) from its own address. The edge's lab ruleset (emulator/filters.ts, from the
// compiled model) delivers that error to the office host because of the compiler's ICMP error
// rules (compiler/icmp-errors.ts), and the host lowers its path MTU; the same ruleset without
// those rules drops it (the black hole the rules exist for). A stateful edge needs no rule: its
// connection tracking admits the error as related to the echo it let through. Root only.

import { execFileSync } from 'node:child_process';
import { afterAll, describe, expect } from 'vitest';
import type { DeviceModel } from '../../compiler/model.js';
import { renderEmulatedFilters } from '../../emulator/filters.js';
import { renameInterfaces } from '../../emulator/rename.js';
import { compileText, device } from '../compiler/helpers.js';
import { edgeAndCore, rootOnly } from '../intent-runs.js';

const rootIt = rootOnly('the ICMP error namespace test');

const TEXT = (edge: 'cisco-iosxe' | 'frr') => `${edgeAndCore(edge)}segment web    10.10.0.0/24, fd00:10::/64 at s.core
policy {
  allow office -> web : https, ping
}
`;

const tag = `ie${process.pid.toString(36)}`;
const [O, R, C, W] = ['o', 'r', 'c', 'w'].map((n) => `${tag}-${n}`) as [string, string, string, string];

function sh(...args: string[]): string {
  return execFileSync(args[0]!, args.slice(1), { encoding: 'utf8', stdio: ['pipe', 'pipe', 'pipe'] });
}
function inNs(ns: string, ...args: string[]): string {
  return sh('ip', 'netns', 'exec', ns, ...args);
}
/**
 * Pings from the office until an answer comes (at most 10 tries of 1 s): a fresh veth's IPv6
 * link-local is tentative for a moment, and neighbour discovery across both hops waits for it.
 */
function pingUntilAnswered(address: string): void {
  const family = address.includes(':') ? ['-6'] : [];
  for (let attempt = 1; ; attempt++) {
    try {
      inNs(O, 'ping', ...family, '-n', '-q', '-c', '1', '-W', '1', address);
      return;
    } catch (error) {
      if (attempt === 10) throw error;
    }
  }
}
function tryIn(ns: string, ...args: string[]): void {
  try {
    inNs(ns, ...args);
  } catch {
    // a ping without answer exits non-zero: the counters decide
  }
}
function nft(ns: string, text: string): void {
  execFileSync('ip', ['netns', 'exec', ns, 'nft', '-f', '-'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
}
const first = (d: DeviceModel, role: string, family: 4 | 6): string =>
  d.interfaces.find((i) => i.role === role)!.addresses.map((a) => a.split('/')[0]!).find((a) => a.includes(':') === (family === 6))!;

/** The office host's counters of arriving ICMP errors, reset. */
function countErrors(): void {
  tryIn(O, 'nft', 'delete', 'table', 'inet', 'probe');
  nft(
    O,
    'table inet probe {\n  chain in {\n    type filter hook input priority 0; policy accept;\n' +
      '    icmp type destination-unreachable icmp code frag-needed counter comment "ptb4"\n' +
      '    icmpv6 type packet-too-big counter comment "ptb6"\n  }\n}\n',
  );
  // forget the path MTUs learnt by an earlier run
  tryIn(O, 'ip', '-4', 'route', 'flush', 'cache');
  tryIn(O, 'ip', '-6', 'route', 'flush', 'cache');
}
function counted(comment: string): number {
  const j = JSON.parse(inNs(O, 'nft', '-j', 'list', 'chain', 'inet', 'probe', 'in')) as { nftables: { rule?: { comment?: string; expr: { counter?: { packets: number } }[] } }[] };
  return j.nftables.find((x) => x.rule?.comment === comment)?.rule?.expr.find((e) => e.counter)?.counter?.packets ?? 0;
}
/** Pings web's host with DF at 1400 bytes (over the core's 1280-byte link); the errors counted. */
function bigPings(): { v4: number; v6: number; pmtu4: string } {
  countErrors();
  tryIn(O, 'ping', '-n', '-q', '-M', 'do', '-s', '1400', '-c', '2', '-i', '0.3', '-W', '1', '10.10.0.80');
  tryIn(O, 'ping', '-6', '-n', '-q', '-M', 'do', '-s', '1400', '-c', '2', '-i', '0.3', '-W', '1', 'fd00:10::80');
  return { v4: counted('ptb4'), v6: counted('ptb6'), pmtu4: inNs(O, 'ip', '-4', 'route', 'get', '10.10.0.80') };
}

let built = false;
afterAll(() => {
  if (!built) return;
  for (const ns of [O, R, C, W]) execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
});

/** office -- R (the edge, its lab ruleset) -- C (the core, a plain router) -- web, C's side toward web at MTU 1280. */
function buildLab(edge: DeviceModel, core: DeviceModel): void {
  for (const ns of [O, R, C, W]) sh('ip', 'netns', 'add', ns);
  built = true;
  sh('ip', 'link', 'add', 'eth2', 'netns', R, 'type', 'veth', 'peer', 'name', 'up0', 'netns', O);
  sh('ip', 'link', 'add', 'eth1', 'netns', R, 'type', 'veth', 'peer', 'name', 'eth1', 'netns', C);
  sh('ip', 'link', 'add', 'eth2', 'netns', C, 'type', 'veth', 'peer', 'name', 'up0', 'netns', W);
  for (const [ns, d] of [
    [R, edge],
    [C, core],
  ] as const) {
    for (const i of d.interfaces.filter((x) => x.role !== 'loopback')) for (const a of i.addresses) inNs(ns, 'ip', 'addr', 'add', a, 'dev', i.name, 'nodad');
    for (const c of ['all', 'default']) inNs(ns, 'sysctl', '-q', '-w', `net.ipv4.conf.${c}.rp_filter=0`);
    inNs(ns, 'sysctl', '-q', '-w', 'net.ipv4.ip_forward=1');
    inNs(ns, 'sysctl', '-q', '-w', 'net.ipv6.conf.all.forwarding=1');
    for (const l of ['eth1', 'eth2', 'lo']) inNs(ns, 'ip', 'link', 'set', l, 'up');
  }
  inNs(C, 'ip', 'link', 'set', 'eth2', 'mtu', '1280');
  for (const [ns, addrs] of [
    [O, ['10.20.0.10/24', 'fd00:20::10/64']],
    [W, ['10.10.0.80/24', 'fd00:10::80/64']],
  ] as const) {
    for (const a of addrs) inNs(ns, 'ip', 'addr', 'add', a, 'dev', 'up0', 'nodad');
    for (const l of ['up0', 'lo']) inNs(ns, 'ip', 'link', 'set', l, 'up');
  }
  inNs(O, 'ip', 'route', 'add', 'default', 'via', first(edge, 'segment', 4));
  inNs(O, 'ip', '-6', 'route', 'add', 'default', 'via', first(edge, 'segment', 6));
  inNs(W, 'ip', 'route', 'add', 'default', 'via', first(core, 'segment', 4));
  inNs(W, 'ip', '-6', 'route', 'add', 'default', 'via', first(core, 'segment', 6));
  inNs(R, 'ip', 'route', 'add', '10.10.0.0/24', 'via', first(core, 'link', 4));
  inNs(R, 'ip', '-6', 'route', 'add', 'fd00:10::/64', 'via', first(core, 'link', 6));
  inNs(C, 'ip', 'route', 'add', '10.20.0.0/24', 'via', first(edge, 'link', 4));
  inNs(C, 'ip', '-6', 'route', 'add', 'fd00:20::/64', 'via', first(edge, 'link', 6));
}

function loadEdge(rules: string): void {
  tryIn(R, 'nft', 'delete', 'table', 'inet', 'plumb_emulated');
  nft(R, rules);
}

describe('ICMP errors through an emulated stateless edge', () => {
  rootIt('the core router\'s "fragmentation needed" and "packet too big" reach the office host; without the rules they do not', () => {
    const stateless = renameInterfaces(compileText(TEXT('cisco-iosxe')).model).model;
    const edge = device(stateless, 's.edge');
    const core = device(stateless, 's.core');
    expect(edge.stateful).toBe(false);
    buildLab(edge, core);
    // small pings pass both ways: the lab works
    loadEdge(renderEmulatedFilters(edge));
    pingUntilAnswered('10.10.0.80');
    pingUntilAnswered('fd00:10::80');

    const withRules = bigPings();
    expect(withRules.v4).toBeGreaterThan(0);
    expect(withRules.v6).toBeGreaterThan(0);
    expect(withRules.pmtu4).toMatch(/mtu 1280/);

    const stripped: DeviceModel = { ...edge, filters: edge.filters.map((f) => ({ ...f, rules: f.rules.filter((r) => !r.description.startsWith('icmp errors of ')) })) };
    loadEdge(renderEmulatedFilters(stripped));
    const without = bigPings();
    expect(without).toMatchObject({ v4: 0, v6: 0 });
    expect(without.pmtu4).not.toMatch(/mtu 1280/);

    // A stateful edge (connection tracking, no ICMP error rules at all) admits them as related.
    const frrEdge = device(compileText(TEXT('frr')).model, 's.edge');
    // the lab's names for its link and segment interfaces
    const tracked: DeviceModel = { ...frrEdge, interfaces: frrEdge.interfaces.map((i) => ({ ...i, name: i.role === 'link' ? 'eth1' : i.role === 'segment' ? 'eth2' : i.name })) };
    expect(tracked.stateful).toBe(true);
    expect(tracked.filters.flatMap((f) => f.rules).some((r) => r.description.startsWith('icmp errors of '))).toBe(false);
    loadEdge(renderEmulatedFilters(tracked));
    const related = bigPings();
    expect(related.v4).toBeGreaterThan(0);
    expect(related.v6).toBeGreaterThan(0);
  }, 60_000);
});
