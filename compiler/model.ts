// The NetworkModel: what the compiler produces and what the verifier, the backends and the
// emulator read. One vendor-neutral DeviceModel per device plus the endpoints as address sets.
//
// Two kinds of data live in a DeviceModel:
//  - configuration (interfaces, filters, zones, static routes, OSPF, BGP): what a config file
//    says. A backend renders exactly this, and its reader recovers exactly this.
//  - the forwarding table (`fib`): derived from the configuration of all devices by
//    `compiler/routing.ts` (the converged state). Readers leave it empty; it is recomputed.
//
// Plain data, JSON-serializable, deterministic order everywhere (documented per field).
// Addresses and prefixes are canonical text (see language/address.ts).

import type { Span } from '../language/diagnostic.js';
import type { Platform, PortRange, RoutingMode } from '../language/intent.js';
import type { AssertionScope, AssumedOffers, ContractGuarantee, ContractModel } from './model-contracts.js';
import type { NatModel } from './model-nat.js';

export type { Platform, PortRange, RoutingMode };
export type { AssertionScope, AssumedOffers, ContractGuarantee, ContractModel, ContractOfferModel, ContractPartyModel, PacketBox } from './model-contracts.js';
export type { NatModel, NatSide, NatTranslation, SourcePat, StaticNat } from './model-nat.js';

export interface NetworkModel {
  /** Model format version; bumped when the shape changes. */
  version: 1;
  name: string;
  routing: RoutingMode;
  /** Sorted by id. */
  devices: DeviceModel[];
  /** Segments, hosts and externals, sorted by name. */
  endpoints: EndpointModel[];
  /** Policy rules in source order (for lint and reports; the filters already enforce them). */
  policy: PolicyRuleModel[];
  /** Assertions in source order. */
  assertions: AssertionModel[];
  /**
   * The intent's `survive N failures` line, when it has one: its assertions without an `under`
   * clause are proven under up to N failures too (placement survives N, default 1, either way).
   */
  survive?: { failures: number };
  /** The intent's `manage` statements in source order (the local filters already enforce them). */
  manage?: ManageModel[];
  /**
   * The intent's `secret` lines: where `plumb compile` reads each key. Never a value: the
   * sessions and interfaces name their secret, and the model, its JSON and every report stay
   * free of keys (pipeline/secrets.ts reads them; the backends write them into the files).
   */
  secrets?: SecretModel[];
  /**
   * The contracts this intent implements (`implements CONTRACT as PARTY { ... }`), in source
   * order: the side it gives guarantees for, and the other side it may assume. The other party
   * is also an ordinary external endpoint (`external`) of the model, so that policy, routing and
   * the backends treat it like any other; the verifier reads this to prove the guarantees and to
   * check the intent's own assertions against what the other party offers (docs/federation.md).
   */
  contracts?: ContractModel[];
}


/** `secret NAME from env VAR | file "PATH"`. */
export interface SecretModel {
  name: string;
  source: 'env' | 'file';
  /** The environment variable, or the path as written (relative to the intent file's folder). */
  location: string;
  origin: Span;
}

/** A key by the name of its `secret` line; the value is never in the model. */
export interface SecretRef {
  secret: string;
}

/** `manage [DEVICES] from SOURCES : SERVICES`: who may reach the devices' own addresses. */
export interface ManageModel {
  /** Device ids (groups expanded), sorted; every device when the statement names none. */
  devices: string[];
  /** Endpoint names or device ids (groups expanded). */
  sources: string[];
  services: ServiceModel[];
  text: string;
  origin: Span;
}

