// Placement under failures as it was before a size of failure sets was first counted and then
// explored (compiler/failures.ts at 749dcf0, with the work bound a parameter): the reference that
// test/compiler/failures-reference.test.ts compares robustRelevance() with on seeded graphs.

import { diagnostic, type Diagnostic } from '../../language/diagnostic.js';
import { Codes } from '../../language/diagnostics/index.js';
import { DEFAULT_SURVIVED_FAILURES, type CheckedIntent } from '../../language/intent.js';
import { externalParts } from '../../compiler/endpoints.js';
import type { DeviceModel } from '../../compiler/model.js';
import type { RuleFirewalls } from '../../compiler/relevance.js';

interface Edge {
  to: number;
  cost: number;
  /** The failure element (link) index of this edge. */
  link: number;
}

/** A rule's firewalls (`base`: on today's paths) with those its flows cross under the failures the intent must survive. */
export function robustRelevanceBefore(intent: CheckedIntent, devices: readonly DeviceModel[], base: RuleFirewalls, maxWork: number): { firewallsOf: RuleFirewalls; diagnostics: Diagnostic[] } {
  const survive = intent.survive?.failures ?? DEFAULT_SURVIVED_FAILURES;
  const firewalls = devices.filter((d) => d.role === 'firewall').map((d) => d.id);
  if (survive === 0 || firewalls.length === 0) return { firewallsOf: base, diagnostics: [] };
  if (intent.routing !== 'ospf') {
    const diagnostics = intent.survive
      ? [
          diagnostic(Codes.placementNotRobust, intent.survive.span, `with \`routing static\` no route moves when a link or device fails: the firewalls enforce the policy on today's paths only`, {
            severity: 'warning',
            hint: 'use `routing ospf` for traffic to fail over (and the firewalls on the backup paths to carry its rules), or write `survive 0 failures`',
          }),
        ]
      : [];
    return { firewallsOf: base, diagnostics };
  }

  const index = new Map(devices.map((d, i) => [d.id, i]));
  const n = devices.length;
  const adjacency: Edge[][] = devices.map(() => []);
  const linkKeys = new Map<string, number>();
  const costOf = (d: DeviceModel, iface: string): number | undefined => {
    const o = d.ospf?.interfaces.find((x) => x.name === iface);
    return o && !o.passive ? o.cost : undefined;
  };
  let edges = 0;
  for (const d of devices) {
    for (const i of d.interfaces) {
      if (i.role !== 'link' || !i.peer) continue;
      const peer = devices[index.get(i.peer.device) ?? -1];
      const cost = costOf(d, i.name);
      if (!peer || cost === undefined || costOf(peer, i.peer.interface) === undefined) continue;
      const key = [`${d.id}|${i.name}`, `${peer.id}|${i.peer.interface}`].sort().join(' ');
      let link = linkKeys.get(key);
      if (link === undefined) linkKeys.set(key, (link = linkKeys.size));
      adjacency[index.get(d.id)!]!.push({ to: index.get(peer.id)!, cost, link });
      edges++;
    }
  }
  const links = linkKeys.size;
  // Elements: links 0..links-1, then devices links..links+n-1.
  const elements = links + n;
  const log = Math.max(1, Math.ceil(Math.log2(n)));
  const none = new Set<number>();
  const intact = devices.map((_, s) => dijkstra(adjacency, s, none, none));
  const fwIndex = firewalls.map((id) => index.get(id)!);
  // pairs[f][u * n + w]: firewall f is on a least-cost path from u to w under some failure set.
  let pairs = fwIndex.map(() => new Uint8Array(n * n));
  const addPairs = (dist: (number[] | undefined)[], sources: (u: number, k: number) => boolean): number => {
    let work = 0;
    fwIndex.forEach((f, k) => {
      const fromF = dist[f];
      if (!fromF) return;
      for (let u = 0; u < n; u++) {
        const du = dist[u];
        if (!du || du[f] === Infinity || !sources(u, k)) continue;
        work += n;
        for (let w = 0; w < n; w++) {
          const through = du[f]! + fromF[w]!;
          if (through !== Infinity && through === du[w]) pairs[k]![u * n + w] = 1;
        }
      }
    });
    return work;
  };
  let work = addPairs(intact, () => true);
  // The sources from which element e lies on a least-cost path in the intact graph: only their
  // distances can change when e fails (removing anything else leaves them as they are).
  const trees = new Map<number, Uint8Array>();
  const onTreeOf = (e: number): Uint8Array => {
    let t = trees.get(e);
    if (!t) trees.set(e, (t = new Uint8Array(n)));
    return t;
  };
  intact.forEach((d, s) => {
    adjacency.forEach((out, a) => {
      for (const edge of out) {
        if (d[a] === Infinity || d[a]! + edge.cost !== d[edge.to]) continue;
        onTreeOf(edge.link)[s] = 1;
        if (a !== s) onTreeOf(links + a)[s] = 1;
      }
    });
  });
  const sourcesOnTree = (e: number): Uint8Array => trees.get(e) ?? new Uint8Array(n);
  work += n * (n + edges);
  let cut: number | undefined;
  for (let level = 1; level <= survive && cut === undefined; level++) {
    const saved = pairs.map((p) => p.slice());
    combinations(elements, level, (set) => {
      if (work > maxWork) return false;
      const deadLinks = new Set(set.filter((e) => e < links));
      const deadDevices = new Set(set.filter((e) => e >= links).map((e) => e - links));
      const affected = new Uint8Array(n);
      for (const e of set) {
        const t = sourcesOnTree(e);
        for (let s = 0; s < n; s++) if (t[s]) affected[s] = 1;
      }
      const dist = devices.map((_, s) => {
        if (deadDevices.has(s)) return undefined;
        if (!affected[s]) return intact[s];
        work += (n + edges) * log;
        return dijkstra(adjacency, s, deadLinks, deadDevices);
      });
      // A pair whose source and firewall both kept their distances is as it was intact.
      work += addPairs(dist, (u, k) => affected[u] === 1 || affected[fwIndex[k]!] === 1);
      return true;
    });
    if (work > maxWork) {
      // A size explored in part counts for nothing.
      pairs = saved;
      cut = level;
    }
  }

  const diagnostics: Diagnostic[] = [];
  if (cut !== undefined) {
    const span = intent.survive?.span ?? intent.rules[0]?.span;
    if (span) {
      diagnostics.push(
        diagnostic(Codes.placementNotRobust, span, `too many failure sets to place the policy for: the firewalls carry the rules of paths under up to ${cut - 1} failure${cut === 2 ? '' : 's'}, not ${survive}`, {
          severity: 'warning',
          hint: `write \`survive ${cut - 1} failure${cut === 2 ? '' : 's'}\` to say so, or split the network`,
        }),
      );
    }
  }

  const gateways = new Map<string, number[]>();
  const segGateway = new Map(intent.segments.map((s) => [s.name, s.gateway]));
  const ids = (xs: readonly string[]) => [...new Set(xs)].flatMap((x) => (index.has(x) ? [index.get(x)!] : []));
  for (const s of intent.segments) gateways.set(s.name, ids([s.gateway]));
  for (const h of intent.hosts) gateways.set(h.name, ids([segGateway.get(h.segment) ?? '']));
  for (const x of intent.externals) gateways.set(x.name, ids(x.attachments.map((a) => a.device)));
  for (const p of externalParts(intent)) gateways.set(p.name, gateways.get(p.external.name)!);
  const gatewaysOf = (names: readonly string[]): number[] => names.flatMap((s) => gateways.get(s) ?? []);
  const firewallsOf: RuleFirewalls = (sources, destinations) => {
    const today = base(sources, destinations);
    if (!today) return undefined;
    const us = gatewaysOf(sources);
    const ws = gatewaysOf(destinations);
    let out: Set<string> | undefined;
    for (let k = 0; k < firewalls.length; k++) {
      const fw = firewalls[k]!;
      if (today.has(fw)) continue;
      const p = pairs[k]!;
      if (us.some((u) => ws.some((w) => p[u * n + w] === 1 || p[w * n + u] === 1))) (out ??= new Set(today)).add(fw);
    }
    return out ?? today;
  };
  return { firewallsOf, diagnostics };
}

