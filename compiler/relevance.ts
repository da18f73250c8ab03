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
import type { DeviceModel, NextHopModel } from './model.js';
import { externalParts, type EndpointSets } from './endpoints.js';
import { cachedPrefix } from './topology.js';
import { ByFibTexts, fibView, routeClassesOfView, type FibView } from './fib-views.js';
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
  // Every device's FIB texts are numbered first (a FIB of the same texts in the same order as one
  // numbered before, as most are, takes its numbers). Then each distinct list of texts gets the
  // position of each text number in it, and a device finds its route for a text number in its own
  // FIB at that position: one array of positions per list of texts, not an array of every text
  // number per device (400 arrays of 4,849 entries at 400 devices).
  interface FibTexts {
    ids: number[];
    /** By text number: its position in the FIB (-1: none); made once all texts are numbered. */
    positions: Int32Array | undefined;
  }
  const textsOf = new ByFibTexts((fib): FibTexts => {
    const ids: number[] = [];
    for (let i = 0; i < fib.length; i++) ids.push(numberOf(fib.prefixAt(i)));
    return { ids, positions: undefined };
  });
  // Read by position: the routes of a converged FIB are not made for this (compiler/fib-views.ts).
  const fibs = devices.map(fibView);
  const fibTexts = fibs.map((fib) => textsOf.get(fib));
  const textClass = routeClassOfTexts(fibs, fibTexts, textIds.size);
  const positionsOf = (device: number): Int32Array => {
    const texts = fibTexts[device]!;
    if (texts.positions === undefined) {
      const positions = new Int32Array(textIds.size).fill(-1);
      // The last route of a text, as a map by text would keep (a converged FIB has one per text).
      for (let i = 0; i < texts.ids.length; i++) positions[texts.ids[i]!] = i;
      texts.positions = positions;
    }
    return texts.positions;
  };

  // A walked prefix: the texts that can be its longest match, longest first, and the firewalls
  // on the paths from each device toward it.
  interface Walk {
    /** The prefix's own text when it has host bits and some FIB holds that text. */
    odd: number | undefined;
    covers: number[];
    /** Firewalls on every forwarding path from each device (by number), as numbers of sets in `found`. */
    onPaths: Int32Array;
  }
  const walks = new Map<Prefix, Walk>();
  // Prefixes with the same texts to match (the hosts of one segment, say) take the same route at
  // every device: they share one walk, found by those texts.
  const walksByTexts = new Map<string, Walk>();
  // Every FIB text is numbered by now: a prefix's texts are found once.
  const walkOf = (p: Prefix): Walk => {
    let walk = walks.get(p);
    if (!walk) {
      const odd = hasHostBits(p);
      const own = odd ? textIds.get(formatPrefix(p)) : undefined;
      const covers: number[] = [];
      for (let len = odd ? p.length - 1 : p.length; len >= 0; len--) {
        const id = byLength.get(p.family * 256 + len)?.get(p.value & mask(p.family, len));
        if (id !== undefined) covers.push(id);
      }
      const exact = own !== undefined && oddText[own] ? own : undefined;
      // The covering texts by their route classes when the FIBs are of one convergence: a walk
      // reads only the next devices of the route it matches at each device.
      const key = `${exact ?? ''}:${(textClass === undefined ? covers : covers.map((id) => textClass[id]!)).join(',')}`;
      walk = walksByTexts.get(key);
      if (!walk) walksByTexts.set(key, (walk = { odd: exact, covers, onPaths: new Int32Array(devices.length) }));
      walks.set(p, walk);
    }
    return walk;
  };

  /** The next hops of the route a device uses for (every address of) a walk's prefix: the longest one covering it. */
  const lookup = (device: number, walk: Walk): readonly NextHopModel[] | undefined => {
    const positions = positionsOf(device);
    const fib = fibs[device]!;
    // The prefix itself by its own text; shorter ones by their canonical text.
    if (walk.odd !== undefined) {
      const exact = positions[walk.odd]!;
      if (exact !== -1) return fib.nextHopsAt(exact);
    }
    for (const id of walk.covers) {
      const at = positions[id]!;
      if (at !== -1) return fib.nextHopsAt(at);
    }
    return undefined;
  };

  // Firewalls on every forwarding path from a device toward prefix p, remembered per
  // (prefix, device): walks toward the same prefix share their suffixes. A walk remembers each
  // device's set by its number in `found` (0: not walked yet), in a typed array: at 400 devices
  // the walks toward 4,000 prefixes hold 1.6 M answers, which the collector then never scans.
  const found: ReadonlySet<string>[] = [NONE, NONE];
  const EMPTY = 1;
  const onPaths = (device: number, walk: Walk): number => {
    const known = walk.onPaths[device]!;
    if (known !== 0) return known;
    walk.onPaths[device] = EMPTY; // a forwarding loop ends here
    // Share the next hop's set when nothing is added to it (the common case on a chain).
    let result = EMPTY;
    let own: Set<string> | undefined; // the result when it is a new set (result is then -1)
    for (const h of lookup(device, walk) ?? []) {
      const next = h.device === undefined ? undefined : index.get(h.device);
      if (next === undefined) continue;
      const sub = onPaths(next, walk);
      if (sub === EMPTY || sub === result) continue;
      if (result === EMPTY) {
        result = sub;
      } else {
        own ??= new Set(found[result]);
        for (const f of found[sub]!) own.add(f);
        result = -1;
      }
    }
    const id = devices[device]!.id;
    if (isFirewall[device] && !(result === -1 ? own! : found[result]!).has(id)) {
      own = new Set(result === -1 ? own : found[result]);
      own.add(id);
      result = -1;
    }
    if (result === -1) result = found.push(own!) - 1;
    walk.onPaths[device] = result;
    return result;
  };
  /** The number in `found` of the firewalls on the paths from a device toward p (0 or EMPTY: none). */
  const fromDevice = (device: string, p: Prefix): number => {
    const i = index.get(device);
    return i === undefined ? 0 : onPaths(i, walkOf(p));
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
    const us = attachedDevices(sources);
    const vs = attachedDevices(destinations);
    const toward = us.length > 0 ? (inside(destinations) ?? []) : [];
    const back = vs.length > 0 ? (inside(sources) ?? []) : [];
    // Most rules find one set (or none) on all their walks: that set itself is the answer, in
    // its order, as a copy filled in walk order would be; only a second set makes a union.
    const union = new SetUnion(found);
    for (const u of us) for (const p of toward) union.add(fromDevice(u, p));
    for (const v of vs) for (const p of back) union.add(fromDevice(v, p));
    return union.result();
  };
}

