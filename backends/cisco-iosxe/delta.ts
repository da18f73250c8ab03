// The IOS-XE delta: `<device>.delta.cfg`, the commands that turn the previous `<device>.cfg`
// (as running on the router) into the next one when pasted in config mode or copied with
// `copy bootflash:<device>.delta.cfg running-config`. Computed from the two texts, block by
// block (delta-blocks.ts), in an order that never leaves a live interface without its filter
// or with a half-edited one:
//
//  1. new object-groups; a group whose content changes under the same name gets a temporary
//     copy (NAME-PLUMB-SWAP) with the new content;
//  2. new access-lists; every changed access-list X is first built complete under X-PLUMB-SWAP
//     (naming the temporary groups), every binding of X (`ip access-group`, `ipv6
//     traffic-filter`, `access-class`, `match access-group name`) is pointed at it, X is
//     deleted and rebuilt (and the changed groups with it), the bindings point back at X and
//     the temporary objects are deleted. `ip access-group NAME in` replaces the binding in one
//     command, so each interface always filters with one complete list: the old or the new;
//  3. prefix-list entries, route-maps, other sections, interfaces, routing processes, static
//     routes and lines, added or changed in place (a line that IOS replaces, such as a
//     description, a cost or a binding, is one command; others are `no` the old, then the new);
//     Address translation goes first among the other sections (nat-delta.ts): removed NAT
//     lines before added ones, after clearing the translation table;
//  4. what the next version no longer has, users before what they use: lines, static routes,
//     routing processes, interfaces (`no interface` for logical ones; a physical port is
//     defaulted and shut), other sections, route-maps, prefix-list entries, access-lists and
//     object-groups.
// Plumb's `! plumb` annotations are repeated where they changed: IOS ignores comment lines, the
// reader reads them from the full file. Nothing changed: no file.

import type { DeviceModel } from '../../compiler/model.js';
import type { RenderedFile } from '../backend.js';
import { CONFIG_SUFFIX } from './syntax.js';
import {
  aclBinding,
  aclName,
  blockKey,
  blockText,
  groupsNamed,
  isAnnotation,
  isSubmode,
  KIND_ORDER,
  kindOf,
  negate,
  neighborOf,
  opensSubmode,
  parseBlocks,
  replaceKey,
  type BlockItem,
  type ConfigBlock,
} from './delta-blocks.js';
import { isInspectPolicy, swapInspectPolicy, zbfRemoval } from './zbf-delta.js';
import { CLEAR_TRANSLATIONS, isNatHead, natDeltaLines } from './nat-delta.js';

/** The suffix of the temporary access-lists and object-groups of a swap. */
export const SWAP_SUFFIX = '-PLUMB-SWAP';
export const DELTA_SUFFIX = '.delta.cfg';

const itemKey = (it: BlockItem): string => `${it.context}\n${it.text}`;
const same = (a: string[], b: string[]): boolean => a.length === b.length && a.every((x, i) => x === b[i]);
const sameSet = (a: string[], b: string[]): boolean => same([...a].sort(), [...b].sort());

function byKey(blocks: ConfigBlock[]): Map<string, ConfigBlock> {
  const out = new Map<string, ConfigBlock>();
  for (const b of blocks) {
    const k = blockKey(b.head);
    const seen = out.get(k);
    if (seen) seen.items.push(...b.items);
    else out.set(k, { before: [...b.before], head: b.head, items: [...b.items] });
  }
  return out;
}

/** The name an object-group block defines. */
const groupName = (head: string): string | undefined => head.match(/^object-group \S+ (\S+)$/)?.[1];

/** A logical interface, which `no interface` deletes (a physical port cannot be deleted). */
const isLogical = (name: string): boolean => /^(Loopback|Tunnel|Vlan|Port-channel|BDI)\d+$/i.test(name) || name.includes('.');

