// Reads nftables.conf (what nft-render.ts writes, and hand edits of the same subset) back into
// the model's filters, zones, zone policy, filter bindings and statefulness: the table and its
// chains here, its sets in nft-sets.ts, one rule in nft-rule.ts.

import { diagnostic, fileSpan, type Diagnostic, type Span } from '../../language/diagnostic.js';
import type { FilterModel, FilterRule, InterfaceModel, Match, NatModel, NatSide, ZoneModel } from '../../compiler/model.js';
import { sortPrefixes } from '../canonical.js';
import { originTagAt } from './tag-read.js';
import { readText } from './text.js';
import {
  parseNft,
  wordsOf,
  type NftBlock,
  type NftNode,
} from './nft-syntax.js';
import { NFT_NAME, TABLE, ZONE_CHAIN } from './nft-render.js';
import { References } from '../references.js';
import { addressSetFamily, readAddressSet, readZoneSet } from './nft-sets.js';
import { addressSetKind, parseRule, type NftRule, type RuleContext } from './nft-rule.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { readForward, type ForwardAccept } from './nft-read-forward.js';
import { runningNodes } from './nft-running.js';
import { isNatSet, NAT_CHAINS, readNat, readNatSet } from './nft-nat-read.js';
import { NAT_POSTROUTING_CHAIN, NAT_PREROUTING_CHAIN } from './nft-nat-render.js';
import {
  INPUT_CHAIN,
  PREROUTING_CHAIN,
  readInputChain,
  readPrerouting,
  type InputRead,
  type Urpf6Read,
} from './nft-input.js';

export interface FilterBinding {
  interface: string;
  direction: 'in' | 'out';
  filter: string;
  span: Span;
}

export interface NftReadResult {
  stateful: boolean;
  bindings: FilterBinding[];
  zones: ZoneModel[];
  /** Present when the table has a zone policy chain. */
  securityRules?: FilterRule[];
  filters: FilterModel[];
  /** The filter the input chain jumps to, when there is an input chain. */
  localFilter?: string;
  /** IPv6 uRPF by interface name (the prerouting chain). */
  urpf6: Map<string, Urpf6Read>;
  /** Present when the table has a NAT side's set or a NAT chain. */
  nat?: NatModel;
  /** `running` only: the top-level statements and tables besides Plumb's (their first line). */
  unmanaged?: Span[];
  diagnostics: Diagnostic[];
}

/**
 * `running`: the file is what `nft list ruleset` prints (nft-running.ts): other tables are
 * listed as unmanaged, and the rules one model rule was written as are joined by their comment.
 */
