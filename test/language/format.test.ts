// The formatter: line ends, long statements, and its laws (idempotent, the tree and comments
// kept) over generated intents. The canonical layout of given text is recorded by the cases
// under test/language/cases/format/ (the input and the `.formatted.txt` that `plumb fmt` writes).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { format, formatText } from '../../language/format.js';
import { parse } from '../../language/parser.js';

function fmt(text: string): string {
  const r = formatText(text, 't.plumb');
  expect(r.diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`)).toEqual([]);
  return r.text!;
}

/** The tree and comments without spans, as the laws compare them. */
function meaning(text: string): unknown {
  const r = parse(text, 't.plumb');
  expect(r.diagnostics).toEqual([]);
  return JSON.parse(
    JSON.stringify({ decls: r.file.declarations, comments: r.file.comments.map((c) => c.text) }, (k, v) => (k === 'span' ? undefined : v)),
  );
}

describe('format: line ends and long statements', () => {
  it('writes `\n` line ends and no trailing blanks, also after comments', () => {
    expect(fmt('network a   \r\n# note \t \r\nrouting ospf # why  \r\n')).toBe('network a\n# note\nrouting ospf  # why\n');
  });

  it('breaks a statement longer than the line limit after commas, never inside a string, and keeps it so', () => {
    const members = Array.from({ length: 1500 }, (_, i) => `member-${i}`);
    const text = `site s {\n  router r1 frr # core\n}\ngroup g =\n  ${members.join(',\n  ')} # all of them\nsegment x ${Array.from({ length: 1300 }, (_, i) => `10.${i >> 8}.${i & 255}.0/24`).join(',\n  ')} at s.r1 "a, b, c"\n`;
    const once = fmt(text);
    const lines = once.split('\n');
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThan(130);
    expect(lines.find((l) => l.startsWith('group g = member-0, member-1, '))).toMatch(/,$/);
    expect(lines.find((l) => l.includes('member-1499'))).toMatch(/^ {2}member-\d+, .*member-1498, member-1499 {2}# all of them$/);
    expect(lines.find((l) => l.endsWith('"a, b, c"'))).toMatch(/^ {2}10\.\d+\.\d+\.0\/24, .* at s\.r1 "a, b, c"$/);
    expect(parse(once, 't.plumb').diagnostics).toEqual([]);
    expect(meaning(once)).toEqual(meaning(text));
    expect(fmt(once)).toBe(once);
  });
});

// ---- property tests: format is idempotent and keeps the meaning -------------------------------

const name = fc.stringMatching(/^[a-z][a-z0-9]{0,5}(-[a-z0-9]{1,3})?$/);
const octet = fc.integer({ min: 0, max: 255 });
const v4 = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const v6 = fc
  .tuple(fc.integer({ min: 0, max: 0xffff }), fc.integer({ min: 0, max: 0xffff }), fc.constantFrom('2001:db8', 'fd00', 'fe80'))
  .map(([a, b, head]) => `${head}:${a.toString(16)}::${b.toString(16)}`);
