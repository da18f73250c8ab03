// Whether two FIBs hold the same prefix texts in the same order decides whether a reader of many
// FIBs (ByFibTexts: relevance's and uRPF's numbering of texts) reuses what it worked out for
// another FIB. For FIBs of no one convergence (read back, made by hand) `sameViewTexts` and
// `sameTextsRouteByRoute` compare text by text: a difference at any position, the first and the
// last included, must make them differ, or a FIB would be read with another FIB's numbers.

import { describe, expect, it } from 'vitest';
import type { RouteModel } from '../../compiler/model.js';
import { ByFibTexts, ListedFib, sameViewTexts } from '../../compiler/fib-views.js';
import { sameFibTexts, sameTextsRouteByRoute } from '../../compiler/routing-rib.js';
import { random } from './urpf-seeds.js';

const route = (prefix: string): RouteModel => ({ prefix, protocol: 'static', nextHops: [{ interface: 'eth1' }], metric: 0 });

/** A FIB of `length` routes with texts drawn from a few, so that neighbours often repeat. */
function fibOf(rnd: () => number, length: number): RouteModel[] {
  return Array.from({ length }, () => route(`10.${Math.floor(rnd() * 3)}.0.0/16`));
}

/** The same routes with the text at `at` changed to one no route of `fib` has. */
function changedAt(fib: RouteModel[], at: number): RouteModel[] {
  return fib.map((r, i) => (i === at ? route('192.0.2.0/24') : route(r.prefix)));
}

describe('FIBs of the same texts', () => {
  it('differ when one text differs, at every position, the first and the last included', () => {
    const rnd = random(51);
    for (let n = 0; n < 200; n++) {
      const fib = fibOf(rnd, 1 + Math.floor(rnd() * 12));
      const copy = fib.map((r) => route(r.prefix));
      expect(sameViewTexts(new ListedFib(fib), new ListedFib(copy))).toBe(true);
      expect(sameFibTexts(fib, copy)).toBe(true);
      expect(sameTextsRouteByRoute(fib, copy)).toBe(true);
      for (let at = 0; at < fib.length; at++) {
        const other = changedAt(fib, at);
        expect(sameViewTexts(new ListedFib(fib), new ListedFib(other)), `position ${at} of ${fib.length}`).toBe(false);
        expect(sameViewTexts(new ListedFib(other), new ListedFib(fib)), `position ${at} of ${fib.length}`).toBe(false);
        expect(sameFibTexts(fib, other), `position ${at} of ${fib.length}`).toBe(false);
        expect(sameTextsRouteByRoute(other, fib), `position ${at} of ${fib.length}`).toBe(false);
      }
      // One route more or less: never the same texts.
      expect(sameViewTexts(new ListedFib(fib), new ListedFib([...copy, route(fib[0]!.prefix)]))).toBe(false);
      expect(sameViewTexts(new ListedFib(fib), new ListedFib(copy.slice(1)))).toBe(false);
    }
  });

  it('give a FIB whose last text differs a value of its own', () => {
    const made: string[] = [];
    const byTexts = new ByFibTexts((fib) => {
      const texts = Array.from({ length: fib.length }, (_, i) => fib.prefixAt(i));
      made.push(texts.join(' '));
      return texts;
    });
    const a = [route('10.0.0.0/16'), route('10.1.0.0/16'), route('10.2.0.0/16')];
    const b = [route('10.0.0.0/16'), route('10.1.0.0/16'), route('10.3.0.0/16')];
    expect(byTexts.get(new ListedFib(a))).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16']);
    expect(byTexts.get(new ListedFib(b))).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.3.0.0/16']);
    expect(byTexts.get(new ListedFib(a.map((r) => route(r.prefix))))).toEqual(['10.0.0.0/16', '10.1.0.0/16', '10.2.0.0/16']);
    expect(made).toHaveLength(2);
  });
});
