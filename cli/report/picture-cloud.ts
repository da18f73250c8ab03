// Clouds for the externals of the topology picture. Graphviz has no cloud shape (`shape=cloud`
// is an unknown shape: a box and a warning), so the picture draws each external as a plain
// ellipse, lets the layout place it, and then paints a cloud around that ellipse into the laid-out
// graph's `_background` (Graphviz's xdot drawing operations, painted before everything else in
// every output format). The laid-out DOT (`-Tdot` of the layout engine) is then rendered as it is
// placed (`neato -n2`), so the cloud sits exactly behind the external's label and the edges end at
// its rim.

import { externalNode } from '../../compiler/graph.js';

const OUTLINE = '#6f86a0';
const FILL = '#eaf1f8';
/** Bumps around the rim: angle step (radians) and each bump's size factor, alternating. */
const BUMPS = 10;
const BUMP_SIZES = [1, 0.82];

interface PlacedEllipse {
  x: number;
  y: number;
  /** Radii in points. */
  rx: number;
  ry: number;
}

/**
 * The laid-out DOT text with a cloud behind every external (a node whose id starts with
 * `external:`). Text without externals comes back unchanged.
 */
export function withClouds(laidOutDot: string): string {
  const clouds = placedExternals(laidOutDot).map(cloudOperations);
  if (clouds.length === 0) return laidOutDot;
  const firstLineEnd = laidOutDot.indexOf('\n');
  const drawing = clouds.join(' ');
  return `${laidOutDot.slice(0, firstLineEnd + 1)}\tgraph [_background="${drawing}"];\n${laidOutDot.slice(firstLineEnd + 1)}`;
}

/** xdot text field: its byte count, a dash, the text. */
const field = (s: string) => `${Buffer.byteLength(s)} -${s}`;
const n = (v: number) => v.toFixed(1);

/** One cloud: outlined bumps, then the same bumps filled a little smaller to hide inner outlines. */
function cloudOperations(e: PlacedEllipse): string {
  const shapes = (shrink: number) => {
    const parts: string[] = [];
    for (let k = 0; k < BUMPS; k++) {
      const angle = (2 * Math.PI * k) / BUMPS;
      const size = BUMP_SIZES[k % BUMP_SIZES.length]!;
      const bx = e.x + e.rx * 0.8 * Math.cos(angle);
      const by = e.y + e.ry * 0.78 * Math.sin(angle);
      parts.push(`E ${n(bx)} ${n(by)} ${n(Math.max(1, e.rx * 0.34 * size - shrink))} ${n(Math.max(1, e.ry * 0.46 * size - shrink))}`);
    }
    parts.push(`E ${n(e.x)} ${n(e.y)} ${n(e.rx * 0.86 - shrink)} ${n(e.ry * 0.8 - shrink)}`);
    return parts.join(' ');
  };
  return [
    `S ${field('setlinewidth(1.5)')}`,
    `c ${field(OUTLINE)} C ${field(FILL)} ${shapes(0)}`,
    `c ${field(FILL)} C ${field(FILL)} ${shapes(1.6)}`,
  ].join(' ');
}

/** Every external's position and size in the laid-out DOT (pos in points, width/height in inches). */
function placedExternals(dot: string): PlacedEllipse[] {
  const found: PlacedEllipse[] = [];
  const start = new RegExp(`^\\t"?${externalNode('')}[^\\t\\[]*\\t\\[`, 'gm');
  for (const m of dot.matchAll(start)) {
    const attributes = attributeText(dot, m.index + m[0].length);
    const pos = /(?:^|[,\s])pos="([-\d.]+),([-\d.]+)"/.exec(attributes);
    const width = /(?:^|[,\s])width="?([\d.]+)/.exec(attributes);
    const height = /(?:^|[,\s])height="?([\d.]+)/.exec(attributes);
    if (!pos || !width || !height) continue;
    found.push({ x: Number(pos[1]), y: Number(pos[2]), rx: (Number(width[1]) * 72) / 2, ry: (Number(height[1]) * 72) / 2 });
  }
  return found;
}

/** The text of an attribute list from `from` to its closing `]`, skipping quoted and HTML values. */
function attributeText(dot: string, from: number): string {
  let depth = 0;
  let quoted = false;
  for (let k = from; k < dot.length; k++) {
    const ch = dot[k];
    if (quoted) {
      if (ch === '\\') k++;
      else if (ch === '"') quoted = false;
    } else if (ch === '"') quoted = true;
    else if (ch === '<') depth++;
    else if (ch === '>') depth--;
    else if (ch === ']' && depth === 0) return dot.slice(from, k);
  }
  return dot.slice(from);
}
