// nft-syntax.ts gives a word that is one of NFT_KEYWORDS as the keyword's constant instead of a
// cut of the file. Held here to the file itself: on seeded rule lines of keywords, words that
// nearly are keywords (one character more, less or other, other case, quoted), values and
// punctuation, every word's text is the file's text at its span.

import { describe, expect, it } from 'vitest';
import { NFT_KEYWORDS, parseNft, type NftNode, type NftWord } from '../../backends/linux/nft-syntax.js';
import { prng } from '../verifier/random-networks.js';

const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/** A keyword, or a word next to one: a character added, dropped or changed, its case changed. */
function nearWord(rand: () => number): string {
  const k = pick(rand, NFT_KEYWORDS);
  const kind = Math.floor(rand() * 7);
  if (kind === 0) return k + pick(rand, ['s', '6', 'x', '/24']);
  if (kind === 1) return k.slice(0, -1) || 'x';
  if (kind === 2) return k.slice(1) || 'y';
  if (kind === 3) {
    const at = Math.floor(rand() * k.length);
    return k.slice(0, at) + pick(rand, ['a', 'z', '0', 'é']) + k.slice(at + 1);
  }
  if (kind === 4) return k.toUpperCase();
  return k;
}

function words(nodes: NftNode[], out: NftWord[]): NftWord[] {
  for (const n of nodes) {
    if (n.kind === 'block') {
      out.push(...n.head);
      words(n.body, out);
    } else if (n.kind === 'statement') {
      for (const it of n.items) {
        if (it.kind === 'word') out.push(it.word);
        else out.push(...it.elements);
      }
    }
  }
  return out;
}

describe('nft keywords', () => {
  it('reads each word as the file has it', () => {
    const rand = prng(4021);
    let keywords = 0;
    let near = 0;
    for (let n = 0; n < 200; n++) {
      const lines: string[] = [];
      for (let l = 0; l < 20; l++) {
        const parts: string[] = [];
        const count = 1 + Math.floor(rand() * 12);
        for (let w = 0; w < count; w++) {
          const r = rand();
          if (r < 0.7) parts.push(nearWord(rand));
          else if (r < 0.8) parts.push(`"${nearWord(rand)}"`);
          else if (r < 0.9) parts.push(pick(rand, ['10.0.0.0/24', '8000', '@zone_a', '{ 80, 443 }', 'ip6']));
          else parts.push(pick(rand, [';', '\t', '  ']));
        }
        lines.push(`\t\t${parts.join(pick(rand, [' ', '\t', '  ']))}${pick(rand, ['', '\r', ' ', ';'])}`);
      }
      const text = `table inet plumb {\n\tchain c {\n${lines.join('\n')}\n\t}\n}`;
      const { nodes, diagnostics } = parseNft('f', text);
      expect(diagnostics).toEqual([]);
      for (const w of words(nodes, [])) {
        const written = text.slice(w.span.start.offset, w.span.end.offset);
        expect(w.quoted ? `"${w.text}"` : w.text).toBe(written);
        const keyword = NFT_KEYWORDS.find((k) => k === w.text);
        if (keyword !== undefined && !w.quoted) {
          keywords++;
        } else if (NFT_KEYWORDS.some((k) => k.length === w.text.length && k[0] === w.text[0])) near++;
      }
    }
    expect(keywords).toBeGreaterThan(5000);
    expect(near).toBeGreaterThan(1000);
  });
});
