// The pictures themselves: every example drawn to PNG by Graphviz without a word on stderr, and
// the layouts measured on what Graphviz drew (cli/report/picture-measure.ts, with the titles users see) for every example
// and a generated 50-device network: the default layout must draw no text over other text or a
// cluster title, and no edge label over a node. `PRINT_LAYOUTS=1` prints the table of
// docs/cli.md.

import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateIntent } from '../../bench/generate.js';
import { descriptionsOf, placePicture, renderPicture } from '../../cli/commands/graph.js';
import { withClouds } from '../../cli/report/picture-cloud.js';
import { measurePicture, type PictureMeasure } from '../../cli/report/picture-measure.js';
import { DEFAULT_LAYOUT, LAYOUTS, toDot, type Layout, type PictureDescriptions } from '../../cli/report/picture.js';
import type { NetworkModel } from '../../compiler/model.js';
import { checkIntent, compileIntent } from '../../pipeline/compile.js';
import { readSources } from '../../pipeline/sources.js';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLES = ['acme', 'campus', 'failover', 'harbor', 'multicloud'];
const TIMEOUT = 600_000; // about 20 Graphviz layouts on a loaded machine
const hasGraphviz = spawnSync('dot', ['-V']).error === undefined;

function exampleModel(example: string): NetworkModel {
  const model = compileIntent(readSources([join(ROOT, 'examples', example)], ROOT)).model;
  if (!model) throw new Error(`${example} does not compile`);
  return model;
}

/** The descriptions `plumb graph` draws (site titles, the network's, the externals'): measured as users see them. */
function exampleDescriptions(example: string): PictureDescriptions {
  return descriptionsOf(checkIntent(readSources([join(ROOT, 'examples', example)], ROOT)).intent);
}

/** 10 sites of 5 devices (all four platforms), eBGP partners, a static internet. */
function generatedModel(): NetworkModel {
  const text = generateIntent({ sites: 10, devicesPerSite: 5, segments: 20, rules: 80, assertions: 5, seed: 1 });
  const model = compileIntent([{ path: 'generated-50.plumb', text }]).model;
  if (!model) throw new Error('the generated intent does not compile');
  return model;
}

/**
 * Lets the test worker's event loop run between Graphviz runs: the layouts are synchronous, and a
 * worker blocked for a minute on a loaded machine misses its runner's messages.
 */
const breathe = (): Promise<void> => new Promise((done) => setImmediate(done));

