// The catalogue's entries of contracts (language/contracts.ts, check-contracts.ts): the placement
// of `contract` and `implements` (P131-P139), their names (P240-P259), and the consistency of a
// contract's lines and values (P450-P469).

import type { DiagnosticInfo } from './entry.js';

export const CONTRACT_DIAGNOSTICS = {
  agreementMisplaced: {
    code: 'P131',
    severity: 'error',
    title: '`contract` or `implements` in the wrong place',
    help: 'A `contract` stands at the top level of an intent or a module; an `implements` at the top level of the intent, never inside a block or in an imported module.',
  },
  contractLines: {
    code: 'P454',
    severity: 'error',
    title: 'contract lines missing or repeated',
    help: 'A contract has exactly two `party` lines, one `meet` line naming both parties, and one `announces` line for each party.',
    flags: ['hidden-after-syntax-error'],
  },
  implementsLines: {
    code: 'P455',
    severity: 'error',
    title: 'implements lines missing or repeated',
    help: 'An `implements` block has exactly one `attach DEVICE`, one `announce` line and at most one `password` line.',
    flags: ['hidden-after-syntax-error'],
  },
  contractNameTaken: {
    code: 'P240',
    severity: 'error',
    title: 'contract or party declared twice',
    help: 'Two contracts of one module have the same name, or a contract names the same party twice.',
  },
  unknownContract: {
    code: 'P241',
    severity: 'error',
    title: 'unknown contract',
    help: '`implements` names a contract that neither the intent nor the imported module declares.',
    flags: ['name-unresolved'],
  },
  unknownParty: {
    code: 'P242',
    severity: 'error',
    title: 'not a party of the contract',
    help: 'A `meet`, `announces` or `offers` line, or `implements ... as PARTY`, names a party the contract has no `party` line for.',
  },
  partyNameClash: {
    code: 'P243',
    severity: 'error',
    title: 'the other party clashes with a declared name',
    help: 'The other party of an implemented contract becomes an external of that name, so the intent may not declare the name itself.',
  },
  offeredServiceUnknown: {
    code: 'P244',
    severity: 'error',
    title: 'offered service unknown',
    help: 'An `offers` line names something that is no service in the contract\'s own module (its services, its imports\' exported ones, and the built-in ones).',
  },
  contractImplementedTwice: {
    code: 'P245',
    severity: 'error',
    title: 'contract implemented twice',
    help: 'An intent implements each contract once: the other party is one external.',
  },
  unknownAnnouncedName: {
    code: 'P246',
    severity: 'error',
    title: 'unknown announced name',
    help: 'An offer\'s `at` or `to`, or an intent\'s `PARTY.NAME`, names a part of a party\'s announcements that its `announces` line does not name: `at` names the offering party\'s, `to` the other party\'s.',
    flags: ['name-unresolved'],
  },
  announcedNameTaken: {
    code: 'P247',
    severity: 'error',
    title: 'announced name given twice',
    help: 'Each name in a party\'s `announces` line names one prefix, once, and is not a party\'s name.',
  },
  contractAsn: {
    code: 'P450',
    severity: 'error',
    title: 'contract AS numbers',
    help: 'A party\'s AS number is 1 to 4294967295, and the two parties\' differ: they peer with eBGP.',
  },
  meetAddresses: {
    code: 'P451',
    severity: 'error',
    title: 'meeting point addresses',
    help: 'The two addresses of `meet` are distinct, of one family, in the subnet of the first one\'s length, neither the subnet\'s network nor broadcast address, and the VLAN is 1 to 4094.',
  },
  announcementsOverlap: {
    code: 'P452',
    severity: 'error',
    title: 'the parties\' announcements overlap',
    help: 'The two parties of a contract announce disjoint prefixes: a shared address would belong to both.',
  },
  offerOutsideAnnouncements: {
    code: 'P453',
    severity: 'error',
    title: 'offer outside the announcements',
    help: 'An offer\'s `at` prefixes lie within the offering party\'s announcements, and its `to` prefixes within the other party\'s.',
  },
  partyAsnNotDevice: {
    code: 'P456',
    severity: 'error',
    title: 'our party\'s AS number is not the attached device\'s',
    help: 'The device an `implements` attaches speaks BGP with the AS number of our party in the contract: the other party peers with that one.',
  },
} as const satisfies Record<string, DiagnosticInfo>;
