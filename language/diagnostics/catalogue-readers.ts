// The catalogue of the configuration readers' diagnostics (R9xx): R901-R906 from the Linux and
// FRR readers, R950-R958 from the IOS-XE and PAN-OS readers. One entry per code;
// docs/diagnostics.md explains each under the same title.

import type { DiagnosticInfo } from './entry.js';

export const READER_DIAGNOSTICS = {
  readerUnknownCommand: {
    code: 'R901',
    severity: 'error',
    title: 'a command the reader does not know',
    help: 'The file has a line, rule or statement outside the subset Plumb writes and reads back, so the model read from it would not say what the device does.',
  },
  readerMalformedValue: {
    code: 'R902',
    severity: 'error',
    title: 'a malformed value',
    help: 'An address, prefix, port, number or name that is not valid where it appears (a prefix with host bits where a network is meant, a `{` that is never closed, a rule without a verdict).',
  },
  readerUndefinedReference: {
    code: 'R903',
    severity: 'error',
    title: 'a reference to something that is not defined',
    help: 'A `jump` to a chain the table does not have, a zone set or interface that is not configured, a route-map or prefix-list that frr.conf does not define.',
  },
  readerInexpressible: {
    code: 'R904',
    severity: 'error',
    severities: 'error; a warning for an unoriginated export',
    title: 'a setting Plumb\'s model cannot express',
    help: 'The file is valid for the platform but says something the network model has no way to say.',
  },
  readerFileMissing: {
    code: 'R905',
    severity: 'error',
    severities: 'error; a warning for an unexpected file',
    title: 'a missing or unexpected file',
    help: 'A device\'s folder lacks a file its platform needs (`setup.sh` and `nftables.conf`; also `frr.conf` for `frr`), or nftables.conf has no `table inet plumb`.',
  },
  readerOtherDevice: {
    code: 'R906',
    severity: 'warning',
    title: 'the files are for another device',
    help: 'frr.conf\'s `hostname`, or the `# device` line of setup.sh, names another device than the manifest does.',
  },
  vendorUnknownLine: {
    code: 'R950',
    severity: 'error',
    title: 'a line or element outside the subset Plumb reads',
    help: 'An IOS-XE line, or a PAN-OS XML element, that the reader does not know.',
  },
  vendorUndefinedReference: {
    code: 'R951',
    severity: 'error',
    title: 'a reference to something that is not defined',
    help: 'An ACL applied to an interface but not defined, an object-group, route-map or prefix-list used but not defined; on PAN-OS an address, address group, service, application or zone a security rule names, an interface a zone or route names, a peer group a BGP rule is used by.',
  },
  vendorInvalidValue: {
    code: 'R952',
    severity: 'error',
    title: 'an invalid value',
    help: 'An address, mask, wildcard, port, VLAN tag, sequence number or AS number that is not valid where it appears (a mask that is not contiguous, a port above 65535).',
  },
  vendorMissing: {
    code: 'R953',
    severity: 'error',
    severities: 'error; a warning for a rulebase without the default deny',
    title: 'something required is missing',
    help: 'The configuration file itself, `hostname`, a router id, a static route\'s next hop, a route-map on a BGP session or on a redistribution (Plumb never redistributes or peers unfiltered), a PAN-OS element an object needs (`<destination>` of a static route, `<tag>` of a unit).',
  },
  vendorContradiction: {
    code: 'R954',
    severity: 'error',
    severities: 'error; a warning for another hostname',
    title: 'parts of the configuration contradict each other',
    help: 'The IPv6 half of a filter (`ipv6 access-list F-ipv6`) does not enforce the same rule as its IPv4 half at the same sequence number; entries under one remark do not form one rule; the default entry or `default-deny` rule is not last; OSPFv2 and OSPFv3 disagree on an interface; a control-plane entry or rule that could admit more than the router\'s own BGP and OSPF packets.',
  },
  vendorBadAnnotation: {
    code: 'R955',
    severity: 'warning',
    title: 'a `plumb` annotation that cannot be read',
    help: 'A `! plumb ...` comment (IOS-XE), a `<!-- plumb ... -->` comment (PAN-OS) or an `intent` remark is malformed or missing.',
  },
  vendorDuplicate: {
    code: 'R956',
    severity: 'error',
    title: 'the same object defined twice',
    help: 'Two object-groups, interfaces, access-lists or BGP neighbours with the same name or address.',
  },
  vendorMalformedXml: {
    code: 'R957',
    severity: 'error',
    title: 'the XML is not well formed',
    help: 'The PAN-OS file is not XML (an unclosed element, a stray `&`); nothing else is read.',
  },
  vendorSetMismatch: {
    code: 'R958',
    severity: 'error',
    title: 'the set file says something else than the XML',
    help: '`<device>.set` holds a command the XML does not, or lacks one it has.',
  },
} as const satisfies Record<string, DiagnosticInfo>;
