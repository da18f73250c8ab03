// The zone-based firewall in the IOS-XE delta (delta.ts): an inspect policy-map is first match
// in the order of its classes, and IOS appends a class added to a policy-map after the others,
// so a changed policy-map is never edited in place (one no zone-pair applies is deleted and
// written again). It is built complete under a temporary name,
// each zone-pair that uses it is pointed at the copy (`no service-policy`, then the copy's:
// a zone-pair holds one inspect policy), the policy-map is deleted and rebuilt, the zone-pairs
// point back at it and the copy is deleted: each zone-pair always applies a complete policy, the
// old or the new, but for the moment between its two lines, when it has none and IOS drops the
// pair's traffic (it fails closed). Class-maps change by their `match` lines (their order does
// not matter in a `match-any` class) and zone-members as interface lines.

import { blockText, type ConfigBlock } from './delta-blocks.js';

const POLICY = /^policy-map type inspect (\S+)$/;
const SERVICE_POLICY = 'service-policy type inspect ';

/** Whether a block is an inspect policy-map. */
export function isInspectPolicy(head: string): boolean {
  return POLICY.test(head);
}

const itemsText = (b: ConfigBlock): string => b.items.map((i) => `${i.context}\n${i.text}`).join('\n');

/** The commands that turn the previous inspect policy-map `p` into `n` (none when they are the same). */
export function swapInspectPolicy(p: ConfigBlock, n: ConfigBlock, previous: Iterable<ConfigBlock>, swapSuffix: string): string[] {
  if (itemsText(p) === itemsText(n) && p.before.join('\n') === n.before.join('\n')) return [];
  const name = POLICY.exec(n.head)![1]!;
  const copy = `${name}${swapSuffix}`;
  const users = [...previous].filter((b) => b.head.startsWith('zone-pair security ') && b.items.some((i) => i.text === `${SERVICE_POLICY}${name}`));
  // a policy no zone-pair applies is simply written again
  if (users.length === 0) return [`no ${p.head}`, ...blockText(n)];
  const point = (from: string, to: string): string[] => users.flatMap((u) => [u.head, ` no ${SERVICE_POLICY}${from}`, ` ${SERVICE_POLICY}${to}`, '!']);
  return [
    ...blockText({ before: [], head: `policy-map type inspect ${copy}`, items: n.items }),
    '!',
    ...point(name, copy),
    `no ${p.head}`,
    ...blockText(n),
    '!',
    ...point(copy, name),
    `no policy-map type inspect ${copy}`,
  ];
}

/** How to remove a zone-based firewall block, when IOS's `no` form is not the head's. */
export function zbfRemoval(head: string): string[] | undefined {
  const pair = /^zone-pair security (\S+) source \S+ destination \S+$/.exec(head);
  return pair ? [`no zone-pair security ${pair[1]}`] : undefined;
}
