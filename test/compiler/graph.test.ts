// The intent graph: devices, segments and externals as nodes, links, gateways and attachments as
// edges, each with the span of the declaration behind it.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalNode, intentGraph, segmentNode, type GraphEdge, type GraphNode } from '../../compiler/graph.js';
import { compileText } from './helpers.js';

const ACME = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'acme', 'acme.plumb'), 'utf8');

describe('intent graph', () => {
  const { model } = compileText(ACME, 'acme.plumb');
  const g = intentGraph(model);

  it('has a node per device, segment and external, with its declaration span', () => {
    expect(g.nodeCount()).toBe(model.devices.length + 5 + 2); // 5 segments (web, db, office, guest, noc), 2 externals
    const fw = g.node('fra1.fw1') as GraphNode;
    expect(fw.kind).toBe('device');
    expect(fw.span.start.line).toBe(9);
    expect((g.node(segmentNode('web')) as GraphNode).span.start.line).toBe(23);
    expect((g.node(externalNode('snowflake')) as GraphNode).span.start.line).toBe(32);
  });

  it('has an edge per link (with both ends), gateway and attachment', () => {
    const edges = g.edges().map((e) => g.edge(e) as GraphEdge);
    expect(edges.filter((e) => e.kind === 'link')).toHaveLength(4);
    expect(edges.filter((e) => e.kind === 'gateway')).toHaveLength(5);
    expect(edges.filter((e) => e.kind === 'attach')).toHaveLength(2);
    const wan = g.edges().find((e) => [e.v, e.w].sort().join() === 'ams1.core2,fra1.core1')!;
    const label = g.edge(wan) as GraphEdge;
    expect(label.span.start.line).toBe(21);
    expect(label.fromAddresses).toHaveLength(1);
    expect(label.toAddresses).toHaveLength(1);
  });

  it('names the device of fromInterface as `from`, whichever way graphlib lists the ends', () => {
    for (const ref of g.edges()) {
      const e = g.edge(ref) as GraphEdge;
      expect([e.from, e.to].sort()).toEqual([ref.v, ref.w].sort());
      const device = model.devices.find((d) => d.id === e.from)!;
      expect(device.interfaces.find((i) => i.name === e.fromInterface)?.addresses).toEqual(e.fromAddresses);
    }
    const attach = g.edges().map((r) => g.edge(r) as GraphEdge).find((e) => e.to === externalNode('internet'))!;
    expect(attach.from).toBe('fra1.edge1');
  });
});
