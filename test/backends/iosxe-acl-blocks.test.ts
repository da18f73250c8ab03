// An IOS-XE list's blocks (acl-read.ts readAcl: the entries under one run of remarks) and a
// block's description (acl-merge.ts blockRule). The blocks are gathered in scratch lists and
// copied out when they close, and a description is made without a list of its remarks' texts:
// held here to the grouping and the joined texts spelled out, on seeded lists of remarks,
// entries (some that do not read), comments and numbered remarks.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { blockRule } from '../../backends/cisco-iosxe/acl-merge.js';
import { readAcl, remarkText, type Block } from '../../backends/cisco-iosxe/acl-read.js';
import { lexConfig, sectionsOf, type IosLine } from '../../backends/cisco-iosxe/lines.js';
import { readText } from '../../backends/cisco-iosxe/text.js';
import { INTENT_REMARK } from '../../backends/cisco-iosxe/syntax.js';
import { parseOriginTag } from '../../backends/origin-tag.js';
import { References } from '../../backends/references.js';
import { Reporter } from '../../backends/reporter.js';

/** Body lines of a list; `N` is replaced by the next sequence number (so that entries read). */
const BODY = [
  ' remark a rule',
  ' remark of%20two words',
  ' remark intent f.plumb:1:1-1:5 [0,4]',
  ' remark intent f.plumb:2:1-2:9 [5,13]',
  ' remark intent not a tag',
  ' remark  two spaces',
  ' N remark numbered',
  ' ! a comment',
  ' N permit tcp any host 10.0.0.1 eq 22',
  ' N deny ip 10.1.0.0 0.0.255.255 any',
  ' N permit icmp any any echo',
  ' N permit bogus any any',
  ' 5 permit ip any any',
];

const body = fc.array(fc.constantFrom(...BODY), { maxLength: 24 }).map((ls) => {
  let seq = 0;
  return ls.map((l) => l.replace('N', () => String((seq += 10))));
});

function listOf(lines: string[]): { blocks: Block[]; lines: IosLine[] } {
  const section = sectionsOf(lexConfig('r1.cfg', ['ip access-list extended F', ...lines, ''].join('\n')))[0]!;
  const acl = readAcl(section, 4, new Map(), new References(), new Reporter())!;
  return { blocks: acl.blocks, lines: section.body };
}

/**
 * The blocks as readAcl made them before: a remark after an entry (or first) starts a block, an
 * entry joins the block above it (or starts one); by line numbers.
 */
function blocksSpelledOut(blocks: Block[], lines: IosLine[]): { remarks: number[]; aces: number[] }[] {
  const entries = new Set(blocks.flatMap((b) => b.aces.map((a) => a.line.line)));
  const out: { remarks: number[]; aces: number[] }[] = [];
  let current: { remarks: number[]; aces: number[] } | undefined;
  for (const l of lines) {
    if (l.isComment) continue;
    if (l.texts.includes('remark')) {
      if (!current || current.aces.length > 0) out.push((current = { remarks: [], aces: [] }));
      current.remarks.push(l.line);
    } else if (entries.has(l.line)) {
      if (!current) out.push((current = { remarks: [], aces: [] }));
      current.aces.push(l.line);
    }
  }
  return out;
}

describe('IOS-XE access-list blocks', () => {
  it('group remarks and entries as the grouping spelled out (seeded)', () => {
    fc.assert(
      fc.property(body, (lines) => {
        const { blocks, lines: read } = listOf(lines);
        expect(blocks.map((b) => ({ remarks: b.remarks.map((l) => l.line), aces: b.aces.map((a) => a.line.line) }))).toEqual(blocksSpelledOut(blocks, read));
      }),
      { seed: 16, numRuns: 2000 },
    );
  });

  it('keep each block its own lists, of their exact length', () => {
    const { blocks } = listOf([' remark a', ' remark b', ' 10 permit ip any any', ' remark c', ' 20 permit ip any any', ' 30 deny ip any any', ' remark d']);
    expect(blocks.map((b) => [b.remarks.length, b.aces.length])).toEqual([
      [2, 1],
      [1, 2],
      [1, 0],
    ]);
    expect(new Set(blocks.map((b) => b.remarks)).size).toBe(3);
    expect(new Set(blocks.map((b) => b.aces)).size).toBe(3);
  });

  it('say the description and span the remarks joined would (seeded)', () => {
    fc.assert(
      fc.property(body, (lines) => {
        for (const b of listOf(lines).blocks) {
          if (b.aces.length === 0) continue;
          const texts = b.remarks.map(remarkText);
          const last = texts[texts.length - 1];
          const origin = last?.startsWith(INTENT_REMARK) ? parseOriginTag(last.slice(INTENT_REMARK.length)) : undefined;
          if (origin) texts.pop();
          const rule = blockRule(b, new Reporter());
          if (rule === undefined) continue;
          expect(rule.description).toBe(readText(texts.join(' ')));
          expect(rule.origin).toEqual(origin);
        }
      }),
      { seed: 61, numRuns: 2000 },
    );
  });
});
