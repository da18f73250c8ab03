// The topology picture of `plumb graph` as Graphviz DOT: the picture an engineer puts in a design
// document. The graph is titled with the network; each site is a cluster titled with its
// description and name; each device is a table (its title bar in its platform's colour: name,
// platform, role, router id, ASN) with one row per interface, and every link, gateway and
// attachment leaves its device from that interface's row, so an address is always drawn at its
// own end and never floats over other edges. Links carry their OSPF cost, eBGP sessions are
// dashed edges labelled with both ASNs, segments are notes with their prefixes and zone (filled
// in the zone's colour), externals are clouds (cli/report/picture-cloud.ts draws them after
// layout).
//
// Node ids are a contract for whatever finds nodes in the SVG by their `<title>` (an HTML
// report): a device is `site.device` (its model id), a segment `segment:NAME`, an external
// `external:NAME` (compiler/graph.ts), a site's cluster `cluster_SITE`; an interface row is the
// port named by the interface. The ids do not depend on the layout or on other devices.

import { externalNode, intentGraph, segmentNode, type GraphEdge } from '../../compiler/graph.js';
import type { DeviceModel, EndpointModel, InterfaceModel, NetworkModel } from '../../compiler/model.js';
import { containsAddress, network, parseAddress, parsePrefix } from '../../language/address.js';
import { PLATFORM_TRAITS } from '../../language/platforms.js';
import { visibleText } from '../../language/safe-text.js';
import { dotString as q } from './escape.js';

export const LAYOUTS = ['dot', 'neato', 'fdp'] as const;
export type Layout = (typeof LAYOUTS)[number];
/** The layout with the fewest label overlaps and the least area (measured: docs/cli.md). */
export const DEFAULT_LAYOUT: Layout = 'dot';

/** What the model does not carry: the descriptions written in the intent. */
export interface PictureDescriptions {
  network?: string;
  /** Site name → its description. */
  sites?: Readonly<Record<string, string>>;
  /** External name → its description. */
  externals?: Readonly<Record<string, string>>;
}

export interface PictureOptions {
  layout?: Layout;
  descriptions?: PictureDescriptions;
}

const FONT = 'Helvetica';
const INK = '#333333';
const CLOUD_FILL = '#eaf1f8';
/** Segment fills, one per zone in sorted zone order (cycled); a segment in no zone is white. */
const ZONE_FILLS = ['#fff4d6', '#e3f4e8', '#fde2e4', '#e4e9fb', '#f1e6f7', '#e0f4f4'];

/** Per layout engine: how the graph is spread (dot ranks left to right; the others push apart). */
const LAYOUT_ATTRIBUTES: Record<Layout, string[]> = {
  dot: ['rankdir=LR', 'nodesep=0.35', 'ranksep=0.9', 'newrank=true'],
  neato: ['overlap=false', 'sep="+16"', 'splines=true', 'mode=major'],
  fdp: ['overlap=false', 'sep="+16"', 'splines=true', 'K=1.2'],
};

/** Deterministic DOT text of the model's topology (see the header for the node ids). */
export function toDot(model: NetworkModel, options: PictureOptions = {}): string {
  const layout = options.layout ?? DEFAULT_LAYOUT;
  const text = options.descriptions ?? {};
  const zoneFill = zoneFills(model);
  const title = text.network ? `${model.name}: ${text.network}` : model.name;
  const lines: string[] = [
    `graph ${q(model.name)} {`,
    `  graph [label=${q(`${title}\nrouting ${model.routing}`)}, labelloc=t, fontname=${q(FONT)}, fontsize=18, fontcolor=${q(INK)}, pad=0.4, ${LAYOUT_ATTRIBUTES[layout].join(', ')}];`,
    `  node [fontname=${q(FONT)}, fontsize=10, fontcolor=${q(INK)}];`,
    `  edge [fontname=${q(FONT)}, fontsize=9, fontcolor=${q(INK)}, color="#555555", penwidth=1.4, decorate=true];`,
  ];
  const sites = [...new Set(model.devices.map((d) => d.site))].sort();
  for (const site of sites) {
    const description = text.sites?.[site];
    lines.push(
      `  subgraph ${q(`cluster_${site}`)} {`,
      `    graph [label=${q(description ? `${description} (${site})` : site)}, labeljust=l, labelloc=b, fontsize=13, style="rounded,filled", fillcolor="#fafafa", color="#b0b0b0", margin=14];`,
    );
    for (const d of model.devices.filter((x) => x.site === site)) {
      lines.push(`    ${q(d.id)} [shape=plain, label=<${deviceTable(d)}>];`);
    }
    for (const e of model.endpoints.filter((x) => x.kind === 'segment' && siteOf(x, model) === site)) {
      lines.push(`    ${q(segmentNode(e.name))} ${segmentAttributes(e, model, zoneFill)};`);
    }
    lines.push('  }');
  }
  for (const e of model.endpoints) {
    if (e.kind === 'segment' && siteOf(e, model) === undefined) lines.push(`  ${q(segmentNode(e.name))} ${segmentAttributes(e, model, zoneFill)};`);
    // A part of an external (`datahub.api`) is drawn as the external it is part of.
    if (e.kind === 'external' && e.partOf === undefined) lines.push(`  ${q(externalNode(e.name))} ${externalAttributes(e, text.externals?.[e.name])};`);
  }
  for (const edge of edgesOf(model)) lines.push(`  ${edge}`);
  lines.push('}');
  return `${lines.join('\n')}\n`;
}