export function readNftables(file: string, content: string, options: { running?: boolean } = {}): NftReadResult {
  const parsed = parseNft(file, content);
  if (options.running) parsed.nodes = runningNodes(parsed.nodes);
  const diagnostics = [...parsed.diagnostics];
  const result: NftReadResult = {
    stateful: false,
    bindings: [],
    zones: [],
    filters: [],
    urpf6: new Map(),
    diagnostics,
  };
  const err = (code: DiagnosticCode, span: Span, message: string, hint?: string): void =>
    void diagnostics.push(diagnostic(code, span, message, { hint }));

  let table: NftBlock | undefined;
  for (const node of parsed.nodes) {
    if (node.kind === 'comment') continue;
    const words = node.kind === 'block' ? node.head.map((w) => w.text) : wordsOf(node);
    const isOurs = words[0] === 'table' && words[1] === 'inet' && words[2] === TABLE && words.length === 3;
    if (node.kind === 'block' && isOurs) {
      table = node;
    } else if (
      node.kind === 'statement' &&
      (isOurs || words.join(' ') === `delete table inet ${TABLE}` || words.join(' ') === 'flush ruleset')
    ) {
      continue;
    } else if (options.running) {
      (result.unmanaged ??= []).push(node.span);
    } else {
      err(
        Codes.readerUnknownCommand,
        node.span,
        `not part of the table inet ${TABLE} that Plumb reads: \`${words.join(' ')}\``,
        'keep every rule inside `table inet plumb { ... }`',
      );
    }
  }
  if (!table) {
    err(
      Codes.readerFileMissing,
      { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } },
      `${file} has no \`table inet ${TABLE} { ... }\``,
    );
    return result;
  }

  const chains = new Map<string, NftBlock>();
  const addressSets: RuleContext['addressSets'] = new Map();
  const refs = new References();
  const natSides: Partial<Record<NatSide, string[]>> = {};
  for (const node of table.body) {
    if (node.kind === 'comment') continue;
    if (node.kind === 'block' && node.head[0]?.text === 'set' && node.head.length === 2 && isNatSet(node.head[1]!.text)) {
      natSides[node.head[1]!.text === 'nat_inside' ? 'inside' : 'outside'] = readNatSet(node, err);
      refs.define('nat side set', node.head[1]!.text, node.head[1]!.span);
    } else if (node.kind === 'block' && node.head[0]?.text === 'set' && node.head.length === 2) {
      const family = addressSetFamily(node);
      if (family) {
        addressSets.set(node.head[1]!.text, { family, prefixes: readAddressSet(node, family, err) });
        refs.define(addressSetKind(family), node.head[1]!.text, node.head[1]!.span);
        continue;
      }
      const zone = readZoneSet(node, err);
      if (zone) {
        result.zones.push(zone);
        refs.define('zone set', node.head[1]!.text, node.head[1]!.span);
      }
    } else if (node.kind === 'block' && node.head[0]?.text === 'chain' && node.head.length === 2) {
      chains.set(node.head[1]!.text, node);
      refs.define('chain', node.head[1]!.text, node.head[1]!.span);
    } else {
      err(
        Codes.readerUnknownCommand,
        node.span,
        'only `set zone_NAME { ... }`, `set nat_inside { ... }`, `set nat_outside { ... }`, address sets and `chain NAME { ... }` are read inside the table',
      );
    }
  }
  result.zones.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const zoneNames = new Set(result.zones.map((z) => z.name));

  const forward = chains.get('forward');
  if (!forward)
    err(
      Codes.readerFileMissing,
      table.span,
      'the table has no `chain forward`',
      'the forward chain decides what the device forwards',
    );
  const accepts: ForwardAccept[] | undefined = options.running ? [] : undefined;
  if (forward) readForward(forward, chains, refs, result, err, accepts);
  const ruleContext: RuleContext = { zones: zoneNames, addressSets, refs, err, ...(options.running ? { joinByComment: true } : {}) };
  const input = chains.get(INPUT_CHAIN);
  const inputRead: InputRead | undefined = input ? readInputChain(input, refs, err) : undefined;
  result.localFilter = inputRead?.localChain;
  const prerouting = chains.get(PREROUTING_CHAIN);
  if (prerouting) result.urpf6 = readPrerouting(prerouting, err);

  for (const [name, chain] of [...chains].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (name === 'forward' || name === INPUT_CHAIN || name === PREROUTING_CHAIN || NAT_CHAINS.includes(name)) continue;
    if (!NFT_NAME.test(name))
      err(Codes.readerMalformedValue, chain.head[1]!.span, `\`${name}\` is not a chain name Plumb writes`);
    const local = name === inputRead?.localChain;
    const { rules, endsWithDrop } = readRuleChain(chain, { ...ruleContext, acceptPermits: local });
    if (name === ZONE_CHAIN) {
      if (!endsWithDrop)
        err(
          Codes.readerInexpressible,
          chain.span,
          'the zone policy does not end with `drop`',
          'Plumb zone policies deny what no rule permits',
        );
      result.securityRules = rules;
    } else {
      // Rules the input chain holds before its jump come first in the local filter.
      const before = local ? inputRules(inputRead.extra, chains.get(INPUT_CHAIN)!, ruleContext) : [];
      result.filters.push({ name, rules: [...before, ...rules], defaultAction: endsWithDrop ? 'deny' : 'permit' });
    }
  }
  if (inputRead?.localChain !== undefined && !chains.has(inputRead.localChain))
    result.localFilter = undefined; // reported as an undefined chain
  if (accepts?.length) applyForwardAccepts(accepts, result, ruleContext);
  const natChains = { pre: chains.get(NAT_PREROUTING_CHAIN), post: chains.get(NAT_POSTROUTING_CHAIN) };
  if (natSides.inside || natSides.outside || natChains.pre || natChains.post) result.nat = readNat(natSides, natChains, refs, err);
  refs.report({ error: err });
  return result;
}

