// The lab's nftables for an emulated IOS-XE router with a local filter: packets addressed to the
// router go to chain local_in (the local filter, first) and the inbound lists see forwarded
// packets only, as the IOS-XE backend's infrastructure ACL decides them; the ruleset loads in a
// scratch network namespace.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderEmulatedFilters } from '../../emulator/filters.js';
import { localEdgeRouter } from '../backends/iosxe-local-fixture.js';
import { edgeRouter } from '../backends/vendor-fixtures.js';

function nftChecks(text: string): boolean {
  try {
    execFileSync('unshare', ['-n', 'true'], { stdio: 'ignore' });
  } catch {
    return false;
  }
  const dir = mkdtempSync(join(tmpdir(), 'plumb-nft-'));
  try {
    const file = join(dir, 'rules.nft');
    writeFileSync(file, text);
    execFileSync('unshare', ['-n', 'nft', '-c', '-f', file], { stdio: 'pipe' });
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('emulated IOS-XE with a local filter', () => {
  const text = renderEmulatedFilters(localEdgeRouter());

  it('sends packets to the router to local_in before any inbound list, and nothing else there', () => {
    const filterIn = text.slice(text.indexOf('chain filter_in {'));
    const lines = filterIn.split('\n').map((l) => l.trim());
    // uRPF first (neighbour discovery exempt), on the external interfaces as the model says
    const urpf = lines.filter((l) => l.includes('fib saddr'));
    expect(urpf.length).toBeGreaterThan(0);
    expect(urpf.some((l) => l.includes('fib saddr . iif oif missing counter drop comment "urpf strict"'))).toBe(true);
    expect(urpf.some((l) => l.includes('fib saddr oif missing counter drop comment "urpf loose"'))).toBe(true);
    const start = lines.indexOf('fib daddr type local jump local_in');
    expect(lines.slice(2, start).every((l) => l.includes('urpf') || l.includes('neighbour discovery'))).toBe(true);
    expect(lines.slice(start, start + 4)).toEqual([
      'fib daddr type local jump local_in',
      'ip6 daddr fe80::/10 jump local_in',
      'ip daddr { 224.0.0.5, 224.0.0.6 } jump local_in',
      'ip6 daddr { ff02::5, ff02::6 } jump local_in',
    ]);
    const local = text.slice(text.indexOf('chain local_in {'), text.indexOf('\n  }', text.indexOf('chain local_in {')));
    expect(local).toContain('ip saddr 169.254.10.2/32 ip daddr 169.254.10.1/32 meta l4proto 6 th dport 179 counter accept');
    expect(local).toContain('ip saddr 10.10.9.0/24 meta l4proto 6 th dport 22 counter accept');
    expect(local.trim().split('\n').at(-1)!.trim()).toBe('counter drop comment "local default deny"');
    // the inbound lists no longer carry the control-plane block
    expect(text).not.toContain('control plane');
  });

  it('keeps the control-plane block for a model without a local filter', () => {
    expect(renderEmulatedFilters(edgeRouter())).toContain('control plane: bgp');
    expect(renderEmulatedFilters(edgeRouter())).not.toContain('local_in');
  });

  it('loads in a scratch network namespace', () => {
    if (process.getuid?.() !== 0) return;
    // the lab names the interfaces eth1, eth2, ... (IOS-XE names are longer than a Linux name)
    expect(nftChecks(text.replace(/GigabitEthernet(\d)/g, 'eth$1'))).toBe(true);
  });
});
