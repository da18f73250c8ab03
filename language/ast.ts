// The syntax tree of a .plumb file, as the parser builds it: every node keeps its source span so
// that diagnostics, the formatter and the language server can point at the text. Names are not
// resolved here (see resolve.ts); literals keep their text (see address.ts for their values).
// This file is the contract between the parser and everything that reads its output.

import type { Span } from './diagnostic.js';
import type { ContractDecl, ImplementsDecl } from './ast-contracts.js';

export type * from './ast-contracts.js';

/** A name, a keyword argument or a literal, exactly as written. */
export interface Token {
  text: string;
  span: Span;
}

/** A reference to a device: `site.device` (qualified) or `device` (inside its site). */
export interface DeviceRef {
  site?: Token;
  device: Token;
  span: Span;
}

/**
 * A name in a list of endpoints or group members: `NAME`, or a device `SITE.DEVICE` (then
 * `device` holds the reference and `text` is `site.device`).
 */
export interface NameRef extends Token {
  device?: DeviceRef;
}

export interface Comment {
  /** The comment's text including the leading `#`. */
  text: string;
  span: Span;
}

export interface SourceFile {
  kind: 'file';
  path: string;
  text: string;
  declarations: Declaration[];
  comments: Comment[];
  /**
   * Names declared by statements that have a syntax error and are therefore missing from
   * `declarations` (e.g. the `web` of `segment web 10.0.0.0/24 fw1`, which lacks `at`). Later
   * stages should not report references to these names as unknown: the syntax error is the
   * report. Absent when every statement parsed.
   */
  incompleteNames?: Token[];
  /** The file's `import` lines, in source order (absent when it has none). */
  imports?: ImportDecl[];
  /** The file's `contract` blocks, in source order (absent when it has none): see contracts.ts. */
  contracts?: ContractDecl[];
  /** The file's `implements` blocks, in source order (absent when it has none). */
  implements?: ImplementsDecl[];
}

/** `import "PATH" [as NAME]`: another file's or folder's declarations under the name NAME. */
export interface ImportDecl {
  kind: 'import';
  /** The string as written, quotes included. */
  path: Token;
  /** The name after `as`, when given (else the file's or folder's base name). */
  name?: Token;
  span: Span;
}

export type Declaration =
  | NetworkDecl
  | RoutingDecl
  | PoolDecl
  | SiteDecl
  | LinkDecl
  | SegmentDecl
  | HostDecl
  | GroupDecl
  | ExternalDecl
  | ServiceDecl
  | PolicyDecl
  | AssertDecl
  | ManageDecl
  | SecretDecl
  | SecurityDecl
  | SurviveDecl;

/** `network NAME ["desc"]` */
export interface NetworkDecl {
  kind: 'network';
  name: Token;
  description?: Token;
  span: Span;
}

/** `routing static | ospf [authentication SECRET]` */
export interface RoutingDecl {
  kind: 'routing';
  mode: Token;
  /** `routing ospf authentication SECRET`: the secret that authenticates OSPF on every link. */
  authentication?: Token;
  span: Span;
}

/**
 * `secret NAME from env VAR` or `secret NAME from file "PATH"`: a named key whose value is never
 * in the intent; `plumb compile` reads it from the environment variable or the file.
 */
export interface SecretDecl {
  kind: 'secret';
  name: Token;
  /** `env` or `file`. */
  source: Token;
  /** The variable's name (a name token) or the path (a string token, quotes included). */
  location: Token;
  span: Span;
}

/** `survive N failure|failures`: the failures the network's policy enforcement must survive. */
export interface SurviveDecl {
  kind: 'survive';
  count: Token;
  span: Span;
}

/** `pool NAME PREFIX` */
export interface PoolDecl {
  kind: 'pool';
  name: Token;
  prefix: Token;
  span: Span;
}

/** `site NAME ["desc"] { ... }` */
export interface SiteDecl {
  kind: 'site';
  name: Token;
  description?: Token;
  members: SiteMember[];
  span: Span;
}

