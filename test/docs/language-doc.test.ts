// Every ```plumb example of the language reference must parse without a syntax error and be in
// the canonical layout of `plumb fmt` (unless marked `<!-- layout: as written -->`, for the
// examples of what the formatter rewrites), and the reference must show every kind of
// declaration and block line the parser produces.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Declaration } from '../../language/ast.js';
import { formatText } from '../../language/format.js';
import { parse } from '../../language/parser.js';

const DOC = 'docs/language.md';
const text = readFileSync(DOC, 'utf8');

/** The fenced plumb blocks with the line where each starts. */
function plumbBlocks(markdown: string): { line: number; code: string; asWritten: boolean }[] {
  const out: { line: number; code: string; asWritten: boolean }[] = [];
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    if (lines[i]!.trim() !== '```plumb') continue;
    const start = i + 1;
    let j = start;
    while (j < lines.length && lines[j]!.trim() !== '```') j++;
    let k = i - 1;
    while (k >= 0 && lines[k]!.trim() === '') k--;
    const asWritten = k >= 0 && lines[k]!.trim() === '<!-- layout: as written -->';
    out.push({ line: start + 1, code: lines.slice(start, j).join('\n'), asWritten });
    i = j;
  }
  return out;
}

const blocks = plumbBlocks(text);

describe('docs/language.md', () => {
  it('has examples', () => {
    expect(blocks.length).toBeGreaterThan(15);
  });

  it.each(blocks.map((b) => [b.line, b.code] as const))('the example at line %i parses without a syntax error', (line, code) => {
    const r = parse(code, `${DOC}:${line}`);
    expect(r.diagnostics.map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code} ${d.message}`)).toEqual([]);
    expect(r.file.declarations.length).toBeGreaterThan(0);
  });

  const canonical = blocks.filter((b) => !b.asWritten).map((b) => [b.line, b.code] as const);
  it.each(canonical)('the example at line %i is in the canonical layout', (line, code) => {
    expect(formatText(code, `${DOC}:${line}`).text).toBe(`${code}\n`);
  });

  it('shows every declaration, block line and optional part at least once', () => {
    const seen = new Set<string>();
    const visit = (d: Declaration): void => {
      seen.add(d.kind);
      if (d.kind === 'site') for (const m of d.members) seen.add(`site:${m.kind}:${m.kind === 'device' ? m.role.text : ''}`);
      if (d.kind === 'external') for (const i of d.items) seen.add(`external:${i.kind}${i.kind === 'attach' ? (i.peer ? ':peer' : ':gateway') : ''}`);
      if (d.kind === 'policy') for (const r of d.rules) seen.add(`rule:${r.action.text}`);
      if (d.kind === 'assert') seen.add(`assert:${d.property.text}${d.via ? ':via' : ''}`);
      if (d.kind === 'link' && (d.a.ifname || d.b.ifname)) seen.add('link:ifname');
      if (d.kind === 'service') for (const i of d.items) seen.add(`service:${/^\d+$/.test(i.protocol.text) ? 'number' : i.protocol.text}`);
    };
    for (const b of blocks) parse(b.code, DOC).file.declarations.forEach(visit);
    for (const want of [
      'network',
      'routing',
      'pool',
      'site',
      'site:device:router',
      'site:device:firewall',
      'site:link:',
      'link',
      'link:ifname',
      'segment',
      'host',
      'group',
      'external',
      'external:asn',
      'external:prefixes',
      'external:attach:peer',
      'external:attach:gateway',
      'external:announce',
      'service',
      'service:tcp',
      'service:udp',
      'service:icmp',
      'service:number',
      'service:ssh',
      'policy',
      'rule:allow',
      'rule:deny',
      'assert:reach:via',
      'assert:isolate',
      'manage',
    ]) {
      expect(seen, want).toContain(want);
    }
  });
});
