// The checked intent: the front end's output and the compiler's input. Every name here is
// resolved and valid, every prefix and address is in canonical text form, every number is in
// range. It exists only for an intent without errors (warnings allowed). Plain data: it can be
// serialized to JSON and compared in tests.

import type { Span } from './diagnostic.js';
import type { LockEntry } from './lock.js';

export type Platform = 'cisco-iosxe' | 'paloalto-panos' | 'frr' | 'linux';
export const PLATFORMS: readonly Platform[] = ['cisco-iosxe', 'paloalto-panos', 'frr', 'linux'];

export type RoutingMode = 'static' | 'ospf';

export interface CheckedIntent {
  /** The `network` name, or the first file's base name when there is no `network` line. */
  name: string;
  description?: string;
  routing: RoutingMode;
  pools: IntentPool[];
  sites: IntentSite[];
  devices: IntentDevice[];
  links: IntentLink[];
  segments: IntentSegment[];
  hosts: IntentHost[];
  groups: IntentGroup[];
  externals: IntentExternal[];
  /** User services and the built-in prelude (those the file does not shadow). */
  services: IntentService[];
  /** All policy rules of all policy blocks, in source order. */
  rules: IntentRule[];
  assertions: IntentAssertion[];
  /** The `manage` lines, in source order. */
  manage: IntentManage[];
  /** The `security` lines (PAN-OS profiles), in source order; at most one sets each profile of a firewall. */
  security: IntentSecurity[];
  /** `survive N failures`, when the intent has the line (placement then uses N; default 1). */
  survive?: { failures: number; span: Span };
  /** The `secret` lines, in source order, when there are any: where each key is read, never its value. */
  secrets?: IntentSecret[];
  /** `routing ospf authentication SECRET`: OSPF is authenticated on every link with this secret. */
  ospfAuthentication?: { secret: string; span: Span };
  /**
   * The addresses plumb.lock records for this network (language/lock.ts), when the intent has a
   * lock with a section of its name: the allocation keeps them where it can.
   */
  lock?: LockEntry[];
  /**
   * The contracts the intent implements, in source order, when it implements any: the other
   * party of each is also one of `externals` (language/contracts.ts).
   */
  contracts?: IntentContract[];
}

/** `implements CONTRACT as PARTY { ... }`: our party (`us`), the other (`them`) and where they meet. */
export interface IntentContract {
  /** As this intent names it (`shared.frankfurt`). */
  name: string;
  us: IntentContractParty;
  them: IntentContractParty;
  /** The external that stands for the other party: its name. */
  external: string;
  /** The `meet` line: our address and theirs (canonical, without length), the subnet's length, the VLAN. */
  meet: { ours: string; theirs: string; prefixLength: number; vlan?: number; span: Span };
  /** The contract's header (`contract NAME {`), in the contract's own file. */
  span: Span;
  /** The `implements` block. */
  implementsSpan: Span;
}

export interface IntentContractParty {
  name: string;
  asn: number;
  /** The `party` line. */
  span: Span;
  /** Canonical prefixes, sorted. */
  announces: string[];
  announcesSpan: Span;
  offers: IntentContractOffer[];
}

/** `PARTY offers SERVICE, ... [at ...] [to ...]`, the defaults filled in. */
export interface IntentContractOffer {
  /** The services' names in this intent (qualified: `shared.ingest`). */
  services: string[];
  /** Their names as the contract writes them. */
  serviceNames: string[];
  /** The services' clauses, combined. */
  clauses: ServiceClause[];
  /** Canonical prefixes, sorted. */
  at: string[];
  to: string[];
  /** The line as written, without its comment, whitespace collapsed. */
  text: string;
  span: Span;
}

/** `secret NAME from env VAR | file "PATH"`: a key read by `plumb compile`, never in the intent. */
export interface IntentSecret {
  name: string;
  source: 'env' | 'file';
  /** The environment variable's name, or the path as written (relative to the intent file's folder). */
  location: string;
  span: Span;
}