export interface DeviceModel {
  id: string; // "site.device"
  site: string;
  name: string;
  role: 'router' | 'firewall';
  platform: Platform;
  /** Tracks connections: replies of admitted connections pass its filters (PAN-OS, nftables). */
  stateful: boolean;
  /**
   * A stateful device whose own connections are not tracked (an IOS-XE zone-based firewall: its
   * infrastructure ACL is stateless and no zone-pair names `self`): the replies of connections
   * the device opens itself are decided by its local filter like any packet to it. Absent: the
   * device tracks its own connections as it tracks forwarded ones (or tracks none: `stateful`).
   */
  ownConnectionsUntracked?: true;
  routerId?: string; // IPv4 address text
  /** Sorted by name. Includes loopbacks. */
  interfaces: InterfaceModel[];
  /** Named first-match rule lists, bound to interfaces by `filterIn` / `filterOut`. Sorted by name. */
  filters: FilterModel[];
  /** Firewalls: every interface in exactly one zone. Sorted by name. Empty for routers. */
  zones: ZoneModel[];
  /** Firewalls: the zone policy, first match, for traffic forwarded between any two interfaces. */
  securityRules: FilterRule[];
  /**
   * What the device accepts addressed to itself: the name of a filter in `filters` (first match,
   * default deny). It decides every packet whose destination is one of the device's own
   * addresses (`addresses` of its interfaces, their link-locals, and the multicast groups of its
   * routing protocols); `filterIn`, `filterOut` and the zone policy decide forwarded packets
   * only. Packets the device originates pass no filter of its own. The compiler always sets it:
   * its own routing first (BGP with its peers on the session addresses, OSPF from its link
   * neighbours), ICMP errors, then the intent's `manage` statements. Absent (a hand-built
   * model): the device accepts everything addressed to it.
   */
  localFilter?: string;
  /**
   * A firewall with security profiles (PAN-OS): the log-forwarding profile of the rules the
   * platform writes itself, the explicit default deny and the local filter's default deny (the
   * `security` line's; compiler/profiles.ts). Absent: their logs stay on the box.
   */
  logForwarding?: string;
  /** Configured static routes, sorted by prefix then next hop. */
  staticRoutes: StaticRouteModel[];
  ospf?: OspfModel;
  bgp?: BgpModel;
  /**
   * Address translation between its inside and outside interfaces (compiler/model-nat.ts).
   * Absent: the device translates nothing. The compiler sets it on the devices where an
   * external with `translate` or `publish` lines attaches (compiler/nat.ts).
   */
  nat?: NatModel;
  /** The converged forwarding table, sorted by prefix (derived; see the header comment). */
  fib: RouteModel[];
  origin: Span;
}

export type InterfaceRole = 'link' | 'segment' | 'external' | 'loopback';

export interface InterfaceModel {
  /** The platform's name, e.g. GigabitEthernet2, ethernet1/1, eth1, lo. */
  name: string;
  description: string;
  role: InterfaceRole;
  /** Interface addresses with their length, e.g. "10.255.0.0/31"; IPv4 first. */
  addresses: string[];
  /**
   * A link interface in a network that carries IPv6: its IPv6 link-local address, no length
   * (the link's end written first has "fe80::1", the other "fe80::2"). IPv6 is on for the
   * interface with exactly this link-local address (a platform's automatic one is replaced),
   * OSPFv3 runs over it wherever OSPF runs on the interface, and the neighbour's IPv6 routes
   * use it as their next hop, so IPv6 needs no global link addresses. Absent: the interface has
   * IPv6 only if `addresses` holds an IPv6 address (and then its automatic link-local).
   */
  linkLocal?: string;
  /** For a link: the device id and interface name at the other end. */
  peer?: { device: string; interface: string };
  segment?: string; // role 'segment'
  external?: string; // role 'external'
  vlan?: number;
  /**
   * Unicast reverse-path forwarding on packets entering by this interface: 'strict' drops a
   * packet unless the route back to its source leaves by this same interface (any of its
   * equal-cost next hops); 'loose' unless some route to its source exists. Absent: no check.
   */
  urpf?: 'strict' | 'loose';
  zone?: string; // firewalls
  /** Names of filters in `filters` applied to packets entering / leaving by this interface. */
  filterIn?: string;
  filterOut?: string;
  origin: Span;
}

export interface ZoneModel {
  name: string;
  interfaces: string[]; // sorted
}

