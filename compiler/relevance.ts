// Which policy rules a firewall can ever see. A rule matters at firewall F when F forwards some
// of its packets: F lies on a forwarding path (every ECMP branch, following the converged FIBs)
// from a device where the rule's sources enter toward one of its destination prefixes, or on the
// way back. Rules that never reach F are left out of its security rules: they could never
// match, and 20,000 rules on every firewall help nobody. A rule with `any` on either side is
// kept on every firewall.
//
// A rule's firewalls are found together, once per rule: every walk collects all the firewalls it
// crosses (not whether one given firewall is among them), and placement hands each firewall the
// rules whose sets name it.

import type { CheckedIntent } from '../language/intent.js';
import { canonicalPrefix, formatPrefix, hasHostBits, mask, type Prefix } from '../language/address.js';
import type { DeviceModel, RouteModel } from './model.js';
import { externalParts, type EndpointSets } from './endpoints.js';
import { cachedPrefix } from './topology.js';
import type { PrefixSet } from './prefix-set.js';

/** The ids of the firewalls a rule's traffic can cross; undefined: every firewall (a side is `any`). */
export type RuleFirewalls = (sources: readonly string[], destinations: readonly string[]) => ReadonlySet<string> | undefined;

const NONE: ReadonlySet<string> = new Set();

/**
 * `inside`: the endpoints' addresses as our network routes them (compiler/nat-views.ts, the
 * `ours` realm: a partner seen as mapped by its mapped prefixes); absent: their own sets.
 */
export function firewallRelevance(
  intent: CheckedIntent,
  devices: readonly DeviceModel[],
  sets: EndpointSets,
  inside: (names: readonly string[]) => PrefixSet | undefined = sets.setOf,
): RuleFirewalls {
  const firewalls = new Set(devices.filter((d) => d.role === 'firewall').map((d) => d.id));
  if (firewalls.size === 0) return (sources, destinations) => (sources.includes('any') || destinations.includes('any') ? undefined : NONE);
  const byId = new Map(devices.map((d) => [d.id, d]));

  // Per device, built on first use: routes by family and length (`family * 256 + length`),
  // then by network address, so a longest-match lookup formats no text. A route whose prefix
  // text is not canonical (host bits: never in a converged FIB) is only found by that text.
  interface FibLookup {
    byLength: Map<number, Map<bigint, RouteModel>>;
    byOddText: Map<string, RouteModel>;
  }
  const fibs = new Map<string, FibLookup>();
  // Whether a prefix text is canonical, per text: most prefixes are in every device's FIB.
  const canonicalText = new Map<string, boolean>();
  const isCanonical = (text: string): boolean => {
    let yes = canonicalText.get(text);
    if (yes === undefined) canonicalText.set(text, (yes = canonicalPrefix(text) === text));
    return yes;
  };
  const fibOf = (device: string): FibLookup | undefined => {
    let fib = fibs.get(device);
    if (!fib) {
      const d = byId.get(device);
      if (!d) return undefined;
      fibs.set(device, (fib = { byLength: new Map(), byOddText: new Map() }));
      for (const r of d.fib) {
        if (!isCanonical(r.prefix)) {
          fib.byOddText.set(r.prefix, r);
          continue;
        }
        const p = cachedPrefix(r.prefix);
        const k = p.family * 256 + p.length;
        let byValue = fib.byLength.get(k);
        if (!byValue) fib.byLength.set(k, (byValue = new Map()));
        byValue.set(p.value, r);
      }
    }
    return fib;
  };

  /** The route a device uses for (every address of) prefix p: the longest one covering it. */
  const lookup = (device: string, p: Prefix): RouteModel | undefined => {
    const fib = fibOf(device);
    if (!fib) return undefined;
    // The prefix itself by its own text; shorter ones by their canonical text.
    if (hasHostBits(p)) {
      const exact = fib.byOddText.size > 0 ? fib.byOddText.get(formatPrefix(p)) : undefined;
      if (exact) return exact;
    }
    for (let len = hasHostBits(p) ? p.length - 1 : p.length; len >= 0; len--) {
      const r = fib.byLength.get(p.family * 256 + len)?.get(p.value & mask(p.family, len));
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
  for (const p of externalParts(intent)) attach.set(p.name, attach.get(p.external.name)!);

  return (sources, destinations) => {
    if (sources.includes('any') || destinations.includes('any')) return undefined;
    const out = new Set<string>();
    const us = [...new Set(sources.flatMap((n) => attach.get(n) ?? []))];
    const vs = [...new Set(destinations.flatMap((n) => attach.get(n) ?? []))];
    const toward = us.length > 0 ? (inside(destinations) ?? []) : [];
    const back = vs.length > 0 ? (inside(sources) ?? []) : [];
    for (const u of us) for (const p of toward) for (const f of onPaths(u, p)) out.add(f);
    for (const v of vs) for (const p of back) for (const f of onPaths(v, p)) out.add(f);
    return out;
  };
}
