// What each platform is and does, in one table: one row per platform, read by every layer that
// needs to know something of a platform (the checks before compiling, the compiler's interface
// names and routing plan, the emulator, the drawing). Code outside backends/ asks for a trait
// (`PLATFORM_TRAITS[platform].runsRoutingDaemon`) and never compares a platform's name, so that
// a new platform is its backends/<platform>/ folder, its word in language/intent.ts and one row
// here. Plain data (no Node module; it imports types and the diagnostic codes): the lab's plan
// reads it too.

import { Codes, type DiagnosticCode } from './diagnostics/index.js';
import type { Platform } from './intent.js';

/** Where a description ends up, which decides its limit. */
export type DescriptionPlace = 'interface' | 'bgp-neighbor';

/** The platforms the lab can run a device as: the ones whose own backend output runs on Linux. */
export type LabPlatform = Extract<Platform, 'frr' | 'linux'>;

/** The names a platform's interfaces may have. */
export type InterfaceNameRule =
  /** Linux's own rule (IFNAMSIZ, characters the kernel refuses, one bare word in the configs). */
  | { kind: 'linux-kernel' }
  /** The box's own name grammar, and how to say what a name must look like. */
  | { kind: 'pattern'; pattern: RegExp; explanation: string };

/** A translation of a packet crossing a device happens before or after its routing decision. */
export type NatStage = 'before-routing' | 'after-routing';

/**
 * The packet a filter stage of a translating device judges: as it arrived (`arrival`), after
 * the translations before routing (`routed`, the packet routing decides on), or as it leaves,
 * after every translation (`leaving`).
 */
export type NatView = 'arrival' | 'routed' | 'leaving';

/** Where a platform translates in a hop, and what its filters see (docs/architecture.md, "NAT"). */
export interface NatOrder {
  /**
   * Per direction of crossing, when the source and the destination are rewritten. A rewrite
   * before routing applies to every packet arriving by an interface of the side it comes from,
   * whichever interface routing then picks; one after routing to packets arriving by one side
   * and leaving by the other.
   */
  rewrites: Record<'inside-to-outside' | 'outside-to-inside', { source: NatStage; destination: NatStage }>;
  /** Which packet each filter stage judges (zones are always those of the interfaces crossed). */
  filterSees: { in: NatView; out: NatView; security: NatView; local: NatView };
}

/** nftables (linux, frr): `dnat` in prerouting (before routing and the forward filter), `snat` in postrouting after it. */
const NFTABLES_NAT: NatOrder = {
  rewrites: {
    'inside-to-outside': { source: 'after-routing', destination: 'before-routing' },
    'outside-to-inside': { source: 'after-routing', destination: 'before-routing' },
  },
  filterSees: { in: 'routed', out: 'routed', security: 'routed', local: 'routed' },
};