const address = fc.oneof(v4, v6);
const prefix = fc.oneof(
  fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([a, l]) => `${a}/${l}`),
  fc.tuple(v6, fc.integer({ min: 0, max: 128 })).map(([a, l]) => `${a}/${l}`),
  fc.constant('::/0'),
);
const int = fc.integer({ min: 0, max: 70000 }).map(String);
const description = fc.stringMatching(/^[A-Za-z0-9 ,.:#{}-]{0,12}$/).map((s) => `"${s}"`);
const deviceRef = fc.oneof(name, fc.tuple(name, name).map(([s, d]) => `${s}.${d}`));
const ifname = fc.stringMatching(/^[A-Za-z][A-Za-z0-9]{0,6}(\/[0-9]{1,2}){0,2}(\.[0-9]{1,3})?$/);
const linkEnd = fc.tuple(deviceRef, fc.option(ifname)).map(([d, i]) => (i ? `${d}:${i}` : d));
const names = fc.array(name, { minLength: 1, maxLength: 3 });

/** A statement as tokens; `,`, `->`, `:` and `=` may be followed by a line break. */
type Tokens = string[];
const clauses = (parts: fc.Arbitrary<Tokens | null>[]): fc.Arbitrary<Tokens> =>
  fc.tuple(...parts).chain((ps) => fc.shuffledSubarray(ps.filter((p): p is Tokens => p !== null), { minLength: ps.filter((p) => p !== null).length }).map((ss) => ss.flat()));
const withCommas = (items: string[][]): Tokens => items.flatMap((it, i) => (i === 0 ? it : [',', ...it]));

const device = fc
  .tuple(fc.constantFrom('router', 'firewall'), name, fc.constantFrom('frr', 'linux', 'cisco-iosxe', 'paloalto-panos'), fc.option(int), fc.option(address))
  .chain(([role, n, p, asn, lo]) =>
    clauses([fc.constant(asn ? ['asn', asn] : null), fc.constant(lo ? ['loopback', lo] : null)]).map((rest) => [role, n, p, ...rest]),
  );
const link = fc
  .tuple(linkEnd, linkEnd, fc.option(prefix), fc.option(int))
  .chain(([a, b, p, cost]) => clauses([fc.constant(p ? [p] : null), fc.constant(cost ? ['cost', cost] : null)]).map((rest) => ['link', a, '--', b, ...rest]));
const segment = fc
  .tuple(name, fc.array(prefix, { minLength: 1, maxLength: 2 }), deviceRef, fc.option(name), fc.option(int), fc.option(description))
  .chain(([n, ps, at, zone, vlan, desc]) =>
    clauses([
      fc.constant(['at', at]),
      fc.constant(zone ? ['zone', zone] : null),
      fc.constant(vlan ? ['vlan', vlan] : null),
      fc.constant(desc ? [desc] : null),
    ]).map((rest) => ['segment', n, ...withCommas(ps.map((p) => [p])), ...rest]),
  );
const serviceItem = fc.oneof(
  fc.tuple(fc.constantFrom('tcp', 'udp'), fc.array(fc.oneof(int, fc.tuple(int, int).map(([a, b]) => `${a}-${b}`)), { maxLength: 3 })).map(([p, ports]) => [p, ...ports]),
  fc.option(fc.oneof(name, int)).map((t) => (t ? ['icmp', t] : ['icmp'])),
  int.map((n) => [n]),
  name.filter((n) => !['tcp', 'udp', 'icmp'].includes(n)).map((n) => [n]),
);
const flow = fc
  .tuple(names, names, fc.array(name, { maxLength: 3 }))
  .map(([s, d, svc]) => [...withCommas(s.map((x) => [x])), '->', ...withCommas(d.map((x) => [x])), ...(svc.length ? [':', ...withCommas(svc.map((x) => [x]))] : [])]);
const attach = fc
  .tuple(deviceRef, prefix, fc.constantFrom('peer', 'gateway'), address, fc.option(int))
  .chain(([d, a, kind, peer, vlan]) =>
    clauses([fc.constant(['address', a]), fc.constant([kind, peer]), fc.constant(vlan ? ['vlan', vlan] : null)]).map((rest) => ['attach', d, ...rest]),
  );
const externalItem = fc.oneof(
  int.map((n) => ['asn', n]),
  fc.array(prefix, { minLength: 1, maxLength: 3 }).map((ps) => ['prefixes', ...withCommas(ps.map((p) => [p]))]),
  attach,
  names.map((ns) => ['announce', ...withCommas(ns.map((n) => [n]))]),
);

interface Stmt {
  tokens: Tokens;
  body?: Tokens[];
}
const statement: fc.Arbitrary<Stmt> = fc.oneof(
  fc.tuple(name, fc.option(description)).map(([n, d]) => ({ tokens: d ? ['network', n, d] : ['network', n] })),
  fc.constantFrom('static', 'ospf').map((m) => ({ tokens: ['routing', m] })),
  fc.tuple(name, prefix).map(([n, p]) => ({ tokens: ['pool', n, p] })),
  fc.tuple(name, fc.option(description), fc.array(fc.oneof(device, link), { maxLength: 4 })).map(([n, d, body]) => ({
    tokens: d ? ['site', n, d] : ['site', n],
    body,
  })),
  link.map((tokens) => ({ tokens })),
  segment.map((tokens) => ({ tokens })),
  fc.tuple(name, address, name).map(([n, a, s]) => ({ tokens: ['host', n, a, 'in', s] })),
  fc.tuple(name, names).map(([n, ms]) => ({ tokens: ['group', n, '=', ...withCommas(ms.map((m) => [m]))] })),
  fc.tuple(name, fc.option(description), fc.array(externalItem, { maxLength: 4 })).map(([n, d, body]) => ({
    tokens: d ? ['external', n, d] : ['external', n],
    body,
  })),
  fc.tuple(name, fc.array(serviceItem, { minLength: 1, maxLength: 3 })).map(([n, items]) => ({ tokens: ['service', n, '=', ...withCommas(items)] })),
  fc.tuple(fc.option(name), fc.array(fc.tuple(fc.constantFrom('allow', 'deny'), flow), { maxLength: 4 })).map(([n, rules]) => ({
    tokens: n ? ['policy', n] : ['policy'],
    body: rules.map(([a, f]) => [a, ...f]),
  })),
  fc
    .tuple(fc.constantFrom('reach', 'isolate'), flow, fc.option(deviceRef))
    .map(([p, f, via]) => ({ tokens: ['assert', p, ...f, ...(via ? ['via', via] : [])] })),
);

/** Lays statements out with varied spacing, line continuations, blank lines and comments. */
function layout(stmts: Stmt[], noise: number[]): string {
  let i = 0;
  const pick = (n: number): number => noise[i++ % noise.length]! % n;
  const space = (): string => [' ', '  ', '\t', ' '][pick(4)]!;
  const comment = (): string => ['', '', '', ' # note', '   # a longer note: {, } -> "'][pick(5)]!;
  const line = (tokens: Tokens, indent: string): string => {
    let out = indent;
    tokens.forEach((t, k) => {
      out += k === 0 ? t : space() + t;
      if ([',', '->', ':', '='].includes(t) && k < tokens.length - 1 && pick(6) === 0) out += `${comment()}\n${indent}    `;
    });
    return out + comment();
  };
  const lines: string[] = [];
  for (const s of stmts) {
    if (pick(4) === 0) lines.push('');
    if (pick(5) === 0) lines.push('# about the next line');
    if (!s.body) {
      lines.push(line(s.tokens, ''));
      continue;
    }
    lines.push(line([...s.tokens, '{'], ''));
    for (const b of s.body) {
      if (pick(6) === 0) lines.push(pick(2) ? '' : '  # inside');
      lines.push(line(b, ['  ', '\t', ''][pick(3)]!));
    }
    lines.push(`}${comment()}`);
  }
  return lines.join('\n') + (pick(2) ? '\n' : '');
}

describe('format: laws (seeded property tests)', () => {
  it('is idempotent and keeps the tree and comments, over generated intents', () => {
    fc.assert(
      fc.property(fc.array(statement, { maxLength: 12 }), fc.array(fc.nat(99), { minLength: 16, maxLength: 16 }), (stmts, noise) => {
        const text = layout(stmts, noise);
        const once = fmt(text);
        expect(meaning(once)).toEqual(meaning(text));
        expect(fmt(once)).toBe(once);
      }),
      { seed: 42, numRuns: 300 },
    );
  });

  const examples = readdirSync('examples', { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) =>
      readdirSync(join('examples', d.name))
        .filter((f) => f.endsWith('.plumb'))
        .map((f) => join('examples', d.name, f)),
    )
    .sort();

  it.each(examples)('is idempotent and keeps the tree and comments on %s', (path) => {
    const text = readFileSync(path, 'utf8');
    const once = fmt(text);
    expect(meaning(once)).toEqual(meaning(text));
    expect(fmt(once)).toBe(once);
    expect(format(parse(once, path).file)).toBe(once);
  });

  it('keeps the tree of the examples under random re-spacing', () => {
    fc.assert(
      fc.property(fc.constantFrom(...examples), fc.array(fc.constantFrom(' ', '  ', '\t'), { minLength: 8, maxLength: 8 }), (path, spaces) => {
        const text = readFileSync(path, 'utf8');
        let k = 0;
        // Lines with strings or comments keep their text; the others get other blanks.
        const respaced = text
          .split('\n')
          .map((l) => (/["#]/.test(l) ? l : l.replace(/ /g, () => spaces[k++ % spaces.length]!)))
          .join('\n');
        const once = fmt(respaced);
        expect(once).toBe(fmt(text));
        expect(fmt(once)).toBe(once);
      }),
      { seed: 42, numRuns: 20 },
    );
  });
});
