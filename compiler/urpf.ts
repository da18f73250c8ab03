// Unicast reverse-path forwarding on the interfaces where endpoints attach (segments and
// externals; links and loopbacks get none). The mode of each is decided from the converged
// forwarding table of its device, so that uRPF never drops a packet from an address the
// endpoints attached there may send from:
//  - 'strict' when, for every such address, the longest-prefix route back to it has a next hop
//    out of this same interface (any of its equal-cost next hops), and that route is connected,
//    static or eBGP: OSPF never runs on segment and external interfaces, and those routes do not
//    move when links or other devices fail, so the choice holds under every failure set the
//    intent must survive (nothing more specific appears when routing re-converges: a failure
//    only takes routes away);
//  - 'loose' when some of them route back by another interface (asymmetric routing, or an
//    external whose prefixes are reached through another attachment) but every one has a route;
//  - none when some address has no route at all: even loose uRPF would drop it.
// Every family of those endpoints counts, even one the interface has no address of: the model
// lets an endpoint's packets of either family enter at each of its attachments (docs/
// architecture.md, "Where packets enter and leave"), so a dual-stack internet attached once per
// family gets loose uRPF on both attachments (its anti-spoofing filter still drops bogons and
// our own prefixes there). Counting only the families an interface carries needs that entry
// rule to become per family first.

import { comparePrefixes, hasHostBits, lastAddress, mask, network, type Prefix } from '../language/address.js';
import type { DeviceModel, EndpointModel, NetworkModel } from './model.js';
import { PLATFORM_TRAITS } from '../language/platforms.js';
import { difference, intersect, normalize } from './prefix-set.js';
import { cachedPrefix } from './topology.js';
import { fibView, sameViewTexts, type FibView } from './fib-views.js';

export type UrpfMode = 'strict' | 'loose';

/** The uRPF mode of every segment and external interface that gets one: device id → interface → mode. */
export function urpfModes(devices: readonly DeviceModel[], endpoints: readonly EndpointModel[]): Map<string, Map<string, UrpfMode>> {
  const attached = new Map<string, Prefix[]>();
  for (const e of endpoints) {
    const set = difference(normalize(e.include.map(cachedPrefix)), normalize(e.exclude.map(cachedPrefix)));
    for (const a of e.attachments) {
      const key = `${a.device}\u0000${a.interface}`;
      attached.set(key, [...(attached.get(key) ?? []), ...set]);
    }
  }
  const out = new Map<string, Map<string, UrpfMode>>();
  let previous: FibIndex | undefined;
  for (const d of devices) {
    // Indexed only for a device with sources to check: most devices of a large network have none.
    let fib: FibIndex | undefined;
    const modes = new Map<string, UrpfMode>();
    for (const iface of d.interfaces) {
      if (iface.role !== 'segment' && iface.role !== 'external') continue;
      const sources = normalize(attached.get(`${d.id}\u0000${iface.name}`) ?? []);
      if (sources.length === 0) continue;
      const mode = modeFor((fib ??= previous = new FibIndex(fibView(d), previous)), iface.name, sources);
      if (mode) modes.set(iface.name, mode);
    }
    if (modes.size > 0) out.set(d.id, modes);
  }
  return out;
}

/**
 * Sets `urpf` on the model's segment and external interfaces (urpfModes), as far as the
 * platform can say it: a `strict-per-zone` box (PAN-OS) only gets strict, on interfaces whose
 * zone is strict throughout, since its check is the zone's; elsewhere it gets none rather than
 * a mode its configuration cannot hold.
 */
export function putUrpf(model: NetworkModel): void {
  const modes = urpfModes(model.devices, model.endpoints);
  for (const d of model.devices) {
    const of = modes.get(d.id);
    const perZone = PLATFORM_TRAITS[d.platform].urpf === 'strict-per-zone';
    const zoneStrict = (zone: string | undefined): boolean =>
      zone !== undefined && d.interfaces.filter((i) => i.zone === zone).every((i) => of?.get(i.name) === 'strict');
    for (const iface of d.interfaces) {
      const mode = of?.get(iface.name);
      if (!mode) continue;
      if (perZone && !(mode === 'strict' && zoneStrict(iface.zone))) continue;
      iface.urpf = mode;
    }
  }
}

/**
 * The weakest mode that drops none of `sources` (normalized) entering by `iface`; undefined when
 * one of them has no route at all (or there is no source).
 */