export interface PlatformTraits {
  /** The platform's name in prose ("the IOS-XE interface description ..."). */
  displayName: string;
  interfaces: {
    /** The name of data port `index` (1, 2, ...), as a real box of the platform has it. */
    dataPort: (index: number) => string;
    /** The name of the loopback the compiler gives the device's loopback addresses. */
    loopback: string;
    /** The names a pinned interface (`dev:NAME`) may have. */
    accepted: InterfaceNameRule;
    /** The code of a pinned name the platform does not have (P510-P512). */
    invalidNameCode: DiagnosticCode;
  };
  descriptions: {
    /** The longest description kept, in characters, per place; absent: no limit that matters. */
    maxLength: Partial<Record<DescriptionPlace, number>>;
    /** Places whose text is written where any text keeps as it is (a comment): nothing to check. */
    unchecked: readonly DescriptionPlace[];
    /** What the box does to whitespace: keeps it, drops it at the ends, or also collapses runs. */
    whitespace: 'kept' | 'trimmed' | 'trimmed-and-collapsed';
    /** Characters the config shows %-escaped (a pattern for one character), and why. */
    escaped?: { character: RegExp; why: string };
  };
  /**
   * Whether the box tracks connections (replies of admitted connections pass its filters):
   * `always`, or only a device of the platform declared a `firewall` (`as-firewall`: an IOS-XE
   * `firewall` is a zone-based firewall, an IOS-XE `router` keeps stateless ACLs).
   */
  stateful: 'always' | 'as-firewall';
  /**
   * Whether connection tracking covers the device's own connections too, so that their replies
   * pass its local filter. False for IOS-XE: its infrastructure ACL is stateless, and the
   * zone-based firewall inspects no traffic of the router itself (no zone-pair names `self`).
   */
  tracksOwnConnections: boolean;
  /**
   * The IP protocols whose connections a stateful device of the platform tracks; absent: every
   * protocol. An allow rule of another protocol (or of any protocol) through such a device is
   * refused (C725): its replies would not pass.
   */
  statefulProtocols?: readonly number[];
  /**
   * Whether a stateful device of the platform drops an ICMP packet its connection tracking cannot
   * place (CONNTRACK_ICMP: an unsolicited error such as unreachable or time-exceeded, an
   * unsolicited echo reply, a router advertisement, ...) before any rule, even where a rule
   * admits that ICMP type: nftables' `ct state invalid drop`.
   * False: such a packet is decided by the rules like any packet, as far as the vendor documents.
   */
  dropsUnsolicitedIcmp: boolean;
  /**
   * Unicast reverse-path forwarding the box can be told: per interface, strict or loose
   * (`per-interface`); or only strict, and only for a whole zone (`strict-per-zone`: PAN-OS's
   * zone protection "strict IP address check"), so an interface gets it only when every
   * interface of its zone is strict.
   */
  urpf: 'per-interface' | 'strict-per-zone';
  /** Where it translates addresses in a hop and which packet its filters see (`DeviceModel.nat`). */
  nat: NatOrder;
  /** Whether its BGP can require GTSM (RFC 5082 TTL security) of a session. */
  gtsm: boolean;
  /**
   * How it authenticates OSPFv3 (`routing ospf authentication SECRET` in a network with IPv6):
   * the RFC 7166 authentication trailer with this algorithm. Absent: Plumb cannot authenticate
   * OSPFv3 on it (C720). OSPFv2 is MD5 (RFC 2328) and a BGP password TCP-MD5 (RFC 2385) on every
   * platform that runs a routing daemon.
   */
  ospfv3Authentication?: 'hmac-sha-256';
  /**
   * The longest BGP TCP-MD5 key it keeps, where shorter than the 80 characters IOS-XE and Linux
   * take (a PAN-OS BGP auth profile's secret: 63); pipeline/secrets.ts refuses a longer one (C723).
   */
  bgpKeyMaxLength?: number;
  /**
   * Whether Plumb writes a BGP password and OSPF authentication for it (C724 where it does not
   * yet).
   */
  writesAuthentication?: true;
  /**
   * Whether its firewalls' security rules reference a security-profile group and a log-forwarding
   * profile by name (the `security` line and a rule's `profile-group`, `log-forwarding`; P443).
   */
  securityProfiles?: true;
  /**
   * Whether the box runs a routing daemon (OSPF and BGP). Without one it has static routes
   * only, holds no eBGP session and has no ASN; `noRoutingDaemonHint` says what to use instead.
   */
  runsRoutingDaemon: boolean;
  noRoutingDaemonHint?: string;
  /**
   * What the lab runs a device of the platform as: itself (its backend's own files), or an FRR
   * box standing in (the FRR backend's routing, the emulator's filters).
   */
  labRunsAs: LabPlatform;
  /**
   * How `plumb graph` draws a device of the platform: `color` for its title bar and border,
   * `fill` a light tint of it behind its interface rows (both distinct across platforms).
   */
  graph: { color: string; fill: string };
}

/**
 * Which ICMP packets Linux's connection tracking can place when they belong to no connection it
 * already tracks; nftables' `ct state invalid` matches every other one.
 * - Errors (net/netfilter/nf_conntrack_proto_icmp.c: nf_conntrack_icmpv4_error sends IPv4 types
 *   3, 4, 5, 11 and 12 to icmp_error_message; nf_conntrack_proto_icmpv6.c does the same for every
 *   ICMPv6 type below 128): the quoted packet's connection is looked up; found, the error is
 *   RELATED to it; not found, it returns -NF_ACCEPT with no connection attached: invalid.
 * - Every other type must be able to open a connection: icmp_new / nf_conntrack_icmp_packet
 *   accept a new connection only for `valid_new` types (IPv4 echo 8, timestamp 13, information
 *   request 15, address mask request 17; ICMPv6 echo request 128 and node information query 139)
 *   and give any other type (an echo reply, a router advertisement, ...) no connection: invalid.
 * - ICMPv6 `noct_valid_new` types (MLD 130, 131, 132, 143; neighbour discovery 133 to 137) are
 *   marked untracked, not invalid: the rules decide them.
 * Replies and related errors of tracked connections are never packets of an assertion
 * (docs/architecture.md, "State"), so an assertion's ICMP packet is placed only when it opens a
 * connection or is untracked.
 */
