// The infrastructure ACL read back: the local part at the top of every inbound list (see
// LOCAL_HEAD in syntax.ts) becomes the model's local filter, checked to be the same in every
// list, to admit only packets addressed to the router, and to end with the local filter's
// default for the router's own addresses; the lists go on to acl-merge.ts without it. The local
// filter's own list (bound where an interface has no inbound filter) must hold nothing else
// than the local part and NO_FILTER_REMARK's `permit ip any any`.

import type { FilterModel, FilterRule, InterfaceModel } from '../../compiler/model.js';
import type { IfaceDraft } from './read-state.js';
import { comparePrefixes, containsPrefix, formatPrefix, network, type Prefix } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import { textSpan } from '../config-text.js';
import type { Reporter } from '../reporter.js';
import { blockRule, isNdBlock, toRule, type HalfRule } from './acl-merge.js';
import { remarkText, type Ace, type Block, type ObjectGroup, type ParsedAcl } from './acl-read.js';
import { IPV6_ACL_SUFFIX, LOCAL_HEAD, LOCAL_HEAD_TAIL, NO_FILTER_REMARK, SELF_GROUP_PREFIX, SELF_REMARK } from './syntax.js';

type Family = 4 | 6;

export interface LocalRead {
  filter: FilterModel;
  /** The access lists (by their own name) that start with the local part. */
  lists: Set<string>;
}

interface LocalHalf {
  acl: ParsedAcl;
  name: string;
  rules: HalfRule[];
  defaultAction?: 'permit' | 'deny';
}

/**
 * A prefix list's canonical text. Kept per list: every entry of every local part compares its
 * SELF group with the router's own addresses, a list of one address per interface (thousands of
 * entries at hundreds of interfaces, the same two lists each time). The lists are not changed
 * once read.
 */
const keys = new WeakMap<Prefix[], string>();
const key = (ps: Prefix[]): string => {
  let k = keys.get(ps);
  if (k === undefined) keys.set(ps, (k = [...ps].sort(comparePrefixes).map((p) => formatPrefix(network(p))).join(' ')));
  return k;
};

/**
 * Takes the local parts out of `acls`. Returns the lists without them (the local filter's own
 * list left out) and the local filter, or undefined when no list has a local part.
 */
