// The parser of `contract NAME { ... }` and `implements CONTRACT as PARTY { ... }`: statements
// read on the grammar's cursor (grammar-base.ts), like `import`, because two of a contract's
// lines start with a party's name rather than a keyword. Each line is one statement; a line with
// an error is left out and the parser goes on at the next one, as in every block.

import type {
  ContractAnnounces,
  ContractDecl,
  ContractItem,
  ContractMeet,
  ContractOffers,
  ContractParty,
  ImplementsAttach,
  ImplementsDecl,
  ImplementsItem,
  Token,
} from './ast.js';
import type { Span } from './diagnostic.js';
import { Codes } from './diagnostics/index.js';
import type { PlumbGrammar } from './grammar.js';
import { blockEnd } from './parse-block-end.js';
import { describe, SyntaxFailure } from './parse-messages.js';
import type { Tok } from './tokens.js';

export const CONTRACT_HINT = 'a contract holds `party NAME asn N`, `meet PARTY ADDR/LEN, PARTY ADDR [vlan N]`, `PARTY announces [NAME] PREFIX, ...` and `PARTY offers SERVICE, ... [at PREFIX|NAME, ...] [to PREFIX|NAME, ...]` lines';
export const IMPLEMENTS_HINT = 'an implementation is `implements CONTRACT as PARTY {`, then `attach DEVICE`, `announce REF, ...` and optionally `password SECRET`, then `}`';

/** The keywords that start a line of each block (a contract's `announces`/`offers` follow a party's name). */
export const CONTRACT_KEYWORDS = ['party', 'meet', 'announces', 'offers'] as const;
export const IMPLEMENTS_KEYWORDS = ['attach', 'announce', 'password'] as const;

const isAddress = (t: Tok): boolean => t.kind === 'IPv4' || t.kind === 'IPv6';

/** `contract NAME ["description"] { ... }`, the cursor on `contract`. */
export function parseContract(grammar: PlumbGrammar, exported?: Token): ContractDecl | undefined {
  const kw = grammar.next();
  const name = grammar.name('the contract name after `contract`');
  let description: Token | undefined;
  if (grammar.is('String')) description = grammar.token(grammar.next());
  const open = openBrace(grammar, 'a contract is `contract NAME ["description"] {`, its lines, then `}`');
  const body = parseBody(grammar, 'contract', open, CONTRACT_KEYWORDS, () => contractItem(grammar), CONTRACT_HINT);
  const start = exported ? exported.span.start.offset : kw.start;
  return { kind: 'contract', ...(exported ? { exported } : {}), name, ...(description ? { description } : {}), items: body.items, span: grammar.span(start, body.end) };
}

/** `implements CONTRACT as PARTY { ... }`, the cursor on `implements`. */
export function parseImplements(grammar: PlumbGrammar): ImplementsDecl {
  const kw = grammar.next();
  const contract = grammar.qualifiedName('the contract after `implements` (e.g. `shared.frankfurt`)', IMPLEMENTS_HINT);
  if (!grammar.isKeyword('as')) grammar.fail('`as` and our party after the contract', IMPLEMENTS_HINT);
  grammar.next();
  const party = grammar.name('our party after `as`', IMPLEMENTS_HINT);
  const open = openBrace(grammar, IMPLEMENTS_HINT);
  const body = parseBody(grammar, 'implements', open, IMPLEMENTS_KEYWORDS, () => implementsItem(grammar), IMPLEMENTS_HINT);
  return { kind: 'implements', contract, party, items: body.items, span: grammar.span(kw.start, body.end) };
}

/** The block's `{`, on the header's line or a later one. */
function openBrace(grammar: PlumbGrammar, shape: string): Tok {
  if (grammar.toks[grammar.afterLineBreaks()]?.kind === 'LBrace') grammar.skipNewlines();
  if (!grammar.is('LBrace')) grammar.fail('`{` to open the block', shape);
  return grammar.next();
}

