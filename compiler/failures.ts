// Failure-robust placement: which firewalls a flow can cross once up to N links or devices have
// failed (N from the intent's `survive` line, default 1), so that a firewall on a backup path
// carries the rules of the flows that fail over to it.
//
// With `routing ospf`, traffic between two gateways follows the least-cost paths of the OSPF
// graph (every link both of whose ends run OSPF, at each end's cost); a segment's prefix is a
// stub of its gateway, so the paths toward it are the paths toward the gateway. Firewall F is on
// such a path from u to w exactly when dist(u, F) + dist(F, w) = dist(u, w). For every failure set
// of up to N elements (a link, or a device other than u and w) the distances are computed again
// on the graph without it, and every pair (u, w) whose paths then cross F is added to F's pairs.
// A rule is placed on F when its sources' and destinations' gateways form such a pair, in either
// direction (the replies come back), besides the rules today's paths already put there
// (relevance.ts). Paths toward an external go to the nearest of its attachment devices; all of
// them are counted.
//
// With `routing static` the routes stay where the compiler wrote them when a link fails, so no
// failure opens a new path to place rules on: a `survive` line there is warned about (C711), as
// is an intent whose failure sets are too many to explore (placement then covers the sets
// explored, each size in full or not at all).

import { diagnostic, type Diagnostic } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import { DEFAULT_SURVIVED_FAILURES, type CheckedIntent } from '../language/intent.js';
import { externalParts } from './endpoints.js';
import type { DeviceModel } from './model.js';
import type { RuleFirewalls } from './relevance.js';
import { dijkstra, intactPairs, positiveWholeCosts, type Edge } from './failure-paths.js';

/** The most work (shortest-path trees recomputed, and firewall pairs checked, in steps) spent on placement under failures. */
export const MAX_PLACEMENT_WORK = 200_000_000;

/** A rule's firewalls (`base`: on today's paths) with those its flows cross under the failures the intent must survive. */
export function robustRelevance(
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
  // The intact graph's pairs through each source's least-cost edges when every cost is a positive
  // whole number (always, from a checked intent): the same bits, without the sum for every
  // firewall, source and device; its work counted as addPairs counts it.
  let intact: number[][];
  let work = 0;
  if (positiveWholeCosts(adjacency)) {
    const firewallOf = new Int32Array(n).fill(-1);
    fwIndex.forEach((f, k) => (firewallOf[f] = k));
    intact = intactPairs(adjacency, firewallOf, words, pairs);
    for (const f of fwIndex) for (const du of intact) if (du[f] !== Infinity) work += n;
  } else {
    intact = devices.map((_, s) => dijkstra(adjacency, s, none, none));
    work = addPairs(intact, everyDevice, undefined, true);
  }
  // The sources from which element e lies on a least-cost path in the intact graph: only their
  // distances can change when e fails (removing anything else leaves them as they are).
  // By element, made when first marked: most devices are on no other source's tree.
  const trees: (Uint8Array | undefined)[] = new Array<Uint8Array | undefined>(elements).fill(undefined);
  const onTreeOf = (e: number): Uint8Array => (trees[e] ??= new Uint8Array(n));
  for (let s = 0; s < n; s++) {
    const d = intact[s]!;
    for (let a = 0; a < n; a++) {
      const da = d[a]!;
      if (da === Infinity) continue;
      for (const edge of adjacency[a]!) {
        if (da + edge.cost !== d[edge.to]) continue;
        onTreeOf(edge.link)[s] = 1;
        if (a !== s) onTreeOf(links + a)[s] = 1;
      }
    }
  }
  const sourcesOnTree = (e: number): Uint8Array => trees[e] ?? new Uint8Array(n);
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
  // Each device's part of the intact graph and the size of each part, for the count.
  const intactPart = symmetric ? parts(new Set(), new Set()).slice() : part;
  const intactSizes = new Int32Array(n);
  for (let u = 0; u < n; u++) intactSizes[intactPart[u]!]!++;
  const movedIn = new Int32Array(n);
  const keptIn = new Int32Array(n);
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
        // n for each live firewall f and source u whose distances the fill would read: the moved
        // sources in f's part now, and for a moved f also the sources that kept their distances
        // and reached f intact (in f's intact part, the graph being symmetric). Counted by part,
        // not source by source.
        const within = parts(deadLinks, deadDevices);
        movedIn.fill(0);
        keptIn.set(intactSizes);
        for (const u of moved) movedIn[within[u]!]!++;
        for (let u = 0; u < n; u++) if (affected[u] === 1 || deadDevices.has(u)) keptIn[intactPart[u]!]!--;
        for (const f of fwIndex) {
          if (deadDevices.has(f)) continue;
          done += n * movedIn[within[f]!]!;
          if (affected[f] === 1) done += n * keptIn[intactPart[f]!]!;
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
  // The device numbers of the names, each once, in their order (a loop: 4,400 calls at 400 devices).
  const ids = (xs: readonly string[]): number[] => {
    const out: number[] = [];
    for (const x of xs) {
      const i = index.get(x);
      if (i !== undefined && !out.includes(i)) out.push(i);
    }
    return out;
  };
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
