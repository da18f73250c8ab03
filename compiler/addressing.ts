// Address allocation: links get a /31 (and a /127 when there is an IPv6 pool) and devices a /32
// (/128) loopback from the pools, unless the intent gives them.
//
// Stability is the point: users review configuration diffs, and a renumbering storm hides the
// one change they meant. Each item (a link or a loopback) has an identity that does not depend
// on declaration order:
//   link      "link:" + its two ends sorted ("dev" or "dev:ifname") + "#" + k, where k counts
//             the earlier parallel links between the same two ends (declaration order);
//   loopback  "loopback:" + device id.
// The pool is cut into slots of two addresses (a /31, or a /127); an item's home slot is
// FNV-1a-64(identity) modulo the number of slots of the family's first pool. Items are placed
// in identity order; an item whose home slot is taken (by an address written in the intent, or
// by an item that sorts before it) takes the next free slot (wrapping), and when the first pool
// is full, the next pool (declaration order), from its own home slot.
// Guarantee: an item that got its home slot keeps it whatever else is added, removed or
// reordered, unless a new explicit address in the intent or a new item with the same home slot
// sorting before it takes that slot. Only items that collided can move, and only when the items
// they collided with change.
// A loopback uses the first address of its slot. On an allocated link, the end that sorts first
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
        : [{ key: ids[i]!, span: l.span, what: `link ${l.a.device} -- ${l.b.device}` }],
    );
  const loopItems = (f: Family): Item[] =>
    intent.devices
      .filter((d) => !d.loopbacks.some((a) => (a.includes(':') ? 6 : 4) === f))
      .map((d) => ({ key: `loopback:${d.id}`, span: d.span, what: `the loopback of ${d.id}` }));

  const slots = new Map<string, Prefix>();
  for (const f of [4, 6] as Family[]) {
    const pools = byFamily(f).map((p) => prefixOf(p.prefix));
    const links = linkItems(f);
    if (pools.length === 0) {
      // Without an IPv4 pool, links without a prefix cannot be addressed; IPv6 is optional.
      if (f === 4) {
        for (const item of links) {
          diagnostics.push({
            code: 'C701',
            severity: 'error',
            span: item.span,
            message: `${item.what} has no IPv4 prefix and there is no IPv4 pool to take one from`,
            related: [],
            hint: 'add a pool (e.g. `pool infra 10.255.0.0/16`) or give the link a prefix',
          });
        }
      }
      continue;
    }
    const items = [...links, ...loopItems(f)].sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0));
    placeItems(f, pools, reserved, items, slots, diagnostics, intent);
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
  diagnostics: Diagnostic[],
  intent: CheckedIntent,
): void {
  const slotLength = BITS[f] - 1;
  const taken = pools.map(() => new Set<bigint>());
  const counts = pools.map((p) => (p.length > slotLength ? 0n : size(p) / 2n));
  for (const item of items) {
    const h = fnv1a64(item.key);
    let placed: Prefix | undefined;
    for (let k = 0; k < pools.length && !placed; k++) {
      const pool = network(pools[k]!);
      const n = counts[k]!;
      if (n === 0n || BigInt(taken[k]!.size) >= n) continue;
      const home = h % n;
      // Probe from the home slot; a pool full of reserved slots is given up after n probes.
      for (let step = 0n; step < n; step++) {
        const s = (home + step) % n;
        if (taken[k]!.has(s)) continue;
        const slot: Prefix = { family: f, value: pool.value + s * 2n, length: slotLength };
        if (overlapsAny(reserved, slot)) continue;
        taken[k]!.add(s);
        placed = slot;
        break;
      }
    }
    if (placed) {
      slots.set(`${f}|${item.key}`, placed);
    } else {
      diagnostics.push({
        code: 'C702',
        severity: 'error',
        span: item.span,
        message: `no free address for ${item.what}: the IPv${f} pools are full`,
        related: intent.pools
          .filter((p) => prefixOf(p.prefix).family === f)
          .map((p) => ({ span: p.span, message: `pool ${p.name} ${p.prefix}` })),
        hint: 'make the pool larger or add another pool of the same family',
      });
    }
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
