// What the firewall accepts addressed to itself (the model's `localFilter`), as PAN-OS says it,
// shared by the renderer and the reader so that both derive the same objects:
//  - the security rules at the top of the rulebase whose destination is the firewall's own
//    addresses (the address group `firewall-addresses`; an OSPF rule also `ospf-multicast`),
//    one per local rule, then `local-default-deny` (everything else addressed to the firewall);
//  - the interface management profile that opens the services PAN-OS answers on a dataplane
//    interface itself (ping, telnet, ssh, http, https, snmp): without a profile an interface
//    answers none of them, whatever the rulebase says, so both must admit a packet.

import type { DeviceModel, FilterModel, FilterRule, Match } from '../../compiler/model.js';
import { formatIPv4, formatIPv6, parseAddress, prefixOf } from '../../language/address.js';
import { sortedUnique } from './render-routing.js';

/** The rule after the local rules: nothing else addressed to the firewall passes. */
export const LOCAL_DEFAULT_RULE = 'local-default-deny';
export const LOCAL_DEFAULT_DESCRIPTION = 'Default for the firewall itself: deny what no rule above admits to its own addresses.';
/** The address group of the firewall's own addresses, the destination of every local rule. */
export const SELF_GROUP = 'firewall-addresses';
/** The address group of the multicast and link-local destinations OSPF speaks to. */
export const OSPF_GROUP = 'ospf-multicast';
/** The name the local filter has when the configuration does not say (the compiler's). */
export const DEFAULT_LOCAL_FILTER = 'local';
/** The one interface management profile (every addressed interface has it). */
export const MANAGEMENT_PROFILE = 'manage';

const familyOf = (p: string): 4 | 6 => prefixOf(p).family;

/** `A/32` (`A/128`) for an address, with or without a length. */
export function hostOf(address: string): string {
  const p = address.includes('/') ? prefixOf(address) : { ...parseAddress(address)!, length: 0 };
  return `${p.family === 4 ? formatIPv4(p.value) : formatIPv6(p.value)}/${p.family === 4 ? 32 : 128}`;
}

type Interfaces = Pick<DeviceModel, 'interfaces'>;

/** The firewall's own addresses: every interface address and link-local, as host prefixes, sorted. */
export function ownAddresses(device: Interfaces): string[] {
  return sortedUnique(device.interfaces.flatMap((i) => [...i.addresses.map(hostOf), ...(i.linkLocal !== undefined ? [`${i.linkLocal}/128`] : [])]));
}

/**
 * OSPF's own destinations: AllSPFRouters and AllDRouters; with IPv6 on any interface also their
 * OSPFv3 groups and fe80::/10 (OSPFv3 speaks between link-locals, which PAN-OS may derive).
 */
export function ospfGroups(device: Interfaces): string[] {
  const v6 = device.interfaces.some((i) => i.linkLocal !== undefined || i.addresses.some((a) => familyOf(a) === 6));
  return ['224.0.0.5/32', '224.0.0.6/32', ...(v6 ? ['ff02::5/128', 'ff02::6/128', 'fe80::/10'] : [])];
}

/** Whether a local rule without destinations is OSPF's (its destination also the OSPF groups). */
export const isOspfRule = (m: Match): boolean => m.protocol === 89 && m.destinations === undefined;

/** The model's local filter of a device, when it has one. */
export function localFilterOf(device: DeviceModel): FilterModel | undefined {
  if (device.localFilter === undefined) return undefined;
  const f = device.filters.find((x) => x.name === device.localFilter);
  if (!f) throw new Error(`internal: ${device.id}: the local filter ${device.localFilter} is not among its filters`);
  return f;
}

/** A service an interface management profile opens, and the packets that are it. */
interface ProfileService {
  name: string;
  packets: { protocol: number; port?: number; icmpType?: number }[];
}

/** In the order PAN-OS's web interface lists them. */
export const PROFILE_SERVICES: readonly ProfileService[] = [
  { name: 'ping', packets: [{ protocol: 1, icmpType: 8 }, { protocol: 58, icmpType: 128 }] },
  { name: 'telnet', packets: [{ protocol: 6, port: 23 }] },
  { name: 'ssh', packets: [{ protocol: 6, port: 22 }] },
  { name: 'http', packets: [{ protocol: 6, port: 80 }] },
  { name: 'https', packets: [{ protocol: 6, port: 443 }] },
  { name: 'snmp', packets: [{ protocol: 17, port: 161 }] },
];

/**
 * Whether a permit rule admits every packet of the service from its sources (any source port):
 * a rule that admits only some of them (a source-port limit, such as BGP's replies from port
 * 179) opens no service.
 */
function opens(rule: FilterRule, s: ProfileService): boolean {
  const m = rule.match;
  if (rule.action !== 'permit' || m.sourcePorts || m.tcpEstablished || m.fromZones || m.toZones) return false;
  return s.packets.some((p) => {
    if (m.protocol !== undefined && m.protocol !== p.protocol) return false;
    if (p.port !== undefined) return m.icmpType === undefined && (m.destinationPorts === undefined || m.destinationPorts.some((r) => r.from <= p.port! && p.port! <= r.to));
    return m.destinationPorts === undefined && (m.icmpType === undefined || m.icmpType === p.icmpType);
  });
}

export interface ManagementProfile {
  name: string;
  /** Names of PROFILE_SERVICES, in their order. */
  services: string[];
  /** Source prefixes, sorted; empty: any source. */
  permitted: string[];
}

/**
 * The profile the local filter implies: the services some permit rule opens, from the union of
 * those rules' sources (any when one of them has no sources). Undefined when it opens none.
 * The rulebase admits exactly the local filter, and the profile at least as much of each
 * service, so the two together admit what the local filter does.
 */
export function managementProfile(filter: FilterModel | undefined): ManagementProfile | undefined {
  if (!filter) return undefined;
  const services: string[] = [];
  const sources: string[] = [];
  let anySource = false;
  for (const s of PROFILE_SERVICES) {
    const rules = filter.rules.filter((r) => opens(r, s));
    if (rules.length === 0) continue;
    services.push(s.name);
    for (const r of rules) {
      if (r.match.sources === undefined) anySource = true;
      else sources.push(...r.match.sources);
    }
  }
  if (services.length === 0) return undefined;
  return { name: MANAGEMENT_PROFILE, services, permitted: anySource ? [] : sortedUnique(sources) };
}

/** The interfaces the profile is attached to: every one with an address (loopbacks too). */
export const managedInterface = (i: DeviceModel['interfaces'][number]): boolean => i.addresses.length > 0 || i.linkLocal !== undefined;

/**
 * The zone protection profile that checks sources as strict uRPF does: PAN-OS's "spoofed IP
 * address" check (`discard-ip-spoof`) drops a packet unless the route back to its source leaves
 * by an interface of the zone it arrived in. A zone gets it when every one of its interfaces has
 * strict uRPF (with one interface, exactly the model's check); PAN-OS has no loose check.
 */
export const STRICT_URPF_PROFILE = 'strict-urpf';

/** Whether a zone's interfaces all have strict uRPF, so the zone gets the profile. */
export function strictZone(device: Pick<DeviceModel, 'interfaces'>, members: string[]): boolean {
  return members.length > 0 && members.every((n) => device.interfaces.find((i) => i.name === n)?.urpf === 'strict');
}