/** The commands of a block present in both versions that turn the previous into the next. */
function modifyBlock(p: ConfigBlock, n: ConfigBlock): string[] {
  const annP = p.items.filter((i) => isAnnotation(i.text)).map(itemKey);
  const annN = n.items.filter((i) => isAnnotation(i.text));
  const pItems = p.items.filter((i) => !isAnnotation(i.text));
  const nItems = n.items.filter((i) => !isAnnotation(i.text));
  const nKeys = new Set(nItems.map(itemKey));
  const pKeys = new Set(pItems.map(itemKey));
  const removed = pItems.filter((i) => !nKeys.has(itemKey(i)));
  const added = nItems.filter((i) => !pKeys.has(itemKey(i)));
  const beforeChanged = !same(p.before, n.before);
  const annChanged = !sameSet(annP, annN.map(itemKey));
  if (p.head === n.head && !beforeChanged && !annChanged && removed.length === 0 && added.length === 0) return [];
  const out = [...(beforeChanged ? n.before : []), n.head];
  for (const a of annN) out.push(` ${a.text}`);
  // a removed neighbour goes with everything configured for it; a removed sub-mode with its lines
  const goneNeighbors = new Set(
    removed.map((i) => neighborOf(i.text)).filter((a): a is string => a !== undefined && !nItems.some((x) => neighborOf(x.text) === a)),
  );
  const headerIn = (b: ConfigBlock, text: string): boolean => opensSubmode(b, text);
  const goneModes = new Set(removed.filter((i) => i.context === '' && headerIn(p, i.text)).map((i) => i.text));
  const skip = (i: BlockItem): boolean => goneModes.has(i.context) || [...goneNeighbors].some((a) => i.text.startsWith(`neighbor ${a} `));
  const replaced = (i: BlockItem): boolean => {
    const key = replaceKey(i.text);
    return key !== undefined && added.some((x) => x.context === i.context && replaceKey(x.text) === key);
  };
  for (const a of goneNeighbors) out.push(` no neighbor ${a}`);
  for (const m of goneModes) out.push(` no ${m}`);
  // the block's own lines, then each sub-mode (entered, changed, left)
  const rem = removed.filter((i) => i.context === '' && !skip(i) && !replaced(i) && !goneModes.has(i.text));
  const add = added.filter((i) => i.context === '' && !headerIn(n, i.text));
  for (const i of rem) out.push(` ${negate(i.text)}`);
  for (const i of add) out.push(` ${i.text}`);
  const headers = [
    ...nItems.filter((i) => i.context === '' && headerIn(n, i.text)).map((i) => i.text),
    ...pItems.filter((i) => i.context === '' && headerIn(p, i.text) && !goneModes.has(i.text)).map((i) => i.text),
  ];
  for (const context of new Set(headers)) {
    const remIn = removed.filter((i) => i.context === context && !skip(i) && !replaced(i));
    const addIn = added.filter((i) => i.context === context);
    const isNew = added.some((i) => i.context === '' && i.text === context);
    if (remIn.length + addIn.length === 0 && !isNew) continue;
    out.push(` ${context}`);
    for (const i of remIn) out.push(`  ${negate(i.text)}`);
    for (const i of addIn) out.push(`  ${i.text}`);
    out.push(isSubmode(context) ? ' exit-address-family' : ' exit');
  }
  return out;
}

/** The commands that remove a block the next version does not have. */
function removeBlock(b: ConfigBlock): string[] {
  const kind = kindOf(b.head);
  if (kind === 'line') return [b.head, ...b.items.filter((i) => !isAnnotation(i.text) && i.context === '').map((i) => ` ${negate(i.text)}`)];
  if (kind === 'interface') {
    const name = b.head.split(/\s+/)[1] ?? '';
    return isLogical(name) ? [`no ${b.head}`] : [`default ${b.head}`, b.head, ' shutdown'];
  }
  if (kind === 'global') return b.head.startsWith('hostname ') ? [] : [`no ${b.head}`];
  return zbfRemoval(b.head) ?? [`no ${b.head}`];
}

