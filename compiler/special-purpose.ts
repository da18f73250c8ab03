// Special-purpose address ranges that never appear as the source of a packet from the internet
// (bogons): an external's address set leaves them out where it only covers them with a wider
// prefix (endpoints.ts), so that the filters entering from an external drop them.
//
// Sources: RFC 6890 (Special-Purpose IP Address Registries) and the IANA IPv4 and IPv6
// Special-Purpose Address Registries it created
// (https://www.iana.org/assignments/iana-ipv4-special-registry,
// https://www.iana.org/assignments/iana-ipv6-special-registry), plus the multicast and reserved
// blocks of the IANA address-space registries, which are never unicast sources.

import { prefixOf, type Prefix } from '../language/address.js';

/** Each range with the document that sets it aside. */
export const SPECIAL_PURPOSE_RANGES: readonly { prefix: string; name: string; reference: string }[] = [
  // IPv4
  { prefix: '0.0.0.0/8', name: '"this network"', reference: 'RFC 1122 3.2.1.3' },
  { prefix: '10.0.0.0/8', name: 'private use', reference: 'RFC 1918' },
  { prefix: '100.64.0.0/10', name: 'shared address space (carrier-grade NAT)', reference: 'RFC 6598' },
  { prefix: '127.0.0.0/8', name: 'loopback', reference: 'RFC 1122 3.2.1.3' },
  { prefix: '169.254.0.0/16', name: 'link local', reference: 'RFC 3927' },
  { prefix: '172.16.0.0/12', name: 'private use', reference: 'RFC 1918' },
  { prefix: '192.0.0.0/24', name: 'IETF protocol assignments', reference: 'RFC 6890 2.1' },
  { prefix: '192.0.2.0/24', name: 'documentation (TEST-NET-1)', reference: 'RFC 5737' },
  { prefix: '192.168.0.0/16', name: 'private use', reference: 'RFC 1918' },
  { prefix: '198.18.0.0/15', name: 'benchmarking', reference: 'RFC 2544' },
  { prefix: '198.51.100.0/24', name: 'documentation (TEST-NET-2)', reference: 'RFC 5737' },
  { prefix: '203.0.113.0/24', name: 'documentation (TEST-NET-3)', reference: 'RFC 5737' },
  { prefix: '224.0.0.0/4', name: 'multicast', reference: 'RFC 5771' },
  { prefix: '240.0.0.0/4', name: 'reserved (and 255.255.255.255, limited broadcast)', reference: 'RFC 1112 4, RFC 919 7' },
  // IPv6
  { prefix: '::/128', name: 'unspecified', reference: 'RFC 4291' },
  { prefix: '::1/128', name: 'loopback', reference: 'RFC 4291' },
  { prefix: '::ffff:0:0/96', name: 'IPv4-mapped', reference: 'RFC 4291' },
  { prefix: '100::/64', name: 'discard only', reference: 'RFC 6666' },
  { prefix: '2001:db8::/32', name: 'documentation', reference: 'RFC 3849' },
  { prefix: '3fff::/20', name: 'documentation', reference: 'RFC 9637' },
  { prefix: 'fc00::/7', name: 'unique local', reference: 'RFC 4193' },
  { prefix: 'fe80::/10', name: 'link-local unicast', reference: 'RFC 4291' },
  { prefix: 'ff00::/8', name: 'multicast', reference: 'RFC 4291' },
];

export const SPECIAL_PURPOSE: readonly Prefix[] = SPECIAL_PURPOSE_RANGES.map((r) => prefixOf(r.prefix));