/** PNG width and height from its IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe('the measure of a drawing', () => {
  const text = (x: number, y: number, t: string) => [{ op: 'F', size: 10, face: 'Helvetica' }, { op: 'T', pt: [x, y], align: 'c', width: 40, text: t }];
  it('counts text over text of another object, over a cluster title, and edge labels over nodes', () => {
    const drawing = {
      bb: '0,0,144,72',
      objects: [
        { name: 'cluster_a', bb: '0,0,100,60', _ldraw_: text(50, 50, 'Site A') },
        { name: 'a', pos: '50,20', width: '1', height: '0.5', _ldraw_: [...text(50, 20, 'a'), ...text(50, 28, 'a second line')] },
        { name: 'b', pos: '120,50', width: '0.5', height: '0.5', _ldraw_: text(60, 22, 'b') },
      ],
      edges: [{ _ldraw_: text(52, 52, 'cost 1') }, { _ldraw_: text(120, 5, 'far away') }],
    };
    // b's text over a's two lines; the edge label over the title; a's lines over each other do not count
    expect(measurePicture(JSON.stringify(drawing))).toEqual({ texts: 6, textOverlaps: 2, titleOverlaps: 1, edgeLabelsOnNodes: 0, area: 2 });
    drawing.edges[1]!._ldraw_ = text(50, 20, 'on a');
    expect(measurePicture(JSON.stringify(drawing)).edgeLabelsOnNodes).toBe(1);
  });

  it('leaves a drawing without externals as it is, and paints one cloud per external', () => {
    const plain = 'graph "g" {\n\tgraph [bb="0,0,10,10"];\n\ta\t[pos="5,5", width=1, height=1];\n}\n';
    expect(withClouds(plain)).toBe(plain);
    const cloudy = withClouds('graph "g" {\n\t"external:x"\t[label="x]",\n\t\tpos="40,30",\n\t\twidth=2,\n\t\theight=1];\n}\n');
    expect(cloudy.split('\n')[1]).toMatch(/^\tgraph \[_background="S 17 -setlinewidth\(1\.5\) c 7 -#6f86a0 C 7 -#eaf1f8 E /);
    expect(cloudy).toContain('E 40.0 30.0 61.9 28.8'); // the body: 0.86 and 0.8 of the 72 x 36 point ellipse's radii
  });
});

describe.skipIf(!hasGraphviz && !process.env.CI)('topology pictures', () => {
  it('draws every example to PNG with Graphviz silent on stderr', async () => {
    for (const example of EXAMPLES) {
      await breathe();
      const model = exampleModel(example);
      const placed = placePicture(toDot(model), DEFAULT_LAYOUT);
      const res = spawnSync('neato', ['-n2', '-Tpng'], { input: placed, maxBuffer: 1 << 30 });
      expect(res.stderr.toString('utf8'), example).toBe('');
      expect(res.status, example).toBe(0);
      const png = res.stdout;
      expect(png.subarray(0, 8), example).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
      const { width, height } = pngSize(png);
      expect(width, example).toBeGreaterThan(400);
      expect(height, example).toBeGreaterThan(300);
      expect(width * height, example).toBeLessThan(4000 * 4000);
      const clouds = placed.match(/ -setlinewidth\(1\.5\)/g)?.length ?? 0;
      expect(clouds, `${example}: a cloud per external`).toBe(model.endpoints.filter((e) => e.kind === 'external').length);
      expect(renderPicture(toDot(model), DEFAULT_LAYOUT, 'png').equals(png), `${example}: same bytes`).toBe(true);
    }
  }, TIMEOUT);

  it('measures the layouts: the default draws no label over another, over a cluster title or an edge label over a node', async () => {
    const inputs: [string, NetworkModel, PictureDescriptions][] = [
      ...EXAMPLES.map((e): [string, NetworkModel, PictureDescriptions] => [e, exampleModel(e), exampleDescriptions(e)]),
      ['generated', generatedModel(), {}],
    ];
    const rows: string[] = [];
    const measured = new Map<Layout, PictureMeasure[]>(LAYOUTS.map((l) => [l, []]));
    for (const [name, model, descriptions] of inputs) {
      const cells: string[] = [];
      for (const layout of LAYOUTS) {
        await breathe();
        const m = measurePicture(renderPicture(toDot(model, { layout, descriptions }), layout, 'json').toString('utf8'));
        measured.get(layout)!.push(m);
        cells.push(`${m.textOverlaps} / ${m.titleOverlaps} / ${m.edgeLabelsOnNodes} / ${Math.round(m.area)}`);
      }
      rows.push(`| ${name} (${model.devices.length}) | ${cells.join(' | ')} |`);
    }
    if (process.env.PRINT_LAYOUTS) console.log(rows.join('\n'));
    const overlaps = (ms: PictureMeasure[]) => ms.reduce((n, m) => n + m.textOverlaps + m.titleOverlaps + m.edgeLabelsOnNodes, 0);
    for (const m of measured.get(DEFAULT_LAYOUT)!) {
      expect(m.texts).toBeGreaterThan(30);
      expect([m.textOverlaps, m.titleOverlaps, m.edgeLabelsOnNodes]).toEqual([0, 0, 0]);
    }
    for (const layout of LAYOUTS) expect(overlaps(measured.get(DEFAULT_LAYOUT)!)).toBeLessThanOrEqual(overlaps(measured.get(layout)!));
  }, TIMEOUT);
});