export function extractLocal(acls: ParsedAcl[], self: Record<Family, Prefix[]>, groups: Map<string, ObjectGroup>, reporter: Reporter, running = false): { acls: ParsedAcl[]; local?: LocalRead } {
  const halves: LocalHalf[] = [];
  const rest: ParsedAcl[] = [];
  const report = (line: Ace['line'] | Block['remarks'][number], message: string, hint?: string): void => reporter.error(Codes.readerLocalFilterDiffers, textSpan(line), message, hint);
  for (const acl of acls) {
    let blocks = acl.blocks;
    const start = acl.family === 6 && blocks[0] && isNdBlock(blocks[0]) ? 1 : 0;
    const first = blocks[start];
    const head = first?.remarks[0] ? remarkText(first.remarks[0]) : '';
    if (!first || !head.startsWith(LOCAL_HEAD) || !head.endsWith(LOCAL_HEAD_TAIL)) {
      rest.push(acl);
      continue;
    }
    const name = head.slice(LOCAL_HEAD.length, head.length - LOCAL_HEAD_TAIL.length);
    blocks = [{ remarks: first.remarks.slice(1), aces: first.aces }, ...blocks.slice(start + 1)];
    const half: LocalHalf = { acl, name, rules: [] };
    let i = 0;
    for (; i < blocks.length; i++) {
      const b = blocks[i]!;
      if (b.aces.length === 0) continue;
      if (b.remarks.length === 1 && remarkText(b.remarks[0]!) === SELF_REMARK) {
        const ok = b.aces.every((a) => a.action === b.aces[0]!.action && a.protocol === undefined && a.src === 'any' && a.icmpType === undefined && !a.established);
        const dsts = b.aces.flatMap((a) => (a.dst === 'any' ? [] : a.dst));
        const toSelf = acl.family === 4 ? b.aces.every((a) => isSelfGroup(a, self[4], groups)) : key(dsts) === key(self[6]) && b.aces.every((a) => a.dst !== 'any');
        if (!ok || !toSelf) report(b.aces[0]!.line, `the local part of ${acl.name} does not end with one action for every address of this router`, 'Plumb ends it with `deny ip any object-group SELF-...` (IPv6: one entry per own address) under its remark.');
        half.defaultAction = b.aces[0]!.action;
        i++;
        break;
      }
      const self4 = acl.family === 4 && b.aces.every((a) => a.dstGroup?.startsWith(SELF_GROUP_PREFIX));
      if (self4) for (const a of b.aces) isSelfGroup(a, self[4], groups, report);
      const rule = blockRule(self4 ? { ...b, aces: b.aces.map((a) => ({ ...a, dst: 'any' as const })) } : b, reporter);
      if (!rule) continue;
      if (rule.destinations && acl.family === 6 && key(rule.destinations) === key(self[6])) delete rule.destinations;
      else if (!self4 && (!rule.destinations || rule.destinations.some((d) => !self[acl.family].some((s) => containsPrefix(s, d))))) {
        report(rule.line, `a local entry of ${acl.name} admits packets that are not addressed to this router`, 'The local part decides packets to the router only; move the entry below it.');
        continue;
      }
      half.rules.push(rule);
    }
    if (half.defaultAction === undefined) report(acl.section.head, `the local part of ${acl.name} has no end: the entry for every other packet addressed to this router is missing`);
    halves.push(half);
    const own = acl.name === (acl.family === 4 ? name : `${name}${IPV6_ACL_SUFFIX}`);
    const after = blocks.slice(i).filter((b) => b.aces.length > 0);
    if (own) {
      const tail = after[0];
      const pass = tail?.remarks.length === 1 && remarkText(tail.remarks[0]!) === NO_FILTER_REMARK && tail.aces.length === 1 && tail.aces[0]!.action === 'permit' && tail.aces[0]!.protocol === undefined && tail.aces[0]!.src === 'any' && tail.aces[0]!.dst === 'any';
      if (!pass || after.length !== 1) report((after[pass ? 1 : 0] ?? blocks[blocks.length - 1]!).aces[0]?.line ?? acl.section.head, `${acl.name} is the local filter's own list: after its local part it may only let forwarded packets pass`, 'Bind a filter of its own where an interface needs one.');
    } else rest.push({ ...acl, blocks: after });
  }
  if (halves.length === 0) return { acls: rest };
  return { acls: rest, local: mergeHalves(halves, self, reporter, running) };
}

/** Whether the entry's destination is the SELF object-group holding exactly the router's addresses (reported if not). */
function isSelfGroup(a: Ace, self4: Prefix[], groups: Map<string, ObjectGroup>, report?: (line: Ace['line'], message: string) => void): boolean {
  const g = a.dstGroup !== undefined ? groups.get(a.dstGroup) : undefined;
  const ok = a.dstGroup?.startsWith(SELF_GROUP_PREFIX) === true && g?.kind === 'network' && key(g.prefixes) === key(self4);
  if (!ok && report && a.dstGroup !== undefined) report(a.line, `object-group ${a.dstGroup} does not hold exactly this router's addresses (${key(self4)})`);
  return ok;
}

