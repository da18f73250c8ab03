// Statements in their plainest and by far most common shapes, read straight off the tokens: a
// policy rule `allow|deny NAME, ... -> NAME, ... [: NAME, ...]` and a segment
// `segment NAME PREFIX, ... at [SITE.]DEVICE [zone NAME] [vlan N] ["description"]` (its clauses
// in any order, each once), on one line ended by a line break, the end of the file or (a rule)
// the block's `}`. Large intents are mostly such lines (at 400 devices 20,000 rules and 4,000
// segments of 26,666 lines), and chevrotain's rule machinery cost more than the rest of their
// parse. Anything else (a `site.device` among a rule's names, `module.service`, a list continued
// on the next line, `db:https`, profile clauses, `via`, a clause given twice, any stray or error)
// is refused before anything is built, and the grammar's rule reads it as before; on the lines
// taken, the node is the one that rule builds, field for field and in the same key order
// (test/language/plain-statements.test.ts parses seeded and broken statements both ways).

import type { DeviceRef, PolicyRule, SegmentDecl, Token } from './ast.js';
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

const isPrefix = (t: Tok | undefined): boolean => (t?.kind === 'IPv4' || t?.kind === 'IPv6') && t.text.includes('/');

/**
 * At a `segment` token at the top level: the segment, with the cursor moved to the line break
 * (or end of file) that ends it, not consumed, when the line has the plain shape; else undefined
 * and the cursor unmoved.
 */
export function plainSegment(grammar: GrammarBase): SegmentDecl | undefined {
  const toks = grammar.toks;
  const at = grammar.pos;
  if (toks[at + 1]?.kind !== 'Name' || !isPrefix(toks[at + 2])) return undefined;
  let i = at + 3;
  while (toks[i]?.kind === 'Comma') {
    if (!isPrefix(toks[i + 1])) return undefined;
    i += 2;
  }
  const prefixesEnd = i;
  let device = -1;
  let zone = -1;
  let vlan = -1;
  let description = -1;
  while (true) {
    const t = toks[i]!;
    if (t.kind === 'Newline' || t.kind === 'EOF') break;
    if (t.kind === 'String') {
      if (description >= 0) return undefined;
      description = i;
      i += 1;
      continue;
    }
    if (t.kind !== 'Name') return undefined;
    if (t.text === 'at' && device < 0 && toks[i + 1]?.kind === 'Name') {
      device = i + 1;
      if (toks[i + 2]?.kind === 'Dot') {
        if (toks[i + 3]?.kind !== 'Name') return undefined;
        i += 4;
      } else i += 2;
    } else if (t.text === 'zone' && zone < 0 && toks[i + 1]?.kind === 'Name') {
      zone = i + 1;
      i += 2;
    } else if (t.text === 'vlan' && vlan < 0 && toks[i + 1]?.kind === 'Int') {
      vlan = i + 1;
      i += 2;
    } else return undefined;
  }
  if (device < 0) return undefined;
  const prefixes: Token[] = [];
  for (let p = at + 2; p < prefixesEnd; p += 2) prefixes.push(grammar.token(toks[p]!));
  const node: SegmentDecl = {
    kind: 'segment',
    name: grammar.token(toks[at + 1]!),
    prefixes,
    at: deviceRef(grammar, toks, device),
    ...(zone >= 0 ? { zone: grammar.token(toks[zone]!) } : {}),
    ...(vlan >= 0 ? { vlan: grammar.token(toks[vlan]!) } : {}),
    ...(description >= 0 ? { description: grammar.token(toks[description]!) } : {}),
    span: grammar.span(toks[at]!.start, toks[i - 1]!.end),
  };
  grammar.pos = i;
  return node;
}

/** `NAME` or `SITE.NAME` at `i`, as the grammar's deviceRef builds it. */
function deviceRef(grammar: GrammarBase, toks: readonly Tok[], i: number): DeviceRef {
  const a = toks[i]!;
  if (toks[i + 1]?.kind !== 'Dot') return { device: grammar.token(a), span: grammar.span(a.start, a.end) };
  const b = toks[i + 2]!;
  return { site: grammar.token(a), device: grammar.token(b), span: grammar.span(a.start, b.end) };
}
