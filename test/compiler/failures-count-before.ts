// Placement under failures as it was before the intact pairs were found through least-cost edges
// and the failure sets' work counted by connected part (compiler/failures.ts at c6f4d05): the
// reference of test/compiler/failures-count.test.ts.

import { diagnostic, type Diagnostic } from '../../language/diagnostic.js';
import { Codes } from '../../language/diagnostics/index.js';
import { DEFAULT_SURVIVED_FAILURES, type CheckedIntent } from '../../language/intent.js';
import { externalParts } from '../../compiler/endpoints.js';
import type { DeviceModel } from '../../compiler/model.js';
import type { RuleFirewalls } from '../../compiler/relevance.js';

/** The most work (shortest-path trees recomputed, and firewall pairs checked, in steps) spent on placement under failures. */
const MAX_PLACEMENT_WORK = 200_000_000;

interface Edge {
  to: number;
  cost: number;
  /** The failure element (link) index of this edge. */
  link: number;
}

/** A rule's firewalls (`base`: on today's paths) with those its flows cross under the failures the intent must survive. */
export function robustRelevanceCountBefore(
  intent: CheckedIntent,
  devices: readonly DeviceModel[],
  base: RuleFirewalls,
  maxWork: number = MAX_PLACEMENT_WORK,
): { firewallsOf: RuleFirewalls; diagnostics: Diagnostic[] } {
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
  const everyDevice = devices.map((_, u) => u);
  // Bit k of the words at (u * n + w) * words: firewall k is on a least-cost path from u to w
  // under some failure set. One pair's firewalls are side by side, so that a rule's pairs read a
  // few words each, not a byte in each firewall's own n × n array (80 arrays of 160,000 bytes at
  // 400 devices: a cache miss per firewall and pair).
  const words = (fwIndex.length + 31) >>> 5;
  const pairs = new Uint32Array(n * n * words);
  // Every pair (u, w) whose least-cost paths cross a firewall, for the sources u in `from` (all
  // of them for a firewall in `everyFrom`); returns the work (n per source and firewall whose
  // distance is finite). `fill` false counts the work and marks nothing.
  const addPairs = (dist: (number[] | undefined)[], from: readonly number[], everyFrom: Uint8Array | undefined, fill: boolean): number => {
    let work = 0;
    for (let k = 0; k < fwIndex.length; k++) {
      const f = fwIndex[k]!;
      const fromF = dist[f];
      if (!fromF) continue;
      const word = k >>> 5;
      const bit = 1 << (k & 31);
      for (const u of everyFrom === undefined || everyFrom[f] === 1 ? everyDevice : from) {
        const du = dist[u];
        if (!du || du[f] === Infinity) continue;
        work += n;
        if (!fill) continue;
        const toF = du[f]!;
        const row = u * n;
        for (let w = 0; w < n; w++) {
          const through = toF + fromF[w]!;
          if (through !== Infinity && through === du[w]) pairs[(row + w) * words + word]! |= bit;
        }
      }
    }
    return work;
  };
  let work = addPairs(intact, everyDevice, undefined, true);
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
  // Whether every edge has its way back over the same link, all costs finite: then, with any
  // links and devices failed, a device reaches another exactly when both are in one connected
  // part, and a distance is finite exactly then.
  const symmetric = adjacency.every((out, a) => out.every((e) => Number.isFinite(e.cost) && adjacency[e.to]!.some((back) => back.to === a && back.link === e.link)));
  const part = new Int32Array(n);
  const queue = new Int32Array(n);
  /** Each live device's connected part without the dead links and devices (in `part`). */
  const parts = (deadLinks: Set<number>, deadDevices: Set<number>): Int32Array => {
    part.fill(-1);
    for (let s = 0; s < n; s++) {
      if (part[s] !== -1 || deadDevices.has(s)) continue;
      part[s] = s;
      let head = 0;
      let tail = 0;
      queue[tail++] = s;
      while (head < tail) {
        for (const e of adjacency[queue[head++]!]!) {
          if (part[e.to] !== -1 || deadLinks.has(e.link) || deadDevices.has(e.to)) continue;
          part[e.to] = s;
          queue[tail++] = e.to;
        }
      }
    }
    return part;
  };
  // One size of failure sets, from the work done so far (`start`), set by set until the work
  // passes the bound; returns the work at the end. `count` marks nothing, and tells a finite
  // distance by the connected parts when the graph is symmetric (no shortest path computed);
  // `fill` marks the pairs.
  const explore = (size: number, start: number, mode: 'count' | 'fill'): number => {
    let done = start;
    combinations(elements, size, (set) => {
      if (done > maxWork) return false;
      const deadLinks = new Set(set.filter((e) => e < links));
      const deadDevices = new Set(set.filter((e) => e >= links).map((e) => e - links));
      const affected = new Uint8Array(n);
      for (const e of set) {
        const t = sourcesOnTree(e);
        for (let s = 0; s < n; s++) if (t[s]) affected[s] = 1;
      }
      // The live sources whose distances may change (in order).
      const moved: number[] = [];
      for (let s = 0; s < n; s++) if (affected[s] === 1 && !deadDevices.has(s)) moved.push(s);
      done += moved.length * (n + edges) * log;
      if (mode === 'count' && symmetric) {
        const within = parts(deadLinks, deadDevices);
        for (const f of fwIndex) {
          if (deadDevices.has(f)) continue;
          if (affected[f] !== 1) {
            for (const u of moved) if (within[u] === within[f]) done += n;
            continue;
          }
          for (let u = 0; u < n; u++) {
            if (deadDevices.has(u)) continue;
            if (affected[u] === 1 ? within[u] === within[f] : intact[u]![f] !== Infinity) done += n;
          }
        }
        return true;
      }
      const dist = devices.map((_, s) => {
        if (deadDevices.has(s)) return undefined;
        if (!affected[s]) return intact[s];
        return dijkstra(adjacency, s, deadLinks, deadDevices);
      });
      // A pair whose source and firewall both kept their distances is as it was intact.
      done += addPairs(dist, moved, affected, mode === 'fill');
      return true;
    });
    return done;
  };
  let cut: number | undefined;
  for (let level = 1; level <= survive; level++) {
    // A size explored in part counts for nothing: its work is counted first, and when it passes
    // the bound none of it is marked.
    if (explore(level, work, 'count') > maxWork) {
      cut = level;
      break;
    }
    work = explore(level, work, 'fill');
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
  // Asked twice per rule (20,000 times at 400 devices): a loop, since V8's flatMap is a slow
  // generic path (about a microsecond a call).
  const gatewaysOf = (names: readonly string[]): number[] => {
    const out: number[] = [];
    for (const s of names) {
      const list = gateways.get(s);
      if (list) for (const g of list) out.push(g);
    }
    return out;
  };
  // A rule's firewalls under failures: the union of its gateway pairs' words, either way.
  const union = new Uint32Array(words);
  const firewallsOf: RuleFirewalls = (sources, destinations) => {
    const today = base(sources, destinations);
    if (!today) return undefined;
    const us = gatewaysOf(sources);
    const ws = gatewaysOf(destinations);
    let any = 0;
    for (const u of us) {
      for (const w of ws) {
        const there = (u * n + w) * words;
        const back = (w * n + u) * words;
        for (let j = 0; j < words; j++) {
          const both = pairs[there + j]! | pairs[back + j]!;
          union[j]! |= both;
          any |= both;
        }
      }
    }
    if (any === 0) return today;
    let out: Set<string> | undefined;
    // Firewalls in their order (k ascending), as a rule's set has always been filled.
    for (let j = 0; j < words; j++) {
      let m = union[j]!;
      union[j] = 0;
      while (m !== 0) {
        const low = m & -m;
        m ^= low;
        const fw = firewalls[j * 32 + 31 - Math.clz32(low)]!;
        if (!today.has(fw)) (out ??= new Set(today)).add(fw);
      }
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