/**
 * The union of sets given by their numbers in `sets` (0 and 1: empty), in the order of a set
 * filled from each in turn. No set is made while one alone has members: then that set itself is
 * the union (the sets are never changed once numbered).
 */
export class SetUnion {
  private only = -1;
  private out: Set<string> | undefined;

  constructor(private readonly sets: readonly ReadonlySet<string>[]) {}

  add(id: number): void {
    if (id <= 1 || id === this.only) return;
    if (this.out === undefined) {
      if (this.only === -1) {
        this.only = id;
        return;
      }
      this.out = new Set(this.sets[this.only]);
    }
    for (const f of this.sets[id]!) this.out.add(f);
  }

  result(): ReadonlySet<string> {
    return this.out ?? (this.only === -1 ? new Set() : this.sets[this.only]!);
  }
}

/**
 * The route class (route-classes.ts) of each FIB text number, when every device's FIB was
 * selected in one convergence; undefined otherwise (FIBs read back or made by hand), and then
 * walks are shared by texts alone. Texts of one class are routed to the same next devices on
 * every device.
 */
function routeClassOfTexts(fibs: readonly FibView[], fibTexts: readonly { ids: number[] }[], size: number): Int32Array | undefined {
  const out = new Int32Array(size);
  let convergence: object | undefined;
  const done = new Set<{ ids: number[] }>();
  for (let i = 0; i < fibs.length; i++) {
    const classes = routeClassesOfView(fibs[i]!);
    if (classes === undefined || (convergence !== undefined && classes.convergence !== convergence)) return undefined;
    convergence = classes.convergence;
    const texts = fibTexts[i]!;
    if (done.has(texts)) continue;
    done.add(texts);
    for (let k = 0; k < texts.ids.length; k++) out[texts.ids[k]!] = classes.classAt(k);
  }
  return out;
}
