// setup.sh's static routes read in place (setup-read.ts `writtenRouteLine`, tag-read.ts
// `lineTagAt`, setup-read-routes.ts `readWrittenRoute`): held to the line-by-line reading on
// seeded files written as setup-render.ts writes them and then edited by hand or by an attacker
// (characters inserted, replaced and removed, lines moved, dropped and doubled, carriage returns).

import { describe, expect, it } from 'vitest';
import { readSetup } from '../../backends/linux/setup-read.js';
import { lineTagAt, originTagAt } from '../../backends/linux/tag-read.js';
import { prng } from '../verifier/random-networks.js';
import { editedLines, pick } from './line-edits.js';


const PATHS = ['net/main.plumb', 'b.plumb', 'p%20q.plumb', 'x:1'];
const PREFIXES = ['10.0.0.0/24', '10.0.1.0/24', '0.0.0.0/0', '10.1.0.0/16', '10.1.0.1/16', '192.168.0.0/32', '010.0.0.0/8', '10.0.0.0/33', '2001:db8::/32', 'x'];
const HOPS = ['via 100.64.0.106 dev eth1', 'via 100.64.0.106 dev eth1', 'via 100.64.0.109 dev eth2', 'via 100.64.0.1', 'dev eth3.100', 'via 1.2.3.04 dev eth1', 'via fe80::1', 'via fe80::1 dev eth1', 'via 2001:db8::1 dev eth1', 'dev', 'via', 'dev eth1 via 1.2.3.4', 'dev #eth1', 'dev e#1', 'dev "eth1"', 'dev eth1 ', 'via 1.2.3.4 dev  eth1'];
const METRICS = ['', '', '', ' metric 20', ' metric 007', ' metric', ' metric ', ' metric x', ' metric 5 metric 6', ' metric 5 '];
const NOISE = [' ', '  ', '\t', '\r', '"', '#', '@', ' @ ', ':', '-', ',', '[', ']', '0', '9', '.', '/', 'é', 'x', 'via', ''];

function tag(rand: () => number, n: number): string {
  const path = rand() < 0.85 ? PATHS[0]! : pick(rand, PATHS);
  return `${path}:${n}:1-${n}:45 [${n * 50},${n * 50 + 44}]`;
}

/** A setup.sh as the renderer writes it: a header, one interface, then route lines in the batch. */
function written(rand: () => number): string[] {
  const lines = [
    '#!/bin/sh',
    `# device r1 @ ${tag(rand, 1)}`,
    'set -eu',
    'sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1',
    "ip -batch - <<'PLUMB_EOF'",
    `# interface eth1 link @ ${tag(rand, 2)}`,
    'link set dev eth1 up',
    'address replace 100.64.0.105/30 dev eth1',
  ];
  for (let r = 0; r < 25; r++) {
    const prefix = rand() < 0.7 ? `10.${r}.${Math.floor(rand() * 4)}.0/24` : pick(rand, PREFIXES);
    const kind = rand();
    if (kind < 0.08) {
      lines.push(`# route ${prefix} blackhole @ ${tag(rand, r + 3)}`, `route replace blackhole ${prefix}${pick(rand, METRICS)}`);
    } else if (kind < 0.16) {
      const a = pick(rand, HOPS);
      const b = pick(rand, HOPS);
      lines.push(`# route ${prefix} ${a} @ ${tag(rand, r + 3)}`, `# route ${prefix} ${b} @ ${tag(rand, r + 3)}`, `route replace ${prefix} nexthop ${a} nexthop ${b}${pick(rand, METRICS)}`);
    } else {
      const hop = pick(rand, HOPS);
      lines.push(`# route ${prefix} ${hop} @ ${tag(rand, r + 3)}`, `route ${rand() < 0.95 ? 'replace' : 'add'} ${prefix} ${hop}${pick(rand, METRICS)}`);
    }
  }
  lines.push('PLUMB_EOF', '');
  return lines;
}

/** `lines` with seeded hand edits: a few characters changed, lines moved, dropped or doubled. */
function edited(rand: () => number, lines: string[]): string[] {
  return editedLines(rand, lines, NOISE, Math.floor(rand() * 6));
}

