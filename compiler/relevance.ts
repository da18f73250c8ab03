// Which policy rules a firewall can ever see: a rule matters at firewall F when F lies on a
// least-cost path from a device where the rule's sources enter to a device where its
// destinations are attached (d(u,F) + d(F,v) = d(u,v), in either address family). Rules that
// cannot reach F are left out of its security rules: they would never match, and 20,000 rules on
// every firewall help nobody. The pruning is exact only when forwarding follows least-cost paths,
// so it is switched off when OSPF runs next to linux devices (their prefixes are reached through
// the nearest OSPF neighbour, not necessarily along a least-cost path).

import type { Family } from '../language/address.js';
import type { CheckedIntent } from '../language/intent.js';
import type { DeviceDraft } from './devices.js';
import { subnetIndex, Topology } from './topology.js';

export type Relevance = (firewall: string, sources: readonly string[], destinations: readonly string[]) => boolean;

export function firewallRelevance(intent: CheckedIntent, drafts: Map<string, DeviceDraft>): Relevance {
  const devices = [...drafts.values()].map((d) => d.model);
  if (intent.routing === 'ospf' && devices.some((d) => d.platform === 'linux')) return () => true;

  const attach = new Map<string, string[]>();
  const segGateway = new Map(intent.segments.map((s) => [s.name, s.gateway]));
  for (const s of intent.segments) attach.set(s.name, [s.gateway]);
  for (const h of intent.hosts) attach.set(h.name, [segGateway.get(h.segment) ?? '']);
  for (const x of intent.externals) attach.set(x.name, [...new Set(x.attachments.map((a) => a.device))]);
  const allAttach = [...new Set([...attach.values()].flat())].sort();

  const subnets = subnetIndex(devices);
  const dists: Map<string, Map<string, number>>[] = [];
  for (const f of [4, 6] as Family[]) {
    const topo = new Topology(devices, f, (d, i) => (i.role === 'link' ? (drafts.get(d.id)!.linkCost.get(i.name) ?? 1) : undefined), subnets);
    const m = new Map<string, Map<string, number>>();
    for (const d of devices) m.set(d.id, topo.spf(d.id).dist);
    dists.push(m);
  }
  const onPath = (u: string, f: string, v: string): boolean =>
    dists.some((m) => {
      const uf = m.get(u)?.get(f);
      const fv = m.get(f)?.get(v);
      const uv = m.get(u)?.get(v);
      return uf !== undefined && fv !== undefined && uv !== undefined && uf + fv === uv;
    });
  const memo = new Map<string, boolean>();
  const cached = (key: string, compute: () => boolean): boolean => {
    let r = memo.get(key);
    if (r === undefined) memo.set(key, (r = compute()));
    return r;
  };
  const devicesOf = (names: readonly string[]): string[] | undefined =>
    names.includes('any') ? undefined : [...new Set(names.flatMap((n) => attach.get(n) ?? []))];

  return (fw, sources, destinations) => {
    const us = devicesOf(sources);
    const vs = devicesOf(destinations);
    if (!us && !vs) return true;
    if (!us) return vs!.some((v) => cached(`*>${fw}>${v}`, () => allAttach.some((u) => onPath(u, fw, v))));
    if (!vs) return us.some((u) => cached(`${u}>${fw}>*`, () => allAttach.some((v) => onPath(u, fw, v))));
    return us.some((u) => vs.some((v) => cached(`${u}>${fw}>${v}`, () => onPath(u, fw, v))));
  };
}