/** The failures the compiler's placement survives when the intent has no `survive` line. */
export const DEFAULT_SURVIVED_FAILURES = 1;
/** The most failures a `survive` line or an `under` clause may name (the sets grow as links^N). */
export const MAX_FAILURES = 3;

export interface IntentPool {
  name: string;
  prefix: string; // canonical, e.g. "10.255.0.0/16"
  span: Span;
}

export interface IntentSite {
  name: string;
  description?: string;
  span: Span;
}

export interface IntentDevice {
  /** `site.device`: unique in the intent. */
  id: string;
  site: string;
  name: string;
  role: 'router' | 'firewall';
  platform: Platform;
  asn?: number;
  /** Loopback addresses given in the intent (canonical address text, no length). */
  loopbacks: string[];
  span: Span;
}

export interface IntentLinkEnd {
  device: string; // device id
  ifname?: string; // pinned interface name
}

export interface IntentLink {
  a: IntentLinkEnd;
  b: IntentLinkEnd;
  /** The link's prefixes if given (canonical), else allocated by the compiler from a pool. */
  prefixes: string[];
  cost: number; // default 1
  span: Span;
}

export interface IntentSegment {
  name: string;
  prefixes: string[]; // canonical
  gateway: string; // device id
  zone?: string;
  vlan?: number;
  description?: string;
  span: Span;
}

export interface IntentHost {
  name: string;
  address: string; // canonical address, no length
  segment: string;
  span: Span;
}

export interface IntentGroup {
  name: string;
  /** Direct members (segment, host, external or group names), as written. */
  members: string[];
  /** Members with groups expanded: segment, host and external names and device ids, sorted, unique. */
  expanded: string[];
  span: Span;
}

export interface IntentAttachment {
  device: string; // device id
  /** The address of our side with its length, e.g. "169.254.10.1/30". */
  address: string;
  peer?: string; // eBGP neighbour address (with asn)
  gateway?: string; // static next hop (without asn)
  vlan?: number;
  span: Span;
}

export interface IntentExternal {
  name: string;
  description?: string;
  asn?: number;
  prefixes: string[]; // canonical
  attachments: IntentAttachment[];
  /** Announced names expanded to segment/host/external names (sorted, unique). */
  announce: string[];
  /** `password SECRET`: its BGP sessions are authenticated with this secret (TCP-MD5). */
  password?: { secret: string; span: Span };
  /**
   * The named parts of its addresses (`datahub.api`), when the contract that made it names
   * some of the party's announcements: endpoints of their own, attached where it is.
   */
  parts?: IntentExternalPart[];
  /**
   * Its address translation (`translate`, `publish`), in the order written; the devices where it
   * attaches translate (docs/language.md, "Address translation (NAT)"). Absent: none.
   */
  translations?: IntentTranslation[];
  span: Span;
}

export type IntentTranslation = IntentStaticTranslation | IntentPublish | IntentOverload;

/**
 * `translate SUBJECT as MAPPED`: `real` (a canonical IPv4 prefix: the subject's one prefix, or the
 * prefix written) appears on the other side as `mapped` (same length). `realSide: 'inside'`: the
 * subject is ours and appears to the external as `mapped`; `'outside'`: the subject is the
 * external (its name, or a prefix within its prefixes) and appears to us as `mapped`.
 */
export interface IntentStaticTranslation {
  kind: 'static';
  realSide: 'inside' | 'outside';
  /** The subject as written: a segment, host or external name, or a prefix. */
  subject: string;
  real: string;
  mapped: string;
  span: Span;
}

/** `publish HOST : SERVICE at ADDRESS`: the host's one service reached at a public address. */
export interface IntentPublish {
  kind: 'publish';
  host: string;
  /** The host's address and the public one (canonical, no length). */
  address: string;
  publicAddress: string;
  service: string;
  protocol: 6 | 17;
  port: number;
  span: Span;
}

/** `translate SOURCE, ... overload [ADDRESS]`: our sources share one address (ports translated). */
export interface IntentOverload {
  kind: 'overload';
  /** The names written, groups expanded (sorted), and the prefixes written. */
  subjects: EndpointName[];
  /** Every IPv4 prefix of the subjects (canonical, sorted, unique). */
  sources: string[];
  /** The address given after `overload` (canonical); absent: our address on the attachment. */
  address?: string;
  span: Span;
}

