// The plain policy rules and segments read straight off the tokens (language/parse-plain.ts)
// against the grammar's `rule` and `segment`: every file parsed both ways must give the same tree and the same
// diagnostics, byte for byte as JSON (key order included), on the examples, the test cases and
// seeded random and broken policy blocks and segment lines.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prng } from '../../bench/generate.js';
import { PlumbGrammar } from '../../language/grammar.js';
import { parse, parseWith } from '../../language/parser.js';
import { plainRule, plainSegment } from '../../language/parse-plain.js';
import { LineIndex } from '../../language/positions.js';
import { lex } from '../../language/tokens.js';

const chevrotainOnly = new PlumbGrammar();
chevrotainOnly.plainStatements = false;

const bothWays = (text: string): [string, string] => [JSON.stringify(parse(text, 'p.plumb')), JSON.stringify(parseWith(chevrotainOnly, text, 'p.plumb'))];

function plumbFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? plumbFiles(p) : p.endsWith('.plumb') ? [p] : [];
  });
}

// Words and marks a rule line is made of, good and bad: names, keywords, qualified names,
// separators, line breaks, braces, profile clauses, literals, strays.
const PIECES = [
  'web', 'db', 'any', 'allow', 'deny', 'via', 'under', 'https', 'postgres', 'ssh', 'a-b', 'x_1', 'fra1.edge1', 'mod.svc',
  ',', ', ', ' , ', '->', ' -> ', '-> ', ':', ' : ', ': ', 'db:https', 'db :https', '\n', ' \n', '\n  ', '\r\n', '}', '{', ' ',
  'profile-group', 'log-forwarding', 'strict', '"str"', '"open', '10.0.0.1', '10.0.0.0/8', '2001:db8::1', '80', '1-2', '--', '=',
  '.', '#c', ' # note\n', '@', 'é', '\t', 'tcp 80', 'zone',
];

function randomRule(rand: () => number): string {
  const pick = (): string => PIECES[Math.floor(rand() * PIECES.length)]!;
  const names = (): string => {
    const n = 1 + Math.floor(rand() * 3);
    return Array.from({ length: n }, () => (rand() < 0.8 ? ['web', 'db', 'any', 'x_1', 'a-b', 'https'][Math.floor(rand() * 6)]! : pick())).join(rand() < 0.9 ? ', ' : pick());
  };
  let line = `${rand() < 0.5 ? 'allow' : 'deny'} ${names()} -> ${names()}`;
  if (rand() < 0.7) line += ` : ${names()}`;
  // Now and then a piece of something else anywhere in the line.
  const extra = Math.floor(rand() * 3);
  for (let k = 0; k < extra; k++) {
    if (rand() < 0.5) continue;
    const at = Math.floor(rand() * (line.length + 1));
    line = line.slice(0, at) + pick() + line.slice(at);
  }
  return line;
}

