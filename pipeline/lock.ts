// The allocation lock of a compiled intent: what plumb.lock must hold now, what changed since the
// file was written, and writing it. `plumb lock` and `plumb compile -o` write it; every other
// command only reads it (pipeline/sources.ts finds it, language/lock.ts reads it, and the
// compiler keeps what it records, compiler/addressing.ts).

import { closeSync, fsyncSync, openSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { DeviceModel, InterfaceModel, NetworkModel } from '../compiler/model.js';
import { linkIdentities } from '../compiler/addressing.js';
import { formatPrefix, network, prefixOf, type Prefix } from '../language/address.js';
import type { Span } from '../language/diagnostic.js';
import type { CheckedIntent } from '../language/intent.js';
import { describeItem, isLockPath, LOCK_FILE_NAME, parseLock, renderLock, type Allocation } from '../language/lock.js';
import type { SourceText } from './sources.js';

/** One item whose lock entry the new text adds, changes or drops. */
export interface LockChange {
  kind: 'added' | 'moved' | 'removed';
  /** As the lock names it: `loopback fra1.edge1`, `link fra1.edge1 -- fra1.fw1`. */
  item: string;
  /** The recorded prefix (moved, removed). */
  before?: string;
  /** The allocated prefix (added, moved). */
  after?: string;
}

export interface LockUpdate {
  /** Where the lock is, or is written: as diagnostics name files (relative to the working folder when inside it). */
  path: string;
  /** The file's text with this intent's allocations. */
  text: string;
  /** Whether `text` differs from the file as it was read (or there was no file). */
  changed: boolean;
  /** Sorted by kind (moved, added, removed), then by item. */
  changes: LockChange[];
}

/**
 * The lock the intent's allocations call for. `sources` are the intent's files as read (with the
 * lock, when there was one); `where` is the lock's path when the sources hold none.
 */
export function lockUpdate(sources: readonly SourceText[], intent: CheckedIntent, allocations: readonly Allocation[], where: string): LockUpdate {
  const source = sources.find((s) => isLockPath(s.path));
  const previous = source ? parseLock(source.text, source.path) : undefined;
  const text = renderLock(previous, intent.name, allocations);
  const recorded = previous?.sections.find((s) => s.network === intent.name)?.entries ?? [];
  const changes = allocationChanges(recorded, allocations);
  return { path: source?.path ?? where, text, changed: source?.text !== text, changes };
}

/**
 * What changed from one set of allocations to another, per item and family: moved, added,
 * removed; sorted by kind, then item. `plumb lock` prints it for the file, `plumb diff` for two
 * versions of an intent.
 */
export function allocationChanges(before: readonly Allocation[], after: readonly Allocation[]): LockChange[] {
  const key = (a: Allocation) => `${a.item}|${a.prefix.includes(':') ? 6 : 4}`;
  const was = new Map(before.map((a) => [key(a), a]));
  const now = new Map(after.map((a) => [key(a), a]));
  const changes: LockChange[] = [];
  for (const [k, a] of now) {
    const b = was.get(k);
    if (b === undefined) changes.push({ kind: 'added', item: describeItem(a.item), after: a.prefix });
    else if (b.prefix !== a.prefix) changes.push({ kind: 'moved', item: describeItem(a.item), before: b.prefix, after: a.prefix });
  }
  for (const [k, b] of was) if (!now.has(k)) changes.push({ kind: 'removed', item: describeItem(b.item), before: b.prefix });
  const rank = { moved: 0, added: 1, removed: 2 };
  const prefix = (c: LockChange) => c.before ?? c.after ?? '';
  return changes.sort((a, b) => rank[a.kind] - rank[b.kind] || (a.item < b.item ? -1 : a.item > b.item ? 1 : prefix(a) < prefix(b) ? -1 : 1));
}

/** Where a lock is written for sources given in memory: beside the first file. */
export function lockPathBeside(sources: readonly SourceText[]): string {
  const first = sources.find((s) => !isLockPath(s.path))?.path ?? LOCK_FILE_NAME;
  const dir = dirname(first);
  return dir === '.' ? LOCK_FILE_NAME : join(dir, LOCK_FILE_NAME);
}

/**
 * Writes the lock when its text changed: to a new file beside it, synced, then renamed over it,
 * so that a reader sees the old file or the new one, never half of one, and a symbolic link at
 * the lock's path is replaced rather than followed.
 */
export function writeLock(update: LockUpdate, cwd: string): boolean {
  if (!update.changed) return false;
  const target = resolve(cwd, update.path);
  const temporary = join(dirname(target), `.${LOCK_FILE_NAME}.${process.pid}.tmp`);
  try {
    const fd = openSync(temporary, 'wx', 0o644);
    try {
      writeSync(fd, update.text);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, target);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
  return true;
}

/** How many moved, were added and were removed: `1 moved, 2 added, 0 removed`. */
export function lockChangeSummary(changes: readonly LockChange[]): string {
  const count = (kind: LockChange['kind']) => changes.filter((c) => c.kind === kind).length;
  return `${count('moved')} moved, ${count('added')} added, ${count('removed')} removed`;
}

/** The changes as `plumb lock` prints them: one line each, `~` moved, `+` added, `-` removed. */
export function lockChangeLines(changes: readonly LockChange[]): string[] {
  return changes.map((c) =>
    c.kind === 'moved' ? `  ~ ${c.item} ${c.before} -> ${c.after}` : c.kind === 'added' ? `  + ${c.item} ${c.after}` : `  - ${c.item} ${c.before}`,
  );
}

/**
 * The addresses an output folder's devices carry for the items the compiler allocates now, as
 * the devices' backends read them back: a loopback's address on the device's loopback
 * interface, a link's prefix where the interfaces the model gives the link at both its ends
 * hold the two addresses of one prefix (interface names do not depend on addresses). `plumb lock --from OUT` records them, so
 * that an output compiled without the lock (an earlier version of Plumb hashed addresses) keeps
 * its addresses. Items the folder does not have keep the allocation's address.
 */
export function deployedAllocations(
  intent: CheckedIntent,
  model: NetworkModel,
  allocations: readonly Allocation[],
  deployed: ReadonlyMap<string, DeviceModel>,
): { allocations: Allocation[]; found: number } {
  const ids = linkIdentities(intent.links);
  const linkIndex = new Map(ids.map((id, i) => [id, i]));
  const devices = new Map(model.devices.map((d) => [d.id, d]));
  const sameSpan = (x: Span, y: Span) => x.file === y.file && x.start.offset === y.start.offset && x.end.offset === y.end.offset;
  const addressOn = (device: string, iface: InterfaceModel | undefined, family: number, length: number) => {
    const there = iface ? deployed.get(device)?.interfaces.find((i) => i.name === iface.name) : undefined;
    return there?.addresses.map(prefixOf).find((p) => p.family === family && p.length === length);
  };
  let found = 0;
  const out = allocations.map((a): Allocation => {
    const { family, length } = prefixOf(a.prefix);
    let address: Prefix | undefined;
    if (a.item.startsWith('loopback:')) {
      const device = a.item.slice('loopback:'.length);
      address = addressOn(device, devices.get(device)?.interfaces.find((i) => i.role === 'loopback'), family, length);
    } else {
      const link = intent.links[linkIndex.get(a.item) ?? -1];
      const end = (device: string, other: string) =>
        addressOn(device, devices.get(device)?.interfaces.find((i) => i.role === 'link' && i.peer?.device === other && sameSpan(i.origin, link!.span)), family, length);
      // Both ends must hold two addresses of one prefix: interface names follow the topology,
      // so after links were added or removed a name may stand for another link.
      const a1 = link ? end(link.a.device, link.b.device) : undefined;
      const b1 = link ? end(link.b.device, link.a.device) : undefined;
      if (a1 && b1 && a1.value !== b1.value && network(a1).value === network(b1).value) address = a1;
    }
    if (!address) return a;
    found++;
    return { item: a.item, prefix: formatPrefix(network(address)) };
  });
  return { allocations: out, found };
}