function modeFor(fib: FibIndex, iface: string, sources: readonly Prefix[]): UrpfMode | undefined {
  if (sources.length === 0) return undefined;
  let mode: UrpfMode = 'strict';
  for (const a of sources) {
    // Longest match first: each route takes the addresses of `a` no longer route matches.
    const routes = fib.relevant(a);
    let rest: Prefix[] = [a];
    for (const { prefix, at } of routes) {
      if (rest.length === 0) break;
      if (intersect(rest, [prefix]).length === 0) continue;
      rest = difference(rest, [prefix]);
      const back = fib.fib.protocolAt(at) !== 'ospf' && fib.fib.nextHopsAt(at).some((h) => h.interface === iface);
      if (!back) mode = 'loose';
    }
    if (rest.length > 0) return undefined;
  }
  return mode;
}

interface Entry {
  prefix: Prefix;
  /** The route's position in the FIB. */
  at: number;
}

// A FIB prefix text's network form, per text: most prefixes are in every device's FIB.
const networks = new Map<string, Prefix>();
function networkOf(text: string): Prefix {
  let p = networks.get(text);
  if (!p) {
    if (networks.size > 1_000_000) networks.clear();
    const q = cachedPrefix(text);
    p = hasHostBits(q) ? network(q) : q;
    networks.set(text, p);
  }
  return p;
}

/** comparePrefixes for prefixes in network form, without masking. */
function compareNetworks(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.value !== b.value) return a.value < b.value ? -1 : 1;
  return a.length - b.length;
}

/**
 * A device's forwarding table, for the routes that decide the addresses of a prefix: its routes
 * with their prefixes in network form, sorted by family, network address, then length, searched
 * by bisection.
 */
class FibIndex {
  private readonly prefixes: Prefix[];
  /** The FIB position of each of `prefixes`; undefined: the same position. */
  private readonly positions: number[] | undefined;
  /** The FIB itself when `prefixes` are its routes' prefixes in its own order (another FIB of the same texts can share them). */
  private readonly texts: FibView | undefined;

  /** `like`: another device's index; its prefixes are taken when this FIB's texts are the same. */
  constructor(
    readonly fib: FibView,
    like?: FibIndex,
  ) {
    // Most devices of a network route the same prefixes: the same texts in the same order have
    // the same prefixes, in order.
    if (like?.texts && sameViewTexts(like.texts, fib)) {
      this.prefixes = like.prefixes;
      this.positions = undefined;
      this.texts = fib;
      return;
    }
    // The converged FIB is already in this order (compiler/routing.ts sorts it); a FIB read
    // back from configuration files may not be.
    const prefixes: Prefix[] = [];
    for (let i = 0; i < fib.length; i++) prefixes.push(networkOf(fib.prefixAt(i)));
    const inOrder = prefixes.every((p, i) => i === 0 || compareNetworks(prefixes[i - 1]!, p) < 0);
    if (inOrder) {
      this.prefixes = prefixes;
      this.positions = undefined;
      this.texts = fib;
    } else {
      this.texts = undefined;
      const order = Array.from(prefixes.keys()).sort((x, y) => comparePrefixes(prefixes[x]!, prefixes[y]!));
      this.prefixes = order.map((i) => prefixes[i]!);
      this.positions = order;
    }
  }

  private positionOf(i: number): number {
    return this.positions === undefined ? i : this.positions[i]!;
  }

  /**
   * The routes that are the longest match of some address of `a`: the longest route containing
   * all of `a`, and every route strictly inside it. Longest first.
   */
  relevant(a: Prefix): Entry[] {
    const out: Entry[] = [];
    for (let len = a.length; len >= 0; len--) {
      const i = this.find({ family: a.family, value: a.value & mask(a.family, len), length: len });
      if (i >= 0) {
        out.push({ prefix: this.prefixes[i]!, at: this.positionOf(i) });
        break;
      }
    }
    const last = lastAddress(a);
    for (let i = this.lowerBound(a); i < this.prefixes.length; i++) {
      const p = this.prefixes[i]!;
      if (p.family !== a.family || p.value > last) break;
      if (p.length > a.length) out.push({ prefix: p, at: this.positionOf(i) });
    }
    return out.sort((x, y) => y.prefix.length - x.prefix.length);
  }

  /** The index of the last route whose prefix is `p` (network form), or -1. */
  private find(p: Prefix): number {
    let lo = 0;
    let hi = this.prefixes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (compareNetworks(this.prefixes[mid]!, p) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo > 0 && compareNetworks(this.prefixes[lo - 1]!, p) === 0 ? lo - 1 : -1;
  }

  private lowerBound(a: Prefix): number {
    let lo = 0;
    let hi = this.prefixes.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const p = this.prefixes[mid]!;
      if (p.family < a.family || (p.family === a.family && p.value < a.value)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