/** Text for an HTML-like label: the visible escape of control characters, then XML's escapes. */
function html(s: string): string {
  return visibleText(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A device: a title bar in its platform's colour, then one row per interface (its port). */
function deviceTable(d: DeviceModel): string {
  const { color, fill } = PLATFORM_TRAITS[d.platform].graph;
  const facts = [d.platform, d.role, ...(d.bgp ? [`AS ${d.bgp.asn}`] : [])].join(' · ');
  const rows = [
    `<TR><TD BGCOLOR="${color}" ALIGN="LEFT"><FONT COLOR="white" POINT-SIZE="12"><B>${html(d.name)}</B></FONT><BR ALIGN="LEFT"/><FONT COLOR="white">${html(facts)}</FONT><BR ALIGN="LEFT"/></TD></TR>`,
  ];
  const loopback = d.interfaces.find((i) => i.role === 'loopback');
  const id = d.routerId ?? loopback?.addresses[0]?.replace(/\/\d+$/, '');
  if (id) rows.push(`<TR><TD ALIGN="LEFT" BGCOLOR="${fill}">router id ${html(id)}</TD></TR>`);
  for (const i of d.interfaces.filter((x) => x.role !== 'loopback')) {
    rows.push(`<TR><TD PORT="${html(i.name)}" ALIGN="LEFT" BGCOLOR="${fill}">${interfaceText(i)}</TD></TR>`);
  }
  const border = d.role === 'firewall' ? 3 : 1;
  return `<TABLE BORDER="${border}" CELLBORDER="0" CELLSPACING="0" CELLPADDING="4" COLOR="${color}" STYLE="ROUNDED">${rows.join('')}</TABLE>`;
}

/** An interface row: its name (bold), its zone on a firewall, then its addresses. */
function interfaceText(i: InterfaceModel): string {
  const head = `<B>${html(i.name)}</B>${i.zone ? ` <I>zone ${html(i.zone)}</I>` : ''}`;
  return [head, ...i.addresses.map(html)].join('<BR ALIGN="LEFT"/>') + '<BR ALIGN="LEFT"/>';
}

/** Each zone of the network's firewalls → its fill colour (zones in sorted order). */
function zoneFills(model: NetworkModel): Map<string, string> {
  const zones = [...new Set(model.devices.flatMap((d) => d.zones.map((z) => z.name)))].sort();
  return new Map(zones.map((z, k) => [z, ZONE_FILLS[k % ZONE_FILLS.length]!]));
}

/** The site a segment is drawn in: its gateways' site, when they are all at one. */
function siteOf(e: EndpointModel, model: NetworkModel): string | undefined {
  const sites = new Set(e.attachments.map((a) => model.devices.find((d) => d.id === a.device)?.site));
  return sites.size === 1 ? [...sites][0] : undefined;
}

/** The zone of the gateway interface of a segment (firewalls only), if any. */
function segmentZone(e: EndpointModel, model: NetworkModel): string | undefined {
  for (const a of e.attachments) {
    const zone = model.devices.find((d) => d.id === a.device)?.interfaces.find((i) => i.name === a.interface)?.zone;
    if (zone) return zone;
  }
  return undefined;
}

function segmentAttributes(e: EndpointModel, model: NetworkModel, zoneFill: Map<string, string>): string {
  const zone = segmentZone(e, model);
  const label = [e.name, ...e.include, ...(zone ? [`zone ${zone}`] : [])].join('\n');
  const fill = zone ? zoneFill.get(zone)! : 'white';
  return `[label=${q(label)}, shape=note, style=filled, fillcolor=${q(fill)}, color="#8a8a8a", margin="0.12,0.06"]`;
}

/**
 * An external: an invisible ellipse (edges end at its rim) that picture-cloud.ts draws a cloud
 * around once the layout has placed it; in DOT rendered elsewhere it is a light ellipse.
 */
function externalAttributes(e: EndpointModel, description: string | undefined): string {
  const label = [e.name, ...(description ? [description] : []), ...e.include].join('\n');
  return `[label=${q(label)}, shape=ellipse, style=filled, fillcolor=${q(CLOUD_FILL)}, color=${q(CLOUD_FILL)}, margin="0.18,0.1", class="cloud"]`;
}

/** The OSPF cost label of a link: both ends' costs when they differ, none without OSPF at both. */
function ospfCost(model: NetworkModel, e: GraphEdge): string | undefined {
  const costAt = (device: string, name?: string) =>
    model.devices.find((d) => d.id === device)?.ospf?.interfaces.find((i) => i.name === name && !i.passive)?.cost;
  const a = costAt(e.from, e.fromInterface);
  const b = costAt(e.to, e.toInterface);
  if (a === undefined || b === undefined) return undefined;
  return a === b ? `cost ${a}` : `cost ${a} / ${b}`;
}

/** The eBGP session on an attachment: our ASN, theirs and the peer's address (on the interface's prefix). */
function bgpSession(model: NetworkModel, e: GraphEdge) {
  const external = e.to.slice(externalNode('').length);
  const bgp = model.devices.find((d) => d.id === e.from)?.bgp;
  const onInterface = (peer: string) =>
    e.fromAddresses.some((p) => {
      const prefix = parsePrefix(p);
      const address = parseAddress(peer);
      return prefix !== undefined && address !== undefined && containsAddress(network(prefix), address);
    });
  const neighbor = bgp?.neighbors.find((n) => n.external === external && onInterface(n.address));
  return bgp && neighbor ? { local: bgp.asn, remote: neighbor.remoteAs, peer: neighbor.address } : undefined;
}

/** Every edge statement, sorted: links, gateways, attachments (BGP sessions dashed). */
function edgesOf(model: NetworkModel): string[] {
  const g = intentGraph(model);
  const statements: string[] = [];
  for (const ref of g.edges()) {
    const e = g.edge(ref) as GraphEdge;
    const from = `${q(e.from)}:${q(e.fromInterface ?? '')}`;
    if (e.kind === 'link') {
      const cost = ospfCost(model, e);
      const label = cost ? `, label=${q(cost)}` : '';
      statements.push(`${from} -- ${q(e.to)}:${q(e.toInterface ?? '')} [penwidth=2${label}];`);
    } else if (e.kind === 'gateway') {
      statements.push(`${from} -- ${q(e.to)} [color="#8a8a8a"];`);
    } else {
      const session = bgpSession(model, e);
      statements.push(
        session
          ? `${from} -- ${q(e.to)} [style=dashed, color="#7b3fa0", fontcolor="#7b3fa0", label=${q(`eBGP AS ${session.local} – AS ${session.remote}\npeer ${session.peer}`)}];`
          : `${from} -- ${q(e.to)} [color="#8a8a8a", label=${q(staticLabel(model, e))}];`,
      );
    }
  }
  return statements.sort();
}

/** A static attachment: the routes' next hop at the external's end, when the device has one. */
function staticLabel(model: NetworkModel, e: GraphEdge): string {
  const device = model.devices.find((d) => d.id === e.from);
  const hop = device?.staticRoutes.find((r) => r.interface === e.fromInterface && r.nextHop)?.nextHop;
  return hop ? `static via ${hop}` : 'static';
}