export const CONNTRACK_ICMP: {
  readonly icmpNew: readonly number[];
  readonly icmpv6New: readonly number[];
  readonly icmpv6Untracked: readonly number[];
} = {
  icmpNew: [8, 13, 15, 17],
  icmpv6New: [128, 139],
  icmpv6Untracked: [130, 131, 132, 133, 134, 135, 136, 137, 143],
};

/** Full IOS-XE interface types as IOS shows them (abbreviations are not names). */
const IOSXE_TYPES = [
  'GigabitEthernet',
  'TenGigabitEthernet',
  'TwentyFiveGigE',
  'FortyGigabitEthernet',
  'HundredGigE',
  'FastEthernet',
  'Ethernet',
  'Loopback',
  'Port-channel',
  'Tunnel',
  'Vlan',
];

/**
 * One row per platform. The rows are in the backends' registry order, which is also the order
 * in which a hint lists the platforms that have a trait (`platformsWhere`).
 */
export const PLATFORM_TRAITS: Readonly<Record<Platform, PlatformTraits>> = {
  frr: {
    displayName: 'FRR',
    // eth0 is a Linux box's management port and never used.
    interfaces: {
      dataPort: (index) => `eth${index}`,
      loopback: 'lo',
      accepted: { kind: 'linux-kernel' },
      invalidNameCode: Codes.linuxInterfaceName,
    },
    descriptions: {
      maxLength: {},
      // Interface descriptions of frr devices are written only in setup.sh comments, which keep any text.
      unchecked: ['interface'],
      whitespace: 'trimmed-and-collapsed',
    },
    stateful: 'always',
    tracksOwnConnections: true,
    // nftables (the linux backend's ruleset): `ct state invalid drop` first in input and forward
    dropsUnsolicitedIcmp: true,
    urpf: 'per-interface',
    nat: NFTABLES_NAT,
    gtsm: true,
    // FRR 8.4's ospf6d: `ipv6 ospf6 authentication key-id 1 hash-algo hmac-sha-256 key KEY`
    ospfv3Authentication: 'hmac-sha-256',
    writesAuthentication: true,
    runsRoutingDaemon: true,
    labRunsAs: 'frr',
    graph: { color: '#2ca02c', fill: '#eef8ee' },
  },
  linux: {
    displayName: 'Linux',
    interfaces: {
      dataPort: (index) => `eth${index}`,
      loopback: 'lo',
      accepted: { kind: 'linux-kernel' },
      invalidNameCode: Codes.linuxInterfaceName,
    },
    descriptions: { maxLength: {}, unchecked: [], whitespace: 'kept' },
    stateful: 'always',
    tracksOwnConnections: true,
    // nftables: `ct state invalid drop` first in input and forward (docs/backends/linux.md)
    dropsUnsolicitedIcmp: true,
    urpf: 'per-interface',
    nat: NFTABLES_NAT,
    gtsm: true,
    runsRoutingDaemon: false,
    noRoutingDaemonHint: 'use `frr` for a Linux box that speaks BGP',
    labRunsAs: 'linux',
    graph: { color: '#6b6b6b', fill: '#f3f3f3' },
  },
  'cisco-iosxe': {
    displayName: 'IOS-XE',
    interfaces: {
      // GigabitEthernet1, the first data port of an IOS-XE virtual router, is management.
      dataPort: (index) => `GigabitEthernet${index + 1}`,
      loopback: 'Loopback0',
      accepted: {
        kind: 'pattern',
        pattern: new RegExp(`^(?:${IOSXE_TYPES.join('|')})[0-9]{1,4}(?:/[0-9]{1,4}){0,2}(?:\\.[0-9]{1,4})?$`),
        explanation:
          'IOS-XE names are a full interface type and a slot/port number, e.g. `GigabitEthernet2`, `GigabitEthernet0/0/1`, `Loopback0` or the subinterface `GigabitEthernet2.100`',
      },
      invalidNameCode: Codes.iosxeInterfaceName,
    },
    descriptions: {
      maxLength: { interface: 240, 'bgp-neighbor': 80 },
      unchecked: [],
      whitespace: 'trimmed',
      escaped: { character: /[^\x20-\x7e]/u, why: 'IOS-XE configurations are ASCII' },
    },
    stateful: 'as-firewall',
    tracksOwnConnections: false,
    // the zone-based firewall inspects TCP, UDP, ICMP and ICMPv6 sessions
    statefulProtocols: [6, 17, 1, 58],
    // unconfirmed: Cisco documents no drop of an ICMP error outside a session (cisco-iosxe.md)
    dropsUnsolicitedIcmp: false,
    urpf: 'per-interface',
    // Cisco's "NAT order of operation": the input ACL, then outside-to-inside NAT before routing,
    // inside-to-outside NAT after routing, then the output ACL
    nat: {
      rewrites: {
        'inside-to-outside': { source: 'after-routing', destination: 'after-routing' },
        'outside-to-inside': { source: 'before-routing', destination: 'before-routing' },
      },
      filterSees: { in: 'arrival', out: 'leaving', security: 'routed', local: 'routed' },
    },
    gtsm: true,
    // BGP passwords and OSPFv2 MD5; no OSPFv3 authentication (docs/backends/cisco-iosxe.md)
    writesAuthentication: true,
    runsRoutingDaemon: true,
    labRunsAs: 'frr',
    graph: { color: '#1f77b4', fill: '#ecf3fa' },
  },
  'paloalto-panos': {
    displayName: 'PAN-OS',
    interfaces: {
      dataPort: (index) => `ethernet1/${index}`,
      loopback: 'loopback.1',
      accepted: {
        kind: 'pattern',
        pattern: /^(?:ethernet[1-9][0-9]?\/[1-9][0-9]{0,2}(?:\.[1-9][0-9]{0,3})?|loopback\.[1-9][0-9]{0,3})$/,
        explanation: 'PAN-OS names are `ethernetX/Y`, the subinterface `ethernetX/Y.N` or `loopback.N`',
      },
      invalidNameCode: Codes.panosInterfaceName,
    },
    descriptions: {
      maxLength: { interface: 1023 },
      unchecked: [],
      whitespace: 'trimmed-and-collapsed',
      escaped: { character: /"/, why: 'a PAN-OS set command cannot hold `"` in a quoted value' },
    },
    stateful: 'always',
    tracksOwnConnections: true,
    // unconfirmed: the vendor documents no drop of an ICMP error outside a session (paloalto-panos.md)
    dropsUnsolicitedIcmp: false,
    urpf: 'strict-per-zone',
    // "NAT policy overview": NAT rules match the packet as it arrived; security rules see its
    // pre-NAT addresses with the post-NAT destination zone; forwarding uses the post-NAT destination
    nat: {
      rewrites: {
        'inside-to-outside': { source: 'after-routing', destination: 'before-routing' },
        'outside-to-inside': { source: 'after-routing', destination: 'before-routing' },
      },
      filterSees: { in: 'arrival', out: 'routed', security: 'arrival', local: 'routed' },
    },
    gtsm: false,
    securityProfiles: true,
    // BGP auth profiles (TCP-MD5) and OSPFv2 MD5; OSPFv3's are IPsec (docs/backends/paloalto-panos.md)
    writesAuthentication: true,
    bgpKeyMaxLength: 63,
    runsRoutingDaemon: true,
    labRunsAs: 'frr',
    graph: { color: '#d62728', fill: '#fcefef' },
  },
};

/** The traits of one platform. */
export function traitsOf(platform: Platform): PlatformTraits {
  return PLATFORM_TRAITS[platform];
}

/** The platforms that have a trait, in the table's order (for hints that list them). */
export function platformsWhere(has: (traits: PlatformTraits) => boolean): Platform[] {
  return (Object.keys(PLATFORM_TRAITS) as Platform[]).filter((platform) => has(PLATFORM_TRAITS[platform]));
}
