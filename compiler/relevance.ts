// Which policy rules a firewall can ever see. A rule matters at firewall F when F forwards some
// of its packets: F lies on a forwarding path (every ECMP branch, following the converged FIBs)
// from a device where the rule's sources enter toward one of its destination prefixes, or on the
// way back. Rules that never reach F are left out of its security rules: they could never
// match, and 20,000 rules on every firewall help nobody. A rule with `any` on either side is
// kept on every firewall.

import type { CheckedIntent } from '../language/intent.js';
import { BITS, type Prefix } from '../language/address.js';
import { cachedPrefix } from './topology.js';
import type { DeviceModel, RouteModel } from './model.js';
import type { EndpointSets } from './endpoints.js';

export type Relevance = (firewall: string, sources: readonly string[], destinations: readonly string[]) => boolean;

export function firewallRelevance(intent: CheckedIntent, devices: readonly DeviceModel[], sets: EndpointSets): Relevance {
  const firewalls = new Set(devices.filter((d) => d.role === 'firewall').map((d) => d.id));
  if (firewalls.size === 0) return () => false;
  const byId = new Map(devices.map((d) => [d.id, d]));
  // Per device: routes by family and length, keyed by network value (no text formatting).
  const fibs = new Map<string, Map<string, Map<bigint, RouteModel>>>();
  const lengths = new Map<string, number[]>();
  const present = new Map<number, Set<number>>([
    [4, new Set()],
    [6, new Set()],
  ]);
  for (const d of devices) {
    const byLen = new Map<string, Map<bigint, RouteModel>>();
    for (const r of d.fib) {
      const p = cachedPrefix(r.prefix);
      const k = `${p.family}/${p.length}`;
      let m = byLen.get(k);
      if (!m) byLen.set(k, (m = new Map()));
      m.set(p.value, r);
      present.get(p.family)!.add(p.length);
    }
    fibs.set(d.id, byLen);
  }
  for (const [f, lens] of present) lengths.set(String(f), [...lens].sort((a, b) => b - a));

  const attach = new Map<string, string[]>();
  const segGateway = new Map(intent.segments.map((s) => [s.name, s.gateway]));
  for (const s of intent.segments) attach.set(s.name, [s.gateway]);
  for (const h of intent.hosts) attach.set(h.name, [segGateway.get(h.segment) ?? '']);
  for (const x of intent.externals) attach.set(x.name, [...new Set(x.attachments.map((a) => a.device))]);

  /** The route a device uses for (every address of) prefix p: the longest one covering it. */
  const lookup = (device: string, p: Prefix): RouteModel | undefined => {
    const fib = fibs.get(device);
    if (!fib) return undefined;
    const bits = BigInt(BITS[p.family]);
    for (const len of lengths.get(String(p.family)) ?? []) {
      if (len > p.length) continue;
      const shift = bits - BigInt(len);
      const r = fib.get(`${p.family}/${len}`)?.get((p.value >> shift) << shift);
      if (r) return r;
    }
    return undefined;
  };
  // By start device, then by prefix object (the sets' prefixes are shared objects).
  const pathMemo = new Map<string, Map<Prefix, string[]>>();
  /** Every device on a forwarding path from `start` toward prefix p (p inside one route). */
  const onPaths = (start: string, p: Prefix): string[] => {
    let memo = pathMemo.get(start);
    if (!memo) pathMemo.set(start, (memo = new Map()));
    let out = memo.get(p);
    if (out) return out;
    const seen = new Set<string>([start]);
    const queue = [start];
    while (queue.length > 0) {
      const u = queue.pop()!;
      for (const h of lookup(u, p)?.nextHops ?? []) {
        if (h.device && byId.has(h.device) && !seen.has(h.device)) {
          seen.add(h.device);
          queue.push(h.device);
        }
      }
    }
    out = [...seen].filter((d) => firewalls.has(d));
    memo.set(p, out);
    return out;
  };
  const ruleMemo = new Map<string, Set<string>>();
  const firewallsOf = (sources: readonly string[], destinations: readonly string[]): Set<string> | undefined => {
    if (sources.includes('any') || destinations.includes('any')) return undefined;
    const key = `${sources.join(',')}>${destinations.join(',')}`;
    let out = ruleMemo.get(key);
    if (out) return out;
    out = new Set<string>();
    const us = [...new Set(sources.flatMap((n) => attach.get(n) ?? []))];
    const vs = [...new Set(destinations.flatMap((n) => attach.get(n) ?? []))];
    const dst = sets.setOf(destinations) ?? [];
    const src = sets.setOf(sources) ?? [];
    for (const u of us) for (const p of dst) for (const f of onPaths(u, p)) out.add(f);
    for (const v of vs) for (const p of src) for (const f of onPaths(v, p)) out.add(f);
    ruleMemo.set(key, out);
    return out;
  };
  // The same rule is asked about for every firewall: remember the answer by its arrays.
  const byArrays = new WeakMap<readonly string[], WeakMap<readonly string[], Set<string> | null>>();
  return (fw, sources, destinations) => {
    let inner = byArrays.get(sources);
    if (!inner) byArrays.set(sources, (inner = new WeakMap()));
    let fws = inner.get(destinations);
    if (fws === undefined) inner.set(destinations, (fws = firewallsOf(sources, destinations) ?? null));
    return fws === null || fws.has(fw);
  };
}