/** Calls `visit` with every `size`-element subset of 0..count-1 in order, until it returns false. */
function combinations(count: number, size: number, visit: (set: number[]) => boolean): void {
  const set: number[] = [];
  const go = (from: number): boolean => {
    if (set.length === size) return visit([...set]);
    for (let e = from; e < count; e++) {
      set.push(e);
      const more = go(e + 1);
      set.pop();
      if (!more) return false;
    }
    return true;
  };
  go(0);
}

/** Least costs from `source` over the graph without the dead links and devices (Dijkstra, binary heap). */
function dijkstra(adjacency: Edge[][], source: number, deadLinks: Set<number>, deadDevices: Set<number>): number[] {
  const dist = adjacency.map(() => Infinity);
  dist[source] = 0;
  const heap: [number, number][] = [[0, source]];
  const up = (i: number): void => {
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (heap[p]![0] <= heap[i]![0]) return;
      [heap[p], heap[i]] = [heap[i]!, heap[p]!];
      i = p;
    }
  };
  const down = (i: number): void => {
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && heap[l]![0] < heap[m]![0]) m = l;
      if (r < heap.length && heap[r]![0] < heap[m]![0]) m = r;
      if (m === i) return;
      [heap[m], heap[i]] = [heap[i]!, heap[m]!];
      i = m;
    }
  };
  while (heap.length > 0) {
    const [d, u] = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      heap[0] = last;
      down(0);
    }
    if (d > dist[u]!) continue;
    for (const e of adjacency[u]!) {
      if (deadLinks.has(e.link) || deadDevices.has(e.to)) continue;
      const next = d + e.cost;
      if (next < dist[e.to]!) {
        dist[e.to] = next;
        heap.push([next, e.to]);
        up(heap.length - 1);
      }
    }
  }
  return dist;
}
