// A policy block parsed in runs of rules (lsp/chunks.ts, lsp/incremental-parse.ts,
// language/parse-members.ts): after any edit the result must be exactly a whole parse's, and
// the diagnostics of a project exactly a full check's. The edits aim at policy blocks and at
// what must send a block back to a whole parse: an edit that moves a block's end, unbalanced
// braces, an edit spanning two blocks, a top-level declaration inside a policy, a statement
// continued onto the `}` line, carriage returns that end no line. Rules continued onto a second
// line are a case of their own (a cut there would start a run inside a rule).

import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { parse } from '../../language/parser.js';
import { parseBlockMembers } from '../../language/parse-members.js';
import { lex } from '../../language/tokens.js';
import { prng } from '../../bench/generate.js';
import { loadFrontEnd } from '../../lsp/frontend.js';
import { IncrementalParser, splitChunks } from '../../lsp/incremental-parse.js';
import { Project, ProjectFile } from '../../lsp/workspace.js';
import type { PolicyDecl } from '../../language/ast.js';
import { generatedIntent } from './harness.js';
import { expectEqual } from '../expect-equal.js';

const RULE = /^ {2}(allow|deny) /;
const SNIPPETS = ['{', '}', '"', ',', ' -> ', ':', '=', '\n', '\r', '\r\n', '# c\r}', '# c { "', 'x', ' any', '\\', '\n}\n', 'policy q {\n', '\n  allow a ->'];
const HOSTILE_LINES = [
  '  segment inside 10.9.0.0/24 at s000.d0',
  '  site s',
  '  site t {',
  '}',
  '{',
  '  allow seg0 ->',
  '  allow seg0,',
  '  allow seg0 -> seg1 : https # c\r}',
  '  allow "unterminated',
  '  group g = a,',
  '  export service w = tcp 1',
  '  allo seg0 -> seg1',
  '  policy',
  `  allow ${'x'.repeat(17000)}`,
];

/** One edit, mostly inside a policy block's rules, its `policy` and `}` lines. */
function policyEdit(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const rules = lines.flatMap((l, i) => (RULE.test(l) ? [i] : []));
  const blockLines = lines.flatMap((l, i) => (l.startsWith('policy') || (l === '}' && RULE.test(lines[i - 1] ?? '')) ? [i] : []));
  const target = rules.length === 0 || rand() < 0.1 ? Math.floor(rand() * lines.length) : rand() < 0.15 && blockLines.length > 0 ? pick(blockLines) : pick(rules);
  const kind = rand();
  const offsetOf = (line: number): number => lines.slice(0, line).reduce((n, l) => n + l.length + 1, 0);
  const at = offsetOf(target) + Math.floor(rand() * ((lines[target]?.length ?? 0) + 1));
  if (kind < 0.35) return text.slice(0, at) + pick(SNIPPETS) + text.slice(at);
  if (kind < 0.5) return text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rand() * 12)));
  if (kind < 0.55) {
    // A range from one block into the next (or far beyond one).
    return text.slice(0, at) + text.slice(Math.min(text.length, at + 200 + Math.floor(rand() * 4000)));
  }
  if (kind < 0.7) lines.splice(target, 0, pick(HOSTILE_LINES));
  else if (kind < 0.8) lines.splice(target, 1);
  else if (kind < 0.9) lines.splice(target, 0, lines[pick(rules.length > 0 ? rules : [0])]!);
  else {
    const [line] = lines.splice(target, 1);
    lines.splice(Math.floor(rand() * lines.length), 0, line!);
  }
  return lines.join('\n');
}

/** Hostile lines put in go again, now and then, so the text does not fill with them. */
function healed(text: string, rand: () => number): string {
  if (rand() > 0.15) return text;
  return text
    .split('\n')
    .filter((l) => !HOSTILE_LINES.some((h) => l.startsWith(h.slice(0, 12))) || l.startsWith('  allow seg0 -> seg'))
    .join('\n');
}

/** The intent with its rules in three policies (the generator writes one per thousand rules). */
function threePolicies(segments: number, seed: number): string {
  const text = generatedIntent(segments, seed);
  const lines = text.split('\n');
  const rules = lines.flatMap((l, i) => (RULE.test(l) ? [i] : []));
  for (const i of [rules[Math.floor(rules.length / 3)]!, rules[Math.floor((2 * rules.length) / 3)]!].reverse()) lines.splice(i, 0, '}', `policy p${i} {`);
  return lines.join('\n');
}

