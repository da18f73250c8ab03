// setup.sh's route pairs compared a block at a time (setup-read-pairs.ts `readFramedPairs`): the
// pairs predicted after a frame are joined with the hop and compared as one text, and where that
// text differs the pairs before the difference are found by halves. Held to the line-by-line
// reading on long runs of one hop (several full blocks), with one pair changed at every position
// of the first blocks, a run cut short by another hop, and a line after the routes whose number
// the diagnostics give.

import { describe, expect, it } from 'vitest';
import { readSetup } from '../../backends/linux/setup-read.js';
import { framedPairsRead } from '../../backends/linux/setup-read-pairs.js';

const PREFIXES = 150;

/** The route pairs of one router through `hop`, in the prefixes' order, on lines of their own. */
function pairs(hop: (k: number) => string, tag: (k: number) => string = (k) => `b.plumb:${k + 20}:1-${k + 20}:45 [${k * 50},${k * 50 + 44}]`): string[] {
  const lines: string[] = [];
  for (let k = 0; k < PREFIXES; k++) {
    const prefix = `10.77.${k}.0/24`;
    lines.push(`# route ${prefix} ${hop(k)} @ ${tag(k)}`, `route replace ${prefix} ${hop(k)}`);
  }
  return lines;
}

function file(routes: string[], after: string[] = []): string {
  return ['#!/bin/sh', "ip -batch - <<'PLUMB_EOF'", 'link set dev eth1 up', ...routes, ...after, 'PLUMB_EOF', ''].join('\n');
}

const ONE = (): string => 'via 100.64.3.1 dev eth1';
const OTHER = (): string => 'via 100.64.3.9 dev eth1';

describe('setup.sh route pairs compared a block at a time', () => {
  it('reads long runs of one hop as the line-by-line reading does, nearly every pair as a frame', () => {
    readSetup('setup.sh', file(pairs(ONE)));
    const before = framedPairsRead();
    const content = file(pairs(OTHER));
    const fast = readSetup('setup.sh', content);
    // as many as when pairs were compared one at a time: the first two are read line by line
    expect(framedPairsRead() - before).toBe(PREFIXES - 2);
    expect(fast).toStrictEqual(readSetup('setup.sh', content, { inPlace: false }));
    expect(fast.staticRoutes.map((r) => r.nextHop)).toEqual(Array(PREFIXES).fill('100.64.3.9'));
  });

  it('reads the pairs before a difference at any place of a block, and the difference as written', () => {
    readSetup('setup.sh', file(pairs(ONE)));
    for (let at = 1; at < 80; at++) {
      for (const change of [
        (lines: string[]): void => void (lines[2 * at] = lines[2 * at]!.replace(':1-', ':2-')),
        (lines: string[]): void => void (lines[2 * at + 1] = `${lines[2 * at + 1]!} metric 5`),
        (lines: string[]): void => void (lines[2 * at + 1] = lines[2 * at + 1]!.replace('dev eth1', 'dev eth12')),
        (lines: string[]): void => void lines.splice(2 * at, 2),
      ]) {
        const lines = pairs(OTHER);
        change(lines);
        const content = file(lines, ['route frobnicate 10.1.0.0/24']);
        const before = framedPairsRead();
        const fast = readSetup('setup.sh', content);
        expect(fast, `pair ${at}`).toStrictEqual(readSetup('setup.sh', content, { inPlace: false }));
        // the pairs between the first and the changed one are frames
        expect(framedPairsRead() - before).toBeGreaterThanOrEqual(at - 1);
        expect(fast.diagnostics.length).toBeGreaterThan(0);
      }
    }
  });

  it('reads a run cut short by another hop and a file ending in a block', () => {
    readSetup('setup.sh', file(pairs(ONE)));
    const hops = (k: number): string => (k < 45 || k >= 100 ? ONE() : OTHER());
    for (const content of [file(pairs(hops)), file(pairs(hops)).replace(/\nPLUMB_EOF\n$/, ''), pairs(OTHER).join('\n')]) {
      expect(readSetup('setup.sh', content), content.slice(-80)).toStrictEqual(readSetup('setup.sh', content, { inPlace: false }));
    }
    // without the batch's first line no pair is read as a frame
    const before = framedPairsRead();
    readSetup('setup.sh', pairs(OTHER).join('\n'));
    expect(framedPairsRead() - before).toBe(0);
  });
});
