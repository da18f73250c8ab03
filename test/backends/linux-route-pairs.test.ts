// setup.sh's one-hop routes read two lines at a time from frames learned across files
// (setup-read-pairs.ts): held to the line-by-line reading on seeded routers that share prefixes,
// origins and order, each with its own hops, some prefixes missing, some origins moved, and then
// edited by hand or by an attacker (characters inserted, replaced and removed, lines moved, dropped
// and doubled, carriage returns, metrics and ECMP groups between the pairs).

import { describe, expect, it } from 'vitest';
import { readSetup } from '../../backends/linux/setup-read.js';
import { framedPairsRead, keptRouteFrameCount } from '../../backends/linux/setup-read-pairs.js';
import { keptCounts } from '../kept-store.js';
import { prng } from '../verifier/random-networks.js';
import { editedLines, pick } from './line-edits.js';


const NOISE = [' ', '  ', '\t', '\r', '\n', '"', '#', '@', ' @ ', ':', '-', ',', '[', ']', '0', '1', '9', '.', '/', 'x', 'via', 'dev', ''];

/** The prefixes every router routes to, with their origins (a segment's line of the intent). */
function network(rand: () => number, size: number): { prefix: string; tag: string }[] {
  const routes = [];
  for (let k = 0; k < size; k++) {
    const line = 100 + k;
    const path = rand() < 0.9 ? 'net/main.plumb' : pick(rand, ['b.plumb', 'p%20q.plumb']);
    routes.push({ prefix: `10.${k >> 8}.${k & 0xff}.0/24`, tag: `${path}:${line}:1-${line}:45 [${line * 50},${line * 50 + 44}]` });
  }
  return routes;
}

/** One router's setup.sh as the renderer writes it: its own hops, a few prefixes left out. */
function router(rand: () => number, routes: { prefix: string; tag: string }[]): string[] {
  const hops = [`via 100.64.${Math.floor(rand() * 4)}.${1 + Math.floor(rand() * 3)} dev eth${1 + Math.floor(rand() * 2)}`, 'dev eth3', 'via 100.64.9.9'];
  const lines = [
    '#!/bin/sh',
    '# device r1 @ net/main.plumb:1:1-1:9 [0,8]',
    'set -eu',
    'sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1',
    "ip -batch - <<'PLUMB_EOF'",
    '# interface eth1 link @ net/main.plumb:2:1-2:9 [10,18]',
    'link set dev eth1 up',
    'address replace 100.64.0.105/30 dev eth1',
  ];
  let hop = hops[0]!;
  for (const r of routes) {
    const kind = rand();
    if (kind < 0.05) continue;
    if (kind < 0.1) hop = pick(rand, hops);
    const tag = kind < 0.12 ? r.tag.replace(':1-', ':2-') : r.tag;
    if (kind > 0.98) {
      lines.push(`# route ${r.prefix} ${hop} @ ${tag}`, `# route ${r.prefix} dev eth3 @ ${tag}`, `route replace ${r.prefix} nexthop ${hop} nexthop dev eth3`);
    } else {
      lines.push(`# route ${r.prefix} ${hop} @ ${tag}`, `route replace ${r.prefix} ${hop}${kind > 0.96 ? ' metric 20' : ''}`);
    }
  }
  lines.push('PLUMB_EOF', '');
  return lines;
}

/** `lines` with seeded hand edits: a few characters changed, lines moved, dropped or doubled. */
function edited(rand: () => number, lines: string[]): string[] {
  return editedLines(rand, lines, NOISE, 1 + Math.floor(rand() * 8));
}

