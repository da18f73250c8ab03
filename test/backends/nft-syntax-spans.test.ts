// nft-syntax.ts makes the spans of words, comments and statements when they are asked for, and
// reads tokens one at a time: each span must still be where its text is (line and column agreeing
// with the offset), and an unclosed block or set is reported where it was when every token was kept.

import { describe, expect, it } from 'vitest';
import { parseNft, type NftNode, type NftWord } from '../../backends/linux/nft-syntax.js';
import type { Span } from '../../language/diagnostic.js';

/** Line and column of `offset` in `text`, counted the slow way. */
function place(text: string, offset: number): Span['start'] {
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  return { line, column: offset - (before.lastIndexOf('\n') + 1) + 1, offset };
}

function expectAt(text: string, span: Span, written: string): void {
  expect(text.slice(span.start.offset, span.end.offset)).toBe(written);
  expect(span.start).toEqual(place(text, span.start.offset));
  expect(span.end).toEqual(place(text, span.end.offset));
}

const wordText = (w: NftWord): string => (w.quoted ? `"${w.text}"` : w.text);

function checkNode(text: string, node: NftNode): number {
  let words = 0;
  if (node.kind === 'comment') {
    expect(text.slice(node.span.start.offset, node.span.end.offset).replace(/\r$/, '')).toMatch(/^# ?/);
    expect(node.span.start).toEqual(place(text, node.span.start.offset));
    expect(node.span.end).toEqual(place(text, node.span.end.offset));
    return 0;
  }
  if (node.kind === 'block') {
    for (const w of node.head) expectAt(text, w.span, wordText(w));
    expect(text.slice(node.span.start.offset)).toMatch(new RegExp(`^${node.head[0]!.text}`));
    for (const n of node.body) words += checkNode(text, n);
    return words + node.head.length;
  }
  const first = node.items[0]!;
  const last = node.items[node.items.length - 1]!;
  expect(node.span.start).toEqual(first.kind === 'word' ? first.word.span.start : first.span.start);
  expect(node.span.end).toEqual(last.kind === 'word' ? last.word.span.end : last.span.end);
  for (const it of node.items) {
    if (it.kind === 'word') {
      expectAt(text, it.word.span, wordText(it.word));
      words++;
    } else {
      expect(text[it.span.start.offset]).toBe('{');
      expect(text[it.span.end.offset - 1]).toBe('}');
      for (const e of it.elements) expectAt(text, e.span, wordText(e));
      words += it.elements.length;
    }
  }
  return words;
}

describe('nft-syntax spans', () => {
  it('gives each word, comment, set, statement and block the place of its text', () => {
    const text =
      'table inet plumb {\n\tchain c {\r\n\t\t# @ tag \r\n\t\tip saddr { 10.0.0.0/8,,\n 10.1.0.0/16 } "q w" drop ; x\n#\n\t}\n}\n';
    const { nodes, diagnostics } = parseNft('f', text);
    expect(diagnostics).toEqual([]);
    expect(nodes.reduce((n, node) => n + checkNode(text, node), 0)).toBe(12);
    const table = nodes[0]!;
    if (table.kind !== 'block') throw new Error('expected the table');
    expect(table.span.end).toEqual(place(text, text.lastIndexOf('}') + 1));
    const chain = table.body[0]!;
    if (chain.kind !== 'block') throw new Error('expected the chain');
    expect(chain.body.map((n) => (n.kind === 'comment' ? `#${n.text}` : n.kind))).toEqual(['#@ tag ', 'statement', 'statement', '#']);
  });

  it('reports an unclosed set at its brace and an unclosed block at the last token', () => {
    const at = (line: number, column: number, offset: number): Span['start'] => ({ line, column, offset });
    const open = parseNft('f', 'table inet plumb {\n\tchain c {\n\t\tip saddr { 10.0.0.1\n');
    expect(open.diagnostics.map((d) => [d.message, d.span.start, d.span.end])).toEqual([
      ['this `{` is never closed', at(3, 12, 41), at(3, 13, 42)],
      ['a block is never closed: `}` missing at the end', at(3, 22, 51), at(3, 23, 52)],
      ['a block is never closed: `}` missing at the end', at(3, 22, 51), at(3, 23, 52)],
    ]);
    const stray = parseNft('f', 'a b }\n');
    expect(stray.diagnostics.map((d) => [d.message, d.span.start, d.span.end])).toEqual([
      ['this `}` closes no block', at(1, 5, 4), at(1, 6, 5)],
    ]);
  });
});