describe('a policy block parsed in runs of rules', () => {
  it('cuts a long policy body into runs at rules', () => {
    const text = threePolicies(600, 3);
    const blocks = splitChunks(text).filter((c) => c.block);
    expect(blocks.length).toBe(3);
    for (const { block, start } of blocks) {
      expect(block!.runStarts.length).toBeGreaterThan(4);
      expect(text.slice(start, block!.runStarts[0])).toMatch(/^policy p\d+ \{\n$/);
      expect(text.slice(block!.bodyEnd, block!.bodyEnd + 2)).toBe('}\n');
      for (const s of block!.runStarts) expect(text.slice(s)).toMatch(RULE);
    }
  });

  it('equals a whole parse after each of 100 seeded edits aimed at policy blocks', () => {
    const rand = prng(20261206);
    const base = threePolicies(300, 5);
    let text = base;
    let members = 0;
    let wholeBlocks = 0;
    const counting = (t: string, p: string): ReturnType<typeof parse> => {
      if (t.startsWith('policy') && t.split('\n').length > 100) wholeBlocks++;
      return parse(t, p);
    };
    const incremental = new IncrementalParser(counting, 'big.plumb', (t, p, k) => {
      const got = parseBlockMembers(t, p, k);
      if (got) members++;
      return got;
    });
    for (let i = 0; i < 100; i++) {
      // Edits accumulate, and now and then a new sequence starts from the clean text.
      text = healed(policyEdit(rand() < 0.25 ? base : text, rand), rand);
      expectEqual(incremental.parse(text), parse(text, 'big.plumb'));
    }
    // Both paths were taken: runs parsed alone, and blocks parsed whole.
    expect(members).toBeGreaterThan(60);
    expect(wholeBlocks).toBeGreaterThan(5);
   }, 240_000);

  it('re-parses only the run of an edited rule, and keeps the policy while it is unchanged', () => {
    const text = threePolicies(600, 9);
    const lengths: number[] = [];
    const incremental = new IncrementalParser(
      (t, p) => {
        lengths.push(t.length);
        return parse(t, p);
      },
      'big.plumb',
      (t, p, k) => {
        lengths.push(t.length);
        return parseBlockMembers(t, p, k);
      },
    );
    const first = incremental.parse(text);
    const policies = (r: typeof first): PolicyDecl[] => r.file.declarations.filter((d): d is PolicyDecl => d.kind === 'policy');
    const [a, b, c] = policies(first);
    const rule = b!.rules[Math.floor(b!.rules.length / 2)]!;
    const at = rule.destinations[0]!.span.end.offset;
    lengths.length = 0;
    const edited = `${text.slice(0, at)}x${text.slice(at)}`;
    const second = incremental.parse(edited);
    expectEqual(second, parse(edited, 'big.plumb'));
    expect(lengths.length).toBe(1);
    expect(lengths[0]).toBeLessThan(text.length / 40);
    const [a2, b2, c2] = policies(second);
    // Before the edit: the same object; the edited policy: a new one, its other rules kept; after it: the same, moved.
    expect(a2).toBe(a);
    expect(b2).not.toBe(b);
    expect(b2!.rules[0]).toBe(b!.rules[0]);
    expect(c2).toBe(c);
    expect(c2!.span.start.offset).toBe(c!.span.start.offset);
    // Typed back: the rule's run is the text it was, every policy the same content.
    const third = incremental.parse(text);
    expectEqual(third, first);
  });

  it('reads lines as the lexer does: carriage returns that end no line, lines over the limit', () => {
    const base = threePolicies(500, 7);
    const segment = base.indexOf('\nsegment ', base.length / 4) + 1;
    const eol = base.indexOf('\n', segment);
    const rule = base.search(/\n {2}allow /) + 1;
    const texts = [
      // A `{` after a comment that a carriage return ends: the lexer reads it, so the lines after
      // it belong to that block, whatever column they start in.
      `${base.slice(0, eol)} # c\r{${base.slice(eol)}`,
      `${base.slice(0, eol)} "s\\\r{${base.slice(eol)}`,
      // A brace on a line too long to be read is no brace.
      `${base.slice(0, eol)}\nsegment long ${'x'.repeat(17000)} {${base.slice(eol)}`,
      `${base.slice(0, rule)}  allow a ${'x'.repeat(17000)} }\npolicy q {\n  allow seg0 -> seg1\n}\n${base.slice(rule)}`,
      `${base.slice(0, rule)}  allow a # ${'x'.repeat(17000)} }\n${base.slice(rule)}`,
      `${base.slice(0, rule)}  allow a -> b # c\r}\n${base.slice(rule)}`,
    ];
    // The whole parse of the unedited text, made once: every text's parser starts from it.
    const wholeBase = parse(base, 'big.plumb');
    for (const text of texts) {
      const incremental = new IncrementalParser(parse, 'big.plumb', parseBlockMembers);
      expectEqual(incremental.parse(base), wholeBase);
      expectEqual(incremental.parse(text), parse(text, 'big.plumb'));
      // Every cut is outside every block as the lexer's braces say, and a body's runs hold no brace.
      const tokens = lex(text).tokens;
      const depthAt = (offset: number): number => {
        let depth = 0;
        for (const t of tokens) {
          if (t.start >= offset) break;
          if (t.kind === 'LBrace') depth++;
          else if (t.kind === 'RBrace') depth = Math.max(0, depth - 1);
        }
        return depth;
      };
      for (const chunk of splitChunks(text)) {
        expect(depthAt(chunk.start)).toBe(0);
        if (!chunk.block) continue;
        const braces = tokens.filter((t) => (t.kind === 'LBrace' || t.kind === 'RBrace') && t.start >= chunk.block!.runStarts[0]! && t.start < chunk.block!.bodyEnd);
        expect(braces).toEqual([]);
      }
    }
  });

  it('parses a block whole where its end is not a `}` line that ends the last rule', () => {
    const base = threePolicies(400, 13);
    const close = base.indexOf('\n}\npolicy ') + 1;
    const texts = [
      `${base.slice(0, close)}  allow seg0 ->\n${base.slice(close)}`,
      `${base.slice(0, close)}  allow seg0,\n\n${base.slice(close)}`,
      `${base.slice(0, close)}  allow seg0 -> seg1 :\n# comment\n${base.slice(close)}`,
      `${base.slice(0, close)}} extra${base.slice(close + 1)}`,
      `${base.slice(0, close)}  { allow seg0 -> seg1 }\n${base.slice(close)}`,
      // The `}` between two policies deleted: one block runs into the next.
      `${base.slice(0, close)}${base.slice(close + 2)}`,
    ];
    const wholeBase = parse(base, 'big.plumb');
    for (const text of texts) {
      const incremental = new IncrementalParser(parse, 'big.plumb', parseBlockMembers);
      expectEqual(incremental.parse(base), wholeBase);
      expectEqual(incremental.parse(text), parse(text, 'big.plumb'));
    }
  });

  it('starts no run at a line that a rule continues onto', () => {
    // Every other rule broken after its `->`: its second line is a line of code of the body that
    // a cut there would start a run with. The seeded edits rarely make such a line (a run starts
    // at about one line in 16, chosen by its hash), so here there are hundreds.
    let continued = 0;
    const base = threePolicies(200, 17)
      .split('\n')
      .map((l) => (RULE.test(l) && continued++ % 2 === 0 ? l.replace(' -> ', ' ->\n    ') : l))
      .join('\n');
    const blocks = splitChunks(base).filter((c) => c.block);
    expect(blocks.length).toBe(3);
    for (const { block } of blocks) {
      expect(block!.runStarts.length).toBeGreaterThan(4);
      for (const s of block!.runStarts) expect(base.slice(s)).toMatch(RULE);
    }
    let members = 0;
    const incremental = new IncrementalParser(parse, 'big.plumb', (t, p, k) => {
      const got = parseBlockMembers(t, p, k);
      if (got) members++;
      return got;
    });
    expectEqual(incremental.parse(base), parse(base, 'big.plumb'));
    // A source renamed in the rule that starts each policy's middle run: that run is parsed again.
    members = 0;
    let edited = base;
    for (const { block } of blocks.reverse()) {
      const at = edited.indexOf(' ', block!.runStarts[Math.floor(block!.runStarts.length / 2)]! + 2) + 1;
      edited = `${edited.slice(0, at)}q${edited.slice(at)}`;
    }
    expectEqual(incremental.parse(edited), parse(edited, 'big.plumb'));
    expect(members).toBeGreaterThan(0);
  });

  it("gives a project's diagnostics exactly as a full check after each of 60 seeded edits", async () => {
    const frontEnd = await loadFrontEnd();
    const rand = prng(61206);
    const base = threePolicies(400, 11);
    let text = base;
    const project = new Project('policies', undefined);
    for (let i = 0; i < 60; i++) {
      text = healed(policyEdit(rand() < 0.25 ? base : text, rand), rand);
      project.files.set('big.plumb', new ProjectFile('big.plumb', 'big.plumb', text, undefined));
      const got = project.analysis(frontEnd, { intent: false }).result;
      expectEqual(got.diagnostics, analyze([{ path: 'big.plumb', text }]).diagnostics);
    }
   }, 240_000);
});
