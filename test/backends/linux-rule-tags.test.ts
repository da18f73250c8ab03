// nftables.conf's origin comments (`# @ TAG DESCRIPTION`) are split by `ruleTagEnd` (tag-read.ts)
// without a regular expression. Held here to the expression it replaces, on seeded comments made
// of the pieces a tag is made of (brackets, digits, commas, spaces, line breaks a hand edit may
// leave inside a comment) and on tags as the renderer writes them.

import { describe, expect, it } from 'vitest';
import { ruleTagEnd } from '../../backends/linux/tag-read.js';
import { formatOriginTag } from '../../backends/origin-tag.js';
import { prng } from '../verifier/random-networks.js';

const TAG_COMMENT = /^@ (.+? \[\d+,\d+\])(?: (.*))?$/;

/** The tag and description `ruleTagEnd` cuts, as the expression's groups are. */
function split(text: string): [string, string | undefined] | null {
  const end = ruleTagEnd(text);
  return end < 0 ? null : [text.slice(2, end), end === text.length ? undefined : text.slice(end + 1)];
}

function expected(text: string): [string, string | undefined] | null {
  const m = TAG_COMMENT.exec(text);
  return m ? [m[1]!, m[2]] : null;
}

const PIECES = ['@', ' ', '[', ']', ',', ' [', ',]', ' [,', '1', '23', 'a', ':', '-', '\r', '\n', '\u2028', '\u2029', 'x.plumb', ' [1,2]', ' [3,4] ', '%20', '[5,6]'];

describe('nft rule tags', () => {
  it('splits a comment as the regular expression does', () => {
    const rand = prng(3317);
    let matched = 0;
    let described = 0;
    for (let n = 0; n < 30_000; n++) {
      let text = rand() < 0.85 ? '@ ' : rand() < 0.5 ? '@' : '';
      const count = Math.floor(rand() * 12);
      for (let k = 0; k < count; k++) text += PIECES[Math.floor(rand() * PIECES.length)];
      const want = expected(text);
      expect(split(text), JSON.stringify(text)).toEqual(want);
      if (want) matched++;
      if (want?.[1] !== undefined) described++;
    }
    expect(matched).toBeGreaterThan(900);
    expect(described).toBeGreaterThan(300);
  });

  it('splits the comments the renderer writes', () => {
    const rand = prng(91);
    for (let n = 0; n < 2000; n++) {
      const line = 1 + Math.floor(rand() * 20000);
      const offset = Math.floor(rand() * 900000);
      const tag = formatOriginTag({
        file: ['acl.plumb', 'net/a b.plumb', 'x[1,2].plumb'][n % 3]!,
        start: { line, column: 3, offset },
        end: { line, column: 3 + (n % 40), offset: offset + (n % 40) },
      });
      const description = ['', ' ', 'allow net0 -> net1 : svc0 (acl.plumb:12)', 'a [1,2] b', ' x'][n % 5]!;
      const text = description === '' && n % 2 === 0 ? `@ ${tag}` : `@ ${tag} ${description}`;
      expect(split(text)).toEqual(expected(text));
      expect(split(text)?.[0]).toBe(tag);
    }
  });
});