function parseBody<I extends { span: Span }>(
  grammar: PlumbGrammar,
  kind: 'contract' | 'implements',
  open: Tok,
  keywords: readonly string[],
  parseItem: () => I,
  shape: string,
): { items: I[]; end: number } {
  const items: I[] = [];
  let end = open.end;
  while (true) {
    grammar.skipNewlines();
    const closed = blockEnd(grammar, kind, open, keywords);
    if (closed) return { items, end: closed.end ?? end };
    const t = grammar.peek();
    try {
      if (t.kind !== 'Name') grammar.failWith(Codes.unknownStatement, t, `expected a line of the ${kind}, found ${describe(t)}`, shape);
      const item = parseItem();
      items.push(item);
      end = item.span.end.offset;
      grammar.endStatement(true, `${kind} line`, shape);
    } catch (err) {
      if (!(err instanceof SyntaxFailure)) throw err;
      grammar.recoverLine(true);
    }
  }
}

function contractItem(grammar: PlumbGrammar): ContractItem {
  const t = grammar.peek();
  const second = grammar.toks[grammar.pos + 1];
  const partyLine = second?.kind === 'Name' && (second.text === 'announces' || second.text === 'offers');
  if (t.text === 'party' && !partyLine) return party(grammar);
  if (t.text === 'meet' && !partyLine) return meet(grammar);
  if (partyLine) return second.text === 'announces' ? announces(grammar) : offers(grammar);
  if (second?.kind === 'Name' && grammar.toks[grammar.pos + 1]?.start !== t.end) {
    grammar.pos = grammar.pos + 1;
    grammar.fail('`announces` or `offers` after the party', CONTRACT_HINT);
  }
  grammar.failWith(Codes.unknownStatement, t, `unknown line \`${t.text}\` in a contract`, CONTRACT_HINT);
}

function party(grammar: PlumbGrammar): ContractParty {
  const kw = grammar.next();
  const name = grammar.name('the party name after `party`', 'a party is `party NAME asn N`');
  if (!grammar.isKeyword('asn')) grammar.fail('`asn` and the party\'s AS number', 'a party is `party NAME asn N`');
  grammar.next();
  const asn = grammar.integer('the AS number after `asn`');
  return { kind: 'party', name, asn, span: grammar.span(kw.start, asn.span.end.offset) };
}

const MEET_HINT = 'the meeting point is `meet PARTY ADDR/LEN, PARTY ADDR [vlan N]`, e.g. `meet acme 169.254.10.1/30, datahub 169.254.10.2 vlan 100`';

function meet(grammar: PlumbGrammar): ContractMeet {
  const kw = grammar.next();
  const firstParty = grammar.name('a party after `meet`', MEET_HINT);
  const firstAddress = address(grammar, true, `${firstParty.text}'s address and the subnet's length (e.g. \`169.254.10.1/30\`)`, MEET_HINT);
  if (!grammar.is('Comma')) grammar.fail('`,` and the other party', MEET_HINT);
  grammar.next();
  const secondParty = grammar.name('the other party after `,`', MEET_HINT);
  const secondAddress = address(grammar, false, `${secondParty.text}'s address (e.g. \`169.254.10.2\`)`, MEET_HINT);
  let vlan: Token | undefined;
  if (grammar.isKeyword('vlan')) {
    grammar.next();
    vlan = grammar.integer('the VLAN number after `vlan`');
  }
  if (!grammar.atStatementEnd(true)) grammar.fail('`vlan` or the end of the line', MEET_HINT);
  const end = (vlan ?? secondAddress).span.end.offset;
  return { kind: 'meet', first: { party: firstParty, address: firstAddress }, second: { party: secondParty, address: secondAddress }, ...(vlan ? { vlan } : {}), span: grammar.span(kw.start, end) };
}

/** An address literal; `prefix`: with its length (`ADDR/LEN`), else without. */
function address(grammar: PlumbGrammar, prefix: boolean, what: string, hint: string): Token {
  const t = grammar.peek();
  if (!isAddress(t)) grammar.fail(what, hint);
  if (t.text.includes('/') !== prefix) {
    const bare = t.text.split('/')[0]!;
    grammar.fail(what, prefix ? `add the subnet's length, e.g. \`${bare}/${t.kind === 'IPv4' ? 30 : 127}\`` : `the other side's address has no length: write \`${bare}\``);
  }
  return grammar.token(grammar.next());
}

/**
 * `PREFIX|ADDR, ...`: at least one, a line may continue after a comma. `names`: `announces`,
 * where a prefix may carry a name before it (`api 198.51.100.0/26`), else an offer's `at`/`to`,
 * where an entry may be an announcement's name instead of a prefix.
 */
