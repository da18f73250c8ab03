// The catalogue of the front end's syntax and name diagnostics (P1xx: the lexer and the parser;
// P2xx: the resolver). One entry per code, named by what it reports; docs/diagnostics.md explains
// each under the same title.

import type { DiagnosticInfo } from './entry.js';

export const SYNTAX_DIAGNOSTICS = {
  unexpectedCharacter: {
    code: 'P100',
    severity: 'error',
    title: 'unexpected character',
    help: 'A character that starts no token of the language.',
  },
  unterminatedString: {
    code: 'P101',
    severity: 'error',
    title: 'unterminated string',
    help: 'A `"` opens a string that has no closing `"` on the same line.',
  },
  unknownEscape: {
    code: 'P102',
    severity: 'error',
    title: 'unknown escape in a string',
    help: 'A backslash in a string is followed by something other than `"` or `\\`.',
  },
  unknownStatement: {
    code: 'P103',
    severity: 'error',
    title: 'unknown statement',
    help: 'A line starts with a word that starts no statement where it stands (at the top level, or inside a site, an external or a policy), or with something that is not a word at all.',
  },
  expectedSomethingElse: {
    code: 'P104',
    severity: 'error',
    title: 'expected something else',
    help: 'A statement is missing a part, or has a wrong one.',
  },
  textAfterStatement: {
    code: 'P105',
    severity: 'error',
    title: 'text after the end of a statement',
    help: 'The statement was complete, but more text follows on its line.',
  },
  misplacedStatement: {
    code: 'P106',
    severity: 'error',
    title: 'statement in the wrong place',
    help: 'A statement that belongs elsewhere.',
  },
  clauseTwice: {
    code: 'P107',
    severity: 'error',
    title: 'clause given twice',
    help: 'An optional clause (`asn`, `loopback`, `cost`, `at`, `zone`, `vlan`, a description, `address`, `peer`, `gateway`) appears twice in one statement, or an attachment has both `peer` and `gateway`.',
  },
  blockNeverClosed: {
    code: 'P108',
    severity: 'error',
    title: 'block never closed',
    help: 'A `{` of a site, external or policy has no matching `}`.',
  },
  braceWithoutBlock: {
    code: 'P109',
    severity: 'error',
    title: '`}` without a block',
    help: 'A `}` that closes no open block.',
  },
  controlCharacter: {
    code: 'P110',
    severity: 'error',
    title: 'control character in a string or comment',
    help: 'A string or comment holds a raw control character.',
  },
  tokenTooLong: {
    code: 'P111',
    severity: 'error',
    title: 'token too long',
    help: 'A name is longer than 64 characters, a string longer than 2,048 (quotes included), or a number, address, prefix or `:ifname` longer than 64.',
  },
  lineTooLong: {
    code: 'P112',
    severity: 'error',
    title: 'line too long',
    help: 'A line is longer than 16,384 characters.',
  },
  nestedTooDeep: {
    code: 'P113',
    severity: 'error',
    title: '`{` nested too deep',
    help: 'More than 8 `{` are open at once.',
  },
  moreNotShown: {
    code: 'P119',
    severity: 'error',
    severities: 'error or warning',
    title: 'more problems than are shown',
    help: 'At most 100 diagnostics are reported per file; this one, at the first one left out, counts the rest.',
  },
  unknownName: {
    code: 'P201',
    severity: 'error',
    title: 'unknown name',
    help: 'A name is used that no declaration in any file of the intent defines, and that is not built in.',
    flags: ['name-unresolved'],
  },
  duplicateName: {
    code: 'P202',
    severity: 'error',
    title: 'duplicate name',
    help: 'Two declarations use the same name.',
  },
  wrongKindOfName: {
    code: 'P203',
    severity: 'error',
    title: 'wrong kind of name',
    help: 'The name exists but is the wrong kind of thing for its place.',
    flags: ['name-unresolved'],
  },
  deviceWithoutSite: {
    code: 'P204',
    severity: 'error',
    title: 'device name without its site',
    help: 'A device is named without its site outside its own `site { ... }` block, where only `site.device` is valid.',
    flags: ['name-unresolved'],
  },
  anyDeclared: {
    code: 'P205',
    severity: 'error',
    title: '`any` declared',
    help: '`any` is built in (every address, every protocol) and cannot be declared.',
  },
  networkTwice: {
    code: 'P206',
    severity: 'error',
    title: '`network` declared twice',
    help: 'An intent has one name.',
  },
  routingTwice: {
    code: 'P207',
    severity: 'error',
    title: '`routing` declared twice',
    help: 'The internal routing mode is chosen once for the whole intent.',
  },
  containsItself: {
    code: 'P208',
    severity: 'error',
    title: 'group or service contains itself',
    help: 'A group that includes itself, directly or through other groups (or a service that refers to itself through other services), has no meaning.',
  },
  linkToItself: {
    code: 'P209',
    severity: 'error',
    title: 'link from a device to itself',
    help: 'Both ends of a link name the same device.',
  },
  externalAsnTwice: {
    code: 'P210',
    severity: 'error',
    title: 'external with more than one `asn`',
    help: 'An external is one autonomous system, so it has at most one `asn` line.',
  },
  externalNotAttached: {
    code: 'P211',
    severity: 'error',
    title: 'external not attached',
    help: 'An external with no `attach` line is connected to nothing.',
    flags: ['hidden-after-syntax-error'],
  },
  announceNotOurs: {
    code: 'P212',
    severity: 'error',
    title: 'announcing what is not ours',
    help: '`announce` advertises our own prefixes to an external.',
  },
} as const satisfies Record<string, DiagnosticInfo>;