describe('setup.sh route pairs read from frames', () => {
  it('reads routers as written and edited exactly as the line-by-line reading does', () => {
    const rand = prng(4601);
    const before = framedPairsRead();
    for (let n = 0; n < 12; n++) {
      const routes = network(rand, 40 + Math.floor(rand() * 80));
      for (let r = 0; r < 25; r++) {
        const lines = router(rand, routes);
        const text = (r % 3 === 0 ? lines : edited(rand, lines)).join('\n');
        // now and then without the last line break
        const content = rand() < 0.2 ? text.slice(0, -1) : text;
        const fast = readSetup('setup.sh', content);
        const general = readSetup('setup.sh', content, { inPlace: false });
        expect(fast, content).toStrictEqual(general);
        // the same properties in the same order
        expect(JSON.stringify(fast.staticRoutes)).toBe(JSON.stringify(general.staticRoutes));
      }
    }
    expect(framedPairsRead() - before).toBeGreaterThan(10000);
  });

  it('reads a pair only where its frame, its hop on both lines and its line break are', () => {
    const pair = (prefix: string, hop: string, line: number): string[] => [
      `# route ${prefix} ${hop} @ a.plumb:${line}:1-${line}:9 [${line * 10},${line * 10 + 8}]`,
      `route replace ${prefix} ${hop}`,
    ];
    const file = (hop: string, extra: string[] = []): string =>
      ["ip -batch - <<'PLUMB_EOF'", ...pair('10.9.0.0/24', hop, 3), ...pair('10.9.1.0/24', hop, 4), ...extra, ...pair('10.9.2.0/24', hop, 5), 'PLUMB_EOF'].join('\n');
    // twice: the first reading of a file learns its path from the device's tag, the second every pair
    readSetup('setup.sh', file('via 100.64.0.1 dev eth1'));
    readSetup('setup.sh', file('via 100.64.0.1 dev eth1'));
    const before = framedPairsRead();
    const other = readSetup('setup.sh', file('via 100.64.0.5 dev eth2'));
    // the first pair teaches the hop; the two after it are frames
    expect(framedPairsRead() - before).toBe(2);
    expect(other.staticRoutes.map((r) => [r.prefix, r.nextHop, r.interface, r.origin.start.line])).toEqual([
      ['10.9.0.0/24', '100.64.0.5', 'eth2', 3],
      ['10.9.1.0/24', '100.64.0.5', 'eth2', 4],
      ['10.9.2.0/24', '100.64.0.5', 'eth2', 5],
    ]);
    for (const changed of [
      file('via 100.64.0.5 dev eth2', ['# route 10.9.1.0/24 via 100.64.0.5 dev eth2 @ a.plumb:4:1-4:9 [40,48]']),
      file('via 100.64.0.5 dev eth2').replace('10.9.1.0/24 via 100.64.0.5 dev eth2\n', '10.9.1.0/24 via 100.64.0.5 dev eth2 metric 3\n'),
      file('via 100.64.0.5 dev eth2').replace('route replace 10.9.1.0/24 via 100.64.0.5 dev eth2', 'route replace 10.9.1.0/24 via 100.64.0.6 dev eth2'),
      file('via 100.64.0.5 dev eth2').replace('# route 10.9.2.0/24 via 100.64.0.5 dev eth2 @ a.plumb:5:1-5:9 [50,58]\n', ''),
      file('via 100.64.0.5 dev eth2').replace('PLUMB_EOF', ''),
    ]) {
      expect(readSetup('setup.sh', changed), changed).toStrictEqual(readSetup('setup.sh', changed, { inPlace: false }));
    }
  });

  it('learns a frame only from a comment and the route line right after it', () => {
    // the first comment read in place, its route line not (two spaces); the second comment not
    // (a carriage return), its route line in place: no frame spans the four lines
    const content = [
      "ip -batch - <<'PLUMB_EOF'",
      '# route 10.8.0.0/24 via 100.64.0.1 dev eth1 @ a.plumb:7:1-7:9 [70,78]',
      'route replace 10.8.0.0/24 via 100.64.0.1 dev eth1',
      '# route 10.8.1.0/24 via 100.64.0.1 dev eth1 @ a.plumb:8:1-8:9 [80,88]',
      'route replace 10.8.1.0/24  via 100.64.0.1 dev eth1',
      '# route 10.8.1.0/24 via 100.64.0.1 dev eth1 @ a.plumb:9:1-9:9 [90,98]\r',
      'route replace 10.8.1.0/24 via 100.64.0.1 dev eth1',
      'PLUMB_EOF',
    ].join('\n');
    for (let k = 0; k < 3; k++) {
      const fast = readSetup('setup.sh', content);
      expect(fast.staticRoutes).toHaveLength(3);
      expect(fast).toStrictEqual(readSetup('setup.sh', content, { inPlace: false }));
    }
  });

  it('takes a prefix\'s frame anew when its tag is written otherwise', () => {
    const file = (line: string): string =>
      [
        "ip -batch - <<'PLUMB_EOF'",
        '# route 10.7.0.0/24 dev eth1 @ a.plumb:7:1-7:9 [70,78]',
        'route replace 10.7.0.0/24 dev eth1',
        `# route 10.7.1.0/24 dev eth1 @ a.plumb:${line}:1-8:9 [80,88]`,
        'route replace 10.7.1.0/24 dev eth1',
        'PLUMB_EOF',
      ].join('\n');
    for (const line of ['8', '08', '8']) {
      readSetup('setup.sh', file(line));
      const before = framedPairsRead();
      expect(readSetup('setup.sh', file(line))).toStrictEqual(readSetup('setup.sh', file(line), { inPlace: false }));
      expect(framedPairsRead() - before).toBe(1);
    }
  });

  it('keeps at most 65,536 frames', () => {
    const lines = ["ip -batch - <<'PLUMB_EOF'"];
    for (let k = 0; k < 70_000; k++) {
      const prefix = `10.${k >> 16}.${(k >> 8) & 0xff}.${k & 0xff}/32`;
      lines.push(`# route ${prefix} via 100.64.0.1 dev eth1 @ a.plumb:${k + 1}:1-${k + 1}:9 [${k * 10},${k * 10 + 8}]`, `route replace ${prefix} via 100.64.0.1 dev eth1`);
    }
    lines.push('PLUMB_EOF');
    expect(readSetup('setup.sh', lines.join('\n')).staticRoutes).toHaveLength(70_000);
    // bounds that hold whatever the store held before this file
    const kept = keptCounts({ frames: keptRouteFrameCount });
    expect(kept.frames()).toBeGreaterThan(0);
    expect(kept.frames()).toBeLessThanOrEqual(65_536);
  });
});
