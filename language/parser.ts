// The parser of the .plumb language: text in, a syntax tree (language/ast.ts) and the syntax
// errors (P100-P199) out. It never throws and always returns a tree: a statement with an error
// is left out, the parser resynchronises at the next line (or `}`) and goes on, so one run
// reports every syntax error of the file. The lexer (tokens.ts) and the parser (grammar.ts) are
// chevrotain's; each statement is one grammar rule, invoked here one statement at a time, so
// that each error names exactly what was expected where, with a hint. Nothing here recurses on
// the input's nesting.

import type { ContractDecl, Declaration, ExternalItem, ImplementsDecl, ImportDecl, ParseResult, PolicyRule, SiteMember, SourceFile, Token } from './ast.js';
import { compareDiagnostics, limitPerFile, proposal } from './diagnostic.js';
import { Codes } from './diagnostics/index.js';
import { PlumbGrammar, type BlockHeader } from './grammar.js';
import { blockEnd } from './parse-block-end.js';
import { TOP_LEVEL_KEYWORDS } from './grammar-tokens.js';
import type { Parsed } from './grammar-base.js';
import { closest, describe, SyntaxFailure } from './parse-messages.js';
import { LineIndex } from './positions.js';
import { lexicalDiagnostics } from './lexical-checks.js';
import { MAX_DIAGNOSTICS_PER_FILE } from './limits.js';
import { lex, type Tok } from './tokens.js';
import { CONTRACT_HINT, IMPLEMENTS_HINT, parseContract, parseImplements } from './parse-contracts.js';
import { parsePublish, parseTranslate } from './parse-nat.js';
import { plainRule, plainSegment } from './parse-plain.js';

export { stringValue } from './tokens.js';

export { TOP_LEVEL_KEYWORDS };

export type BlockKind = 'site' | 'external' | 'policy';

/** The keywords that start a statement inside each kind of block. */
export const BLOCK_KEYWORDS: Record<BlockKind, readonly string[]> = {
  site: ['router', 'firewall', 'link'],
  external: ['asn', 'prefixes', 'attach', 'announce', 'password', 'translate', 'publish'],
  policy: ['allow', 'deny'],
};

const TOP = new Set<string>(TOP_LEVEL_KEYWORDS);

const WHERE_IT_BELONGS: Record<string, string> = {
  router: 'a device is declared inside its site: `site NAME { router ... }`',
  firewall: 'a device is declared inside its site: `site NAME { firewall ... }`',
  asn: 'this line belongs inside an `external NAME { ... }` block',
  prefixes: 'this line belongs inside an `external NAME { ... }` block',
  attach: 'this line belongs inside an `external NAME { ... }` block',
  announce: 'this line belongs inside an `external NAME { ... }` block',
  password: 'this line belongs inside an `external NAME { ... }` block',
  translate: 'address translation happens where an external attaches: this line belongs inside its `external NAME { ... }` block',
  publish: 'a server is published to an external: this line belongs inside its `external NAME { ... }` block',
  allow: 'a rule belongs inside a `policy { ... }` block',
  deny: 'a rule belongs inside a `policy { ... }` block',
};

/** Words from other configuration languages, and what Plumb calls them. */
const OTHER_WORDS: Record<string, string> = {
  subnet: 'a subnet is a `segment NAME PREFIX at DEVICE`',
  vlan: 'a VLAN is a clause of a segment: `segment NAME PREFIX at DEVICE vlan N`',
  zone: 'a zone is a clause of a segment: `segment NAME PREFIX at DEVICE zone Z`',
  interface: 'interfaces are not declared: a link may pin them, `link A:IFNAME -- B:IFNAME`',
  device: 'a device is `router NAME PLATFORM` or `firewall NAME PLATFORM`, inside its site',
  switch: 'a device is `router NAME PLATFORM` or `firewall NAME PLATFORM`, inside its site',
  permit: 'a rule that lets traffic through is `allow SRC -> DST : SERVICE`',
  accept: 'a rule that lets traffic through is `allow SRC -> DST : SERVICE`',
  drop: 'a rule that stops traffic is `deny SRC -> DST : SERVICE`',
  block: 'a rule that stops traffic is `deny SRC -> DST : SERVICE`',
  reject: 'a rule that stops traffic is `deny SRC -> DST : SERVICE`',
};