/**
 * An `accept` among the forward chain's jumps admits what it matches past every jump after it:
 * as if each filter jumped to after it (and the zone policy) permitted it first. A filter also
 * jumped to before it, or the local filter, would then say more than its own place: R904.
 */
function applyForwardAccepts(accepts: ForwardAccept[], result: NftReadResult, context: RuleContext): void {
  for (const a of [...accepts].reverse()) {
    const parsed = parseRule(a.node, { ...context, acceptPermits: true });
    if (!parsed) continue;
    const rule: FilterRule = { action: 'permit', match: mergeMatch([parsed]), origin: parsed.node.span, description: readText(parsed.comment) };
    const before = new Set(result.bindings.slice(0, a.jumps).map((b) => b.filter));
    const after = new Set(result.bindings.slice(a.jumps).map((b) => b.filter));
    const shared = [...after].find((f) => before.has(f) || f === result.localFilter);
    if (shared !== undefined) {
      context.err(
        Codes.readerInexpressible,
        a.node.span,
        `this accept skips the filter ${shared} at some of the places it is applied and not at others`,
        'the model applies a filter alike wherever it is bound',
      );
      continue;
    }
    result.filters = result.filters.map((f) => (after.has(f.name) ? { ...f, rules: [rule, ...f.rules] } : f));
    if (a.zonesAfter && result.securityRules) result.securityRules = [rule, ...result.securityRules];
  }
}

/** The rules the input chain holds before its jump to the local filter, as model rules. */
function inputRules(extra: NftNode[], input: NftBlock, context: RuleContext): FilterRule[] {
  if (!extra.some((n) => n.kind === 'statement')) return [];
  const read = readRuleChain({ ...input, body: extra }, { ...context, acceptPermits: true });
  if (!read.endsWithDrop) return read.rules;
  return [...read.rules, { action: 'deny', match: {}, origin: input.span, description: 'drop' }];
}

interface Group {
  origin?: Span;
  description?: string;
  rules: NftRule[];
  /** The origin line or the rule the group starts at: its span is the rule's origin when it has no tag. */
  at: { readonly span: Span };
}

function readRuleChain(
  chain: NftBlock,
  context: RuleContext,
): { rules: FilterRule[]; endsWithDrop: boolean } {
  const { err } = context;
  const groups: Group[] = [];
  let open: Group | undefined;
  for (const node of chain.body) {
    if (node.kind === 'comment') {
      const tag = /^@ (.+? \[\d+,\d+\])(?: (.*))?$/.exec(node.text);
      const origin = tag ? originTagAt(tag[1]!, 0) : undefined;
      if (origin) {
        open = { origin, description: readText(tag![2] ?? ''), rules: [], at: node };
        groups.push(open);
      } else if (open?.rules.length === 0) {
        open = undefined; // e.g. "(matches no packet ...)": the tagged rule renders to nothing
      }
      continue;
    }
    if (node.kind === 'block') {
      err(Codes.readerUnknownCommand, node.span, 'unexpected block in a chain');
      continue;
    }
    const rule = parseRule(node, context);
    if (!rule) continue;
    const previous = groups[groups.length - 1];
    if (open && (open.rules.length === 0 || mergeable(open.rules, rule))) {
      open.rules.push(rule);
    } else if (context.joinByComment && !open && previous && !previous.origin && sameRuleOtherFamily(previous.rules, rule)) {
      previous.rules.push(rule);
    } else {
      open = undefined;
      groups.push({ rules: [rule], at: rule.node });
    }
  }
  let endsWithDrop = false;
  const last = groups[groups.length - 1];
  if (
    last &&
    !last.origin &&
    last.rules.length === 1 &&
    isUnconditional(last.rules[0]!) &&
    last.rules[0]!.action === 'deny'
  ) {
    groups.pop();
    endsWithDrop = true;
  }
  const rules: FilterRule[] = [];
  for (const g of groups) {
    if (g.rules.length === 0) continue; // a rule that matches no packet
    rules.push({
      action: g.rules[0]!.action,
      match: mergeMatch(g.rules),
      origin: g.origin ?? g.at.span,
      description: g.description ?? readText(g.rules[0]!.comment),
    });
  }
  return { rules, endsWithDrop };
}

