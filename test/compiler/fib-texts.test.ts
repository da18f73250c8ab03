// Readers of every device's FIB (firewall relevance's text numbers, C704's counts) work a FIB's
// prefix texts out once per distinct list (ByFibTexts): a FIB of the same texts in the same order
// as a list kept gets that list's value. On seeded sequences of FIBs (the same texts as new route
// objects, shuffled, one route fewer, one text changed, more distinct lists than are kept) every
// answer must be the one computed for that FIB alone; and the intent's hosts by segment must be
// what a filter of each segment gives.

import { describe, expect, it } from 'vitest';
import type { RouteModel } from '../../compiler/model.js';
import { ByFibTexts, ListedFib, type FibView } from '../../compiler/fib-views.js';
import { hostsBySegment } from '../../compiler/endpoints.js';
import type { CheckedIntent } from '../../language/intent.js';
import { address, random } from './urpf-seeds.js';

const textsOf = (fib: FibView) => Array.from({ length: fib.length }, (_, i) => fib.prefixAt(i));

describe('values by FIB texts', () => {
  it('are those of each FIB alone, on seeded sequences', () => {
    let reused = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = random(seed);
      const list = (): string[] => {
        const texts: string[] = [];
        for (let k = 0, count = 1 + Math.floor(rnd() * 8); k < count; k++) {
          const length = 24 + Math.floor(rnd() * 9);
          texts.push(`${address(Math.floor(rnd() * 1024))}/${length}`);
        }
        return texts;
      };
      const lists = Array.from({ length: 1 + Math.floor(rnd() * 7) }, list);
      const routes = (texts: readonly string[]): RouteModel[] =>
        // Texts as new strings (not the same objects), as read-back FIBs have them.
        texts.map((t) => ({ prefix: [...t].join(''), protocol: 'ospf', nextHops: [{ interface: `eth${Math.floor(rnd() * 3)}` }], metric: 0 }));
      let made = 0;
      const cache = new ByFibTexts((fib) => {
        made++;
        return textsOf(fib);
      });
      for (let i = 0; i < 30; i++) {
        const base = lists[Math.floor(rnd() * lists.length)]!;
        const kind = rnd();
        let texts = base;
        if (kind < 0.1) texts = [...base].sort(() => rnd() - 0.5);
        else if (kind < 0.2) texts = base.slice(0, -1);
        else if (kind < 0.3) texts = base.map((t, k) => (k === Math.floor(rnd() * base.length) ? '10.0.255.0/24' : t));
        else if (kind < 0.35) texts = [...base, '10.0.254.0/24'];
        const fib = routes(texts);
        expect(cache.get(new ListedFib(fib)), `seed ${seed} fib ${i}`).toEqual(texts);
      }
      reused += 30 - made;
    }
    // Most FIBs repeat a list kept.
    expect(reused).toBeGreaterThan(3000);
  });
});

describe('hosts by segment', () => {
  it("are each segment's hosts in intent order", () => {
    for (let seed = 1; seed <= 50; seed++) {
      const rnd = random(seed);
      const segments = Array.from({ length: 1 + Math.floor(rnd() * 6) }, (_, k) => ({ name: `seg${k}` }));
      const hosts = Array.from({ length: Math.floor(rnd() * 12) }, (_, k) => ({ name: `h${k}`, segment: `seg${Math.floor(rnd() * (segments.length + 1))}` }));
      const intent = { segments, hosts } as unknown as CheckedIntent;
      const grouped = hostsBySegment(intent);
      for (const s of [...segments, { name: `seg${segments.length}` }, { name: 'none' }]) {
        expect(grouped.get(s.name) ?? [], `seed ${seed} ${s.name}`).toEqual(intent.hosts.filter((h) => h.segment === s.name));
      }
    }
  });
});
