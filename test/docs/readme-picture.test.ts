// The README's picture (docs/images/acme.svg) is what `plumb graph examples/acme --format svg`
// draws today. The layout's coordinates may move with Graphviz's version, so the drawing is
// compared by what it shows: every object (its `<title>`: devices, interface ports, segments,
// externals, clusters, edges) and every line of text. A renamed interface, a new address or a
// changed label leaves the committed picture stale, and this test says so.

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { descriptionsOf, renderPicture } from '../../cli/commands/graph.js';
import { DEFAULT_LAYOUT, toDot } from '../../cli/report/picture.js';
import { checkIntent, compileIntent } from '../../pipeline/compile.js';
import { readSources } from '../../pipeline/sources.js';

const ROOT = join(import.meta.dirname, '..', '..');
const hasGraphviz = spawnSync('dot', ['-V']).error === undefined;

/** The titles and the text lines of an SVG, each list sorted (the drawing's content, not its places). */
function shown(svg: string): { titles: string[]; texts: string[] } {
  const all = (re: RegExp) => [...svg.matchAll(re)].map((m) => m[1]!).sort();
  return { titles: all(/<title>([^<]*)<\/title>/g), texts: all(/<text[^>]*>([^<]*)<\/text>/g) };
}

describe.skipIf(!hasGraphviz && !process.env.CI)('the README picture', () => {
  it('shows exactly what plumb graph draws of examples/acme today', () => {
    const sources = readSources([join(ROOT, 'examples', 'acme')], ROOT);
    const model = compileIntent(sources).model!;
    const dot = toDot(model, { layout: DEFAULT_LAYOUT, descriptions: descriptionsOf(checkIntent(sources).intent) });
    const fresh = shown(renderPicture(dot, DEFAULT_LAYOUT, 'svg').toString('utf8'));
    const committed = shown(readFileSync(join(ROOT, 'docs', 'images', 'acme.svg'), 'utf8'));
    expect(fresh.titles.length).toBeGreaterThan(10);
    expect(fresh.texts.length).toBeGreaterThan(20);
    // When this fails: node dist/cli/main.js graph examples/acme --format svg -o docs/images/acme.svg
    expect(committed).toEqual(fresh);
  }, 120_000);
});
