// The parser's token types: one per lexer token kind, and one per keyword in the `Name`
// category; and the bridge that hands the lexer's tokens to chevrotain.

import { createToken, EOF, Lexer, type IToken, type TokenType } from 'chevrotain';
import type { Tok, TokKind } from './tokens.js';

type Kind = Exclude<TokKind, 'EOF'>;
const KINDS: Kind[] = [
  'Newline',
  'String',
  'UnterminatedString',
  'IPv6',
  'IPv4',
  'PortRange',
  'Int',
  'Arrow',
  'DashDash',
  'Equals',
  'Comma',
  'IfPin',
  'Colon',
  'Dot',
  'LBrace',
  'RBrace',
  'Name',
  'Stray',
];

/** The parser's token types, one per lexer token kind (the lexer's own `Stray` is two). */
export const T = Object.fromEntries(KINDS.map((k) => [k, createToken({ name: k, pattern: Lexer.NA })])) as Record<Kind, TokenType>;

/**
 * Keywords are names whose meaning depends on where they stand: each is a token type of the
 * `Name` category, so a rule that wants any name also takes a keyword.
 */
/** The keywords that start a top-level statement. */
export const TOP_LEVEL_KEYWORDS = [
  'network',
  'routing',
  'pool',
  'site',
  'link',
  'segment',
  'host',
  'group',
  'external',
  'service',
  'policy',
  'assert',
  'manage',
  'secret',
  'security',
  'survive',
  'contract',
  'implements',
] as const;

const KEYWORDS = [
  ...TOP_LEVEL_KEYWORDS,
  'router',
  'firewall',
  'asn',
  'prefixes',
  'attach',
  'announce',
  'translate',
  'overload',
  'publish',
  'allow',
  'deny',
  'static',
  'ospf',
  'loopback',
  'cost',
  'at',
  'zone',
  'vlan',
  'in',
  'address',
  'peer',
  'gateway',
  'via',
  'reach',
  'isolate',
  'under',
  'failure',
  'failures',
  'of',
  'from',
  'env',
  'file',
  'password',
  'authentication',
  'profile-group',
  'log-forwarding',
  'party',
  'meet',
  'announces',
  'offers',
  'to',
] as const;
type Keyword = (typeof KEYWORDS)[number];

export const KW = Object.fromEntries(
  KEYWORDS.map((w) => [w, createToken({ name: `kw_${w}`, pattern: Lexer.NA, categories: [T.Name] })]),
) as Record<Keyword, TokenType>;

export const VOCABULARY: TokenType[] = [...Object.values(T), ...Object.values(KW), EOF];

const KEYWORD_TYPES = new Map<string, TokenType>(Object.entries(KW));

/** A chevrotain token that carries the lexer's token. */
export interface PlumbToken extends IToken {
  tok: Tok;
}

/** The lexer's token as a chevrotain token (a keyword's text gives its keyword type). */
export function toParserToken(tok: Tok): PlumbToken {
  const type = tok.kind === 'EOF' ? EOF : tok.kind === 'Name' ? (KEYWORD_TYPES.get(tok.text) ?? T.Name) : T[tok.kind];
  return { image: tok.text, startOffset: tok.start, endOffset: tok.end - 1, tokenType: type, tokenTypeIdx: type.tokenTypeIdx!, tok };
}
