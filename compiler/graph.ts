// The intent graph (graphlib): devices, segments and externals as nodes; links, segment
// gateways and external attachments as edges. Every node and edge carries the span of the
// declaration behind it, so a drawing or an editor can point back at the intent. Built from the
// compiled model so that edges know their interfaces and addresses.

import { Graph } from '@dagrejs/graphlib';
import type { Span } from '../language/diagnostic.js';
import type { DeviceModel, NetworkModel } from './model.js';

export type GraphNode =
  | { kind: 'device'; device: DeviceModel; span: Span }
  | { kind: 'segment'; name: string; prefixes: string[]; span: Span }
  | { kind: 'external'; name: string; prefixes: string[]; span: Span };

export interface GraphEdge {
  kind: 'link' | 'gateway' | 'attach';
  /**
   * The node ids at the edge's two ends: `from` is always the device whose interface is
   * `fromInterface` (an undirected graphlib edge may list its ends the other way round).
   */
  from: string;
  to: string;
  /** Interface names at the edge's two ends (endpoints have none). */
  fromInterface?: string;
  toInterface?: string;
  fromAddresses: string[];
  toAddresses: string[];
  span: Span;
}

export const segmentNode = (name: string) => `segment:${name}`;
export const externalNode = (name: string) => `external:${name}`;

export function intentGraph(model: NetworkModel): Graph<unknown, GraphNode, GraphEdge> {
  const g = new Graph<unknown, GraphNode, GraphEdge>({ directed: false, multigraph: true, compound: false });
  for (const d of model.devices) g.setNode(d.id, { kind: 'device', device: d, span: d.origin });
  for (const e of model.endpoints) {
    if (e.kind === 'segment') g.setNode(segmentNode(e.name), { kind: 'segment', name: e.name, prefixes: e.include, span: e.origin });
    if (e.kind === 'external' && e.partOf === undefined) g.setNode(externalNode(e.name), { kind: 'external', name: e.name, prefixes: e.include, span: e.origin });
  }
  for (const d of model.devices) {
    for (const i of d.interfaces) {
      if (i.role === 'link' && i.peer && `${d.id}|${i.name}` < `${i.peer.device}|${i.peer.interface}`) {
        const peer = model.devices.find((x) => x.id === i.peer!.device);
        const pi = peer?.interfaces.find((x) => x.name === i.peer!.interface);
        g.setEdge(
          d.id,
          i.peer.device,
          { kind: 'link', from: d.id, to: i.peer.device, fromInterface: i.name, toInterface: i.peer.interface, fromAddresses: i.addresses, toAddresses: pi?.addresses ?? [], span: i.origin },
          `${d.id}:${i.name}`,
        );
      } else if (i.role === 'segment' && i.segment) {
        g.setEdge(d.id, segmentNode(i.segment), { kind: 'gateway', from: d.id, to: segmentNode(i.segment), fromInterface: i.name, fromAddresses: i.addresses, toAddresses: [], span: i.origin }, `${d.id}:${i.name}`);
      } else if (i.role === 'external' && i.external) {
        g.setEdge(d.id, externalNode(i.external), { kind: 'attach', from: d.id, to: externalNode(i.external), fromInterface: i.name, fromAddresses: i.addresses, toAddresses: [], span: i.origin }, `${d.id}:${i.name}`);
      }
    }
  }
  return g;
}
