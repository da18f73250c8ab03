// Completion from the text before the cursor (the tree may not parse while the user types) and
// the names of the last analysis: keywords where a statement starts, platforms after a device's
// name, services after `:`, endpoints in rules, and the devices of a site after `site.`.
// An intent with thousands of names answers at most MAX_COMPLETION_ITEMS items: those that
// start with the word typed so far, marked incomplete so that the editor asks again as it grows.

import { CompletionItemKind, type CompletionItem, type CompletionList, type Range } from 'vscode-languageserver';
import { match } from 'ts-pattern';
import type { SymbolDef, SymbolKind } from '../language/symbols.js';
import { enclosingBlock, stripComment } from './ast-query.js';
import { MAX_COMPLETION_ITEMS } from './limits.js';
import {
  ASSERT_PROPERTIES,
  EXTERNAL_KEYWORDS,
  PLATFORMS,
  POLICY_KEYWORDS,
  PROTOCOLS,
  ROUTING_MODES,
  SITE_KEYWORDS,
  IMPLEMENTS_KEYWORDS,
  MODULE_KEYWORDS,
  TOP_LEVEL_KEYWORDS,
} from './vocabulary.js';
import type { ProjectFile } from './workspace.js';

const ENDPOINT_KINDS: readonly SymbolKind[] = ['segment', 'host', 'group', 'external', 'builtin-endpoint'];
const SERVICE_KINDS: readonly SymbolKind[] = ['service', 'builtin-service'];

export function completionsAt(
  file: ProjectFile,
  offset: number,
  definitions: readonly SymbolDef[],
  limit = MAX_COMPLETION_ITEMS,
): CompletionItem[] | CompletionList {
  const items = candidatesAt(file, offset, definitions);
  if (items.length <= limit) return items;
  const word = typedWord(file, offset);
  const typed = word.slice(word.lastIndexOf('.') + 1).toLowerCase();
  const matching = items.filter((item) => item.label.toLowerCase().startsWith(typed));
  return { isIncomplete: true, items: matching.slice(0, limit) };
}

/**
 * The name being typed before the offset (with its `site.` if any). A backward scan: the regex
 * /[A-Za-z0-9_.-]*$/ backtracks quadratically on a long line of name characters.
 */
function typedWord(file: ProjectFile, offset: number): string {
  const position = file.lines.positionAt(offset);
  const before = file.lines.lineText(position.line).slice(0, position.character);
  let start = before.length;
  while (start > 0 && /[A-Za-z0-9_.-]/.test(before[start - 1]!)) start--;
  return before.slice(start);
}

