// Where a block (`site`, `external`, `policy`, `contract`, `implements`) ends, for the parsers of
// every block: at its `}`, or, when the `}` was forgotten, at the end of the file or at a line
// that starts a top-level declaration with no `}` of the block after it (reported once, at the
// block's `{`).

import { Codes } from './diagnostics/index.js';
import type { PlumbGrammar } from './grammar.js';
import { TOP_LEVEL_KEYWORDS } from './grammar-tokens.js';
import type { Tok } from './tokens.js';

const TOP = new Set<string>(TOP_LEVEL_KEYWORDS);

/**
 * At the start of a line of the block opened by `open`: `{ end }` when the block is closed here
 * (`end` is the `}`'s end, consumed), `{}` when it was never closed (reported; the caller stops
 * and reads on at the top level), undefined when the line is one for the block to read.
 * `keywords` are the block's own line words, which are never taken for top-level ones.
 */
export function blockEnd(grammar: PlumbGrammar, kind: string, open: Tok, keywords: readonly string[]): { end?: number } | undefined {
  const t = grammar.peek();
  if (t.kind === 'EOF') {
    grammar.error(Codes.blockNeverClosed, open.start, open.end, `this \`{\` of the ${kind} is never closed`, 'add `}` after the last line of the block');
    return {};
  }
  if (t.kind === 'RBrace') {
    grammar.next();
    grammar.endStatement(false, `${kind} block`);
    return { end: t.end };
  }
  if (t.kind === 'Name' && TOP.has(t.text) && !keywords.includes(t.text) && grammar.nextBraceToken().kind !== 'RBrace') {
    // A declaration that opens no block of its own and is followed by no `}` of ours: the `}`
    // was forgotten. End the block here and read the line at the top level.
    const line = grammar.index.line(t.start);
    grammar.error(Codes.blockNeverClosed, open.start, open.end, `this \`{\` of the ${kind} is never closed`, `add \`}\` before line ${line}`, [
      { span: grammar.span(t.start, t.end), message: `\`${t.text}\` starts a top-level declaration` },
    ]);
    return {};
  }
  return undefined;
}
