// Address allocation: links get a /31 (and a /127 when there is an IPv6 pool) and devices a /32
// (/128) loopback from the pools, unless the intent gives them.
//
// Stability is the point: users review configuration diffs, and a renumbering storm hides the
// one change they meant. Each item (a link or a loopback) has an identity that does not depend
// on declaration order:
//   link      "link:" + its two ends sorted ("dev" or "dev:ifname") + "#" + k, where k counts
//             the earlier parallel links between the same two ends (declaration order);
//   loopback  "loopback:" + device id.
// A link takes an aligned pair of addresses (a /31 or /127 slot), a loopback one address. An
// item's home slot is FNV-1a-64(identity) modulo the number of slots of its width in the
// family's first pool. Items are placed in identity order (links before loopbacks: "link:" sorts
// first); an item whose home slot is taken (by an address written in the intent, or by an item
// placed before it) takes the next free slot (wrapping), and when the first pool is full, the
// next pool (declaration order), from its own home slot. Every address of a pool can be used,
// so the checker's count of free addresses (P307) is exact.
// Guarantee: an item that got its home slot keeps it whatever else is added, removed or
// reordered, unless a new explicit address in the intent or a new item placed before it takes
// that slot. Only items that collided can move, and only when the items they collided with
// change.
// On an allocated link, the end that sorts first
// gets the first address; on a link with a written prefix, the end written first does.

import {
  BITS,
  formatAddress,
  network,
  prefixOf,
  size,
  type Family,
  type Prefix,
} from '../language/address.js';
import type { Diagnostic, Span } from '../language/diagnostic.js';
import type { CheckedIntent, IntentLink } from '../language/intent.js';
import { fnv1a64 } from './hash.js';
import { normalize, overlapsAny, type PrefixSet } from './prefix-set.js';

export interface LinkAddresses {
  /** Addresses with length of each end, IPv4 first. */
  a: string[];
  b: string[];
  /** The link's prefixes (network form), IPv4 first. */
  prefixes: Prefix[];
}

export interface AddressPlan {
  /** Per link of `intent.links`, same index. */
  links: LinkAddresses[];
  /** Loopback addresses with length per device id, IPv4 first. */
  loopbacks: Map<string, string[]>;
  diagnostics: Diagnostic[];
}

interface Item {
  key: string;
  span: Span;
  what: string;
  loopback: boolean;
}

export function endKey(device: string, ifname: string | undefined): string {
  return ifname ? `${device}:${ifname}` : device;
}

/** The allocation identity of every link (see the header comment), same index as `links`. */
export function linkIdentities(links: readonly IntentLink[]): string[] {
  const seen = new Map<string, number>();
  return links.map((l) => {
    const ends = [endKey(l.a.device, l.a.ifname), endKey(l.b.device, l.b.ifname)].sort();
    const base = `link:${ends[0]}--${ends[1]}`;
    const k = seen.get(base) ?? 0;
    seen.set(base, k + 1);
    return `${base}#${k}`;
  });
}

/** Whether end a sorts before end b (the order allocated links use). */
export function aSortsFirst(l: IntentLink): boolean {
  return endKey(l.a.device, l.a.ifname) <= endKey(l.b.device, l.b.ifname);
}

