// Least-cost paths of the OSPF graph for placement under failures (failures.ts): Dijkstra with
// failed links and devices left out, and the firewalls on the intact graph's least-cost paths
// between every two devices.

export interface Edge {
  to: number;
  cost: number;
  /** The failure element (link) index of this edge. */
  link: number;
}

// The heap's entries as two typed arrays (cost, device), kept between calls and grown when a
// graph needs more: 400 sources at 400 devices push about a thousand entries each, a pair
// array apiece before.
let heapCost = new Float64Array(1024);
let heapAt = new Int32Array(1024);

/**
 * Least costs from `source` over the graph without the dead links and devices (Dijkstra, binary
 * heap). `settled`, when given, receives the devices reached in the order they are settled
 * (costs never decreasing), from its start.
 */
export function dijkstra(adjacency: Edge[][], source: number, deadLinks: Set<number>, deadDevices: Set<number>, settled?: Int32Array): number[] {
  const dist = adjacency.map(() => Infinity);
  dist[source] = 0;
  // A device is pushed once for each cost that lowers its distance: with costs not negative, at
  // most once per edge.
  let capacity = 1;
  for (const out of adjacency) capacity += out.length;
  if (heapCost.length < capacity) {
    heapCost = new Float64Array(capacity);
    heapAt = new Int32Array(capacity);
  }
  let cost = heapCost;
  let at = heapAt;
  let size = 1;
  cost[0] = 0;
  at[0] = source;
  let reached = 0;
  while (size > 0) {
    const d = cost[0]!;
    const u = at[0]!;
    // The last entry sifted down from the root.
    size--;
    if (size > 0) {
      const c = cost[size]!;
      const v = at[size]!;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= size) break;
        const r = l + 1;
        const m = r < size && cost[r]! < cost[l]! ? r : l;
        if (cost[m]! >= c) break;
        cost[i] = cost[m]!;
        at[i] = at[m]!;
        i = m;
      }
      cost[i] = c;
      at[i] = v;
    }
    if (d > dist[u]!) continue;
    // The entry at a device's final cost is popped once.
    if (settled) settled[reached++] = u;
    // Indexed: a for-of makes a result object per edge until this is optimized (10 MB at 400 devices).
    const edges = adjacency[u]!;
    for (let k = 0; k < edges.length; k++) {
      const e = edges[k]!;
      if (deadLinks.has(e.link) || deadDevices.has(e.to)) continue;
      const next = d + e.cost;
      if (next < dist[e.to]!) {
        dist[e.to] = next;
        // Sifted up from the end. (Only a negative cost settles a device twice and pushes more.)
        if (size === cost.length) {
          cost = heapCost = growFloat(cost);
          at = heapAt = growInt(at);
        }
        let i = size++;
        while (i > 0) {
          const p = (i - 1) >> 1;
          if (cost[p]! <= next) break;
          cost[i] = cost[p]!;
          at[i] = at[p]!;
          i = p;
        }
        cost[i] = next;
        at[i] = e.to;
      }
    }
  }
  return dist;
}

function growFloat(a: Float64Array<ArrayBuffer>): Float64Array<ArrayBuffer> {
  const b = new Float64Array(a.length * 2);
  b.set(a);
  return b;
}

function growInt(a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const b = new Int32Array(a.length * 2);
  b.set(a);
  return b;
}

/** Whether every edge costs a positive whole number: then a least-cost edge always leads to a device farther away, and sums of costs are exact. */
export function positiveWholeCosts(adjacency: readonly Edge[][]): boolean {
  return adjacency.every((out) => out.every((e) => Number.isSafeInteger(e.cost) && e.cost > 0));
}

/**
 * The least costs from every device of the intact graph, and for every pair (u, w) the
 * firewalls on a least-cost path from u to w, as bits (firewall k is bit k % 32 of word k / 32
 * of the `words` words at (u * n + w) * words of `pairs`, which are or-ed in).
 *
 * dist(u, F) + dist(F, w) = dist(u, w) holds exactly when F lies on a path of u's least-cost
 * edges (dist(u, a) + cost = dist(u, b)) from u to w: rather than that sum for every firewall,
 * source and device (n² per firewall), each source's devices are taken in the order Dijkstra
 * settled them and hand their firewalls on along their least-cost edges (costs positive and
 * whole, positiveWholeCosts: every such edge leads to a device settled later). `firewallOf`
 * gives each device's firewall number, -1 for the others.
 */
export function intactPairs(adjacency: Edge[][], firewallOf: Int32Array, words: number, pairs: Uint32Array): number[][] {
  const n = adjacency.length;
  const none = new Set<number>();
  const settled = new Int32Array(n);
  const on = new Uint32Array(n * words);
  const intact: number[][] = [];
  for (let u = 0; u < n; u++) {
    settled.fill(-1);
    const du = dijkstra(adjacency, u, none, none, settled);
    intact.push(du);
    on.fill(0);
    for (let i = 0; i < n; i++) {
      const a = settled[i]!;
      if (a === -1) break;
      const k = firewallOf[a]!;
      const at = a * words;
      if (k >= 0) on[at + (k >>> 5)]! |= 1 << (k & 31);
      const pair = (u * n + a) * words;
      for (let j = 0; j < words; j++) pairs[pair + j]! |= on[at + j]!;
      const da = du[a]!;
      const edges = adjacency[a]!;
      for (let m = 0; m < edges.length; m++) {
        const e = edges[m]!;
        if (da + e.cost !== du[e.to]) continue;
        const to = e.to * words;
        for (let j = 0; j < words; j++) on[to + j]! |= on[at + j]!;
      }
    }
  }
  return intact;
}