function isUnconditional(r: NftRule): boolean {
  return r.family === 'any' && !r.fromZone && !r.toZone && Object.keys(r.match).length === 0;
}

const key = (r: NftRule): string => `${r.fromZone ?? ''}|${r.toZone ?? ''}|${r.family}`;

/** Rules under one origin line are one model rule when they differ only in zones and family. */
function mergeable(group: NftRule[], r: NftRule): boolean {
  const g = group[0]!;
  return (
    g.action === r.action &&
    g.comment === r.comment &&
    JSON.stringify(g.match) === JSON.stringify(r.match) &&
    (g.sources === undefined) === (r.sources === undefined) &&
    (g.destinations === undefined) === (r.destinations === undefined) &&
    (g.fromZone === undefined) === (r.fromZone === undefined) &&
    (g.toZone === undefined) === (r.toZone === undefined) &&
    (g.family === 'any') === (r.family === 'any') &&
    !group.some((x) => key(x) === key(r))
  );
}

/**
 * Without origin lines (what `nft list ruleset` prints), the IPv4 and IPv6 halves of one model
 * rule are the adjacent rules with the same comment, verdict and match, no zones, one family each.
 */
function sameRuleOtherFamily(group: NftRule[], r: NftRule): boolean {
  return r.comment !== '' && r.family !== 'any' && r.fromZone === undefined && r.toZone === undefined && mergeable(group, r);
}

function mergeMatch(rules: NftRule[]): Match {
  const first = rules[0]!;
  const m: Match = {};
  const uniq = (xs: (string | undefined)[]): string[] => [
    ...new Set(xs.filter((x): x is string => x !== undefined)),
  ];
  // One rule (nearly every group) with one prefix: nothing to join, sort or deduplicate.
  const one = rules.length === 1;
  if (first.sources)
    m.sources = one && first.sources.length < 2 ? [...first.sources] : sortPrefixes(uniq(rules.flatMap((r) => r.sources ?? [])));
  if (first.destinations)
    m.destinations =
      one && first.destinations.length < 2
        ? [...first.destinations]
        : sortPrefixes(uniq(rules.flatMap((r) => r.destinations ?? [])));
  Object.assign(m, first.match);
  if (first.fromZone !== undefined) m.fromZones = uniq(rules.map((r) => r.fromZone));
  if (first.toZone !== undefined) m.toZones = uniq(rules.map((r) => r.toZone));
  return m;
}

/**
 * Puts what the ruleset says of the interfaces on them (filter bindings, zones), each name a
 * reference to an interface `refs` knows (the reading of setup.sh or of `ip -j`).
 */
export function bindToInterfaces(interfaces: InterfaceModel[], nft: NftReadResult | undefined, rulesetPath: string, refs: References): void {
  const byName = new Map(interfaces.map((i) => [i.name, i]));
  for (const b of nft?.bindings ?? []) {
    refs.reference('interface', b.interface, b.span, 'the forward chain');
    const ifc = byName.get(b.interface);
    if (!ifc) continue;
    if (b.direction === 'in') ifc.filterIn = b.filter;
    else ifc.filterOut = b.filter;
  }
  for (const side of ['inside', 'outside'] as const) {
    for (const name of nft?.nat?.[side] ?? []) refs.reference('interface', name, fileSpan(rulesetPath), `the NAT ${side} set`);
  }
  for (const z of nft?.zones ?? []) {
    for (const name of z.interfaces) {
      refs.reference('interface', name, fileSpan(rulesetPath), `zone ${z.name}`);
      const ifc = byName.get(name);
      if (ifc) ifc.zone = z.name;
    }
  }
}

export type { NftNode };