/** The local filter: each list pair's halves merged by sequence number, every pair the same. */
function mergeHalves(halves: LocalHalf[], self: Record<Family, Prefix[]>, reporter: Reporter, running: boolean): LocalRead {
  const pairs = new Map<string, Partial<Record<Family, LocalHalf>>>();
  for (const h of halves) {
    const base = h.acl.family === 6 && h.acl.name.endsWith(IPV6_ACL_SUFFIX) ? h.acl.name.slice(0, -IPV6_ACL_SUFFIX.length) : h.acl.name;
    const p = pairs.get(base) ?? {};
    p[h.acl.family] = h;
    pairs.set(base, p);
  }
  let reference: { filter: FilterModel; text: string; from: ParsedAcl } | undefined;
  for (const [base, pair] of pairs) {
    for (const f of [4, 6] as const) {
      if (!pair[f] && self[f].length > 0) {
        const other = (pair[4] ?? pair[6])!.acl;
        reporter.error(Codes.readerLocalFilterDiffers, textSpan(other.section.head), `${base} has no IPv${f} list with the local part, though the router has IPv${f} addresses`, `Define ${f === 4 ? base : `${base}${IPV6_ACL_SUFFIX}`} with the same local part.`);
      }
    }
    const h4 = pair[4];
    const h6 = pair[6];
    if (h4 && h6 && h4.name !== h6.name) reporter.error(Codes.readerLocalFilterDiffers, textSpan(h6.acl.section.head), `the local part of ${h6.acl.name} names local filter ${h6.name}, that of ${h4.acl.name} ${h4.name}`);
    if (h4?.defaultAction && h6?.defaultAction && h4.defaultAction !== h6.defaultAction) reporter.error(Codes.readerLocalFilterDiffers, textSpan(h6.acl.section.head), `the local parts of ${h4.acl.name} and ${h6.acl.name} end with different actions`);
    const seqs = [...new Set([...(h4?.rules ?? []), ...(h6?.rules ?? [])].map((r) => r.seq))].sort((a, b) => a - b);
    const rules: FilterRule[] = [];
    for (const seq of seqs) {
      const r = toRule(h4?.rules.find((x) => x.seq === seq), h6?.rules.find((x) => x.seq === seq), reporter, running ? { 4: true, 6: true } : {});
      if (r) rules.push(r);
    }
    const filter: FilterModel = { name: (h4 ?? h6)!.name, rules, defaultAction: h4?.defaultAction ?? h6?.defaultAction ?? 'deny' };
    const text = JSON.stringify(filter);
    const acl = (h4 ?? h6)!.acl;
    if (!reference) reference = { filter, text, from: acl };
    else if (text !== reference.text) {
      const which = firstDifference(reference.filter, filter);
      reporter.error(Codes.readerLocalFilterDiffers, textSpan(acl.section.head), `the local part of ${acl.name} differs from that of ${reference.from.name} (line ${reference.from.section.head.line}): ${which}`, 'Packets to the router would be decided differently depending on the interface they enter by; compile again, or make the edit in every inbound list.');
    }
  }
  return { filter: reference!.filter, lists: new Set(halves.map((h) => h.acl.name)) };
}

/** An addressed interface lets no packet reach the router without the local part: its inbound lists must start with it. */
export function checkLocalCovered(d: IfaceDraft, iface: InterfaceModel, lists: Set<string>, reporter: Reporter): void {
  if (iface.role === 'loopback') return;
  const v6 = d.v6.length > 0 || d.linkLocal !== undefined;
  for (const [family, on] of [
    [4, d.v4.length > 0],
    [6, v6],
  ] as const) {
    const acl = d.acl.in[family];
    if (on && (!acl || !lists.has(acl[0]))) {
      reporter.error(Codes.readerLocalFilterDiffers, acl?.[1] ?? textSpan(d.line), `interface ${d.name} has IPv${family} but its inbound list ${acl ? `${acl[0]} does not start with the local filter` : 'is missing'}: packets to the router entering there are not filtered as on the other interfaces`, 'Every addressed interface binds an inbound list that starts with the local part.');
    }
  }
}

function firstDifference(a: FilterModel, b: FilterModel): string {
  if (a.name !== b.name) return `it names local filter ${b.name}, not ${a.name}`;
  if (a.defaultAction !== b.defaultAction) return `it ends with ${b.defaultAction}, not ${a.defaultAction}`;
  for (let i = 0; i < Math.max(a.rules.length, b.rules.length); i++) {
    const x = a.rules[i];
    const y = b.rules[i];
    if (JSON.stringify(x) !== JSON.stringify(y)) return y ? `its rule ${i + 1} is "${y.description}"${x ? `, with another match than "${x.description}"` : ', an extra rule'}` : `it lacks rule ${i + 1} "${x!.description}"`;
  }
  return 'its rules differ';
}
