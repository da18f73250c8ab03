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
import { ByFibTexts } from './routing-rib.js';
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
  // Devices by number (the last of an id, as a map of ids would keep).
  const index = new Map<string, number>();
  devices.forEach((d, i) => index.set(d.id, i));
  const isFirewall = devices.map((d) => firewalls.has(d.id) && index.get(d.id) !== undefined);

  // Every FIB prefix text is numbered once, for all devices, when the first device holding it is
  // indexed. A canonical text is also found by its family, length and network address, so that a
  // longest-match lookup formats no text; a text with host bits (never in a converged FIB) only
  // by itself.
  const textIds = new Map<string, number>();
  const oddText: boolean[] = [];
  const byLength = new Map<number, Map<bigint, number>>(); // family * 256 + length → network → text number
  const numberOf = (text: string): number => {
    let id = textIds.get(text);
    if (id === undefined) {
      id = textIds.size;
      textIds.set(text, id);
      const odd = canonicalPrefix(text) !== text;
      oddText.push(odd);
      if (!odd) {
        const p = cachedPrefix(text);
        const k = p.family * 256 + p.length;
        let byValue = byLength.get(k);
        if (!byValue) byLength.set(k, (byValue = new Map()));
        byValue.set(p.value, id);
      }
    }
    return id;
  };
  // Per device, built on first use: its routes by text number. A FIB of the same texts in the
  // same order as one indexed before (most are) takes its text numbers.
  const fibs: ((RouteModel | undefined)[] | undefined)[] = [];
  const idsOf = new ByFibTexts((routes) => routes.map((r) => numberOf(r.prefix)));
  const fibOf = (device: number): (RouteModel | undefined)[] => {
    let fib = fibs[device];
    if (!fib) {
      const routes = devices[device]!.fib;
      const ids = idsOf.get(routes);
      fib = new Array<RouteModel | undefined>(textIds.size).fill(undefined);
      for (let i = 0; i < routes.length; i++) fib[ids[i]!] = routes[i];
      fibs[device] = fib;
    }
    return fib;
  };

  // A walked prefix: the texts that can be its longest match, longest first (found again once
  // more texts are numbered), and the firewalls on the paths from each device toward it.
  interface Walk {
    /** The prefix's own text when it has host bits and some FIB holds that text. */
    odd: number | undefined;
    covers: number[];
    /** How many texts were numbered when `covers` was found. */
    known: number;
    /** Firewalls on every forwarding path from each device (by number); walks share their suffixes. */
    onPaths: (ReadonlySet<string> | undefined)[];
  }
  const walks = new Map<Prefix, Walk>();
  const walkOf = (p: Prefix): Walk => {
    let walk = walks.get(p);
    if (!walk) walks.set(p, (walk = { odd: undefined, covers: [], known: -1, onPaths: new Array<ReadonlySet<string> | undefined>(devices.length).fill(undefined) }));
    return walk;
  };
  const coversOf = (walk: Walk, p: Prefix): number[] => {
    if (walk.known !== textIds.size) {
      walk.known = textIds.size;
      const odd = hasHostBits(p);
      const own = odd ? textIds.get(formatPrefix(p)) : undefined;
      walk.odd = own !== undefined && oddText[own] ? own : undefined;
      walk.covers = [];
      for (let len = odd ? p.length - 1 : p.length; len >= 0; len--) {
        const id = byLength.get(p.family * 256 + len)?.get(p.value & mask(p.family, len));
        if (id !== undefined) walk.covers.push(id);
      }
    }
    return walk.covers;
  };

  /** The route a device uses for (every address of) prefix p: the longest one covering it. */
  const lookup = (device: number, walk: Walk, p: Prefix): RouteModel | undefined => {
    const fib = fibOf(device);
    const covers = coversOf(walk, p);
    // The prefix itself by its own text; shorter ones by their canonical text.
    if (walk.odd !== undefined) {
      const exact = fib[walk.odd];
      if (exact) return exact;
    }
    for (const id of covers) {
      const r = fib[id];
      if (r) return r;
    }
    return undefined;
  };

  // Firewalls on every forwarding path from a device toward prefix p, remembered per
  // (prefix, device): walks toward the same prefix share their suffixes.
  const onPaths = (device: number, walk: Walk, p: Prefix): ReadonlySet<string> => {
    const known = walk.onPaths[device];
    if (known) return known;
    walk.onPaths[device] = NONE; // a forwarding loop ends here
    // Share the next hop's set when nothing is added to it (the common case on a chain).
    let result: ReadonlySet<string> = NONE;
    let own: Set<string> | undefined;
    for (const h of lookup(device, walk, p)?.nextHops ?? []) {
      const next = h.device === undefined ? undefined : index.get(h.device);
      if (next === undefined) continue;
      const sub = onPaths(next, walk, p);
      if (sub.size === 0 || sub === result) continue;
      if (result.size === 0) {
        result = sub;
      } else {
        own ??= new Set(result);
        for (const f of sub) own.add(f);
        result = own;
      }
    }
    const id = devices[device]!.id;
    if (isFirewall[device] && !result.has(id)) {
      own = new Set(result);
      own.add(id);
      result = own;
    }
    walk.onPaths[device] = result;
    return result;
  };
  const fromDevice = (device: string, p: Prefix): ReadonlySet<string> => {
    const i = index.get(device);
    return i === undefined ? NONE : onPaths(i, walkOf(p), p);
  };

  const attach = new Map<string, string[]>();
  const segGateway = new Map(intent.segments.map((s) => [s.name, s.gateway]));
  for (const s of intent.segments) attach.set(s.name, [s.gateway]);
  for (const h of intent.hosts) attach.set(h.name, [segGateway.get(h.segment) ?? '']);
  for (const x of intent.externals) attach.set(x.name, [...new Set(x.attachments.map((a) => a.device))]);
  for (const p of externalParts(intent)) attach.set(p.name, attach.get(p.external.name)!);

  // The devices the endpoints attach at, each once, in the order first named. Asked twice per
  // rule: a loop, since V8's flatMap is a slow generic path (about a microsecond a call).
  const attachedDevices = (names: readonly string[]): string[] => {
    const out: string[] = [];
    for (const n of names) {
      const list = attach.get(n);
      if (list) for (const d of list) if (!out.includes(d)) out.push(d);
    }
    return out;
  };

  return (sources, destinations) => {
    if (sources.includes('any') || destinations.includes('any')) return undefined;
    const out = new Set<string>();
    const us = attachedDevices(sources);
    const vs = attachedDevices(destinations);
    const toward = us.length > 0 ? (inside(destinations) ?? []) : [];
    const back = vs.length > 0 ? (inside(sources) ?? []) : [];
    for (const u of us) for (const p of toward) for (const f of fromDevice(u, p)) out.add(f);
    for (const v of vs) for (const p of back) for (const f of fromDevice(v, p)) out.add(f);
    return out;
  };
}
