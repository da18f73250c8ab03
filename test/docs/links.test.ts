// Every link between the project's own Markdown files leads somewhere: the file exists and, where
// the link names a heading (`page.md#anchor`), the page has that heading as GitHub anchors it.
// The docs are split and their sections moved as the project grows; a reader following a link
// from README or docs/ must not land on nothing.

import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { githubAnchors, withoutFences } from '../markdown-anchors.js';

const ROOT = join(import.meta.dirname, '..', '..');

function markdownUnder(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return name === 'node_modules' || name === 'out' ? [] : markdownUnder(path);
      return name.endsWith('.md') ? [path] : [];
    });
}

/** The project's own Markdown: the top level's, docs/, examples/ and editors/. */
const PAGES = [
  ...readdirSync(ROOT)
    .filter((name) => name.endsWith('.md'))
    .map((name) => join(ROOT, name)),
  ...['docs', 'examples', 'editors'].filter((d) => existsSync(join(ROOT, d))).flatMap((d) => markdownUnder(join(ROOT, d))),
];

/** The relative links of a page (inline `[text](target)`), outside code blocks and code spans. */
function relativeLinks(markdown: string): string[] {
  const prose = withoutFences(markdown).replace(/`[^`\n]*`/g, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!).filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

/** What is wrong with a link from `page` to `target`, or undefined. */
function brokenLink(page: string, target: string): string | undefined {
  const [path, anchor] = target.split('#') as [string, string | undefined];
  const file = path === '' ? page : resolve(dirname(page), decodeURIComponent(path));
  if (!existsSync(file)) return `no file ${relative(ROOT, file)}`;
  if (anchor !== undefined && file.endsWith('.md') && !githubAnchors(readFileSync(file, 'utf8')).has(anchor)) {
    return `no heading #${anchor} in ${relative(ROOT, file)}`;
  }
  return undefined;
}

describe('links between the docs', () => {
  it('finds the pages and their links', () => {
    expect(PAGES.map((p) => relative(ROOT, p))).toEqual(expect.arrayContaining(['README.md', 'docs/performance.md', 'docs/architecture.md']));
    expect(PAGES.flatMap((p) => relativeLinks(readFileSync(p, 'utf8'))).length).toBeGreaterThan(50);
  });

  it('every relative link names a file that exists and, with an anchor, a heading it has', () => {
    const broken = PAGES.flatMap((page) =>
      relativeLinks(readFileSync(page, 'utf8')).flatMap((target) => {
        const wrong = brokenLink(page, target);
        return wrong === undefined ? [] : [`${relative(ROOT, page)}: (${target}) ${wrong}`];
      }),
    );
    expect(broken).toEqual([]);
  });

  it('catches a missing file and a missing heading', () => {
    const page = join(ROOT, 'docs/performance.md');
    expect(brokenLink(page, 'performance/compile.md')).toBeUndefined();
    expect(brokenLink(page, 'performance/nothing-here.md')).toMatch(/no file/);
    expect(brokenLink(page, 'performance/compile.md#no-such-heading')).toMatch(/no heading/);
    expect(relativeLinks('[a](b.md) `[c](d.md)` [e](https://x.y/) [f](#g)\n```\n[h](i.md)\n```\n')).toEqual(['b.md', '#g']);
  });
});