export function allocateAddresses(intent: CheckedIntent): AddressPlan {
  const diagnostics: Diagnostic[] = [];
  const reserved = normalize(explicitPrefixes(intent));
  const ids = linkIdentities(intent.links);
  const byFamily = (f: Family) => intent.pools.filter((p) => prefixOf(p.prefix).family === f);

  const linkItems = (f: Family): Item[] =>
    intent.links.flatMap((l, i) =>
      l.prefixes.some((p) => prefixOf(p).family === f)
        ? []
        : [{ key: ids[i]!, span: l.span, what: `link ${l.a.device} -- ${l.b.device}`, loopback: false }],
    );
  const loopItems = (f: Family): Item[] =>
    intent.devices
      .filter((d) => !d.loopbacks.some((a) => (a.includes(':') ? 6 : 4) === f))
      .map((d) => ({ key: `loopback:${d.id}`, span: d.span, what: `the loopback of ${d.id}`, loopback: true }));

  const slots = new Map<string, Prefix>();
  for (const f of [4, 6] as Family[]) {
    const pools = byFamily(f).map((p) => prefixOf(p.prefix));
    const links = linkItems(f);
    if (pools.length === 0) {
      // Without an IPv4 pool the checker rejects unaddressed links and loopbacks (P308);
      // IPv6 is optional.
      if (f === 4 && (links.length > 0 || loopItems(4).length > 0)) {
        throw new Error('internal: links or loopbacks without addresses and no IPv4 pool passed the checker');
      }
      continue;
    }
    const items = [...links, ...loopItems(f)].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    placeItems(f, pools, reserved, items, slots);
  }

  const links: LinkAddresses[] = intent.links.map((l, i) => {
    const a: string[] = [];
    const b: string[] = [];
    const prefixes: Prefix[] = [];
    for (const f of [4, 6] as Family[]) {
      const given = l.prefixes.map(prefixOf).find((p) => p.family === f);
      if (given) {
        const [x, y] = twoAddresses(given);
        a.push(x);
        b.push(y);
        prefixes.push(network(given));
        continue;
      }
      const slot = slots.get(`${f}|${ids[i]!}`);
      if (!slot) continue;
      const [x, y] = twoAddresses(slot);
      if (aSortsFirst(l)) {
        a.push(x);
        b.push(y);
      } else {
        a.push(y);
        b.push(x);
      }
      prefixes.push(slot);
    }
    return { a, b, prefixes };
  });

  const loopbacks = new Map<string, string[]>();
  for (const d of intent.devices) {
    const out: string[] = [];
    for (const f of [4, 6] as Family[]) {
      const given = d.loopbacks.find((x) => (x.includes(':') ? 6 : 4) === f);
      if (given) {
        out.push(`${given}/${BITS[f]}`);
        continue;
      }
      const slot = slots.get(`${f}|loopback:${d.id}`);
      if (slot) out.push(`${formatAddress({ family: f, value: slot.value })}/${BITS[f]}`);
    }
    loopbacks.set(d.id, out);
  }
  return { links, loopbacks, diagnostics };
}

/** Every prefix or address the intent writes down: allocation never hands these out. */
function explicitPrefixes(intent: CheckedIntent): Prefix[] {
  const out: Prefix[] = [];
  for (const l of intent.links) out.push(...l.prefixes.map(prefixOf));
  for (const d of intent.devices) {
    for (const a of d.loopbacks) out.push(prefixOf(`${a}/${a.includes(':') ? 128 : 32}`));
  }
  for (const s of intent.segments) out.push(...s.prefixes.map(prefixOf));
  for (const x of intent.externals) {
    for (const att of x.attachments) out.push(network(prefixOf(att.address)));
  }
  return out;
}

function placeItems(
  f: Family,
  pools: Prefix[],
  reserved: PrefixSet,
  items: Item[],
  slots: Map<string, Prefix>,
): void {
  const bits = BITS[f];
  // Occupancy per address offset in each pool: a link needs both addresses of an aligned
  // pair, a loopback one address, so a pool with exactly enough addresses is enough.
  const taken = pools.map(() => new Set<bigint>());
  const sizes = pools.map((p) => size(p));
  const free = (k: number, offset: bigint) =>
    !taken[k]!.has(offset) && !overlapsAny(reserved, { family: f, value: network(pools[k]!).value + offset, length: bits });
  for (const item of items) {
    const h = fnv1a64(item.key);
    const width = item.loopback ? 1n : 2n;
    let placed: Prefix | undefined;
    for (let k = 0; k < pools.length && !placed; k++) {
      const n = sizes[k]! / width; // slots of this item's width
      if (n === 0n || BigInt(taken[k]!.size) + width > sizes[k]!) continue;
      const home = h % n;
      // Probe from the home slot; gives up after visiting every slot once.
      for (let step = 0n; step < n; step++) {
        const s = (home + step) % n;
        const offset = s * width;
        if (!free(k, offset) || (width === 2n && !free(k, offset + 1n))) continue;
        taken[k]!.add(offset);
        if (width === 2n) taken[k]!.add(offset + 1n);
        placed = { family: f, value: network(pools[k]!).value + offset, length: bits - (width === 2n ? 1 : 0) };
        break;
      }
    }
    if (!placed) {
      // The checker counts the free addresses of the pools first (P307, P308).
      throw new Error(`internal: no free IPv${f} address for ${item.what} although the checker found room`);
    }
    slots.set(`${f}|${item.key}`, placed);
  }
}

/** The two addresses a point-to-point prefix gives its ends (with the prefix's length). */
export function twoAddresses(p: Prefix): [string, string] {
  const n = network(p);
  const bits = BITS[p.family];
  const base = p.length >= bits - 1 ? n.value : n.value + 1n;
  const second = p.length >= bits ? base : base + 1n;
  const fmt = (v: bigint) => `${formatAddress({ family: p.family, value: v })}/${p.length}`;
  return [fmt(base), fmt(second)];
}
