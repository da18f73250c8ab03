// The machine formats' escapers (cli/report/escape.ts) against the real readers: Graphviz `dot`
// for DOT, xmllint and an XML parser for JUnit, and the documented decodings of GitHub
// workflow commands and URIs, on every character that needs care.

import { spawnSync } from 'node:child_process';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { dotString, githubData, githubProperty, sarifUri, xmlAttribute, xmlText } from '../../cli/report/escape.js';
import { visibleText } from '../../language/safe-text.js';
import { skipWithout, TOOLS } from '../backends/tools.js';

const HAS_DOT = spawnSync('sh', ['-c', 'command -v dot'], { encoding: 'utf8' }).status === 0;

function skipWithoutDot(): boolean {
  if (HAS_DOT || process.env.CI) return false;
  console.warn('\n*** SKIPPING Graphviz checks: dot (Debian package graphviz) is missing. CI runs them. ***\n');
  return true;
}

/** Every character below U+0100, the bidi controls, XML's non-characters and lone surrogates. */
const ALL = `${Array.from({ length: 0x100 }, (_, i) => String.fromCharCode(i)).join('')}\u202e\u2066\u2028\ufffe\uffff\ud800x\udc00\u{1F600}`;

const HOSTILE = ['plain', 'quote " inside', 'back\\slash', 'ends in a backslash\\', 'two\nlines', 'cr\rhere', 'esc \u001b[31mred\u001b[0m', 'bidi \u202eevil', '\\N \\G \\l', ''];

const decodeData = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const decodeProperty = (s: string): string => decodeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

describe.skipIf(skipWithoutDot())('dotString', () => {
  it('gives DOT that Graphviz reads: one node per id, labels shown as written', () => {
    expect(HAS_DOT || process.env.CI).toBeTruthy();
    const lines = ['graph "g" {', ...HOSTILE.map((s, i) => `  ${dotString(`id ${i} ${s}`)} [label=${dotString(s)}];`), `  ${dotString(HOSTILE[3]!)} -- ${dotString(HOSTILE[1]!)};`, '}'];
    const json = spawnSync('dot', ['-Tjson'], { input: lines.join('\n'), encoding: 'utf8' });
    expect(json.stderr).toBe('');
    expect(json.status).toBe(0);
    const objects = JSON.parse(json.stdout).objects as { name: string }[];
    // The ids stay apart (and the edge's two ends are two more nodes).
    expect(objects.length).toBe(HOSTILE.length + 2);
    const svg = spawnSync('dot', ['-Tsvg'], { input: lines.join('\n'), encoding: 'utf8' });
    expect(svg.status).toBe(0);
    const texts = [...svg.stdout.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]!.replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#45;/g, '-').replace(/&amp;/g, '&'));
    for (const s of HOSTILE.filter((x) => x !== '' && !x.startsWith('\\N'))) {
      for (const line of s.split('\n')) expect(texts, JSON.stringify(line)).toContain(visibleText(line).trim());
    }
    // Graphviz's own escapes in a name are text, not commands: `\N` is not replaced by the node name.
    expect(texts).toContain('\\N \\G \\l');
    expect(svg.stdout).not.toContain('\u001b');
  });
});

describe('xmlText and xmlAttribute', () => {
  const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, trimValues: false });
  const doc = `<?xml version="1.0" encoding="UTF-8"?>\n<r a="${xmlAttribute(ALL)}">${xmlText(ALL)}</r>\n`;
  // What XML 1.0 can carry stays; the rest becomes its visible escape.
  // eslint-disable-next-line no-control-regex
  const expected = ALL.replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, (c) =>
    c.charCodeAt(0) < 0x100 ? `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}` : `\\u${c.charCodeAt(0).toString(16)}`,
  );

  it.skipIf(skipWithout('xmllint', 'xmllint (Debian libxml2-utils)'))('is well-formed XML for every character (xmllint)', () => {
    expect(TOOLS.xmllint || process.env.CI).toBeTruthy();
    const r = spawnSync('xmllint', ['--noout', '-'], { input: doc, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('keeps tab, LF, CR and everything XML allows, in text and in attributes', () => {
    const parsed = parser.parse(doc).r as { a: string; '#text': string };
    expect(parsed.a).toBe(expected);
    expect(parsed['#text']).toBe(expected);
  });
});

describe('GitHub workflow command escapes', () => {
  it('keep a command on one line and decode to the original', () => {
    for (const s of [...HOSTILE, ALL, '%0A is not a newline', 'a:b,c=d::e']) {
      const data = githubData(s);
      const prop = githubProperty(s);
      expect(data).not.toMatch(/[\r\n]/);
      expect(prop).not.toMatch(/[\r\n:,]/);
      expect(decodeData(data)).toBe(s);
      expect(decodeProperty(prop)).toBe(s);
    }
  });
});

describe('sarifUri', () => {
  it('is a URI reference that decodes to the path', () => {
    for (const s of [...HOSTILE, 'dir/sub dir/a#b?c.plumb', '/abs/päth/🙂.plumb']) {
      const uri = sarifUri(s);
      expect(uri).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]*$/);
      expect(decodeURIComponent(uri)).toBe(s);
    }
    expect(decodeURIComponent(sarifUri('lone \ud800'))).toBe('lone \ufffd');
  });
});
