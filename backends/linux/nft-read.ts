// Reads nftables.conf (what nft-render.ts writes, and hand edits of the same subset) back into
// the model's filters, zones, zone policy, filter bindings and statefulness: the table and its
// chains here, its sets in nft-sets.ts, one rule in nft-rule.ts.

import { diagnostic, type Diagnostic, type Span } from '../../language/diagnostic.js';
import type { FilterModel, FilterRule, Match, ZoneModel } from '../../compiler/model.js';
import { sortPrefixes } from '../canonical.js';
import { parseOriginTag } from '../origin-tag.js';
import { readText } from './text.js';
import {
  parseNft,
  wordsOf,
  type NftBlock,
  type NftItem,
  type NftNode,
  type NftStatement,
} from './nft-syntax.js';
import { NFT_NAME, TABLE, ZONE_CHAIN } from './nft-render.js';
import { References } from '../references.js';
import { addressSetFamily, readAddressSet, readZoneSet } from './nft-sets.js';
import { addressSetKind, parseRule, type Err, type NftRule, type RuleContext } from './nft-rule.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';

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
  diagnostics: Diagnostic[];
}

export function readNftables(file: string, content: string): NftReadResult {
  const parsed = parseNft(file, content);
  const diagnostics = [...parsed.diagnostics];
  const result: NftReadResult = { stateful: false, bindings: [], zones: [], filters: [], diagnostics };
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
  for (const node of table.body) {
    if (node.kind === 'comment') continue;
    if (node.kind === 'block' && node.head[0]?.text === 'set' && node.head.length === 2) {
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
        'only `set zone_NAME { ... }` and `chain NAME { ... }` are read inside the table',
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
  else readForward(forward, chains, refs, result, err);

  for (const [name, chain] of [...chains].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (name === 'forward') continue;
    if (!NFT_NAME.test(name))
      err(Codes.readerMalformedValue, chain.head[1]!.span, `\`${name}\` is not a chain name Plumb writes`);
    const { rules, endsWithDrop } = readRuleChain(chain, { zones: zoneNames, addressSets, refs, err });
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
      result.filters.push({ name, rules, defaultAction: endsWithDrop ? 'deny' : 'permit' });
    }
  }
  refs.report({ error: err });
  return result;
}

/** `ct state established,related accept`, also with the states as a set. */
function isConntrackAccept(node: NftStatement): boolean {
  const it = node.items;
  const states =
    it[2]?.kind === 'set'
      ? it[2].elements
          .map((e) => e.text)
          .sort()
          .join(',')
      : it[2]?.kind === 'word'
        ? it[2].word.text.split(',').sort().join(',')
        : '';
  const w = stripComment(wordsOf(node));
  return (
    w.length === 4 &&
    w[0] === 'ct' &&
    w[1] === 'state' &&
    w[3] === 'accept' &&
    states === 'established,related'
  );
}

function readForward(
  chain: NftBlock,
  chains: Map<string, NftBlock>,
  refs: References,
  result: NftReadResult,
  err: Err,
): void {
  let accepts = false;
  let policyAccepts = false;
  let jumpsToZones = false;
  for (const node of chain.body) {
    if (node.kind === 'comment') continue;
    if (node.kind === 'block') {
      err(Codes.readerUnknownCommand, node.span, 'unexpected block in a chain');
      continue;
    }
    const w = stripComment(wordsOf(node));
    const text = w.join(' ');
    if (/^type filter hook forward priority (filter|0)$/.test(text) || text === 'policy drop') continue;
    if (text === 'policy accept') {
      policyAccepts = true; // what passes every jump is forwarded, as with a final accept
      continue;
    }
    if (isConntrackAccept(node)) {
      result.stateful = true;
      continue;
    }
    if (text === 'accept') {
      accepts = true;
      continue;
    }
    if (accepts) {
      err(
        Codes.readerInexpressible,
        node.span,
        "this rule follows the forward chain's accept and is never reached",
        'put the jumps before the final accept',
      );
      continue;
    }
    const jump = /^(iifname|oifname) (\S+) jump (\S+)$/.exec(text);
    if (jump && quotedWord(node.items[1])) {
      const target = jump[3]!;
      refs.reference('chain', target, node.span, 'the forward chain');
      result.bindings.push({
        interface: jump[2]!,
        direction: jump[1] === 'iifname' ? 'in' : 'out',
        filter: target,
        span: node.span,
      });
      continue;
    }
    if (text === `jump ${ZONE_CHAIN}`) {
      jumpsToZones = true;
      refs.reference('chain', ZONE_CHAIN, node.span, 'the forward chain');
      continue;
    }
    err(
      Codes.readerUnknownCommand,
      node.span,
      `the forward chain holds only the connection-tracking rule, jumps to filters and a final accept, not \`${text}\``,
    );
  }
  if (chains.has(ZONE_CHAIN) && !jumpsToZones) {
    err(
      Codes.readerInexpressible,
      chain.span,
      `the forward chain never jumps to ${ZONE_CHAIN}: the zone policy would not apply`,
      `add \`jump ${ZONE_CHAIN}\``,
    );
  }
  if (!accepts && !policyAccepts)
    err(
      Codes.readerInexpressible,
      chain.span,
      'the forward chain never accepts: the device would forward nothing',
      'end the chain with `accept` (the filters it jumps to decide)',
    );
}

function quotedWord(item: NftItem | undefined): boolean {
  return item?.kind === 'word' && item.word.quoted;
}

function stripComment(words: string[]): string[] {
  const i = words.indexOf('comment');
  return i >= 0 ? words.slice(0, i) : words;
}

interface Group {
  origin?: Span;
  description?: string;
  rules: NftRule[];
  span: Span;
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
      const origin = tag ? parseOriginTag(tag[1]!) : undefined;
      if (origin) {
        open = { origin, description: readText(tag![2] ?? ''), rules: [], span: node.span };
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
    if (open && (open.rules.length === 0 || mergeable(open.rules, rule))) {
      open.rules.push(rule);
    } else {
      open = undefined;
      groups.push({ rules: [rule], span: rule.span });
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
      origin: g.origin ?? g.span,
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

function mergeMatch(rules: NftRule[]): Match {
  const first = rules[0]!;
  const m: Match = {};
  const uniq = (xs: (string | undefined)[]): string[] => [
    ...new Set(xs.filter((x): x is string => x !== undefined)),
  ];
  if (first.sources) m.sources = sortPrefixes(uniq(rules.flatMap((r) => r.sources ?? [])));
  if (first.destinations) m.destinations = sortPrefixes(uniq(rules.flatMap((r) => r.destinations ?? [])));
  Object.assign(m, first.match);
  if (first.fromZone !== undefined) m.fromZones = uniq(rules.map((r) => r.fromZone));
  if (first.toZone !== undefined) m.toZones = uniq(rules.map((r) => r.toZone));
  return m;
}

export type { NftNode };
