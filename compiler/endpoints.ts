// Endpoints as address sets. A segment is its prefixes, a host its address. An external is its
// prefixes less every more specific prefix that is routed elsewhere: our segments, links,
// loopbacks, pools (reserved for our infrastructure), the subnets of external attachments, and
// other externals' strictly more specific prefixes. So `internet` with 0.0.0.0/0 does not
// include our own segments, and a source from our own ranges is never "from the internet".
// It is also less the special-purpose ranges (special-purpose.ts: private, documentation,
// multicast, ...) that one of its prefixes strictly contains, except the parts it declares itself:
// `internet` with 0.0.0.0/0 or ::/0 never sends from 10.0.0.0/8 or fe80::/10, while a partner
// that declares 10.0.0.0/8, or 198.51.100.0/24 inside 0.0.0.0/0, keeps them. A part of an
// external (`datahub.api`, a contract's named announcement) is the external's set within its
// prefixes. Our own addresses are not taken from the part of an external that we see translated
// (compiler/nat.ts): a partner whose 10.x overlaps ours keeps its 10.x.

import { BITS, containsPrefix, prefixOf, type Prefix } from '../language/address.js';
import type { CheckedIntent, IntentExternal, IntentHost } from '../language/intent.js';
import type { DeviceModel } from './model.js';
import type { AddressPlan } from './addressing.js';
import { difference, intersect, normalize, union, type PrefixSet } from './prefix-set.js';
import { SPECIAL_PURPOSE } from './special-purpose.js';

export interface EndpointSets {
  /** The address set of each segment, host and external by name (and of each device by id, once added). */
  sets: Map<string, Prefix[]>;
  /** Externals and their parts: their declared prefixes and what is excluded from them (normalized). */
  externals: Map<string, { include: Prefix[]; exclude: Prefix[] }>;
  /** The union of the sets of the given names; undefined when `any` is among them. */
  setOf(names: readonly string[]): PrefixSet | undefined;
}

/** The intent's hosts by the name of their segment, in intent order: what `hosts.filter` of one segment gives. */
export function hostsBySegment(intent: CheckedIntent): Map<string, IntentHost[]> {
  const out = new Map<string, IntentHost[]>();
  for (const h of intent.hosts) {
    const list = out.get(h.segment);
    if (list) list.push(h);
    else out.set(h.segment, [h]);
  }
  return out;
}

/** The parts of the intent's externals, each with its external: they enter and leave where it attaches. */
export function externalParts(intent: CheckedIntent): { name: string; prefixes: string[]; external: IntentExternal }[] {
  return intent.externals.flatMap((x) => (x.parts ?? []).map((p) => ({ name: p.name, prefixes: p.prefixes, external: x })));
}

export function endpointSets(intent: CheckedIntent, plan: AddressPlan): EndpointSets {
  const sets = new Map<string, Prefix[]>();
  for (const s of intent.segments) sets.set(s.name, normalize(s.prefixes.map(prefixOf)));
  for (const h of intent.hosts) {
    sets.set(h.name, [prefixOf(`${h.address}/${BITS[h.address.includes(':') ? 6 : 4]}`)]);
  }
  const internal: Prefix[] = [];
  for (const s of intent.segments) internal.push(...s.prefixes.map(prefixOf));
  for (const l of plan.links) internal.push(...l.prefixes);
  for (const addrs of plan.loopbacks.values()) internal.push(...addrs.map(prefixOf));
  for (const p of intent.pools) internal.push(prefixOf(p.prefix));
  for (const x of intent.externals) for (const a of x.attachments) internal.push(prefixOf(a.address));
  const internalSet = normalize(internal);

  const externals = new Map<string, { include: Prefix[]; exclude: Prefix[] }>();
  for (const x of intent.externals) {
    const include = normalize(x.prefixes.map(prefixOf));
    const others: Prefix[] = [];
    for (const y of intent.externals) {
      if (y.name === x.name) continue;
      for (const q of y.prefixes.map(prefixOf)) {
        if (include.some((p) => containsPrefix(p, q) && q.length > p.length)) others.push(q);
      }
    }
    // Addresses it sends from that our network sees as mapped (`translate X as MAPPED`) stay its
    // own, even where they are ours too: they never meet ours on the same side of a translation.
    const translated = normalize((x.translations ?? []).flatMap((t) => (t.kind === 'static' && t.realSide === 'outside' ? [prefixOf(t.real)] : [])));
    const exclude = intersect(union(difference(internalSet, translated), others, specialPurposeOf(x.prefixes.map(prefixOf))), include);
    externals.set(x.name, { include, exclude });
    sets.set(x.name, difference(include, exclude));
    // A part (`datahub.api`) is its external restricted to its prefixes.
    for (const part of x.parts ?? []) {
      const own = normalize(part.prefixes.map(prefixOf));
      externals.set(part.name, { include: own, exclude: intersect(exclude, own) });
      sets.set(part.name, intersect(sets.get(x.name)!, own));
    }
  }

  const cache = new Map<string, PrefixSet | undefined>();
  const setOf = (names: readonly string[]): PrefixSet | undefined => {
    if (names.includes('any')) return undefined;
    // (one name is its own key: the join of one text is that text)
    const key = names.length === 1 ? names[0]! : names.join('\u0000');
    if (cache.has(key)) return cache.get(key);
    const out = names.length === 1 ? (sets.get(names[0]!) ?? []) : union(...names.map((n) => sets.get(n) ?? []));
    cache.set(key, out);
    return out;
  };
  return { sets, externals, setOf };
}

/**
 * The special-purpose ranges an external's declared prefixes cover only by a wider prefix (as
 * 0.0.0.0/0 covers 10.0.0.0/8), less the declared prefixes inside them (a partner's 10.1.0.0/16
 * beside its 0.0.0.0/0 stays its own).
 */
function specialPurposeOf(declared: readonly Prefix[]): Prefix[] {
  const covered = SPECIAL_PURPOSE.filter((s) => declared.some((p) => s.length > p.length && containsPrefix(p, s)));
  if (covered.length === 0) return [];
  const inside = declared.filter((p) => SPECIAL_PURPOSE.some((s) => containsPrefix(s, p)));
  return difference(normalize(covered), normalize(inside));
}

/**
 * Each device's own addresses (its interfaces' addresses, loopback included, as host prefixes)
 * under its id, for the assertions and `manage` lines that name devices.
 */
export function addDeviceSets(sets: EndpointSets, devices: readonly DeviceModel[]): void {
  for (const d of devices) {
    const hosts = d.interfaces.flatMap((i) => i.addresses.map((a) => {
      const p = prefixOf(a);
      return { family: p.family, value: p.value, length: BITS[p.family] };
    }));
    sets.sets.set(d.id, normalize(hosts));
  }
}
