// The IOS-XE reader keeps each route's annotation and head (`! plumb route origin TAG` and
// `ip route A M `) across files, chained in reading order (read-written.ts): a route whose two
// lines up to its tail are the next head's text takes what that head says, and only its tail is
// read. Held here to the line-by-line reading (`inPlace: false`) on routers read one after
// another, seeded edits in their heads, tags and tails included, and to the store's bound.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { DeviceModel } from '../../compiler/model.js';
import { readIosxe } from '../../backends/cisco-iosxe/read.js';
import { isTakenRoute, keptRouteHeadCounts, routeHeadGuessesTaken, WrittenReader } from '../../backends/cisco-iosxe/read-written.js';
import { lexSections } from '../../backends/cisco-iosxe/lines.js';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { contextOf, edgeRouter, networkOf } from './vendor-fixtures.js';

/** The edge router with `n` more routes (by GigabitEthernet1 and `hop`), redistributed into OSPF unless told not to. */
function router(n: number, hop: string, redistributed = true): DeviceModel {
  const d = edgeRouter();
  const at = d.staticRoutes[0]!.origin;
  const span = (i: number): typeof at => ({ ...at, start: { ...at.start, offset: 5000 + 10 * i }, end: { ...at.end, offset: 5009 + 10 * i } });
  const extra = Array.from({ length: n }, (_, i) => ({ prefix: `11.${i >> 16}.${(i >> 8) & 255}.${i & 255}/32`, interface: 'GigabitEthernet1', nextHop: hop, origin: span(i) }));
  d.staticRoutes = [...d.staticRoutes, ...extra];
  if (redistributed) d.ospf!.redistribute = d.ospf!.redistribute.map((r) => (r.protocol === 'static' ? { ...r, prefixes: [...r.prefixes, ...extra.map((x) => x.prefix)] } : r));
  return d;
}

/** The device and diagnostics read in place and line by line, as texts (key order and every value). */
function both(content: string, d: DeviceModel): [string, string] {
  const files = [{ path: 'edge1.cfg', content }];
  return [JSON.stringify(readIosxe(files, contextOf(d), { inPlace: true })), JSON.stringify(readIosxe(files, contextOf(d), { inPlace: false }))];
}

const CHARS = [' ', '0', '1', '9', '.', ':', '/', 'x', '\t', ']', '[', ','];

describe('IOS-XE route heads kept across files', () => {
  const d = router(40, '10.255.0.1');
  const cfg = ios.render(d, networkOf([d]))[0]!.content;
  const other = ios.render(router(40, '10.255.0.9'), networkOf([d]))[0]!.content;
  const lines = cfg.split('\n');
  const routing = lines.flatMap((l, k) => (/^(! plumb route|ip route)/.test(l) ? [k] : []));

  it('read routers one after another as the line-by-line reader does, edited or not (seeded)', () => {
    // primed: the chain holds this router's heads in order
    both(cfg, d);
    const edit = fc.tuple(fc.nat(routing.length - 1), fc.nat(120), fc.constantFrom(...CHARS), fc.constantFrom('insert', 'replace', 'delete', 'swap'));
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 4 }), fc.boolean(), (edits, otherFirst) => {
        if (otherFirst) {
          const [a, b] = both(other, d);
          expect(a).toBe(b);
        }
        const out = [...lines];
        for (const [r, k, c, how] of edits) {
          const at = routing[r]!;
          const l = out[at]!;
          const i = k % (l.length + 1);
          if (how === 'insert') out[at] = l.slice(0, i) + c + l.slice(i);
          else if (how === 'replace') out[at] = l.slice(0, i) + c + l.slice(i + 1);
          else if (how === 'delete') out[at] = l.slice(0, i) + l.slice(i + 1);
          else if (at + 2 < out.length) [out[at], out[at + 2]] = [out[at + 2]!, out[at]!];
        }
        const [inPlace, lineByLine] = both(out.join('\n'), d);
        expect(inPlace).toBe(lineByLine);
        // and the unedited router again, after the edited one
        const [a, b] = both(cfg, d);
        expect(a).toBe(b);
      }),
      { seed: 51, numRuns: 250 },
    );
  });

  it('take the guess for a router read again, and for one with other tails', () => {
    both(cfg, d);
    let taken = routeHeadGuessesTaken();
    const [a] = both(cfg, d);
    // every route but the first follows the one it followed before
    expect(routeHeadGuessesTaken() - taken).toBeGreaterThanOrEqual(40);
    taken = routeHeadGuessesTaken();
    const [c, e] = both(other, d);
    expect(c).toBe(e);
    expect(c).not.toBe(a);
    expect(routeHeadGuessesTaken() - taken).toBeGreaterThanOrEqual(40);
    // and every IPv4 route but the one to Null0 is still taken in place, none left to the line-by-line reader
    const routes = lines.filter((l) => l.startsWith('ip route ') && !l.includes(' Null0')).length;
    expect(lexSections('edge1.cfg', other, new WrittenReader('edge1.cfg')).items.filter(isTakenRoute).length).toBe(routes);
  });

  it('tell routes to one destination out of their next hops\' order, the head taken or not', () => {
    both(cfg, d);
    const at = lines.findIndex((l) => l.startsWith('ip route 11.') && l.endsWith(' 10.255.0.1'));
    // the same head again by a lower next hop: the reader sorts the routes (sortedRoutes)
    const out = [...lines.slice(0, at + 1), lines[at - 1]!, lines[at]!.replace(/ 10\.255\.0\.1$/, ' 10.255.0.0'), ...lines.slice(at + 1)];
    for (let r = 0; r < 2; r++) {
      const [inPlace, lineByLine] = both(out.join('\n'), d);
      expect(inPlace).toBe(lineByLine);
      const reader = new WrittenReader('edge1.cfg');
      lexSections('edge1.cfg', out.join('\n'), reader);
      expect(reader.order.ordered).toBe(false);
    }
  });

  it('never keep or chain more heads than the bound', () => {
    // not redistributed: a prefix list of 70,000 entries read twice would be most of the file's time
    const big = router(70_000, '10.255.0.1', false);
    const content = ios.render(big, networkOf([big]))[0]!.content;
    const [a, b] = both(content, big);
    expect(a).toBe(b);
    const { kept, chained } = keptRouteHeadCounts();
    expect(kept).toBeLessThanOrEqual(1 << 16);
    expect(chained).toBeLessThanOrEqual(kept);
    expect(kept).toBeGreaterThan(0);
  });
});