/** One grammar for every file: building chevrotain's parser is slow, and `begin` resets it. */
let sharedGrammar: PlumbGrammar | undefined;

/** The grammar parse() uses (parse-members.ts parses with it too). */
export function fileGrammar(): PlumbGrammar {
  sharedGrammar ??= new PlumbGrammar();
  return sharedGrammar;
}

export function parse(text: string, path: string): ParseResult {
  return parseWith(fileGrammar(), text, path);
}

/** parse() with a given grammar (the tests compare grammars built in different ways). */
export function parseWith(grammar: PlumbGrammar, text: string, path: string): ParseResult {
  const index = new LineIndex(path, text);
  const lexed = lex(text);
  const { tokens, comments } = lexed;
  grammar.begin(tokens, index);
  const imports: ImportDecl[] = [];
  const contracts: ContractDecl[] = [];
  const implementations: ImplementsDecl[] = [];
  const declarations = parseFile(grammar, imports, contracts, implementations);
  const file: SourceFile = {
    kind: 'file',
    path,
    text,
    declarations,
    comments: comments.map((t) => ({ text: t.text, span: index.span(t.start, t.end) })),
    ...(grammar.incompleteNames.length > 0 ? { incompleteNames: grammar.incompleteNames } : {}),
    ...(imports.length > 0 ? { imports } : {}),
    ...(contracts.length > 0 ? { contracts } : {}),
    ...(implementations.length > 0 ? { implements: implementations } : {}),
  };
  // Each list is capped at the limit; merged, the first ones by position are kept.
  const merged = [...lexicalDiagnostics(lexed, index), ...grammar.diagnostics.all()].sort(compareDiagnostics);
  const diagnostics = limitPerFile(merged, MAX_DIAGNOSTICS_PER_FILE);
  grammar.begin([{ kind: 'EOF', text: '', start: 0, end: 0 }], index);
  return { file, diagnostics };
}

/** `[export] contract ...` or `implements ...` at the top level (language/parse-contracts.ts). */
function parseAgreement(grammar: PlumbGrammar, contracts: ContractDecl[], implementations: ImplementsDecl[]): void {
  if (grammar.isKeyword('implements')) return void implementations.push(parseImplements(grammar));
  const exported = grammar.isKeyword('export') ? grammar.token(grammar.next()) : undefined;
  const contract = parseContract(grammar, exported);
  if (contract) contracts.push(contract);
}

function parseFile(grammar: PlumbGrammar, imports: ImportDecl[], contracts: ContractDecl[], implementations: ImplementsDecl[]): Declaration[] {
  const declarations: Declaration[] = [];
  while (true) {
    grammar.skipNewlines();
    const t = grammar.peek();
    if (t.kind === 'EOF') return declarations;
    if (t.kind === 'RBrace') {
      grammar.error(Codes.braceWithoutBlock, t.start, t.end, 'this `}` closes no block', 'remove it, or open the block it should close');
      grammar.next();
      grammar.endStatement(false, '`}`');
      continue;
    }
    if (t.kind === 'Name' && t.text === 'import') guarded(grammar, false, () => imports.push(parseImport(grammar)));
    else if (t.kind === 'Name' && (t.text === 'contract' || t.text === 'implements' || (t.text === 'export' && grammar.toks[grammar.pos + 1]?.text === 'contract'))) {
      guarded(grammar, false, () => parseAgreement(grammar, contracts, implementations));
    } else guarded(grammar, false, () => parseTopLevel(grammar, declarations, false));
  }
}

const IMPORT_HINT = 'an import is `import "PATH"` or `import "PATH" as NAME`, the path relative to this file\'s folder';

