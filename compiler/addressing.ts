// Address allocation: links get a /31 (and a /127 when there is an IPv6 pool) and devices a /32
// (/128) loopback from the pools, unless the intent gives them.
//
// Two things matter to the people who read the result: that addresses look planned, and that an
// edit renumbers nothing it did not touch (users review configuration diffs, and a renumbering
// storm hides the one change they meant).
//
// Planned: items are allocated in reading order, first free address first. In each family's
// first pool the loopbacks come first, devices in declaration order (so by site), from the
// pool's second address (a router id of 10.255.0.1, not 10.255.0.0); then the links, in
// declaration order, each on the first free aligned pair. A full pool continues into the next
// (declaration order), and a pool's first address is handed out last.
//
// Stable: what was allocated is recorded in plumb.lock (language/lock.ts, pipeline/lock.ts). An
// item named in the lock keeps its address while the address is inside a pool of its family and
// nothing written in the intent uses it; only new items take free addresses. An item whose
// recorded address cannot stay moves, with a warning at its lock line (C740). Without a lock the
// allocation is the same from the intent alone, deterministically.
//
// Identities do not depend on declaration order:
//   link      "link:" + its two ends sorted ("dev" or "dev:ifname") + "#" + k, where k counts
//             the earlier parallel links between the same two ends (declaration order);
//   loopback  "loopback:" + device id.
//
// Every address of a pool can be used, so the checker's count of free addresses (P307) is exact:
// when the readable layout leaves no aligned pair for a link (a pool nearly full, or one that the
// lock's addresses fragment), the family is allocated again without the lock, and then in the
// compact layout (links first, from the pool's first address, then loopbacks in the gaps), which
// always fits what the checker counted.
// On an allocated link, the end that sorts first gets the first address; on a link with a
// written prefix, the end written first does.

import { BITS, containsPrefix, formatAddress, formatPrefix, network, prefixOf, size, type Family, type Prefix } from '../language/address.js';
import { diagnostic, type Diagnostic } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import type { CheckedIntent, IntentLink } from '../language/intent.js';
import { describeItem, LOCK_FILE_NAME, type Allocation, type LockEntry } from '../language/lock.js';
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
  /** Every address taken from a pool, in allocation order: what plumb.lock records. */
  allocations: Allocation[];
  diagnostics: Diagnostic[];
}

interface Item {
  key: string;
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
  const locked = new Map<string, LockEntry>();
  for (const e of intent.lock ?? []) locked.set(`${prefixOf(e.prefix).family}|${e.item}`, e);

  const linkItems = (f: Family): Item[] =>
    intent.links.flatMap((l, i) =>
      l.prefixes.some((p) => prefixOf(p).family === f) ? [] : [{ key: ids[i]!, what: `link ${l.a.device} -- ${l.b.device}`, loopback: false }],
    );
  const loopItems = (f: Family): Item[] =>
    intent.devices
      .filter((d) => !d.loopbacks.some((a) => (a.includes(':') ? 6 : 4) === f))
      .map((d) => ({ key: `loopback:${d.id}`, what: `the loopback of ${d.id}`, loopback: true }));