/** Rename the object-groups `groups` names to their temporary copies in an entry. */
function withSwapGroups(text: string, groups: Set<string>): string {
  return text.replace(/\bobject-group (\S+)/g, (whole, g: string) => (groups.has(g) ? `object-group ${g}${SWAP_SUFFIX}` : whole));
}

/** The swap of the changed access-lists and object-groups (steps 1-2 of the header). */
function swapAcls(prev: Map<string, ConfigBlock>, next: Map<string, ConfigBlock>, out: string[]): void {
  const groupsInPlace = new Set<string>();
  for (const [k, n] of next) {
    if (kindOf(n.head) !== 'object-group') continue;
    const p = prev.get(k);
    if (!p) out.push(...blockText(n), '!');
    else if (!sameSet(p.items.map(itemKey), n.items.map(itemKey))) {
      groupsInPlace.add(groupName(n.head)!);
      out.push(`${n.head}${SWAP_SUFFIX}`, ...n.items.map((i) => ` ${i.text}`), '!');
    }
  }
  const changed: { p: ConfigBlock; n: ConfigBlock; name: string }[] = [];
  for (const [k, n] of next) {
    if (kindOf(n.head) !== 'acl') continue;
    const p = prev.get(k);
    if (!p) {
      out.push(...blockText(n), '!');
      continue;
    }
    const usesChangedGroup = [...p.items, ...n.items].some((i) => groupsNamed(i.text).some((g) => groupsInPlace.has(g)));
    if (usesChangedGroup || !same(p.items.map(itemKey), n.items.map(itemKey))) changed.push({ p, n, name: aclName(n.head) ?? '' });
  }
  // every binding of a changed list in the previous version, by the block that holds it
  const bindings: { block: ConfigBlock; item: BlockItem; acl: string }[] = [];
  const names = new Set(changed.map((c) => c.name));
  for (const b of prev.values()) {
    for (const item of b.items) {
      const bound = aclBinding(item.text);
      if (bound && names.has(bound.name)) bindings.push({ block: b, item, acl: bound.name });
    }
  }
  const rebind = (from: string, to: string): string[] =>
    bindings.flatMap(({ block, item, acl }) => {
        const bound = aclBinding(item.text)!;
        const indent = item.context === '' ? ' ' : '  ';
        const add = `${indent}${bound.rebind(acl + to)}`;
        const drop = `${indent}no ${bound.rebind(acl + from)}`;
        // one command where IOS replaces the binding; a class-map match is added, then the old one removed
        const lines = replaceKey(item.text) !== undefined ? [add] : [add, drop];
        return [block.head, ...(item.context !== '' ? [` ${item.context}`] : []), ...lines];
      });
  if (changed.length > 0) {
    for (const c of changed) {
      const tmp = c.n.head.replace(/(\S+)$/, `$1${SWAP_SUFFIX}`);
      out.push(tmp, ...c.n.items.map((i) => ` ${withSwapGroups(i.text, groupsInPlace)}`), '!');
    }
    out.push(...rebind('', SWAP_SUFFIX));
    for (const c of changed) out.push(`no ${c.p.head}`);
  }
  for (const g of groupsInPlace) {
    const n = [...next.values()].find((b) => groupName(b.head) === g)!;
    out.push(`no ${n.head}`, ...blockText(n), '!');
  }
  if (changed.length > 0) {
    for (const c of changed) out.push(...blockText(c.n), '!');
    out.push(...rebind(SWAP_SUFFIX, ''));
    for (const c of changed) out.push(`no ${c.n.head.replace(/(\S+)$/, `$1${SWAP_SUFFIX}`)}`);
  }
  for (const g of groupsInPlace) {
    const n = [...next.values()].find((b) => groupName(b.head) === g)!;
    out.push(`no ${n.head}${SWAP_SUFFIX}`);
  }
}