/** `import "PATH" [as NAME]`, at the top level only. */
function parseImport(grammar: PlumbGrammar): ImportDecl {
  const kw = grammar.next();
  const path = grammar.peek();
  if (path.kind !== 'String') grammar.fail('the path of the imported file or folder, a string, after `import`', IMPORT_HINT);
  grammar.next();
  let name: Token | undefined;
  if (grammar.isKeyword('as')) {
    grammar.next();
    const n = grammar.peek();
    if (n.kind !== 'Name') grammar.fail('the name of the module after `as`', IMPORT_HINT);
    grammar.next();
    name = grammar.token(n);
  }
  const end = name ? name.span.end.offset : path.end;
  const node: ImportDecl = { kind: 'import', path: grammar.token(path), ...(name ? { name } : {}), span: grammar.span(kw.start, end) };
  grammar.endStatement(false, 'import', IMPORT_HINT);
  return node;
}

/** The declarations that `export` may mark: what an importer may name. */
const EXPORTABLE = new Set(['service', 'group', 'external']);

/** `export service|group|external ...`: the declaration, marked as visible to importers. */
function parseExported(grammar: PlumbGrammar, out: Declaration[], inBlock: boolean): void {
  const kw = grammar.next();
  const t = grammar.peek();
  if (inBlock && t.kind === 'Name' && t.text === 'contract') grammar.failWith(Codes.agreementMisplaced, kw, '`export contract` stands only at the top level of a file, not inside a block', CONTRACT_HINT);
  if (inBlock || t.kind !== 'Name' || !EXPORTABLE.has(t.text)) {
    grammar.failWith(
      Codes.importMisplaced,
      inBlock ? kw : t,
      inBlock ? '`export` stands only before a top-level declaration' : `\`export\` comes only before a service, group, external or contract, not ${describe(t)}`,
      'write `export service NAME = ...`, `export group NAME = ...`, `export external NAME { ... }` or `export contract NAME { ... }`',
    );
  }
  const before = out.length;
  parseTopLevel(grammar, out, inBlock);
  const decl = out[before];
  if (decl && (decl.kind === 'service' || decl.kind === 'group' || decl.kind === 'external')) {
    decl.exported = grammar.token(kw);
    decl.span = grammar.span(kw.start, decl.span.end.offset);
  }
}

/** Runs one statement's parser; on a syntax failure, skips to the next statement. */
export function guarded(grammar: PlumbGrammar, inBlock: boolean, parseOne: () => void): void {
  grammar.declaring = undefined;
  try {
    parseOne();
  } catch (err) {
    if (!(err instanceof SyntaxFailure)) throw err;
    if (grammar.declaring) grammar.incompleteNames.push(grammar.declaring);
    grammar.recoverLine(inBlock);
  }
  grammar.declaring = undefined;
}

/** Ends a statement its rule has read, and hands its node on. */
function ended<N>(grammar: PlumbGrammar, inBlock: boolean, parsed: Parsed<N>): N {
  grammar.endStatement(inBlock, parsed.what, parsed.hint);
  return parsed.node;
}