describe('setup.sh routes read in place', () => {
  it('reads files as written and edited exactly as the line-by-line reading does', () => {
    const rand = prng(3901);
    let inPlace = 0;
    for (let n = 0; n < 1500; n++) {
      const lines = n % 5 === 0 ? written(rand) : edited(rand, written(rand));
      const content = lines.join('\n');
      const fast = readSetup('setup.sh', content);
      const general = readSetup('setup.sh', content, { inPlace: false });
      expect(fast, content).toStrictEqual(general);
      // the same properties in the same order
      expect(JSON.stringify(fast.staticRoutes)).toBe(JSON.stringify(general.staticRoutes));
      inPlace += fast.staticRoutes.length;
    }
    expect(inPlace).toBeGreaterThan(10000);
  });

  it('reads a route line of the renderer\'s forms in place, and shares its next hop and interface texts', () => {
    const content = [
      "ip -batch - <<'PLUMB_EOF'",
      '# route 10.0.0.0/24 via 100.64.0.106 dev eth1 @ a.plumb:3:1-3:9 [20,28]',
      'route replace 10.0.0.0/24 via 100.64.0.106 dev eth1',
      '# route 10.0.1.0/24 via 100.64.0.106 dev eth1 @ a.plumb:4:1-4:9 [30,38]',
      'route replace 10.0.1.0/24 via 100.64.0.106 dev eth1 metric 5',
      '# route 10.0.2.0/24 dev eth2 @ a.plumb:5:1-5:9 [40,48]',
      'route replace 10.0.2.0/24 dev eth2',
      '# route 10.0.3.0/24 via 100.64.0.1 @ a.plumb:6:1-6:9 [50,58]',
      'route replace 10.0.3.0/24 via 100.64.0.1',
      'PLUMB_EOF',
    ].join('\n');
    const r = readSetup('setup.sh', content);
    expect(JSON.stringify(r.staticRoutes.map(({ origin, ...rest }) => [rest, origin.start.line]))).toBe(
      JSON.stringify([
        [{ prefix: '10.0.0.0/24', nextHop: '100.64.0.106', interface: 'eth1' }, 3],
        [{ prefix: '10.0.1.0/24', nextHop: '100.64.0.106', interface: 'eth1', distance: 5 }, 4],
        [{ prefix: '10.0.2.0/24', interface: 'eth2' }, 5],
        [{ prefix: '10.0.3.0/24', nextHop: '100.64.0.1' }, 6],
      ]),
    );
    expect(r.staticRoutes).toStrictEqual(readSetup('setup.sh', content, { inPlace: false }).staticRoutes);
  });
});

describe('origin tags at the end of a line', () => {
  it('gives originTagAt\'s answer after the line\'s last ` @ `', () => {
    const rand = prng(3902);
    let read = 0;
    for (let n = 0; n < 20000; n++) {
      const path = rand() < 0.8 ? PATHS[0]! : pick(rand, [...PATHS, '', '@', 'a@', 'a b']);
      // now and then the tag alone, its ` @ ` before the line's start
      const alone = rand() < 0.1;
      let line = `${alone ? '' : '# route 10.0.0.0/24 via 192.0.2.1 @ '}${path}:${n}:1-${n}:9 [${n},${n + 8}]`;
      const edits = Math.floor(rand() * 3);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * (line.length + 1));
        line = line.slice(0, at) + pick(rand, NOISE) + line.slice(at + Math.floor(rand() * 2));
      }
      // the line inside a file: text before and after it
      const before = alone ? pick(rand, ['x @ ', ' @ ', '@ ']) : pick(rand, ['', 'x\n', '# route 1 @ ']);
      const content = `${before}${line}\nroute replace 10.0.0.0/24 via 192.0.2.1`;
      const own = lineTagAt(content, before.length, before.length + line.length);
      const tagAt = line.lastIndexOf(' @ ');
      const general = tagAt >= 0 ? originTagAt(line, tagAt + 3) : undefined;
      if (own) {
        read++;
        expect(own, line).toStrictEqual(general);
      }
    }
    expect(read).toBeGreaterThan(5000);
  });
});