export interface FilterModel {
  name: string;
  rules: FilterRule[];
  /** What happens to a packet no rule matches. The compiler always emits 'deny'. */
  defaultAction: 'permit' | 'deny';
}

export interface FilterRule {
  action: 'permit' | 'deny';
  match: Match;
  /** The intent line this rule enforces (a policy rule, a segment, an external...). */
  origin: Span;
  /** A short human description, e.g. "allow office -> web : http (acme.plumb:31)". */
  description: string;
  /**
   * Zone policy of a firewall whose platform has security profiles (PAN-OS) only: the
   * security-profile group that inspects what a `permit` rule admits (never on `deny`), and the
   * log-forwarding profile that sends the rule's traffic logs on (either action). Both are names
   * of profiles defined on the firewall or Panorama, from the intent's `security` line or the
   * rule's own clauses (compiler/profiles.ts). They change what the firewall does with admitted
   * traffic (its threat prevention drops what a profile blocks), so translation validation
   * compares them. Absent: none.
   */
  profileGroup?: string;
  logForwarding?: string;
}

/** A packet matches when every present field matches; an absent field matches anything. */
export interface Match {
  /** Source prefixes (any family mix); absent = any source. */
  sources?: string[];
  destinations?: string[];
  /** IP protocol number (6 tcp, 17 udp, 1 icmp, 58 ipv6-icmp, ...). */
  protocol?: number;
  sourcePorts?: PortRange[]; // only with protocol 6 or 17
  destinationPorts?: PortRange[];
  icmpType?: number; // only with protocol 1 or 58
  /** Stateless reply rules: TCP packets with ACK or RST set (IOS `established`). */
  tcpEstablished?: boolean;
  /** Zone policy only: zones the packet enters from / leaves to (absent = any zone). */
  fromZones?: string[];
  toZones?: string[];
}

export interface StaticRouteModel {
  prefix: string;
  /**
   * Next-hop address; or an interface for a directly attached route (or both). A link-local
   * next hop (fe80::/10) always comes with its interface.
   */
  nextHop?: string;
  interface?: string;
  /**
   * A route to nowhere (IOS-XE `Null0`, FRR and Linux `blackhole`, PAN-OS `discard`): packets
   * routed by it are dropped; no next hop and no interface. The compiler writes one for a prefix
   * the device announces by BGP but answers for only by translation (a static inside NAT's
   * mapped range), because a BGP `network` is announced only while a route for it exists.
   */
  discard?: true;
  /** Administrative distance when not the platform default. */
  distance?: number;
  origin: Span;
}

export interface OspfModel {
  routerId: string;
  /**
   * All in area 0 (v0): the interfaces OSPF runs on, with their costs. Sorted by name.
   * `authentication` (`routing ospf authentication SECRET`, on the interfaces that form
   * adjacencies): OSPFv2 with MD5 (key id 1), OSPFv3 with the RFC 7166 trailer where the
   * platform has it (HMAC-SHA-256, key id 1).
   */
  interfaces: { name: string; cost: number; passive: boolean; authentication?: SecretRef }[];
  /** Redistribution into OSPF, each limited to these prefixes (the compiler never leaks). */
  redistribute: { protocol: 'static' | 'bgp' | 'connected'; prefixes: string[] }[];
  /** Originate a default route (an external with 0.0.0.0/0 or ::/0 attached here). */
  defaultOriginate: { ipv4: boolean; ipv6: boolean };
}

export interface BgpModel {
  asn: number;
  routerId: string;
  /** Sorted by address. */
  neighbors: BgpNeighborModel[];
}

export interface BgpNeighborModel {
  address: string;
  remoteAs: number;
  description: string;
  external: string; // the external's name
  /** Accepted routes: exactly these prefixes (exact match). */
  importPrefixes: string[];
  /** Advertised routes: exactly these prefixes. */
  exportPrefixes: string[];
  /**
   * GTSM (RFC 5082): the peer is at most this many hops away, so the session accepts only
   * packets arriving with TTL >= 256 - hops. Absent: no TTL check.
   */
  ttlSecurity?: number;
  /** The session is torn down when the peer sends more than this many accepted prefixes. */
  maxPrefixes?: number;
  /** The external's `password`: the session is authenticated with TCP-MD5 (RFC 2385) by this secret. */
  password?: SecretRef;
  origin: Span;
}