/** A top-level statement (also used for one misplaced inside a block, `inBlock` then). */
function parseTopLevel(grammar: PlumbGrammar, out: Declaration[], inBlock: boolean): void {
  const t = grammar.peek();
  if (t.kind !== 'Name') {
    if (t.kind !== 'Stray' && t.kind !== 'UnterminatedString') {
      grammar.error(Codes.unknownStatement, t.start, t.end, `expected a declaration, found ${describe(t)}`, `a line starts with a keyword: ${TOP_LEVEL_KEYWORDS.join(', ')}`);
    }
    throw new SyntaxFailure();
  }
  switch (t.text) {
    case 'export':
      return parseExported(grammar, out, inBlock);
    case 'import':
      grammar.failWith(Codes.importMisplaced, t, '`import` stands only at the top level of a file, not inside a block', IMPORT_HINT);
      break;
    case 'contract':
    case 'implements':
      grammar.failWith(Codes.agreementMisplaced, t, `\`${t.text}\` stands only at the top level of a file, not inside a block`, t.text === 'contract' ? CONTRACT_HINT : IMPLEMENTS_HINT);
      break;
    case 'network':
      return void out.push(ended(grammar, inBlock, grammar.network()));
    case 'routing':
      return void out.push(ended(grammar, inBlock, grammar.routing()));
    case 'pool':
      return void out.push(ended(grammar, inBlock, grammar.pool()));
    case 'link':
      return void out.push(ended(grammar, inBlock, grammar.link(inBlock)));
    case 'segment': {
      const plain = grammar.plainStatements ? plainSegment(grammar) : undefined;
      if (plain) {
        grammar.endStatement(inBlock, 'segment');
        return void out.push(plain);
      }
      return void out.push(ended(grammar, inBlock, grammar.segment(inBlock)));
    }
    case 'host':
      return void out.push(ended(grammar, inBlock, grammar.host()));
    case 'group':
      return void out.push(ended(grammar, inBlock, grammar.group()));
    case 'service':
      return void out.push(ended(grammar, inBlock, grammar.service(inBlock)));
    case 'assert':
      return void out.push(ended(grammar, inBlock, grammar.assertion()));
    case 'survive':
      return void out.push(ended(grammar, inBlock, grammar.survive()));
    case 'manage':
      return void out.push(ended(grammar, inBlock, grammar.manage()));
    case 'secret':
      return void out.push(ended(grammar, inBlock, grammar.secret()));
    case 'security':
      return void out.push(ended(grammar, inBlock, grammar.security()));
    case 'site':
    case 'external':
    case 'policy':
      return parseBlock(grammar, out, t.text);
  }
  const belongs = WHERE_IT_BELONGS[t.text];
  if (belongs) grammar.failWith(Codes.misplacedStatement, t, `\`${t.text}\` cannot stand at the top level`, belongs);
  unknownStatement(grammar, t, `unknown statement \`${t.text}\``, TOP_LEVEL_KEYWORDS, `a line starts with a keyword: ${TOP_LEVEL_KEYWORDS.join(', ')}`);
}

/** `site|external|policy ... { ... }`: the header, then the body even when the header failed. */
function parseBlock(grammar: PlumbGrammar, out: Declaration[], kind: BlockKind): void {
  const kw = grammar.peek();
  const header: BlockHeader = {};
  let open: Tok | undefined;
  try {
    grammar.blockHeader(kind, header);
    if (header.open) open = grammar.tok(header.open);
  } catch (err) {
    if (!(err instanceof SyntaxFailure)) throw err;
    while (!grammar.is('LBrace') && !grammar.is('Newline') && !grammar.is('EOF') && !grammar.is('RBrace')) grammar.next();
    if (grammar.is('LBrace')) open = grammar.next();
  }
  if (!open) {
    // No `{`: when the next line is one of this block's statements, read the lines as its body
    // anyway (the `{` was forgotten, or swallowed by an unterminated string).
    const nextLine = grammar.toks[grammar.afterLineBreaks()];
    if (!nextLine || nextLine.kind !== 'Name' || !BLOCK_KEYWORDS[kind].includes(nextLine.text)) {
      if (grammar.is('Newline')) grammar.next();
      if (header.name && kind !== 'policy') pushBlock(out, grammar, kind, kw, header, [], header.description ?? header.name);
      return;
    }
    open = { kind: 'LBrace', text: '{', start: kw.start, end: kw.end };
  }
  const body = parseBody(grammar, kind, open, out);
  if (header.name || kind === 'policy') pushBlock(out, grammar, kind, kw, header, body.items, body.end);
}

export type BlockItem = SiteMember | ExternalItem | PolicyRule;

function pushBlock(
  out: Declaration[],
  grammar: PlumbGrammar,
  kind: BlockKind,
  kw: Tok,
  header: BlockHeader,
  items: BlockItem[],
  end: number | Token,
): void {
  const endOffset = typeof end === 'number' ? end : end.span.end.offset;
  const span = grammar.span(kw.start, endOffset);
  const name = header.name!;
  const description = header.description ? { description: header.description } : {};
  if (kind === 'site') {
    out.push({ kind: 'site', name, ...description, members: items as SiteMember[], span });
  } else if (kind === 'external') {
    out.push({ kind: 'external', name, ...description, items: items as ExternalItem[], span });
  } else {
    out.push({ kind: 'policy', ...(header.name ? { name: header.name } : {}), rules: items as PolicyRule[], span });
  }
}

