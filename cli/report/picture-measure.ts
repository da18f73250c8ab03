// How readable a laid-out picture is, measured on what Graphviz drew: the text boxes of every
// label (Graphviz's `-Tjson` output lists each line of text with its position, alignment, width
// and font size), how many of them overlap a text box of another object, how many overlap a
// cluster's title, and the drawing's area. The layout engine of `plumb graph` is chosen by these
// numbers (docs/cli.md has the table); the tests hold every example to them.

/** A text line's box in points. */
interface Box {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface PictureMeasure {
  /** Text lines drawn. */
  texts: number;
  /** Pairs of text lines of different objects whose boxes overlap. */
  textOverlaps: number;
  /** Text lines of nodes and edges whose boxes overlap a cluster's title. */
  titleOverlaps: number;
  /** Text lines of edges (link costs, BGP sessions) whose boxes overlap a node. */
  edgeLabelsOnNodes: number;
  /** Width × height of the drawing, in square inches. */
  area: number;
}

interface XdotOperation {
  op: string;
  size?: number;
  pt?: [number, number];
  align?: 'l' | 'c' | 'r';
  width?: number;
  text?: string;
}

type Drawn = Partial<Record<'_ldraw_' | '_hldraw_' | '_tldraw_', XdotOperation[]>> & {
  name?: string;
  bb?: string;
  pos?: string;
  width?: string;
  height?: string;
};

/** Boxes that touch by less than this (points) do not count as overlapping. */
const TOLERANCE = 0.5;

/** Measures a drawing from Graphviz's `-Tjson` text. */
export function measurePicture(json: string): PictureMeasure {
  const graph = JSON.parse(json) as Drawn & { objects?: Drawn[]; edges?: Drawn[] };
  const owners: Box[][] = [];
  const titles: Box[] = [];
  const nodes: Box[] = [];
  for (const o of graph.objects ?? []) {
    const boxes = textBoxes(o);
    if (o.bb !== undefined && o.name?.startsWith('cluster')) titles.push(...boxes);
    else owners.push(boxes);
    const node = nodeBox(o);
    if (node) nodes.push(node);
  }
  const edgeTexts = (graph.edges ?? []).map(textBoxes);
  owners.push(...edgeTexts);
  const edgeLabelsOnNodes = edgeTexts.flat().filter((t) => nodes.some((n) => overlap(t, n))).length;
  let textOverlaps = 0;
  for (let a = 0; a < owners.length; a++) {
    for (let b = a + 1; b < owners.length; b++) {
      for (const p of owners[a]!) for (const r of owners[b]!) if (overlap(p, r)) textOverlaps++;
    }
  }
  let titleOverlaps = 0;
  for (const boxes of owners) for (const p of boxes) if (titles.some((t) => overlap(p, t))) titleOverlaps++;
  for (let a = 0; a < titles.length; a++) for (let b = a + 1; b < titles.length; b++) if (overlap(titles[a]!, titles[b]!)) titleOverlaps++;
  const [x0, y0, x1, y1] = (graph.bb ?? '0,0,0,0').split(',').map(Number) as [number, number, number, number];
  return { texts: owners.flat().length + titles.length, textOverlaps, titleOverlaps, edgeLabelsOnNodes, area: ((x1 - x0) / 72) * ((y1 - y0) / 72) };
}

/** The boxes of an object's text lines: every `T` operation of its label, head and tail drawings. */
function textBoxes(o: Drawn): Box[] {
  const boxes: Box[] = [];
  for (const ops of [o._ldraw_, o._hldraw_, o._tldraw_]) {
    let size = 14;
    for (const op of ops ?? []) {
      if (op.op === 'F' && op.size !== undefined) size = op.size;
      if (op.op !== 'T' || !op.pt || op.width === undefined || !op.text?.trim()) continue;
      const [x, y] = op.pt;
      const left = op.align === 'l' ? x : op.align === 'r' ? x - op.width : x - op.width / 2;
      // The baseline is at y: ascenders reach about 0.75 of the size above it, descenders 0.25 below.
      boxes.push({ x0: left, x1: left + op.width, y0: y - 0.25 * size, y1: y + 0.75 * size });
    }
  }
  return boxes;
}

/** A node's box: its position (points) and size (inches). */
function nodeBox(o: Drawn): Box | undefined {
  if (o.pos === undefined || o.width === undefined || o.height === undefined) return undefined;
  const [x, y] = o.pos.split(',').map(Number) as [number, number];
  const w = (Number(o.width) * 72) / 2;
  const h = (Number(o.height) * 72) / 2;
  return { x0: x - w, x1: x + w, y0: y - h, y1: y + h };
}

function overlap(a: Box, b: Box): boolean {
  return Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0) > TOLERANCE && Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0) > TOLERANCE;
}
