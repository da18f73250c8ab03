// A policy rule in its plainest and by far most common shape, read straight off the tokens:
// `allow|deny NAME, ... -> NAME, ... [: NAME, ...]` on one line, ended by a line break, the
// block's `}` or the end of the file. Large intents are mostly such lines (20,000 of the
// 26,666 at 400 devices), and chevrotain's rule machinery cost more than the rest of their
// parse. Anything else (a `site.device`, `module.service`, a list continued on the next line,
// `db:https`, profile clauses, `via`, any stray or error) is refused before anything is built,
// and the grammar's `rule` reads it as before; on the lines it takes, the node is the one that
// rule builds, field for field (test/language/plain-rule.test.ts parses seeded rules both ways).

import type { PolicyRule, Token } from './ast.js';
import type { GrammarBase } from './grammar-base.js';
import type { Tok } from './tokens.js';

/**
 * The index after a run `NAME (, NAME)*` starting at `i`, or -1 when the tokens there are not
 * such a run (a comma must be followed by a name on the same line).
 */
function nameRun(toks: readonly Tok[], i: number): number {
  if (toks[i]?.kind !== 'Name') return -1;
  i++;
  while (toks[i]?.kind === 'Comma') {
    if (toks[i + 1]?.kind !== 'Name') return -1;
    i += 2;
  }
  return i;
}

const ENDS_STATEMENT = new Set(['Newline', 'RBrace', 'EOF']);

/**
 * At an `allow` or `deny` token inside a policy block: the rule, with the cursor moved to the
 * token that ends it (not consumed), when the line has the plain shape; else undefined and the
 * cursor unmoved.
 */
export function plainRule(grammar: GrammarBase): PolicyRule | undefined {
  const toks = grammar.toks;
  const at = grammar.pos;
  const sourcesEnd = nameRun(toks, at + 1);
  if (sourcesEnd < 0 || toks[sourcesEnd]!.kind !== 'Arrow') return undefined;
  const destinationsEnd = nameRun(toks, sourcesEnd + 1);
  if (destinationsEnd < 0) return undefined;
  let end = destinationsEnd;
  let servicesStart = -1;
  if (toks[end]!.kind === 'Colon') {
    servicesStart = end + 1;
    end = nameRun(toks, servicesStart);
    if (end < 0) return undefined;
  }
  if (!ENDS_STATEMENT.has(toks[end]!.kind)) return undefined;
  const action = toks[at]!;
  const names = (from: number, to: number): Token[] => {
    const out: Token[] = [];
    for (let i = from; i < to; i += 2) out.push(grammar.token(toks[i]!));
    return out;
  };
  const node: PolicyRule = {
    kind: 'rule',
    action: grammar.token(action),
    sources: names(at + 1, sourcesEnd),
    destinations: names(sourcesEnd + 1, destinationsEnd),
    services: servicesStart < 0 ? [] : names(servicesStart, end),
    span: grammar.span(action.start, toks[end - 1]!.end),
  };
  grammar.pos = end;
  return node;
}