  const slots = new Map<string, Prefix>();
  const allocations: Allocation[] = [];
  for (const f of [4, 6] as Family[]) {
    const pools = byFamily(f).map((p) => prefixOf(p.prefix));
    const links = linkItems(f);
    const loops = loopItems(f);
    if (pools.length === 0) {
      // Without an IPv4 pool the checker rejects unaddressed links and loopbacks (P308);
      // IPv6 is optional.
      if (f === 4 && (links.length > 0 || loops.length > 0)) {
        throw new Error('internal: links or loopbacks without addresses and no IPv4 pool passed the checker');
      }
      continue;
    }
    const lockOf = (item: Item) => locked.get(`${f}|${item.key}`);
    const placed =
      placeFamily(f, pools, reserved, loops, links, lockOf, 'readable') ??
      placeFamily(f, pools, reserved, loops, links, () => undefined, 'readable') ??
      placeFamily(f, pools, reserved, loops, links, () => undefined, 'compact');
    if (!placed) {
      // The checker counts the free addresses of the pools first (P307, P308).
      throw new Error(`internal: no room for the IPv${f} links and loopbacks although the checker found room`);
    }
    for (const item of [...loops, ...links]) {
      const prefix = placed.slots.get(item.key)!;
      slots.set(`${f}|${item.key}`, prefix);
      allocations.push({ item: item.key, prefix: formatPrefix(prefix) });
      const entry = lockOf(item);
      if (entry && entry.prefix !== formatPrefix(prefix)) {
        const why = placed.refused.get(item.key) ?? 'the pools have no room for the new items around the recorded addresses';
        diagnostics.push(
          diagnostic(Codes.lockedAddressMoved, entry.span, `${describeItem(item.key)} moves from ${entry.prefix} to ${formatPrefix(prefix)}: ${why}`, {
            hint: `if that is meant, \`plumb lock\` records the new address in ${LOCK_FILE_NAME}; the device configurations change with it`,
          }),
        );
      }
    }
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
  return { links, loopbacks, allocations, diagnostics };
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

interface Placed {
  slots: Map<string, Prefix>;
  /** Why an item's locked address was refused. */
  refused: Map<string, string>;
}

/**
 * One family's items in its pools: locked addresses first, then the rest in layout order, first
 * free slot first. Undefined when some item finds no slot (the caller tries a plainer way).
 */
function placeFamily(
  f: Family,
  pools: Prefix[],
  reserved: PrefixSet,
  loops: Item[],
  links: Item[],
  lockOf: (item: Item) => LockEntry | undefined,
  layout: 'readable' | 'compact',
): Placed | undefined {
  const bits = BITS[f];
  const bases = pools.map((p) => network(p).value);
  const sizes = pools.map((p) => size(p));
  // Occupancy per address offset in each pool: a link needs both addresses of an aligned pair,
  // a loopback one address, so a pool with exactly enough addresses is enough.
  const taken = pools.map(() => new Set<bigint>());
  const free = (k: number, offset: bigint) => !taken[k]!.has(offset) && !overlapsAny(reserved, { family: f, value: bases[k]! + offset, length: bits });
  const slots = new Map<string, Prefix>();
  const refused = new Map<string, string>();
  const take = (item: Item, k: number, offset: bigint) => {
    taken[k]!.add(offset);
    if (!item.loopback) taken[k]!.add(offset + 1n);
    slots.set(item.key, { family: f, value: bases[k]! + offset, length: item.loopback ? bits : bits - 1 });
  };

  for (const item of [...loops, ...links]) {
    const entry = lockOf(item);
    if (!entry) continue;
    const p = prefixOf(entry.prefix);
    const k = pools.findIndex((pool) => containsPrefix(pool, p));
    const offset = k < 0 ? 0n : p.value - bases[k]!;
    const reason =
      k < 0
        ? `${entry.prefix} is outside every IPv${f} pool`
        : overlapsAny(reserved, p)
          ? `the intent now uses ${entry.prefix}`
          : !free(k, offset) || (!item.loopback && !free(k, offset + 1n))
            ? `another entry of ${LOCK_FILE_NAME} holds ${entry.prefix}`
            : undefined;
    if (reason) refused.set(item.key, reason);
    else take(item, k, offset);
  }

  // First free slot from a cursor per pool and width: everything before a cursor is taken, and
  // a pool only fills, so each search resumes where the last one stopped.
  const cursors = { single: pools.map(() => (layout === 'readable' ? 1n : 0n)), pair: pools.map(() => 0n) };
  const place = (item: Item): boolean => {
    if (slots.has(item.key)) return true;
    const width = item.loopback ? 1n : 2n;
    const cursor = item.loopback ? cursors.single : cursors.pair;
    for (let k = 0; k < pools.length; k++) {
      for (let offset = cursor[k]!; offset + width <= sizes[k]!; offset += width) {
        if (!free(k, offset) || (width === 2n && !free(k, offset + 1n))) continue;
        cursor[k] = offset + width;
        take(item, k, offset);
        return true;
      }
      cursor[k] = sizes[k]!;
    }
    // The readable layout keeps each pool's first address for last.
    if (item.loopback && layout === 'readable') {
      const k = pools.findIndex((_, i) => free(i, 0n));
      if (k >= 0) {
        take(item, k, 0n);
        return true;
      }
    }
    return false;
  };
  const order = layout === 'readable' ? [...loops, ...links] : [...links, ...loops];
  return order.every(place) ? { slots, refused } : undefined;
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