describe('plain policy rules and segments', () => {
  it('parse the examples and every test case as the grammar does', () => {
    const files = [...plumbFiles('examples'), ...plumbFiles('test/language/cases')];
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const [fast, slow] = bothWays(readFileSync(f, 'utf8'));
      expect(fast, f).toBe(slow);
    }
  });

  it('parse seeded random and broken policy blocks as the grammar does', () => {
    const rand = prng(4040);
    for (let n = 0; n < 2500; n++) {
      const lines = Array.from({ length: 1 + Math.floor(rand() * 6) }, () => randomRule(rand));
      const sep = rand() < 0.8 ? '\n' : ['\n\n', '\r\n', ' \n', '\n}\npolicy {\n'][Math.floor(rand() * 4)]!;
      const close = rand() < 0.9 ? '\n}\n' : rand() < 0.5 ? '}' : '';
      const text = `policy ${rand() < 0.3 ? 'main ' : ''}{\n  ${lines.join(`${sep}  `)}${close}`;
      const [fast, slow] = bothWays(text);
      expect(fast, JSON.stringify(text)).toBe(slow);
    }
  });

  it('parse seeded random and broken segment lines as the grammar does', () => {
    const rand = prng(4041);
    const pick = (list: readonly string[]): string => list[Math.floor(rand() * list.length)]!;
    for (let n = 0; n < 2500; n++) {
      const lines = Array.from({ length: 1 + Math.floor(rand() * 5) }, () => {
        const parts = [pick(['segment', 'segment', 'segment', 'host']), pick(['web', 'db', 'at', 'zone', 'seg-1', '10.0.0.0/24'])];
        parts.push(Array.from({ length: 1 + Math.floor(rand() * 2) }, () => pick(['10.0.1.0/24', '2001:db8::/64', '10.0.1.0/24', '10.0.1.1', '10.0.0/24', '2001:db8::1'])).join(pick([', ', ', ', ',', ' , ', ',\n', ' '])));
        const clauses = [`at ${pick(['fra1.fw1', 'fw1', 'fra1 . fw1', 'fra1.', 'at', '10.0.0.1'])}`, `zone ${pick(['dmz', 'at', 'vlan', '"z"', '1'])}`, `vlan ${pick(['100', '1-2', 'x', '99999999999'])}`, pick(['"web servers"', '"open', '""'])];
        for (let k = 0; k < 1 + Math.floor(rand() * 5); k++) parts.push(pick(clauses));
        let line = parts.join(' ');
        if (rand() < 0.3) {
          const at = Math.floor(rand() * (line.length + 1));
          line = line.slice(0, at) + pick(PIECES) + line.slice(at);
        }
        return line;
      });
      const inside = rand() < 0.15;
      const body = lines.join(pick(['\n', '\n', '\n\n', '\r\n', ' # c\n']));
      const text = inside ? `site s {\n  ${body}\n}\n` : `${body}${pick(['\n', '', '\n}\n'])}`;
      const [fast, slow] = bothWays(text);
      expect(fast, JSON.stringify(text)).toBe(slow);
    }
  });

  it('takes the plain shapes and refuses the others', () => {
    const segment = (line: string): boolean => {
      const grammar = new PlumbGrammar();
      grammar.begin(lex(line).tokens, new LineIndex('p.plumb', line));
      const node = plainSegment(grammar);
      if (!node) expect(grammar.pos).toBe(0);
      return node !== undefined;
    };
    for (const line of ['segment web 10.0.0.0/24 at fw1', 'segment web 10.0.0.0/24, 2001:db8::/64 at fra1.fw1 zone dmz vlan 10 "web"\n', 'segment w 10.0.0.0/24 "d" vlan 1 at a.b zone at']) {
      expect(segment(line), line).toBe(true);
    }
    for (const line of ['segment web 10.0.0.0/24', 'segment web 10.0.0.1 at fw1', 'segment web 10.0.0.0/24 at fw1 at fw2', 'segment web 10.0.0.0/24 at fw1 vlan 1-2', 'segment web 10.0.0.0/24,\n 10.0.1.0/24 at fw1', 'segment web 10.0.0.0/24 at fw1 "open', 'segment web 10.0.0.0/24 at fw1 }', 'segment web 10.0.0.0/24 at fra1.']) {
      expect(segment(line), line).toBe(false);
    }
    const taken = (line: string): boolean => {
      const grammar = new PlumbGrammar();
      grammar.begin(lex(line).tokens, new LineIndex('p.plumb', line));
      const before = grammar.pos;
      const rule = plainRule(grammar);
      if (!rule) expect(grammar.pos).toBe(before);
      return rule !== undefined;
    };
    for (const line of ['allow a -> b', 'deny a, b -> c : https', 'allow any -> any : ssh, https\n', 'allow a -> b}']) expect(taken(line), line).toBe(true);
    for (const line of ['allow a.b -> c', 'allow a -> b : m.s', 'allow a,\n b -> c', 'allow a -> b : https profile-group x', 'allow a -> db:https', 'allow a -> b via c', 'allow a b -> c', 'allow a -> b :', 'allow a ->\n b', 'allow a -> b @']) {
      expect(taken(line), line).toBe(false);
    }
  });
});
