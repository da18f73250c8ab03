// The words of the language as the editor offers them: keywords by where they may stand,
// platforms, and the rule for a valid name (language.md, "Lexical rules").

import { PLATFORMS } from '../language/intent.js';

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
] as const;

export const SITE_KEYWORDS = ['router', 'firewall', 'link'] as const;
export const EXTERNAL_KEYWORDS = ['asn', 'prefixes', 'attach', 'announce'] as const;
export const POLICY_KEYWORDS = ['allow', 'deny'] as const;
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
] as const;

export const ALL_KEYWORDS: readonly string[] = [
  ...new Set<string>([
    ...TOP_LEVEL_KEYWORDS,
    ...SITE_KEYWORDS,
    ...EXTERNAL_KEYWORDS,
    ...POLICY_KEYWORDS,
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
