// setup.sh's own line reader (backends/linux/setup-lines.ts), origin tags read in place
// (tag-read.ts) and the IPv4 shortcuts of setup-read-routes.ts, each compared on seeded random
// input with the general code it stands for: config-text.ts's `readLines`, `parseOriginTag`,
// the address parser and `sortStaticRoutes`; and readSetup's plain-line path with its general
// path on the same routes.

import { describe, expect, it } from 'vitest';
import { readLines } from '../../backends/config-text.js';
import { plainWords, splitSetupLine } from '../../backends/linux/setup-lines.js';
import { originTagAt } from '../../backends/linux/tag-read.js';
import { ipv4Key, ipv4Number, sortedRoutes } from '../../backends/linux/setup-read-routes.js';
import { readSetup } from '../../backends/linux/setup-read.js';
import { parseOriginTag } from '../../backends/origin-tag.js';
import { sortStaticRoutes } from '../../backends/canonical.js';
import { canonicalPrefix, formatIPv4, parseIPv4, parsePrefix } from '../../language/address.js';
import type { StaticRouteModel } from '../../compiler/model.js';
import { prng } from '../verifier/random-networks.js';

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

describe('setup.sh line reader', () => {
  it('splits every line as readLines does with setup.sh syntax', () => {
    const rand = prng(37);
    const pieces = ['route', 'replace', '10.0.0.0/8', ' ', ' ', '  ', '\t', '"', '"a b"', '#', '# c', 'x#y', '\r', '\u00a0', 'é', '', '""'];
    for (let n = 0; n < 3000; n++) {
      const lines: string[] = [];
      for (let l = 0; l < 4; l++) lines.push(Array.from({ length: Math.floor(rand() * 8) }, () => pick(rand, pieces)).join(''));
      const content = lines.join('\n');
      const general = readLines('setup.sh', content, { commentChars: '#' });
      let offset = 0;
      general.forEach((g, i) => {
        const raw = content.split('\n')[i]!;
        const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        const own = splitSetupLine('setup.sh', i + 1, offset, text);
        offset += raw.length + 1;
        expect([own.text, own.texts, own.comment, own.words], JSON.stringify(text)).toEqual([g.text, g.texts, g.comment, g.words]);
        const plain = plainWords(text);
        if (plain) expect([plain, own.comment], JSON.stringify(text)).toEqual([g.texts, undefined]);
      });
    }
  });

  it('takes a line as plain only when it has single spaces between printable words', () => {
    expect(plainWords('route replace 10.0.0.0/8 via 192.0.2.1')).toEqual(['route', 'replace', '10.0.0.0/8', 'via', '192.0.2.1']);
    for (const t of ['route  replace x', ' route x', 'route x ', 'route\tx', 'route "x"', 'route #x', 'route é', ''])
      expect(plainWords(t), JSON.stringify(t)).toBeUndefined();
  });
});

describe('origin tags read in place', () => {
  it('gives parseOriginTag\'s answer for tags as written and mutated', () => {
    const rand = prng(3701);
    const paths = ['net400/main.plumb', 'a.plumb', 'x:12', 'p%20q.plumb', '', 'ab12', 'é.plumb', 'a b'];
    const num = (): string => pick(rand, ['0', '7', '007', '123456789012345', '1234567890123456', '99999999999999999', '']);
    for (let n = 0; n < 20000; n++) {
      let tag = `${pick(rand, paths)}:${num()}:${num()}-${num()}:${num()} [${num()},${num()}]`;
      const mutation = Math.floor(rand() * 8);
      if (mutation === 0) tag = ` ${tag}`;
      if (mutation === 1) tag = `${tag} `;
      if (mutation === 2) {
        const at = Math.floor(rand() * tag.length);
        tag = tag.slice(0, at) + pick(rand, [':', '-', ' ', '[', ']', ',', '9', 'x', '']) + tag.slice(at + 1);
      }
      const text = `route 10.0.0.0/8 via 192.0.2.1 @ ${tag}`;
      const start = text.indexOf(' @ ') + 3;
      expect(originTagAt(text, start), JSON.stringify(tag)).toEqual(parseOriginTag(text.slice(start)));
    }
  });
});

