// What the parser says about tokens: how a token is named in a message, did-you-mean among
// keywords, and the private failure that ends a statement after its error was recorded.

import { match } from 'ts-pattern';
import type { Tok } from './tokens.js';

/** Thrown after a syntax error has been recorded; caught by the statement loops (parser.ts). */
export class SyntaxFailure {
  readonly failure = true;
}

/** How a token is named in a message: "`foo`", "the end of the line", "the prefix `10.0.0.0/8`". */
export function describe(t: Tok): string {
  const quoted = `\`${t.text}\``;
  return match(t.kind)
    .with('Newline', () => 'the end of the line')
    .with('EOF', () => 'the end of the file')
    .with('Name', 'Arrow', 'DashDash', 'Equals', 'Comma', 'Colon', 'Dot', 'LBrace', 'RBrace', 'IfPin', 'Stray', () => quoted)
    .with('Int', () => `the number ${quoted}`)
    .with('PortRange', () => `the range ${quoted}`)
    .with('IPv4', 'IPv6', () => (t.text.includes('/') ? `the prefix ${quoted}` : `the address ${quoted}`))
    .with('String', 'UnterminatedString', () => (t.text.length > 24 ? `the string ${t.text.slice(0, 20)}…"` : `the string ${t.text}`))
    .exhaustive();
}

/** Levenshtein distance, for did-you-mean suggestions among keywords. */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const up = prev[j]!;
      prev[j] = Math.min(up + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = up;
    }
  }
  return prev[b.length]!;
}

/** The closest of `candidates` to `word` within distance 2, if any. */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 40) return undefined;
  let best: string | undefined;
  let bestDistance = 3;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}