/** The delta's commands (without header and `end`); [] when the texts configure the same. */
export function iosxeDeltaLines(previous: string, nextText: string): string[] {
  const prevBlocks = parseBlocks(previous);
  const nextBlocks = parseBlocks(nextText);
  const prev = byKey(prevBlocks);
  const next = byKey(nextBlocks);
  const out: string[] = [];
  // additions and changes, kind by kind
  for (const kind of KIND_ORDER) {
    if (kind === 'object-group') {
      swapAcls(prev, next, out);
      continue;
    }
    if (kind === 'acl') continue;
    // address translation, once its access lists exist (nat-delta.ts)
    if (kind === 'other') {
      const nat = natDeltaLines(prev, next);
      if (nat.length > 0) out.push(...nat, '!');
    }
    for (const [k, n] of next) {
      if (kindOf(n.head) !== kind || isNatHead(n.head)) continue;
      const p = prev.get(k);
      if (!p) {
        // a prefix-list entry that takes a sequence number the previous version used elsewhere
        if (kind === 'prefix-list') {
          const seq = n.head.match(/^(ip(?:v6)? prefix-list \S+ seq \d+) /)?.[1];
          const old = seq && [...prev.values()].find((b) => b.head.startsWith(`${seq} `) && !next.has(blockKey(b.head)));
          if (old) out.push(`no ${old.head}`);
        }
        out.push(...blockText(n));
        if (n.items.length > 0) out.push('!');
        continue;
      }
      const lines = isInspectPolicy(n.head) ? swapInspectPolicy(p, n, prev.values(), SWAP_SUFFIX) : modifyBlock(p, n);
      if (lines.length > 0) out.push(...lines, ...(n.items.length > 0 || p.items.length > 0 ? ['!'] : []));
    }
  }
  // removals, users before what they use
  const reused = new Set(
    [...next.keys()]
      .map((k) => k.match(/^(ip(?:v6)? prefix-list \S+ seq \d+) /)?.[1])
      .filter((s): s is string => s !== undefined),
  );
  for (const kind of [...KIND_ORDER].reverse()) {
    for (const [k, p] of [...prev].reverse()) {
      if (kindOf(p.head) !== kind || next.has(k) || isNatHead(p.head)) continue;
      const seq = p.head.match(/^(ip(?:v6)? prefix-list \S+ seq \d+) /)?.[1];
      if (seq && reused.has(seq)) continue; // removed before its number was reused
      out.push(...removeBlock(p));
      if (p.items.length > 0 && kind !== 'acl' && kind !== 'object-group' && kind !== 'route-map') out.push('!');
    }
  }
  return out;
}

/** Backend.delta for IOS-XE: `<device>.delta.cfg` beside `<device>.cfg`. */
export function deltaIosxe(previous: RenderedFile[], next: RenderedFile[], device: DeviceModel): RenderedFile[] {
  const file = next.find((f) => f.path.endsWith(CONFIG_SUFFIX));
  if (!file) return [];
  const old = previous.find((f) => f.path === file.path) ?? previous.find((f) => f.path.endsWith(CONFIG_SUFFIX));
  const lines = iosxeDeltaLines(old?.content ?? '', file.content);
  if (lines.length === 0) return [];
  const base = file.path.slice(0, -CONFIG_SUFFIX.length);
  const header = [
    `! ${device.id}: the commands that turn the previous ${old?.path ?? 'configuration'} into ${file.path}, generated by Plumb.`,
    `! Paste in configuration mode, or: copy bootflash:${base}${DELTA_SUFFIX} running-config`,
    `! Changed access-lists are swapped through *${SWAP_SUFFIX} copies: no interface is ever left unfiltered.`,
    ...(lines.includes(CLEAR_TRANSLATIONS)
      ? ['! Address translations are removed: the translation table is cleared first (IOS keeps an entry in use), which ends the connections through them.']
      : []),
    '!',
  ];
  return [{ path: `${base}${DELTA_SUFFIX}`, content: [...header, ...lines, 'end', ''].join('\n') }];
}