export type RouteProtocol = 'connected' | 'static' | 'ospf' | 'bgp';

export interface RouteModel {
  prefix: string;
  protocol: RouteProtocol;
  /**
   * Equal-cost next hops, sorted by interface then address; never a hidden tie-break. Empty for
   * a discard route (StaticRouteModel.discard): what it routes is dropped.
   */
  nextHops: NextHopModel[];
  /** Path cost for OSPF/static-computed routes (informational; 0 for connected). */
  metric: number;
}

export interface NextHopModel {
  interface: string;
  /** The next router's address; absent for a connected prefix (deliver on the wire). */
  address?: string;
  /** The device at the other end, when it is one of ours. */
  device?: string;
}

export type EndpointKind = 'segment' | 'host' | 'external';

export interface EndpointModel {
  name: string;
  kind: EndpointKind;
  /** The addresses it stands for: `include` minus `exclude` (canonical prefixes, sorted). */
  include: string[];
  exclude: string[];
  /** Where its traffic enters and leaves our network. */
  attachments: { device: string; interface: string }[];
  /** Host: the segment it is in. */
  segment?: string;
  /**
   * A part of an external (`datahub.api`: a contract's named announcement of the other party):
   * the external it is part of. It has no attachments of its own: its traffic enters and leaves
   * where that external's does, as a host's does where its segment's does.
   */
  partOf?: string;
  origin: Span;
}

export interface ServiceModel {
  protocol?: number;
  ports?: PortRange[];
  icmpType?: number;
}

export interface PolicyRuleModel {
  action: 'allow' | 'deny';
  /** Endpoint names (groups expanded); ['any'] for any. */
  sources: string[];
  destinations: string[];
  services: ServiceModel[];
  text: string;
  origin: Span;
}

export interface AssertionModel {
  property: 'reach' | 'isolate';
  /**
   * Endpoint names or device ids ("site.device": the device's own addresses; a flow from it
   * leaves the device itself), groups expanded; ['any'] for any segment or external.
   */
  sources: string[];
  destinations: string[];
  services: ServiceModel[]; // [{}] for any
  via?: string; // device id
  /**
   * `under N failures`: the property holds after routing re-converges for every set of up to N
   * failed links or devices (the gateways its endpoints attach to fail only when named);
   * `under failure of ...`: for exactly these failed together.
   */
  under?: { failures: number } | { failed: FailureModel[] };
  text: string; // e.g. "reach office -> web : https"
  origin: Span;
  /**
   * A guarantee of this intent's side of a contract, stated by the verifier from
   * `NetworkModel.contracts` (verifier/contracts.ts), never written in the intent: which contract
   * (`shared.frankfurt`), whose side (our party) and which guarantee. Its `origin` is the
   * contract's line that gives it.
   */
  contract?: { name: string; party: string; guarantee: ContractGuarantee };
  /**
   * Only part of the flow's packets is asked about (contract guarantees): sources and
   * destinations within these prefixes (absent: all of the endpoints' addresses), none of the
   * packets of an `except` box, and with `opening` only packets that open a connection (TCP
   * without ACK or RST).
   */
  scope?: AssertionScope;
  /**
   * An intent `reach` to the other party of a contract holds only within what that party offers
   * (the verifier adds this from `NetworkModel.contracts`): a packet of the flow to `external`
   * outside every offer refutes it.
   */
  assumes?: AssumedOffers;
}

/** A failed device, or a failed link by its two ends (the interfaces it joins). */
export type FailureModel =
  | { kind: 'device'; device: string }
  | { kind: 'link'; a: { device: string; interface: string }; b: { device: string; interface: string } };