function parseBody(grammar: PlumbGrammar, kind: BlockKind, open: Tok, out: Declaration[]): { items: BlockItem[]; end: number } {
  const items: BlockItem[] = [];
  let end = open.end;
  const members = BLOCK_KEYWORDS[kind];
  while (true) {
    grammar.skipNewlines();
    const closed = blockEnd(grammar, kind, open, members);
    if (closed) return { items, end: closed.end ?? end };
    const t = grammar.peek();
    if (t.kind === 'Name' && TOP.has(t.text) && !members.includes(t.text)) {
      // A top-level declaration with a `}` of ours after it: a misplaced line, read as one.
      grammar.error(Codes.misplacedStatement, t.start, t.end, `\`${t.text}\` cannot stand inside a ${kind}`, `move this line out of the ${kind}'s block`);
      guarded(grammar, true, () => parseTopLevel(grammar, out, true));
      continue;
    }
    guarded(grammar, true, () => {
      const item = parseMember(grammar, kind);
      items.push(item);
      end = item.span.end.offset;
    });
  }
}

export function parseMember(grammar: PlumbGrammar, kind: BlockKind): BlockItem {
  const t = grammar.peek();
  if (t.kind === 'Name') {
    if (kind === 'site') {
      if (t.text === 'router' || t.text === 'firewall') return ended(grammar, true, grammar.device(true));
      if (t.text === 'link') return ended(grammar, true, grammar.link(true));
    } else if (kind === 'external') {
      if (t.text === 'asn') return ended(grammar, true, grammar.externalAsn());
      if (t.text === 'prefixes') return ended(grammar, true, grammar.externalPrefixes());
      if (t.text === 'attach') return ended(grammar, true, grammar.externalAttach());
      if (t.text === 'announce') return ended(grammar, true, grammar.externalAnnounce());
      if (t.text === 'password') return ended(grammar, true, grammar.externalPassword());
      if (t.text === 'translate') return ended(grammar, true, parseTranslate(grammar));
      if (t.text === 'publish') return ended(grammar, true, parsePublish(grammar));
    } else if (t.text === 'allow' || t.text === 'deny') {
      const plain = grammar.plainStatements ? plainRule(grammar) : undefined;
      if (plain) {
        grammar.endStatement(true, 'rule');
        return plain;
      }
      return ended(grammar, true, grammar.rule());
    }
  }
  const allowed = BLOCK_KEYWORDS[kind];
  const shape = `a ${kind} holds ${allowed.map((k) => `\`${k}\``).join(', ').replace(/, ([^,]*)$/, ' and $1')} lines`;
  if (t.kind !== 'Name') {
    if (t.kind === 'Stray' || t.kind === 'UnterminatedString') throw new SyntaxFailure();
    grammar.failWith(Codes.unknownStatement, t, `expected a statement of the ${kind}, found ${describe(t)}`, shape);
  }
  const belongs = WHERE_IT_BELONGS[t.text];
  if (belongs) grammar.failWith(Codes.misplacedStatement, t, `\`${t.text}\` cannot stand inside a ${kind}`, belongs);
  unknownStatement(grammar, t, `unknown statement \`${t.text}\` in a ${kind}`, allowed, shape);
}

/**
 * P103 for a word that starts no statement here. The hint explains a word of another language
 * (OTHER_WORDS), else proposes the nearest keyword (with the fix that writes it), else gives
 * `otherwise`.
 */
function unknownStatement(grammar: PlumbGrammar, t: Tok, message: string, keywords: readonly string[], otherwise: string): never {
  const explained = OTHER_WORDS[t.text.toLowerCase()];
  if (explained !== undefined) grammar.failWith(Codes.unknownStatement, t, message, explained);
  // Once the file's diagnostics are full, this one is only counted: no suggestion is sought.
  const guess = grammar.diagnostics.full ? undefined : closest(t.text, keywords);
  const proposed = guess === undefined ? undefined : proposal(grammar.span(t.start, t.end), guess);
  grammar.failWith(Codes.unknownStatement, t, message, proposed?.hint ?? otherwise, proposed?.fix);
}