export type SiteMember = DeviceDecl | LinkDecl;

/** `router|firewall NAME PLATFORM [asn N] [loopback ADDR]` */
export interface DeviceDecl {
  kind: 'device';
  role: Token; // 'router' | 'firewall'
  name: Token;
  platform: Token;
  asn?: Token;
  loopback?: Token;
  span: Span;
}

/** One end of a link: a device, optionally with a pinned interface name (`dev:ifname`). */
export interface LinkEnd {
  device: DeviceRef;
  ifname?: Token;
  span: Span;
}

/** `link A -- B [PREFIX] [cost N]` (inside a site or at top level) */
export interface LinkDecl {
  kind: 'link';
  a: LinkEnd;
  b: LinkEnd;
  prefix?: Token;
  cost?: Token;
  span: Span;
}

/** `segment NAME PREFIX[, PREFIX] at DEVICE [zone Z] [vlan N] ["desc"]` */
export interface SegmentDecl {
  kind: 'segment';
  name: Token;
  prefixes: Token[];
  at: DeviceRef;
  zone?: Token;
  vlan?: Token;
  description?: Token;
  span: Span;
}

/** `host NAME ADDR in SEGMENT` */
export interface HostDecl {
  kind: 'host';
  name: Token;
  address: Token;
  segment: Token;
  span: Span;
}

/** `group NAME = REF, ...` (endpoints, groups, or devices as `site.device`) */
export interface GroupDecl {
  kind: 'group';
  /** The `export` keyword before the declaration: importers of its module may name it. */
  exported?: Token;
  name: Token;
  members: NameRef[];
  span: Span;
}

/** `external NAME ["desc"] { ... }` — the body's items in source order. */
export interface ExternalDecl {
  kind: 'external';
  exported?: Token;
  name: Token;
  description?: Token;
  items: ExternalItem[];
  /**
   * The named parts of its addresses: only the external an `implements` makes of the other
   * party has them, one per named prefix of its `announces` line (language/contracts.ts).
   */
  parts?: ExternalPart[];
  span: Span;
}

/** `NAME PREFIX` in a contract's `announces` line, as a part of the party's external (`PARTY.NAME`). */
export interface ExternalPart {
  /** The name as the contract writes it (`api`), with its span there. */
  name: Token;
  prefix: Token;
}

export type ExternalItem = ExternalAsn | ExternalPrefixes | ExternalAttach | ExternalAnnounce | ExternalPassword | ExternalTranslate | ExternalPublish;

/**
 * Address translation where the external attaches (its attach devices translate; compiler
 * builds `DeviceModel.nat`, docs/language.md "NAT"):
 *  - `translate SUBJECT as PREFIX`: static 1:1. SUBJECT is ours (a segment or host, or a prefix
 *    within our addresses): it appears to the external as PREFIX; or it is this external's own
 *    name (or a prefix within its `prefixes`): the external's addresses appear to us as PREFIX.
 *  - `translate SUBJECT, ... overload [ADDRESS]`: source translation with ports (PAT) of our
 *    segments, hosts, groups or prefixes to ADDRESS, by default our address on the attachment.
 */
export interface ExternalTranslate {
  kind: 'translate';
  /** Names (segments, hosts, groups, this external's name) or prefix literals (their text has a `/`), in order. */
  subjects: Token[];
  /** Static: the prefix the subject appears as (`as PREFIX`). */
  as?: Token;
  /** PAT: the `overload` keyword, and the address after it when given. */
  overload?: Token;
  address?: Token;
  span: Span;
}

/**
 * `publish HOST : SERVICE at ADDRESS`: destination translation for one service of one host
 * (a static inside translation of one address, restricted to the service's protocol and port).
 */
export interface ExternalPublish {
  kind: 'publish';
  host: Token;
  service: Token;
  address: Token;
  span: Span;
}

/** `password SECRET`: the external's BGP sessions are authenticated (TCP-MD5) with this secret. */
export interface ExternalPassword {
  kind: 'password';
  secret: Token;
  span: Span;
}