/** `PARTY.NAME`: the part of an external with the addresses of a named announcement. */
export interface IntentExternalPart {
  /** `datahub.api` */
  name: string;
  /** Canonical, sorted. */
  prefixes: string[];
  /** The name in the contract's `announces` line. */
  span: Span;
}

export interface PortRange {
  from: number;
  to: number; // inclusive; equal to `from` for a single port
}

/** One protocol clause of a service, fully expanded (service references are inlined). */
export interface ServiceClause {
  /** IP protocol number: 6 tcp, 17 udp, 1 icmp (means ICMPv6 for IPv6 traffic); undefined = any. */
  protocol?: number;
  /** Destination ports for tcp/udp; undefined = all ports. */
  ports?: PortRange[];
  /** ICMP type for icmp (echo request = 8; the IPv6 counterpart is derived downstream). */
  icmpType?: number;
}

export interface IntentService {
  name: string;
  clauses: ServiceClause[];
  builtin: boolean;
  span: Span;
}

/**
 * An endpoint reference after resolution: a name, `any` (every address of the segments and
 * externals), or in assertions and `manage` a device id (`site.device`: its own addresses).
 */
export type EndpointName = string;

export interface IntentRule {
  action: 'allow' | 'deny';
  policy?: string; // the policy block's name, if any
  /** Sources and destinations as written (groups NOT expanded) and expanded. */
  sources: EndpointName[];
  destinations: EndpointName[];
  sourcesExpanded: EndpointName[]; // segment/host/external names, or ['any']
  destinationsExpanded: EndpointName[];
  /** Service names as written; empty means any. */
  services: string[];
  /** The union of the services' clauses; [{}] (one clause, any protocol) when no service given. */
  clauses: ServiceClause[];
  /** PAN-OS profiles the rule names itself (`profile-group G`: allow rules only; `log-forwarding L`). */
  profileGroup?: string;
  logForwarding?: string;
  span: Span;
}

/**
 * A `security` line: the default security-profile group (allow rules) and log-forwarding profile
 * (every rule) of PAN-OS firewalls. The profiles are the firewall's or Panorama's, by name.
 */
export interface IntentSecurity {
  /** The PAN-OS firewalls it applies to (groups expanded, sorted); every one when the line names none. */
  devices: string[];
  profileGroup?: string;
  logForwarding?: string;
  span: Span;
}

export interface IntentAssertion {
  property: 'reach' | 'isolate';
  sources: EndpointName[];
  destinations: EndpointName[];
  sourcesExpanded: EndpointName[];
  destinationsExpanded: EndpointName[];
  services: string[];
  clauses: ServiceClause[];
  via?: string; // device id
  /** `under N failures` (every set of up to N failed links or devices) or `under failure of ...` (exactly these). */
  under?: IntentUnder;
  /** The assertion's source text on one line, normalised (used in reports and `--only`). */
  text: string;
  span: Span;
}

/** `manage [DEVICE, ...] from SOURCE, ... : SERVICE, ...` */
export interface IntentManage {
  /** Device ids, groups expanded, sorted; every device of the intent when the line names none. */
  devices: string[];
  /** Sources as written, and expanded (endpoint names and device ids, sorted; ['any'] for any). */
  sources: EndpointName[];
  sourcesExpanded: EndpointName[];
  /** Service names as written (at least one). */
  services: string[];
  clauses: ServiceClause[];
  /** The line on one line, normalised: `manage fra1.edge1 from noc : ssh`. */
  text: string;
  span: Span;
}

/** An assertion's failures: a number (every set of up to that many) or the named elements. */
export type IntentUnder = { failures: number; span: Span } | { failed: IntentFailedElement[]; span: Span };

/** A failed device (its id), or a failed link (its index in `CheckedIntent.links`). */
export type IntentFailedElement = { kind: 'device'; device: string } | { kind: 'link'; link: number };
