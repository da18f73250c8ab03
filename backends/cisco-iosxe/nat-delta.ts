// The delta's address translation (delta.ts): the global `ip nat` lines that the next version
// no longer has are removed before those it adds are entered, because IOS refuses a second
// static entry for addresses an entry already translates and a pool or access list a mapping
// still uses cannot be redefined (nat-render.ts names pools and lists by their content, so a
// changed translation is a new line). IOS also refuses, or asks at the console, to remove an
// entry that live translations use: the translation table is cleared first (`do clear ip nat
// translation *`), which ends the connections through the router's translations.
//
// Order: the clear, removed dynamic mappings, removed static entries, removed pools; then new
// pools, new static entries, new dynamic mappings (each in the order of its file). A line the
// next version keeps is removed and entered again when a line before it changes, so that the
// lines end in the next version's order (the model's order of precedence). The
// interfaces' `ip nat inside|outside` lines are interface lines, changed with the interfaces.

import { negate, type ConfigBlock } from './delta-blocks.js';

/** The config-mode command that empties the translation table. */
export const CLEAR_TRANSLATIONS = 'do clear ip nat translation *';

/** A global NAT line: a translation or a pool. */
export const isNatHead = (head: string): boolean => /^ip nat /.test(head);

/** 0 pools, 1 static entries, 2 dynamic mappings: the order of additions (removals reverse it). */
function stage(head: string): number {
  if (head.startsWith('ip nat pool ')) return 0;
  return / source list /.test(head) ? 2 : 1;
}

/** The NAT commands that turn the previous version's translations into the next's. */
export function natDeltaLines(prev: ReadonlyMap<string, ConfigBlock>, next: ReadonlyMap<string, ConfigBlock>): string[] {
  const heads = (m: ReadonlyMap<string, ConfigBlock>): string[] => [...m.values()].map((b) => b.head).filter(isNatHead);
  const before = heads(prev);
  const after = heads(next);
  // the reader takes the translations in the order of their lines, and IOS appends a new line
  // after the others: lines the next version keeps stay only up to the first place the order
  // differs, and from there on everything is entered again
  const kept = before.filter((h) => after.includes(h));
  let same = 0;
  while (same < kept.length && kept[same] === after[same]) same++;
  const removed = before.filter((h) => !after.includes(h) || kept.indexOf(h) >= same);
  const added = after.slice(same);
  const out: string[] = [];
  if (removed.length > 0) out.push(CLEAR_TRANSLATIONS);
  for (const s of [2, 1, 0]) for (const h of removed) if (stage(h) === s) out.push(negate(h));
  for (const s of [0, 1, 2]) {
    for (const h of added) {
      if (stage(h) !== s) continue;
      out.push(...next.get(h)!.before, h);
    }
  }
  return out;
}
