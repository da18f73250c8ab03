// Which policy rules a firewall can ever see. A rule matters at firewall F when F forwards some
// of its packets: F lies on a forwarding path (every ECMP branch, following the converged FIBs)
// from a device where the rule's sources enter toward one of its destination prefixes, or on the
// way back. Rules that never reach F are left out of its security rules: they could never
// match, and 20,000 rules on every firewall help nobody. A rule with `any` on either side is
// kept on every firewall.

import type { CheckedIntent } from '../language/intent.js';
import { BITS, formatAddress, formatPrefix, type Prefix } from '../language/address.js';
import type { DeviceModel, RouteModel } from './model.js';
import type { EndpointSets } from './endpoints.js';

export type Relevance = (firewall: string, sources: readonly string[], destinations: readonly string[]) => boolean;

const NONE: ReadonlySet<string> = new Set();

export function firewallRelevance(intent: CheckedIntent, devices: readonly DeviceModel[], sets: EndpointSets): Relevance {
  const firewalls = new Set(devices.filter((d) => d.role === 'firewall').map((d) => d.id));
  if (firewalls.size === 0) return () => false;
  const byId = new Map(devices.map((d) => [d.id, d]));

  // Per device, built on first use: routes by prefix text.
  const fibs = new Map<string, Map<string, RouteModel>>();
  const fibOf = (device: string): Map<string, RouteModel> | undefined => {
    let fib = fibs.get(device);
    if (!fib) {
      const d = byId.get(device);
      if (!d) return undefined;
      fibs.set(device, (fib = new Map(d.fib.map((r) => [r.prefix, r]))));
    }
    return fib;
  };
  const texts = new WeakMap<Prefix, string>();
  const textOf = (p: Prefix): string => {
    let t = texts.get(p);
    if (t === undefined) texts.set(p, (t = formatPrefix(p)));
    return t;
  };

  /** The route a device uses for (every address of) prefix p: the longest one covering it. */
  const lookup = (device: string, p: Prefix): RouteModel | undefined => {
    const fib = fibOf(device);
    if (!fib) return undefined;
    const exact = fib.get(textOf(p));
    if (exact) return exact;
    const bits = BigInt(BITS[p.family]);
    for (let len = p.length - 1; len >= 0; len--) {
      const shift = bits - BigInt(len);
      const r = fib.get(`${formatAddress({ family: p.family, value: (p.value >> shift) << shift })}/${len}`);
      if (r) return r;
    }
    return undefined;
  };

  // Firewalls on every forwarding path from a device toward prefix p, remembered per
  // (prefix, device): walks toward the same prefix share their suffixes.
  const memo = new Map<Prefix, Map<string, ReadonlySet<string>>>();
  const onPaths = (device: string, p: Prefix): ReadonlySet<string> => {
    let byDevice = memo.get(p);
    if (!byDevice) memo.set(p, (byDevice = new Map()));
    const known = byDevice.get(device);
    if (known) return known;
    byDevice.set(device, NONE); // a forwarding loop ends here
    // Share the next hop's set when nothing is added to it (the common case on a chain).
    let result: ReadonlySet<string> = NONE;
    let own: Set<string> | undefined;
    for (const h of lookup(device, p)?.nextHops ?? []) {
      if (!h.device || !byId.has(h.device)) continue;
      const sub = onPaths(h.device, p);
      if (sub.size === 0 || sub === result) continue;
      if (result.size === 0) {
        result = sub;
      } else {
        own ??= new Set(result);
        for (const f of sub) own.add(f);
        result = own;
      }
    }
    if (firewalls.has(device) && !result.has(device)) {
      own = new Set(result);
      own.add(device);
      result = own;
    }
    byDevice.set(device, result);
    return result;
  };

  const attach = new Map<string, string[]>();
  const segGateway = new Map(intent.segments.map((s) => [s.name, s.gateway]));
  for (const s of intent.segments) attach.set(s.name, [s.gateway]);
  for (const h of intent.hosts) attach.set(h.name, [segGateway.get(h.segment) ?? '']);
  for (const x of intent.externals) attach.set(x.name, [...new Set(x.attachments.map((a) => a.device))]);

  const firewallsOf = (sources: readonly string[], destinations: readonly string[]): Set<string> | undefined => {
    if (sources.includes('any') || destinations.includes('any')) return undefined;
    const out = new Set<string>();
    const us = [...new Set(sources.flatMap((n) => attach.get(n) ?? []))];
    const vs = [...new Set(destinations.flatMap((n) => attach.get(n) ?? []))];
    for (const u of us) for (const p of sets.setOf(destinations) ?? []) for (const f of onPaths(u, p)) out.add(f);
    for (const v of vs) for (const p of sets.setOf(sources) ?? []) for (const f of onPaths(v, p)) out.add(f);
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
