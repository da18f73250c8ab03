// The words of the language as the editor offers them: keywords by where they may stand,
// platforms, and the rule for a valid name (language.md, "Lexical rules").

import { PLATFORMS } from '../language/intent.js';
import { BLOCK_KEYWORDS, CONTRACT_KEYWORDS, IMPLEMENTS_KEYWORDS, TOP_LEVEL_KEYWORDS } from './frontend.js';

// The statement keywords are the parser's own lists (through the server's door into the front
// end): one source of truth for both.
export { CONTRACT_KEYWORDS, IMPLEMENTS_KEYWORDS, TOP_LEVEL_KEYWORDS };
export const SITE_KEYWORDS = BLOCK_KEYWORDS.site;
export const EXTERNAL_KEYWORDS = BLOCK_KEYWORDS.external;
export const POLICY_KEYWORDS = BLOCK_KEYWORDS.policy;
/** Words of modules, read by the parser at the start of a top-level statement (not lexer keywords). */
export const MODULE_KEYWORDS = ['import', 'export'] as const;
export const ASSERT_PROPERTIES = ['reach', 'isolate'] as const;
export const ROUTING_MODES = ['static', 'ospf'] as const;
export const PROTOCOLS = ['tcp', 'udp', 'icmp'] as const;

/** Words that continue a declaration after its first arguments. */
export const CLAUSE_KEYWORDS = [
  'asn',
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
  'under',
  'failure',
  'failures',
  'of',
  'from',
  'profile-group',
  'log-forwarding',
  'to',
  'env',
  'file',
  'authentication',
  'overload',
] as const;

export const ALL_KEYWORDS: readonly string[] = [
  ...new Set<string>([
    ...TOP_LEVEL_KEYWORDS,
    ...SITE_KEYWORDS,
    ...EXTERNAL_KEYWORDS,
    ...POLICY_KEYWORDS,
    ...CONTRACT_KEYWORDS,
    ...IMPLEMENTS_KEYWORDS,
    ...ASSERT_PROPERTIES,
    ...ROUTING_MODES,
    ...PROTOCOLS,
    ...CLAUSE_KEYWORDS,
  ]),
].sort();

export { PLATFORMS };

const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

/** Why `name` cannot name a declaration, or undefined when it can. */
export function invalidNameReason(name: string): string | undefined {
  if (!NAME.test(name)) {
    return `\`${name}\` is not a valid name: a name is a letter, then letters, digits, \`-\` or \`_\``;
  }
  if (ALL_KEYWORDS.includes(name) || name === 'any') return `\`${name}\` is a keyword of the language`;
  return undefined;
}
