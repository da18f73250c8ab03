// plumb.lock is text users and merges edit by hand: whatever it holds, reading it never throws
// and every problem points inside the file, and whatever a well-formed lock records, the
// allocation stays inside the pools, never hands out an address twice or one the intent
// writes, and keeps every recorded address it can.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { containsPrefix, prefixOf } from '../../language/address.js';
import { analyze } from '../../language/analyze.js';
import { parseLock } from '../../language/lock.js';

const INTENT = `network n
pool p 10.255.0.0/27
pool p6 fd00::/124
site s {
  router a frr
  router b frr loopback 10.255.0.9
  router c linux
  link a -- b
  link b -- c
  link a -- c
  link a -- b
}
segment web 10.1.0.0/24 at s.a
`;

const WORDS = ['network', 'n', 'loopback', 'link', '--', '#1', '#2', 's.a', 's.b', 's.c', 's.z', 's.a:eth1', '10.255.0.3/32', '10.255.0.4/31', '10.255.0.9/32', '10.255.0.30/31', '10.9.0.1/32', 'fd00::2/128', 'fd00::4/127', '<<<<<<<', '#', '\t', 'ünï', ''];

const lockLine = fc.array(fc.constantFrom(...WORDS), { maxLength: 7 }).map((w) => w.join(' '));
const lockText = fc.oneof(fc.array(lockLine, { maxLength: 12 }).map((l) => l.join('\n')), fc.string({ maxLength: 200 }));

/** Well-formed entries for the intent's items, at any address of the right length in or near the pools. */
const entry = fc.oneof(
  fc.tuple(fc.constantFrom('s.a', 's.b', 's.c'), fc.integer({ min: 0, max: 40 })).map(([d, i]) => `loopback ${d} 10.255.0.${i}/32`),
  fc.tuple(fc.constantFrom('s.a -- s.b', 's.b -- s.c', 's.a -- s.c', 's.a -- s.b #1'), fc.integer({ min: 0, max: 20 })).map(([l, i]) => `link ${l} 10.255.0.${2 * i}/31`),
  fc.tuple(fc.constantFrom('s.a', 's.b', 's.c'), fc.integer({ min: 0, max: 9 })).map(([d, i]) => `loopback ${d} fd00::${i}/128`),
);
const wellFormed = fc.uniqueArray(entry, { maxLength: 10, selector: (e) => e.replace(/ \S+$/, '') + (e.includes(':') && !e.includes('s.a:') ? '6' : '4') }).map((e) => `network n\n${e.join('\n')}\n`);

describe('plumb.lock, whatever it holds', () => {
  it('is read without throwing, every problem inside the file', () => {
    fc.assert(
      fc.property(lockText, (text) => {
        const lines = text.split('\n');
        for (const d of parseLock(text, 'plumb.lock').diagnostics) {
          expect(d.code).toBe('P320');
          expect(d.span.start.line).toBeGreaterThanOrEqual(1);
          expect(d.span.start.line).toBeLessThanOrEqual(lines.length);
          expect(d.span.end.column - 1).toBeLessThanOrEqual(lines[d.span.start.line - 1]!.length);
          expect(text.slice(d.span.start.offset, d.span.end.offset)).toBe(lines[d.span.start.line - 1]!.replace(/\r$/, '').trim());
        }
      }),
      { seed: 20261205, numRuns: 400 },
    );
  });

  it('allocates inside the pools, never twice, never what the intent writes, and keeps what it can', () => {
    const pools = [prefixOf('10.255.0.0/27'), prefixOf('fd00::/124')];
    fc.assert(
      fc.property(wellFormed, (lock) => {
        const a = analyze([
          { path: 'n.plumb', text: INTENT },
          { path: 'plumb.lock', text: lock },
        ]);
        expect(a.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const { model, diagnostics, allocations } = compile(a.intent!);
        expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
        const seen = new Set<string>();
        for (const d of model.devices) {
          for (const i of d.interfaces) {
            for (const text of i.addresses) {
              if (i.role === 'segment' || text.startsWith('fe80:')) continue;
              const p = prefixOf(text);
              const host = `${p.family}|${p.value}`;
              expect(seen.has(host), text).toBe(false);
              seen.add(host);
              if (text === '10.255.0.9/32') continue; // b's written loopback
              expect(pools.some((pool) => containsPrefix(pool, { ...p, length: p.family === 4 ? 32 : 128 })), text).toBe(true);
            }
          }
        }
        // Every entry of an item still allocated is kept, or reported as moved at its line (an
        // entry of an item the intent now addresses itself, b's IPv4 loopback, is dropped).
        const moved = new Set(diagnostics.filter((d) => d.code === 'C740').map((d) => d.span.start.line));
        const now = new Set(allocations.map((x) => `${x.item} ${x.prefix}`));
        const family = (prefix: string) => (prefix.includes(':') ? 6 : 4);
        const items = new Set(allocations.map((x) => `${x.item}|${family(x.prefix)}`));
        for (const e of a.intent!.lock ?? []) {
          if (!items.has(`${e.item}|${family(e.prefix)}`)) {
            expect(moved.has(e.span.start.line)).toBe(false);
            continue;
          }
          const kept = now.has(`${e.item} ${e.prefix}`);
          expect(kept || moved.has(e.span.start.line), `${e.item} ${e.prefix}`).toBe(true);
          expect(kept && moved.has(e.span.start.line)).toBe(false);
        }
      }),
      { seed: 20261205, numRuns: 300 },
    );
  });
});