describe('setup.sh routes by number', () => {
  it('keys exactly the IPv4 prefixes written canonically, in sortStaticRoutes\' order', () => {
    const rand = prng(3702);
    const octet = (): string => pick(rand, ['0', '1', '10', '255', '256', '01', '192', '', 'a']);
    const texts: string[] = [];
    for (let n = 0; n < 20000; n++) {
      const address = Array.from({ length: pick(rand, [4, 4, 4, 3, 5]) }, octet).join('.');
      const text = `${address}/${pick(rand, ['0', '8', '16', '24', '31', '32', '33', '08', ''])}`;
      const key = ipv4Key(text);
      const p = parsePrefix(text);
      expect(key >= 0, text).toBe(p?.family === 4 && canonicalPrefix(text) === text);
      const a = parseIPv4(address);
      expect(ipv4Number(address, 0, address.length), address).toBe(a !== undefined && formatIPv4(a) === address ? Number(a) : -1);
      if (key >= 0) texts.push(text);
    }
    // the same prefix more than once (ECMP), with next hops in any order
    const routes = texts.map((prefix): StaticRouteModel => ({ prefix, nextHop: pick(rand, ['192.0.2.9', '192.0.2.1', '192.0.2.10']), origin: { file: 'f', start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } } }));
    const keys = texts.map(ipv4Key);
    const sorted = sortStaticRoutes(routes);
    expect(sortedRoutes(routes, keys)).toEqual(sorted);
    // in order with each prefix once: kept as it is, and what the sort gives
    const once = sorted.filter((r, i) => i === 0 || r.prefix !== sorted[i - 1]!.prefix);
    expect(sortedRoutes(once, once.map((r) => ipv4Key(r.prefix)))).toEqual(sortStaticRoutes(once));
    // in prefix order, each prefix twice with its next hops the wrong way round: sorted
    const twice = once.flatMap((r) => [{ ...r, nextHop: '192.0.2.9' }, { ...r, nextHop: '192.0.2.1' }]);
    expect(sortedRoutes(twice, twice.map((r) => ipv4Key(r.prefix)))).toEqual(sortStaticRoutes(twice));
  });

  it('reads plain route lines as the general path reads the same lines written otherwise', () => {
    const rand = prng(3703);
    const prefixes = ['10.1.0.0/16', '10.2.0.0/16', '10.1.0.0/24', '10.1.0.1/16', '0.0.0.0/0', '2001:db8::/32', '2001:DB8::/32', '010.1.0.0/16', 'x'];
    const hops = ['via 192.0.2.1', 'via 192.0.2.9 dev eth1', 'dev eth2', 'via 192.0.2.01', 'via fe80::1', 'via fe80::1 dev eth1', 'metric 5', 'foo', 'via 2001:db8::1'];
    for (let n = 0; n < 300; n++) {
      const batch: string[] = [];
      for (let r = 0; r < 12; r++) {
        const prefix = pick(rand, prefixes);
        const tag = `@ ${pick(rand, ['a.plumb', 'b.plumb'])}:${r + 1}:1-${r + 1}:9 [${r * 10},${r * 10 + 8}]`;
        const kind = rand();
        if (kind < 0.15) {
          batch.push(`# route ${prefix} ${tag}`, `route replace blackhole ${prefix}${pick(rand, ['', ' metric 3', ' metric x'])}`);
        } else if (kind < 0.3) {
          batch.push(`# route ${prefix} ${tag}`, `# route ${prefix} ${tag}`, `route replace ${prefix} nexthop ${pick(rand, hops)} nexthop ${pick(rand, hops)}`);
        } else {
          if (rand() < 0.9) batch.push(`# route ${prefix} ${tag}`);
          batch.push(`route ${pick(rand, ['replace', 'add'])} ${prefix} ${pick(rand, hops)}${pick(rand, ['', ' metric 20'])}`);
        }
      }
      const file = (lines: string[]): string =>
        ['#!/bin/sh', 'set -eu', 'sysctl -qw net.ipv4.ip_forward=1 net.ipv6.conf.all.forwarding=1', "ip -batch - <<'PLUMB_EOF'", ...lines, 'PLUMB_EOF', ''].join('\n');
      // `#route  ` and a tab after `route`: the same reading, by the general path, each line as long
      const general = batch.map((l) => (l.startsWith('# route ') ? `#route  ${l.slice(8)}` : l.replace(' ', '\t')));
      const fast = readSetup('setup.sh', file(batch));
      expect(fast, batch.join('\n')).toEqual(readSetup('setup.sh', file(general)));
    }
  });
});