function candidatesAt(file: ProjectFile, offset: number, definitions: readonly SymbolDef[]): CompletionItem[] {
  const position = file.lines.positionAt(offset);
  const lineText = file.lines.lineText(position.line);
  const before = lineText.slice(0, position.character);
  if (stripComment(before) !== before) return []; // inside a comment
  const word = typedWord(file, offset);
  const head = before.slice(0, before.length - word.length);
  const tokens = head.trim() === '' ? [] : head.trim().split(/\s+/);
  const block = enclosingBlock(file.text, offset);

  const dot = word.lastIndexOf('.');
  if (dot >= 0) {
    // `site.` → that site's devices, `party.` → the other party's named announcements (its
    // parts, `datahub.api`), replacing only what follows the dot.
    const site = word.slice(0, dot);
    const range: Range = { start: { line: position.line, character: position.character - (word.length - dot - 1) }, end: position };
    return definitions
      .filter((d) => (d.kind === 'device' || d.kind === 'external') && d.key === `${site}.${d.name}`)
      .map((d) => ({ ...symbolItem(d, d.name), textEdit: { range, newText: d.name } }));
  }

  const names = (kinds: readonly SymbolKind[]): CompletionItem[] =>
    definitions.filter((d) => kinds.includes(d.kind)).map((d) => symbolItem(d, d.name));
  const devices = (): CompletionItem[] => {
    const out = definitions.filter((d) => d.kind === 'device').map((d) => symbolItem(d, d.key));
    if (block?.kind === 'site' && block.name) {
      out.push(...definitions.filter((d) => d.kind === 'device' && d.key === `${block.name}.${d.name}`).map((d) => symbolItem(d, d.name)));
    }
    out.push(...names(['site']).map((item) => ({ ...item, insertText: `${item.label}.` })));
    return out;
  };
  const words = (list: readonly string[], kind: CompletionItemKind = CompletionItemKind.Keyword): CompletionItem[] =>
    list.map((label) => ({ label, kind }));
  // In a contract, a line may also start with a party's name (`acme announces ...`).
  const partyNames = (): CompletionItem[] =>
    [...new Set([...file.text.slice(0, offset).matchAll(/^\s*party\s+([A-Za-z][A-Za-z0-9_-]*)/gm)].map((m) => m[1]!))].map((label) => ({ label, kind: CompletionItemKind.Variable }));

  if (tokens.length === 0) {
    return match(block?.kind)
      .with('site', () => words(SITE_KEYWORDS))
      .with('external', () => words(EXTERNAL_KEYWORDS))
      .with('policy', () => words(POLICY_KEYWORDS))
      .with('contract', () => [...words(['party', 'meet']), ...partyNames()])
      .with('implements', () => words(IMPLEMENTS_KEYWORDS))
      .with(undefined, () => words([...MODULE_KEYWORDS, ...TOP_LEVEL_KEYWORDS]))
      .exhaustive();
  }
  const first = tokens[0]!;
  const last = tokens[tokens.length - 1]!;
  const afterEquals = tokens.includes('=');
  switch (first) {
    case 'router':
    case 'firewall':
      if (tokens.length === 2) return words(PLATFORMS, CompletionItemKind.EnumMember);
      return tokens.length >= 3 ? words(['asn', 'loopback']) : [];
    case 'routing':
      if (tokens.length === 1) return words(ROUTING_MODES, CompletionItemKind.EnumMember);
      if (tokens.length === 2 && tokens[1] === 'ospf') return words(['authentication']);
      return last === 'authentication' ? names(['secret']) : [];
    case 'secret':
      if (tokens.length === 2) return words(['from']);
      return tokens.length === 3 ? words(['env', 'file']) : [];
    case 'password':
      return tokens.length === 1 ? names(['secret']) : [];
    case 'survive':
      return tokens.length === 2 ? words(tokens[1] === '1' ? ['failure'] : ['failures']) : [];
    case 'segment':
      if (last === 'at') return devices();
      if (last === 'zone' || last === 'vlan' || tokens.length < 3) return [];
      return words(tokens.includes('at') ? ['zone', 'vlan'] : ['at']);
    case 'host':
      if (last === 'in') return names(['segment']);
      return tokens.length >= 3 ? words(['in']) : [];
    case 'link':
      if (last === 'cost') return [];
      return tokens.length === 1 || last === '--' ? devices() : words(['cost']);
    case 'attach':
      return tokens.length === 1 ? devices() : words(['address', 'peer', 'gateway', 'vlan']);
    case 'announce':
      return names(['segment', 'host', 'group', 'external']);
    case 'group':
      return afterEquals ? [...names(['segment', 'host', 'group', 'external']), ...devices()] : [];
    case 'manage':
      // `manage [DEVICE, ...] from SOURCE, ... : SERVICE, ...`
      if (head.includes(':')) return names(SERVICE_KINDS);
      if (!tokens.includes('from')) return [...devices(), ...names(['group']), ...words(['from'])];
      return [...names(ENDPOINT_KINDS), ...devices()];
    case 'security':
      // `security [DEVICE, ...] [profile-group NAME] [log-forwarding NAME]`: a profile's name is the firewall's
      if (last === 'profile-group' || last === 'log-forwarding') return [];
      return tokens.some((t) => t === 'profile-group' || t === 'log-forwarding')
        ? words(['profile-group', 'log-forwarding'].filter((w) => !tokens.includes(w)))
        : [...devices(), ...names(['group']), ...words(['profile-group', 'log-forwarding'])];
    case 'service':
      return afterEquals ? [...words(PROTOCOLS), ...names(SERVICE_KINDS)] : [];
    case 'assert':
      if (tokens.length === 1) return words(ASSERT_PROPERTIES);
      return ruleCompletions(tokens, head, names, devices, true);
    case 'allow':
    case 'deny':
      return ruleCompletions(tokens, head, names, devices, false);
    default:
      return [];
  }
}

function ruleCompletions(
  tokens: string[],
  head: string,
  names: (kinds: readonly SymbolKind[]) => CompletionItem[],
  devices: () => CompletionItem[],
  isAssert: boolean,
): CompletionItem[] {
  const last = tokens[tokens.length - 1];
  if (last === 'via') return devices();
  if (isAssert && tokens.includes('under')) {
    // `under N failures` or `under failure of LINK|DEVICE, ...`
    if (last === 'under') return [{ label: 'failure', kind: CompletionItemKind.Keyword }];
    if (last === 'failure' && tokens[tokens.length - 2] === 'under') return [{ label: 'of', kind: CompletionItemKind.Keyword }];
    return last === 'of' || last === '--' || last === ',' ? devices() : [];
  }
  if (!isAssert && (last === 'profile-group' || last === 'log-forwarding')) return []; // a profile's name, defined on the firewall
  if (head.includes(':')) {
    const services = names(SERVICE_KINDS);
    const after = isAssert ? ['via', 'under'] : ['profile-group', 'log-forwarding'];
    return [...services, ...after.map((label) => ({ label, kind: CompletionItemKind.Keyword }))];
  }
  return isAssert ? [...names(ENDPOINT_KINDS), ...devices()] : names(ENDPOINT_KINDS);
}

function symbolItem(def: SymbolDef, label: string): CompletionItem {
  return { label, kind: itemKind(def.kind), detail: def.detail };
}

function itemKind(kind: SymbolKind): CompletionItemKind {
  return match(kind)
    .with('network', () => CompletionItemKind.Module)
    .with('pool', () => CompletionItemKind.Constant)
    .with('site', () => CompletionItemKind.Module)
    .with('device', () => CompletionItemKind.Class)
    .with('segment', 'host', 'external', 'builtin-endpoint', () => CompletionItemKind.Variable)
    .with('group', () => CompletionItemKind.Struct)
    .with('service', 'builtin-service', () => CompletionItemKind.Function)
    .with('policy', 'contract', () => CompletionItemKind.Module)
    .with('secret', () => CompletionItemKind.Constant)
    .exhaustive();
}
