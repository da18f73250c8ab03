// The catalogue of the compiler's diagnostics (C7xx): reply rules, unrouted prefixes, address
// families no attachment carries and the model-size limits. One entry per code; docs/diagnostics.md explains each under the same title.

import type { DiagnosticInfo } from './entry.js';

export const COMPILER_DIAGNOSTICS = {
  replyRuleTooWide: {
    code: 'C703',
    severity: 'warning',
    title: 'a stateless reply rule admits more than the replies',
    help: 'A device that does not track connections (`cisco-iosxe` ACLs) can only admit the replies of an allowed connection by a rule that matches what replies look like.',
  },
  prefixNotRoutedEverywhere: {
    code: 'C704',
    severity: 'warning',
    title: 'a prefix some devices have no route to',
    help: 'A segment\'s or an external\'s prefix is not in the forwarding table of every device.',
  },
  lockedAddressMoved: {
    code: 'C740',
    severity: 'warning',
    title: 'an address in plumb.lock changed',
    help: 'An item of plumb.lock (a loopback or a link) cannot keep its recorded address, because the address is no longer inside a pool, the intent now uses it, or the pool is too fragmented; it gets a new one, and so do the devices configured with it.',
  },
  tooManyParallelLinks: {
    code: 'C705',
    severity: 'error',
    title: 'too many links between two devices',
    help: 'More than 16 links join the same two devices.',
  },
  tooManyDevices: {
    code: 'C706',
    severity: 'error',
    title: 'too many devices',
    help: 'More than 4,000 devices, at the first device over the limit (for example, one site of 4,001 `router rN linux` lines).',
  },
  tooManySegments: {
    code: 'C707',
    severity: 'error',
    title: 'too many segments',
    help: 'More than 40,000 segments, at the first segment over the limit.',
  },
  forwardingTablesTooLarge: {
    code: 'C708',
    severity: 'error',
    title: 'forwarding tables too large',
    help: 'Devices × routed prefixes, the size of all forwarding tables together, is over 4,000,000.',
  },
  policyExpandsTooFar: {
    code: 'C709',
    severity: 'error',
    title: 'policy expands too far',
    help: 'The rules\' sources × destinations × service clauses, groups expanded and summed over the policy, pass 1,000,000, at the rule that passes the limit (for example, `allow left -> right` between two groups of 1,001 and 1,000 segments).',
  },
  familyWithoutSession: {
    code: 'C710',
    severity: 'warning',
    title: 'prefixes of an address family no attachment carries',
    help: 'An eBGP session carries the routes of its own address family, and a gateway forwards its own: an external whose attachments are all IPv4 learns and is announced no IPv6 prefix (and the reverse), so those prefixes are unreachable through it.',
  },
  placementNotRobust: {
    code: 'C711',
    severity: 'warning',
    title: 'policy placement that does not survive the failures declared',
    help: 'The firewalls carry the rules of the paths a flow takes under fewer failures than the intent must survive: its routing is static (no route moves when a link fails), or the failure sets are too many to explore.',
  },
  manageAdmitsNothing: {
    code: 'C712',
    severity: 'warning',
    title: 'a `manage` line that admits nothing on a device',
    help: 'The sources of a `manage` line have no address of a family the device has an address of (an IPv6-only `noc` and a device with IPv4 addresses only), so the device admits none of them.',
  },
  profilesWithoutFirewall: {
    code: 'C735',
    severity: 'warning',
    title: 'a rule names profiles that no PAN-OS firewall applies',
    help: 'A policy rule names a security-profile group or a log-forwarding profile, but placement put it on no PAN-OS firewall (its traffic crosses none, or only routers and other platforms enforce it), so the profiles change nothing.',
  },
  ospfv3AuthenticationUnsupported: {
    code: 'C720',
    severity: 'error',
    title: 'OSPFv3 authentication on a platform Plumb cannot configure it for',
    help: 'In a network that carries IPv6, OSPF runs OSPFv3 on every link; `routing ospf authentication` authenticates it with the RFC 7166 trailer (HMAC-SHA-256), which Plumb writes for FRR only (IOS-XE takes it through a key chain, which Plumb does not write yet, and PAN-OS only through IPsec, RFC 4552, which does not interoperate with the trailer).',
  },
  authenticationNotWritten: {
    code: 'C724',
    severity: 'error',
    title: 'authentication on a platform Plumb does not write it for yet',
    help: 'A BGP password or OSPF authentication on a device whose platform Plumb does not yet write authentication for (every platform that runs a routing daemon has it: FRR, IOS-XE, PAN-OS): its configuration would run the session or the link unauthenticated.',
  },
  secretUnreadable: {
    code: 'C721',
    severity: 'error',
    title: 'a secret cannot be read',
    help: '`plumb compile -o` reads every secret the intent uses from its environment variable or file; the variable is not set, or the file does not exist or cannot be read. Nothing is written.',
  },
  secretFileShared: {
    code: 'C722',
    severity: 'error',
    title: 'a secret\'s file may be read by others',
    help: 'A file that holds a key must be readable by its owner only (`chmod 600`), as ssh requires of a private key. Nothing is written.',
  },
  secretValueUnusable: {
    code: 'C723',
    severity: 'error',
    title: 'a secret\'s value cannot be written into the configurations',
    help: 'A key is not empty, holds only letters, digits and `- _ . + = @ % ^ ~ * , / :` (no platform then needs it quoted or escaped) and fits where it is used: a BGP TCP-MD5 password has at most 80 characters, an OSPF MD5 key at most 16. Nothing is written.',
  },
  untrackedProtocol: {
    code: 'C725',
    severity: 'error',
    title: 'an allow rule of a protocol the firewall does not track',
    help: 'A stateful firewall that tracks the connections of some protocols only (an IOS-XE zone-based firewall inspects TCP, UDP and ICMP) must let an allowed connection of another protocol, or of any protocol, through: its replies would be dropped.',
  },
  publishNotAllowed: {
    code: 'C726',
    severity: 'warning',
    title: 'a published service no rule allows',
    help: 'A `publish` line translates the public address to the host for its service, but opens nothing by itself: the policy decides, by default deny. No allow rule lets that service from that external to the host, so nothing reaches it at the public address.',
  },
} as const satisfies Record<string, DiagnosticInfo>;
