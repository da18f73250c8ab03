// The topology picture inside `plumb report`'s page: Graphviz's SVG of `plumb graph`, made fit
// to be inlined in HTML, and the SVG groups a counterexample's path crosses. Graphviz writes
// every node and edge as `<g id="…" class="node|edge"><title>ID</title>`, where a node's title
// is its DOT id (a device `site.device`, `segment:NAME`, `external:NAME`: cli/report/picture.ts)
// and an edge's is `TAIL:PORT--HEAD:PORT` (a device's end names its interface's row). The path
// of a trace is found by those titles, so it does not depend on the layout.

import type { Counterexample, Trace } from '../../verifier/verdict.js';

/** One node or edge of the SVG: its element id and what its `<title>` says. */
interface SvgGroup {
  id: string;
  kind: 'node' | 'edge';
  title: string;
}

export interface ReportPicture {
  /** The `<svg>` element, without the XML prolog, ready to be inlined. */
  svg: string;
  groups: SvgGroup[];
}

const GROUP = /<g id="([^"]+)" class="(node|edge)">\s*<title>([^<]*)<\/title>/g;

/** Graphviz's SVG as an element to inline, with the groups it draws. */
export function reportPicture(svgText: string): ReportPicture {
  const start = svgText.indexOf('<svg');
  if (start < 0) throw new Error('internal: Graphviz wrote no <svg> element');
  // Graphviz's fixed size in points would overflow the page: the viewBox keeps the proportions.
  const svg = svgText.slice(start).replace(/<!--[\s\S]*?-->/g, '').replace(/^<svg width="[^"]*" height="[^"]*"/, '<svg class="picture" role="img"');
  const groups = [...svg.matchAll(GROUP)].map((m) => ({ id: m[1]!, kind: m[2] as 'node' | 'edge', title: xmlDecode(m[3]!) }));
  return { svg, groups };
}

/** The ids of the SVG groups (nodes and edges) the counterexample's paths cross, sorted. */
export function pathGroups(picture: ReportPicture, cx: Counterexample): string[] {
  const traces = [...cx.traces, ...(cx.reply?.traces ?? [])];
  const devices = new Set<string>();
  /** `device:interface` ends the paths use. */
  const ports = new Set<string>();
  for (const t of traces) addTrace(t, devices, ports);
  const ids = new Set<string>();
  const touched = new Set<string>();
  for (const g of picture.groups) {
    if (g.kind !== 'edge') continue;
    const ends = g.title.split('--');
    if (ends.length !== 2) continue;
    const [a, b] = ends as [string, string];
    const used = (end: string): boolean => ports.has(end);
    // A link is on the path when both its ends are; a segment's or an external's edge when its device end is.
    const onPath = isPort(a) && isPort(b) ? used(a) && used(b) : (isPort(a) && used(a)) || (isPort(b) && used(b));
    if (!onPath) continue;
    ids.add(g.id);
    for (const end of [a, b]) if (!isPort(end)) touched.add(end);
  }
  for (const g of picture.groups) {
    if (g.kind === 'node' && (devices.has(g.title) || touched.has(g.title))) ids.add(g.id);
  }
  return [...ids].sort();
}

function addTrace(t: Trace, devices: Set<string>, ports: Set<string>): void {
  if (t.entry.interface) ports.add(`${t.entry.device}:${t.entry.interface}`);
  for (const h of t.hops) {
    devices.add(h.device);
    if (h.ingress) ports.add(`${h.device}:${h.ingress}`);
    if (h.egress) ports.add(`${h.device}:${h.egress}`);
  }
  const o = t.outcome;
  if ('device' in o) devices.add(o.device);
  if ('interface' in o && o.interface) ports.add(`${o.device}:${o.interface}`);
}

/** An edge end at a device's interface row (`site.device:port`) rather than a whole node. */
function isPort(end: string): boolean {
  return !end.startsWith('segment:') && !end.startsWith('external:') && end.includes(':');
}

/** The picture with these groups drawn as the selected path (class `on-path`). */
export function markPath(svg: string, ids: readonly string[]): string {
  const marked = new Set(ids);
  return svg.replace(/<g id="([^"]+)" class="(node|edge)">/g, (all, id: string, kind: string) => (marked.has(id) ? `<g id="${id}" class="${kind} on-path">` : all));
}

function xmlDecode(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_all, e: string) => {
    if (e.startsWith('#x')) return String.fromCodePoint(parseInt(e.slice(2), 16));
    if (e.startsWith('#')) return String.fromCodePoint(parseInt(e.slice(1), 10));
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!;
  });
}
