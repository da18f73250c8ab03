// `annotatedOrigin` (names.ts) answers what `readAnnotation(text, kind)?.get('origin')` answers:
// its short way for `plumb KIND origin=VALUE` with a value of printable ASCII and no space, and
// readAnnotation for everything else, on texts made near that form.

import { describe, expect, it } from 'vitest';
import { annotatedOrigin, readAnnotation } from '../../backends/paloalto-panos/names.js';
import { prng } from '../../bench/generate.js';

const HEADS = ['plumb rule origin=', 'plumb route origin=', 'plumb rule  origin=', 'plumb\trule origin=', 'plumb rule size=3 origin=', 'plumb rules origin=', 'plumb rule origin', 'plumb rule =', 'plumb a b origin=', ''];
const PIECES = ['acme.plumb', ':3:1-3:9', '%20', '[10,18]', ' ', '\t', '%', '%2', '%7e', '%C3%A9', '=', '-', '--', 'é', '\u00a0', '\n', 'x=y', 'origin=z', '0', '~'];
const KINDS = ['rule', 'route', 'a b', 'ru', 'rule origin=x'];

function expected(text: string, kind: string): string | undefined {
  return readAnnotation(text, kind)?.get('origin');
}

describe('the origin of a plumb annotation', () => {
  it('written forms: the value decoded', () => {
    expect(annotatedOrigin('plumb rule origin=acme.plumb:3:1-3:9%20[10,18]', 'rule')).toBe('acme.plumb:3:1-3:9 [10,18]');
    expect(annotatedOrigin('plumb route origin=a%3Db%2D', 'route')).toBe('a=b-');
    expect(annotatedOrigin('plumb rule origin=', 'rule')).toBe('');
    expect(annotatedOrigin('plumb rule origin=x=y', 'rule')).toBe('x=y');
  });

  it('anything near the written form: what readAnnotation answers', () => {
    const next = prng(48);
    let short = 0;
    for (let n = 0; n < 6000; n++) {
      const kind = KINDS[Math.floor(next() * KINDS.length)]!;
      // half of them with the written head of their kind
      let text = next() < 0.5 ? `plumb ${kind} origin=` : HEADS[Math.floor(next() * HEADS.length)]!;
      const pieces = Math.floor(next() * 5);
      for (let p = 0; p < pieces; p++) text += PIECES[Math.floor(next() * PIECES.length)]!;
      expect(annotatedOrigin(text, kind), `${JSON.stringify(text)} ${kind}`).toBe(expected(text, kind));
      if (text.startsWith(`plumb ${kind} origin=`) && !/[^\x21-\x7e]/.test(text.slice(`plumb ${kind} origin=`.length))) short++;
    }
    // the short way was taken often, and the other way too
    expect(short).toBeGreaterThan(300);
    expect(short).toBeLessThan(5000);
  });

  it('a value with a space, a tab, a line break or a character past ASCII goes to readAnnotation', () => {
    for (const v of ['a b', 'a\tb', 'a\nb', 'aé', 'a\u00a0b', ' a', 'a ']) {
      const text = `plumb rule origin=${v}`;
      expect(annotatedOrigin(text, 'rule'), JSON.stringify(text)).toBe(expected(text, 'rule'));
    }
    expect(annotatedOrigin('plumb a b origin=x', 'a b')).toBe(expected('plumb a b origin=x', 'a b'));
  });
});
