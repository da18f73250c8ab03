// The model's FIB against a kernel's routing table, entry by entry (pure). A device's `fib` is
// its whole forwarding table for both families (docs/architecture.md, "What a NetworkModel
// means"); the lab reads each device namespace's table with `ip -j route` and every difference
// is one prefix whose next-hop sets differ (or that one side lacks). What the model leaves out on
// purpose, and only that, is not compared (docs/emulator.md, "The routing test"):
//  - `fe80::/64`, the link-local subnet every IPv6 interface has (never a next hop's destination),
//    and the kernel's own `::1` on `lo`;
//  - the kernel's local table (its own addresses, broadcast, multicast), except that an IPv4
//    address on `lo` has its host route there only: those `local` routes on `lo` stand for the
//    model's connected host routes of the loopback.

import type { RouteModel } from '../compiler/model.js';
import { formatPrefix, parsePrefix, type Family } from '../language/address.js';

/** One entry of `ip -j route show`, as iproute2 prints it (only what the comparison reads). */
export interface KernelRoute {
  type?: string;
  dst: string;
  dev?: string;
  gateway?: string;
  metric?: number;
  protocol?: string;
  nexthops?: { dev?: string; gateway?: string }[];
}

/** One device's tables as read from its namespace. */
export interface KernelTables {
  /** `ip -4 -j route show table main` */
  main4: KernelRoute[];
  /** `ip -6 -j route show table main` */
  main6: KernelRoute[];
  /** `ip -4 -j route show table local` (for the loopback's host routes) */
  local4: KernelRoute[];
}

export interface FibDifference {
  device: string;
  prefix: string;
  /** The model's next hops as `interface via address` (or `interface` on-link); undefined: no entry. */
  model?: string[];
  /** The kernel's next hops, the same way; undefined: no entry. */
  kernel?: string[];
}

/** The family-qualified prefix of a kernel `dst` (`default`, a bare address, a prefix). */
export function kernelPrefix(dst: string, family: Family): string {
  if (dst === 'default') return family === 4 ? '0.0.0.0/0' : '::/0';
  const text = dst.includes('/') ? dst : `${dst}/${family === 4 ? 32 : 128}`;
  const p = parsePrefix(text);
  return p ? formatPrefix(p) : text;
}

function hop(dev: string | undefined, gateway: string | undefined): string {
  return gateway ? `${dev ?? '?'} via ${gateway}` : (dev ?? '?');
}

/** A kernel route's next hops (multipath included), sorted; a route of another type says so. */
export function kernelNextHops(r: KernelRoute): string[] {
  if (r.type && r.type !== 'unicast') return [r.type];
  const hops = r.nexthops && r.nexthops.length > 0 ? r.nexthops : [{ dev: r.dev, gateway: r.gateway }];
  return [...new Set(hops.map((h) => hop(h.dev, h.gateway)))].sort();
}

/** The model's next hops; a discard route's (none) are the kernel's `blackhole` type. */
export function modelNextHops(r: RouteModel): string[] {
  if (r.nextHops.length === 0) return ['blackhole'];
  return [...new Set(r.nextHops.map((h) => hop(h.interface, h.address)))].sort();
}

/** Whether the model leaves a kernel main-table entry out on purpose. */
export function outsideModel(prefix: string): boolean {
  return prefix === 'fe80::/64' || prefix === '::1/128';
}

function canonical(prefix: string): string {
  const p = parsePrefix(prefix);
  return p ? formatPrefix(p) : prefix;
}

/**
 * The kernel's forwarding entries by prefix: per family, the lowest-metric entry of each prefix
 * (the one that forwards); an entry the same prefix has at a higher metric is a difference of its
 * own (`shadowed`), since the model has one entry per prefix.
 */
export function kernelEntries(t: KernelTables): { entries: Map<string, string[]>; shadowed: Map<string, string[]> } {
  const entries = new Map<string, string[]>();
  const shadowed = new Map<string, string[]>();
  const best = new Map<string, number>();
  for (const [family, routes] of [
    [4, t.main4],
    [6, t.main6],
  ] as const) {
    for (const r of routes) {
      const prefix = kernelPrefix(r.dst, family);
      if (outsideModel(prefix)) continue;
      const metric = r.metric ?? 0;
      const hops = kernelNextHops(r);
      const seen = best.get(prefix);
      if (seen === metric) {
        // Equal-cost entries listed one by one (older kernels' IPv6 multipath): one route.
        entries.set(prefix, [...new Set([...entries.get(prefix)!, ...hops])].sort());
      } else if (seen === undefined || metric < seen) {
        if (seen !== undefined) shadowed.set(prefix, entries.get(prefix)!);
        entries.set(prefix, hops);
        best.set(prefix, metric);
      } else {
        shadowed.set(prefix, hops);
      }
    }
  }
  for (const r of t.local4) {
    if (r.type !== 'local' || r.dev !== 'lo') continue;
    const prefix = kernelPrefix(r.dst, 4);
    if (prefix.startsWith('127.') || entries.has(prefix)) continue;
    entries.set(prefix, ['lo']);
  }
  return { entries, shadowed };
}

/** Every difference between a device's model FIB and its kernel tables, by prefix. */
export function compareFib(device: string, fib: readonly RouteModel[], tables: KernelTables): FibDifference[] {
  const { entries, shadowed } = kernelEntries(tables);
  const model = new Map(fib.map((r) => [canonical(r.prefix), modelNextHops(r)]));
  const out: FibDifference[] = [];
  for (const prefix of [...new Set([...model.keys(), ...entries.keys()])]) {
    const m = model.get(prefix);
    const k = entries.get(prefix);
    if (m && k && m.join(' ') === k.join(' ')) continue;
    out.push({ device, prefix, ...(m ? { model: m } : {}), ...(k ? { kernel: k } : {}) });
  }
  for (const [prefix, hops] of shadowed) {
    out.push({ device, prefix, ...(model.has(prefix) ? { model: model.get(prefix)! } : {}), kernel: [`shadowed: ${hops.join(', ')}`] });
  }
  return out.sort((a, b) => (a.prefix < b.prefix ? -1 : a.prefix > b.prefix ? 1 : 0));
}

/** One line for a report: the device, the prefix and both next-hop sets. */
export function fibDifferenceText(d: FibDifference): string {
  const side = (hops: string[] | undefined): string => (hops ? `{${hops.join(', ')}}` : 'no entry');
  return `${d.device}: ${d.prefix}: model ${side(d.model)}, kernel ${side(d.kernel)}`;
}