/** `asn N` */
export interface ExternalAsn {
  kind: 'asn';
  asn: Token;
  span: Span;
}

/** `prefixes P, ...` */
export interface ExternalPrefixes {
  kind: 'prefixes';
  prefixes: Token[];
  span: Span;
}

/** `attach DEVICE address ADDR/LEN (peer ADDR | gateway ADDR) [vlan N]` */
export interface ExternalAttach {
  kind: 'attach';
  device: DeviceRef;
  address: Token;
  peer?: Token;
  gateway?: Token;
  vlan?: Token;
  span: Span;
}

/** `announce REF, ...` */
export interface ExternalAnnounce {
  kind: 'announce';
  refs: Token[];
  span: Span;
}

/** `service NAME = ITEM, ...` */
export interface ServiceDecl {
  kind: 'service';
  exported?: Token;
  name: Token;
  items: ServiceItem[];
  span: Span;
}

/**
 * One item of a service: `tcp 80`, `udp 8000-8080 9000`, `icmp echo`, `47` (a protocol number),
 * or the name of another service (`http`). `protocol` holds the first word; `ports` the port
 * numbers or ranges after tcp/udp; `icmpType` the type after icmp.
 */
export interface ServiceItem {
  protocol: Token;
  ports: Token[];
  icmpType?: Token;
  span: Span;
}

/** `policy [NAME] { rule... }` */
export interface PolicyDecl {
  kind: 'policy';
  name?: Token;
  rules: PolicyRule[];
  span: Span;
}

/** `allow|deny SRC, ... -> DST, ... [: SERVICE, ...]` */
export interface PolicyRule {
  kind: 'rule';
  action: Token; // 'allow' | 'deny'
  sources: NameRef[];
  destinations: NameRef[];
  services: Token[];
  /** `profile-group NAME` and `log-forwarding NAME` after the rule (grammar-profiles.ts): PAN-OS profiles by name. */
  profileGroup?: Token;
  logForwarding?: Token;
  span: Span;
}

/** `assert reach|isolate SRC, ... -> DST, ... [: SERVICE, ...] [via DEVICE]` */
export interface AssertDecl {
  kind: 'assert';
  property: Token; // 'reach' | 'isolate'
  sources: NameRef[];
  destinations: NameRef[];
  services: Token[];
  via?: DeviceRef;
  under?: UnderClause;
  span: Span;
}

/**
 * `manage [DEVICE, ...] from SOURCE, ... : SERVICE, ...`: who may reach the devices' own
 * addresses, with which services. No device list: every device. Devices are `site.device` or
 * groups of devices; sources are endpoints, groups, `any` or devices.
 */
export interface ManageDecl {
  kind: 'manage';
  devices: NameRef[];
  sources: NameRef[];
  services: Token[];
  span: Span;
}

/**
 * `security [DEVICE, ...] [profile-group NAME] [log-forwarding NAME]` (at least one of the two):
 * the security-profile group of the allow rules and the log-forwarding profile of every rule on
 * the PAN-OS firewalls named (every one when none is). NAME is a name or a string, as written.
 */
export interface SecurityDecl {
  kind: 'security';
  devices: NameRef[];
  profileGroup?: Token;
  logForwarding?: Token;
  span: Span;
}

/**
 * An assertion's failures: `under N failure|failures` (every set of up to N failed links or
 * devices), or `under failure of ELEMENT, ...` (exactly these failed together).
 */
export interface UnderClause {
  count?: Token;
  elements: FailureElement[];
  span: Span;
}

/** A failed device (`fra1.core1`), or a failed link written as in `link` (`fra1.core1 -- ams1.core2`, ends may pin interfaces). */
export type FailureElement = { kind: 'device'; device: DeviceRef; span: Span } | { kind: 'link'; a: LinkEnd; b: LinkEnd; span: Span };

/** The parser's result for one file: always a tree (possibly partial) and its syntax errors. */
export interface ParseResult {
  file: SourceFile;
  diagnostics: import('./diagnostic.js').Diagnostic[];
}
