// The catalogue of the configuration readers' diagnostics (R9xx): one family for the readers of
// every platform (linux, frr, cisco-iosxe, paloalto-panos), so that one problem has one code
// whatever the dialect. One entry per code; docs/diagnostics.md explains each under the same
// title.

import type { DiagnosticInfo } from './entry.js';

export const READER_DIAGNOSTICS = {
  readerUnknownCommand: {
    code: 'R901',
    severity: 'error',
    title: 'a command the reader does not know',
    help: 'The file has a line, rule, statement or XML element outside the subset Plumb writes and reads back, so the model read from it would not say what the device does.',
  },
  readerMalformedValue: {
    code: 'R902',
    severity: 'error',
    title: 'a malformed value',
    help: 'An address, prefix, mask, wildcard, port, VLAN tag, sequence number, AS number or name that is not valid where it appears (a prefix with host bits where a network is meant, a mask that is not contiguous, a port above 65535, a `{` that is never closed, a rule without a verdict).',
  },
  readerUndefinedReference: {
    code: 'R903',
    severity: 'error',
    title: 'a reference to something that is not defined',
    help: 'A chain, set, interface, ACL, object group, route map, prefix list, zone, address object, service, application, redistribution profile or peer group that is used but not defined.',
  },
  readerInexpressible: {
    code: 'R904',
    severity: 'error',
    severities: 'error; a warning for an unoriginated export or a refused default route',
    title: 'a setting Plumb\'s model cannot express',
    help: 'The file is valid for the platform but says something the network model has no way to say.',
  },
  readerFileMissing: {
    code: 'R905',
    severity: 'error',
    severities: 'error; a warning for an unexpected file',
    title: 'a missing or unexpected file',
    help: 'A device\'s folder lacks a file its platform needs (`setup.sh` and `nftables.conf`; also `frr.conf` for `frr`; `<device>.cfg` for `cisco-iosxe`; `<device>.xml` for `paloalto-panos`), or nftables.conf lacks Plumb\'s own table.',
  },
  readerOtherDevice: {
    code: 'R906',
    severity: 'warning',
    title: 'the files are for another device',
    help: 'frr.conf\'s or the IOS-XE config\'s `hostname`, or the `# device` line of setup.sh, names another device than the manifest does.',
  },
  readerMissingPart: {
    code: 'R907',
    severity: 'error',
    severities: 'error; a warning for security rules without the default deny',
    title: 'something required is missing',
    help: '`hostname`, a router id, a static route\'s next hop, a route map on a BGP session or on a redistribution (Plumb never redistributes or peers unfiltered), a PAN-OS element an object needs (`<destination>` of a static route, `<tag>` of a unit).',
  },
  readerContradiction: {
    code: 'R908',
    severity: 'error',
    title: 'parts of the configuration contradict each other',
    help: 'The IPv6 half of a filter does not enforce the same rule as its IPv4 half at the same sequence number; entries under one remark do not form one rule; the default entry or `default-deny` rule is not last; OSPFv2 and OSPFv3 disagree on an interface; a control-plane entry or rule that could admit more than the router\'s own BGP and OSPF packets.',
  },
  readerBadAnnotation: {
    code: 'R909',
    severity: 'warning',
    title: 'a `plumb` annotation that cannot be read',
    help: 'A `! plumb ...` comment (IOS-XE), a `<!-- plumb ... -->` comment (PAN-OS) or an `intent` remark is malformed or missing.',
  },
  readerDuplicate: {
    code: 'R910',
    severity: 'error',
    title: 'the same object defined twice',
    help: 'Two object groups, interfaces, access lists or BGP neighbours with the same name or address.',
  },
  readerMalformedXml: {
    code: 'R911',
    severity: 'error',
    title: 'the XML is not well formed',
    help: 'The PAN-OS file is not XML (an unclosed element, a stray `&`); nothing else is read.',
  },
  readerSetMismatch: {
    code: 'R912',
    severity: 'error',
    title: 'the set file says something else than the XML',
    help: '`<device>.set` holds a command the XML does not, or lacks one it has.',
  },
  readerNatInexpressible: {
    code: 'R913',
    severity: 'error',
    title: 'an address translation the model cannot say',
    help: 'An IOS-XE NAT line outside the forms Plumb writes: a route map or an extended access list choosing what is translated, a pool of several addresses, dynamic translation without `overload`, a destination or outside dynamic translation, `add-route` (a route the model does not have), a VRF, or a `deny` in the access list of a translation\'s sources.',
  },
  readerNatUnusable: {
    code: 'R914',
    severity: 'error',
    title: 'a source translation to an address the router would not use',
    help: 'An IOS-XE pool whose one address is the network or broadcast address of its own netmask (IOS never allocates those), or an `interface NAME overload` naming an interface without an IPv4 address: the translation the line seems to say never happens.',
  },
  readerNatOverlap: {
    code: 'R915',
    severity: 'error',
    title: 'address translations whose order the router does not keep',
    help: 'Two IOS-XE static translations of one side whose real or mapped ranges overlap (IOS refuses or reorders them), or two dynamic translations whose source lists overlap (IOS keeps no order among them): the model\'s first-match order would be a guess.',
  },
  readerNatZones: {
    code: 'R916',
    severity: 'error',
    title: 'PAN-OS NAT rules whose zones do not make an inside and an outside',
    help: 'A PAN-OS NAT rule is from or to `any` zone, or its zones cannot be read back to exactly two disjoint sets of interfaces (the NAT inside and outside): a zone holds interfaces of both sides or of neither, or the rules name more than two sets.',
  },
  readerPanosNatInexpressible: {
    code: 'R917',
    severity: 'error',
    title: 'a PAN-OS NAT rule the model cannot express',
    help: 'A translation the NAT model has no way to say: a dynamic IP pool or a pool of several addresses, a static translation between prefixes of different lengths, or one way only, a destination translation without one published address and service, a `to-interface`, NAT64 or NPTv6.',
  },
  readerNatRulesDiffer: {
    code: 'R918',
    severity: 'error',
    title: 'the PAN-OS NAT rules are not those their translations need',
    help: 'The translations read from the NAT rules need exactly a certain list of rules in a certain order (the rules that translate both addresses of a packet first, one rule per destination zone, `bi-directional yes` on static translations); a rule is missing, extra, out of place or different.',
  },
  readerLocalFilterDiffers: {
    code: 'R930',
    severity: 'error',
    title: 'the router\'s own traffic is not filtered alike on every interface',
    help: 'An IOS-XE infrastructure access list (the local filter at the top of every inbound list) is missing from an addressed interface, differs from another interface\'s, admits packets that are not addressed to the router, or names an object group that does not hold exactly the router\'s own addresses.',
  },
  readerVtyDisagrees: {
    code: 'R931',
    severity: 'error',
    title: 'the vty lines do not agree with the local filter',
    help: 'The IOS-XE vty lines (their transport, access classes and access lists) admit SSH from other sources than the local filter\'s SSH rules, or restrict SSH where the configuration has no local filter.',
  },
  readerProfileMismatch: {
    code: 'R940',
    severity: 'error',
    title: 'an interface management profile disagrees with the rules for the firewall itself',
    help: 'A PAN-OS interface management profile opens other services, or to other sources, than the security rules above `local-default-deny` imply, or an addressed interface lacks it: the firewall would answer more, or less, than the model says.',
  },
  readerProfileSetting: {
    code: 'R962',
    severity: 'error',
    title: 'a security rule\'s profiles or logging that the model cannot say',
    help: 'A PAN-OS security rule names individual security profiles instead of one profile group, more than one group, a profile group on a deny rule, or turns off logging at session end while naming a log-forwarding profile: Plumb writes one group (allow rules only) and logs every rule with a profile at session end.',
  },
  readerLocalRuleOutside: {
    code: 'R941',
    severity: 'error',
    title: 'a rule for the firewall itself that reaches beyond it',
    help: 'A PAN-OS security rule above `local-default-deny` admits packets not addressed to the firewall (another destination, zones), `local-default-deny` does not deny everything addressed to it, or the address groups `firewall-addresses` and `ospf-multicast` do not hold exactly its own addresses and OSPF\'s groups.',
  },
  readerZonePolicyShape: {
    code: 'R946',
    severity: 'error',
    title: 'a zone-based firewall policy that is not one ordered rule list',
    help: 'The IOS-XE zone-based firewall (zones, zone-pairs, inspect class-maps and policy-maps) cannot be read as the model\'s zone policy: an interface without a zone, a pair of zones without its zone-pair, a zone-pair with the self zone, classes out of rule order, or a rule whose zone-pairs are not the zones its annotation names.',
  },
  readerZonePass: {
    code: 'R947',
    severity: 'error',
    title: 'a zone-based firewall class that passes without state',
    help: 'An IOS-XE inspect policy\'s `pass` admits packets one way without tracking the connection, so the replies meet the policy of the other zone-pair as new packets; the model\'s firewall tracks every connection it admits (`inspect`).',
  },
} as const satisfies Record<string, DiagnosticInfo>;