function addressList(grammar: PlumbGrammar, what: string, hint: string, names: 'labels' | 'entries'): { tokens: Token[]; names: (Token | undefined)[] } {
  const tokens: Token[] = [];
  const labels: (Token | undefined)[] = [];
  while (true) {
    let t = grammar.peek();
    let label: Token | undefined;
    if (names === 'labels' && t.kind === 'Name') {
      label = grammar.token(grammar.next());
      t = grammar.peek();
      if (!isAddress(t)) grammar.fail(`the prefix \`${label.text}\` names (e.g. \`${label.text} 198.51.100.0/26\`)`, hint);
    }
    if (!isAddress(t) && !(names === 'entries' && t.kind === 'Name')) grammar.fail(tokens.length === 0 ? what : 'another prefix after `,`', hint);
    tokens.push(grammar.token(grammar.next()));
    labels.push(label);
    const after = grammar.peek();
    if (isAddress(after) || (after.kind === 'Name' && !grammar.isKeyword('at') && !grammar.isKeyword('to'))) grammar.fail('`,` between the prefixes', 'separate the prefixes with commas');
    if (!grammar.is('Comma')) return { tokens, names: labels };
    grammar.next();
    grammar.skipNewlines();
  }
}

function announces(grammar: PlumbGrammar): ContractAnnounces {
  const party = grammar.token(grammar.next());
  grammar.next();
  const list = addressList(grammar, 'a prefix after `announces` (e.g. `10.20.1.0/24`, or with a name: `api 10.20.1.0/26`)', '`PARTY announces [NAME] PREFIX, ...` lists what the party may announce', 'labels');
  if (!grammar.atStatementEnd(true)) grammar.fail('`,` or the end of the line', 'separate the prefixes with commas');
  const prefixes = list.tokens;
  return { kind: 'announces', party, prefixes, names: list.names, span: grammar.span(party.span.start.offset, prefixes.at(-1)!.span.end.offset) };
}

const OFFERS_HINT = 'an offer is `PARTY offers SERVICE, ... [at PREFIX|NAME, ...] [to PREFIX|NAME, ...]`';

function offers(grammar: PlumbGrammar): ContractOffers {
  const party = grammar.token(grammar.next());
  grammar.next();
  const services = grammar.nameList('a service after `offers`', OFFERS_HINT);
  let at: Token[] = [];
  let to: Token[] = [];
  let end = services.at(-1)!.span.end.offset;
  const seen = new Set<string>();
  while (grammar.isKeyword('at') || grammar.isKeyword('to')) {
    const k = grammar.next();
    if (seen.has(k.text)) grammar.error(Codes.clauseTwice, k.start, k.end, `\`${k.text}\` is given twice in this offer`, 'list every prefix after one `at` and one `to`');
    seen.add(k.text);
    const list = addressList(grammar, `a prefix, address or announced name after \`${k.text}\``, OFFERS_HINT, 'entries').tokens;
    if (k.text === 'at') at = list;
    else to = list;
    end = list.at(-1)!.span.end.offset;
  }
  if (!grammar.atStatementEnd(true)) {
    grammar.fail(seen.size === 0 ? '`,`, `at`, `to` or the end of the line' : '`at`, `to` or the end of the line', OFFERS_HINT);
  }
  return { kind: 'offers', party, services, at, to, span: grammar.span(party.span.start.offset, end) };
}

function implementsItem(grammar: PlumbGrammar): ImplementsItem {
  const t = grammar.peek();
  if (t.text === 'attach') {
    const kw = grammar.next();
    const device = grammar.deviceRef('the device after `attach` (e.g. `fra1.edge1`)', 'the addresses of the attachment are the contract\'s: `attach DEVICE` names only the device');
    if (grammar.isKeyword('address') || grammar.isKeyword('peer') || grammar.isKeyword('gateway') || grammar.isKeyword('vlan')) {
      grammar.fail('the end of the line', 'the contract\'s `meet` line gives the addresses and the VLAN: write only `attach DEVICE`');
    }
    return { kind: 'attach', device, span: grammar.span(kw.start, device.span.end.offset) } satisfies ImplementsAttach;
  }
  if (t.text === 'announce') return grammar.externalAnnounce().node;
  if (t.text === 'password') return grammar.externalPassword().node;
  grammar.failWith(Codes.unknownStatement, t, `unknown line \`${t.text}\` in an implements block`, IMPLEMENTS_HINT);
}
