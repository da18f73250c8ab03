// What a running PAN-OS configuration holds besides what Plumb writes: the defaults PAN-OS
// prints (skipped), the elements outside Plumb's scope (listed as unmanaged), and the elements
// that may only be empty. The reader asks `Running.outside` for every element outside the subset
// (read-xml.ts `kids`); whatever is in neither table stays an error.

import { elements, type XmlElement } from './xml.js';

/** What a reader does with an element outside the subset in a running file (read-xml.ts `kids`). */
export interface RunningScope {
  /** True when the element is a default (skipped) or unmanaged (listed); false: an error. */
  outside(k: XmlElement, parent: XmlElement): boolean;
  /** The role of an interface without a `plumb` comment: OSPF's point-to-point ones are links. */
  role(name: string): 'link' | 'segment' | 'loopback';
  /**
   * The model's name of an interface without a `plumb` comment: a tagged unit that is its port's
   * only one, on a port that is no interface itself, stands for the port with a VLAN
   * (interface-names.ts), as Plumb writes it.
   */
  modelName(name: string): string | undefined;
}

type Rule = readonly string[] | 'tree';

/**
 * Defaults PAN-OS prints, by `parent/child` (or `* /child` for any parent): a leaf with one of the
 * listed values, or a subtree all of whose elements are defaults. An element with no content at
 * all (`<vlan/>`, `<application-group/>`) is a default anywhere.
 */
const DEFAULTS: Record<string, Rule> = {
  // every layer3 interface, unit and loopback
  '*/ndp-proxy': 'tree',
  'ndp-proxy/enabled': ['no'],
  '*/lldp': 'tree',
  'lldp/enable': ['no'],
  '*/adjust-tcp-mss': 'tree',
  'adjust-tcp-mss/enable': ['no'],
  'adjust-tcp-mss/ipv4-mss-adjustment': ['40'],
  'adjust-tcp-mss/ipv6-mss-adjustment': ['60'],
  '*/untagged-sub-interface': ['no'],
  '*/bonjour': 'tree',
  'bonjour/enable': ['no'],
  '*/decrypt-forward': ['no'],
  'entry/link-speed': ['auto'],
  'entry/link-duplex': ['auto'],
  'entry/link-state': ['auto'],
  // IPv6 neighbour discovery as PAN-OS fills it in
  'neighbor-discovery/enable-dad': ['no', 'yes'],
  'neighbor-discovery/dad-attempts': ['1'],
  'neighbor-discovery/ns-interval': ['1'],
  'neighbor-discovery/reachable-time': ['30'],
  'neighbor-discovery/enable-ndp-monitor': ['no'],
  'router-advertisement/min-interval': ['200'],
  'router-advertisement/max-interval': ['600'],
  'router-advertisement/hop-limit': ['64'],
  'router-advertisement/reachable-time': ['unspecified'],
  'router-advertisement/retransmission-timer': ['unspecified'],
  'router-advertisement/lifetime': ['1800'],
  'router-advertisement/router-preference': ['Medium'],
  'router-advertisement/managed-flag': ['no'],
  'router-advertisement/other-flag': ['no'],
  'router-advertisement/enable-consistency-check': ['no'],
  'router-advertisement/link-mtu': ['unspecified'],
  // the virtual router
  '*/ecmp': 'tree',
  'ecmp/enable': ['no'],
  'ecmp/max-path': ['2'],
  'ecmp/symmetric-return': ['no'],
  'ecmp/strict-source-path': ['no'],
  'ecmp/algorithm': 'tree',
  'algorithm/ip-modulo': 'tree',
  '*/multicast': 'tree',
  'multicast/enable': ['no'],
  'multicast/rp': 'tree',
  'rp/local-rp': 'tree',
  'admin-dists/static': ['10'],
  'admin-dists/static-ipv6': ['10'],
  'admin-dists/ospf-int': ['30'],
  'admin-dists/ospf-ext': ['110'],
  'admin-dists/ospfv3-int': ['30'],
  'admin-dists/ospfv3-ext': ['110'],
  'admin-dists/ibgp': ['200'],
  'admin-dists/ebgp': ['20'],
  'admin-dists/rip': ['120'],
  'entry/admin-dists': 'tree',
  // a static route
  'entry/bfd': 'tree',
  'bfd/profile': ['None', 'Inherit-vr-global-setting'],
  'entry/path-monitor': 'tree',
  'path-monitor/enable': ['no'],
  'path-monitor/failure-condition': ['any'],
  'path-monitor/hold-time': ['2'],
  'entry/metric': ['10'],
  'entry/route-table': 'tree',
  'route-table/unicast': 'tree',
  // a security rule
  'entry/negate-source': ['no'],
  'entry/negate-destination': ['no'],
  'entry/rule-type': ['universal'],
  'entry/log-start': ['no'],
  'entry/source-hip': 'tree',
  'entry/destination-hip': 'tree',
  'source-hip/member': ['any'],
  'destination-hip/member': ['any'],
  'entry/hip-profiles': 'tree',
  'hip-profiles/member': ['any'],
  'entry/icmp-unreachable': ['no'],
  'entry/option': 'tree',
  'option/disable-server-response-inspection': ['no'],
  'entry/target': 'tree',
  'target/negate': ['no'],
  // a service's timeouts left to the application's
  'tcp/override': 'tree',
  'udp/override': 'tree',
  'override/no': 'tree',
  // an application's characteristics (every one `no`)
  'entry/evasive-behavior': ['no'],
  'entry/consume-big-bandwidth': ['no'],
  'entry/used-by-malware': ['no'],
  'entry/able-to-transfer-file': ['no'],
  'entry/has-known-vulnerability': ['no'],
  'entry/tunnel-other-application': ['no'],
  'entry/tunnel-applications': ['no'],
  'entry/prone-to-misuse': ['no'],
  'entry/pervasive-use': ['no'],
  'entry/file-type-ident': ['no'],
  'entry/virus-ident': ['no'],
  'entry/data-ident': ['no'],
  // a zone
  'entry/enable-user-identification': ['no'],
  'entry/enable-device-identification': ['no'],
  'network/enable-packet-buffer-protection': ['yes', 'no'],
  // the routing protocols PAN-OS lists switched off
  'protocol/rip': 'tree',
  'rip/enable': ['no'],
  'rip/allow-redist-default-route': ['no'],
  'rip/timers': 'tree',
  'timers/interval-seconds': ['1'],
  'timers/update-intervals': ['30'],
  'timers/expire-intervals': ['180'],
  'timers/delete-intervals': ['120'],
  // BGP as PAN-OS fills it in when it runs: the router's options, a peer group's, a peer's (what
  // it does with a default route is read, read-routing.ts)
  'bgp/ecmp-multi-as': ['no'],
  'bgp/enforce-first-as': ['yes'],
  'bgp/routing-options': 'tree',
  'routing-options/as-format': ['2-byte'],
  'routing-options/med': 'tree',
  'med/always-compare-med': ['no'],
  'med/deterministic-med-comparison': ['yes'],
  'routing-options/default-local-preference': ['100'],
  'routing-options/graceful-restart': 'tree',
  'graceful-restart/enable': ['yes'],
  'graceful-restart/stale-route-time': ['120'],
  'graceful-restart/local-restart-time': ['120'],
  'graceful-restart/max-peer-restart-time': ['120'],
  'routing-options/aggregate': 'tree',
  'aggregate/aggregate-med': ['yes'],
  'entry/aggregated-confed-as-path': ['yes'],
  'entry/soft-reset-with-stored-info': ['no'],
  'entry/connection-options': 'tree',
  'connection-options/keep-alive-interval': ['30'],
  'connection-options/hold-time': ['90'],
  'connection-options/idle-hold-time': ['15'],
  'connection-options/open-delay-time': ['0'],
  'connection-options/min-route-adv-interval': ['30'],
  'connection-options/multihop': ['0'],
  'connection-options/incoming-bgp-connection': 'tree',
  'incoming-bgp-connection/remote-port': ['0'],
  'incoming-bgp-connection/allow': ['yes'],
  'connection-options/outgoing-bgp-connection': 'tree',
  'outgoing-bgp-connection/local-port': ['0'],
  'outgoing-bgp-connection/allow': ['yes'],
  'entry/subsequent-address-family-identifier': 'tree',
  'subsequent-address-family-identifier/unicast': ['yes'],
  'subsequent-address-family-identifier/multicast': ['no'],
  'entry/enable-sender-side-loop-detection': ['yes'],
  'entry/reflector-client': ['non-client'],
  'entry/peering-type': ['unspecified'],
  // a profile PAN-OS defines on every firewall
  'profiles/monitor-profile': 'tree',
  'monitor-profile/entry': 'tree',
  'entry/interval': ['3'],
  'entry/threshold': ['5'],
  'entry/action': ['wait-recover'],
};

/**
 * Outside Plumb's scope, by `parent/child`: listed as unmanaged (the first line of the block).
 * None of these changes which packets the firewall forwards or admits.
 */
const UNMANAGED = new Set([
  'network/ike',
  'network/qos',
  'network/lldp',
  'network/tunnel',
  'network/vlan',
  'network/virtual-wire',
  'network/shared-gateway',
  'network/dhcp',
  'network/dns-proxy',
  'network/gre-tunnel',
  'network/global-protect-gateway',
  'network/global-protect-portal',
  'network/netflow-profile',
  'network/lldp-profile',
  'profiles/bfd-profile',
  'profiles/lldp-profile',
  'profiles/netflow-profile',
  'profiles/tunnel-monitor-profile',
  'interface/tunnel',
  'interface/vlan',
  'interface/aggregate-ethernet',
  'layer3/netflow-profile',
  'layer3/mtu',
  'layer3/arp',
  'entry/netflow-profile',
  'entry/mtu',
  'entry/arp',
  'ethernet/lacp',
  'entry/tag',
  'entry/group-tag',
  'entry/qos',
  'entry/log-setting',
  'entry/profile-setting',
  'entry/link-speed',
  'entry/link-duplex',
  'entry/link-state',
  'entry/user-acl',
  'entry/device-acl',
  'network/log-setting',
  // vsys objects Plumb's rules do not use
  'entry/application-group',
  'entry/service-group',
  'entry/schedule',
  'entry/profiles',
  'entry/profile-group',
  'entry/log-settings',
  'entry/external-list',
  'entry/region',
  'entry/threats',
  'entry/application-filter',
  'entry/application-tag',
  'entry/dynamic-user-group',
  'entry/setting',
  'entry/ssl-decrypt',
  'entry/authentication-profile',
  'entry/url-admin-override',
  'entry/captive-portal',
  'entry/user-id-agent',
  'entry/display-name',
  'entry/response-page',
  // rulebases that do not decide what is forwarded or admitted
  'rulebase/decryption',
  'rulebase/application-override',
  'rulebase/authentication',
  'rulebase/qos',
  'rulebase/dos',
  'rulebase/tunnel-inspect',
  // a layer3 interface's own DHCP and DNS settings do not move packets
  'layer3/ddns-config',
]);

/** Elements that may only be empty: with content they change what the firewall does. */
const EMPTY_ONLY = new Set(['rulebase/pbf', 'rulebase/sdwan', 'rulebase/default-security-rules']);

/** An element with nothing in it: no text, no named entry, only elements as empty. */
function isEmpty(e: XmlElement): boolean {
  return e.attrs.name === undefined && (e.text === undefined || e.text === '') && elements(e).every(isEmpty);
}

export function isDefault(k: XmlElement, parent: string): boolean {
  if (isEmpty(k)) return true;
  const rule = DEFAULTS[`${parent}/${k.name}`] ?? DEFAULTS[`*/${k.name}`];
  if (!rule) return false;
  if (rule === 'tree') return elements(k).every((c) => isDefault(c, k.name)) && (k.text === undefined || k.text === '');
  return elements(k).length === 0 && rule.includes(k.text ?? '');
}

/** The scope of one running file: defaults skipped, unmanaged elements collected. */
export class Running implements RunningScope {
  readonly unmanaged: XmlElement[] = [];
  /** Interfaces OSPF runs point-to-point on (prune). */
  readonly p2p = new Set<string>();

  /** Unit → its port, for the units that stand for a tagged port (prune). */
  readonly ports = new Map<string, string>();

  modelName(name: string): string | undefined {
    return this.ports.get(name);
  }

  role(name: string): 'link' | 'segment' | 'loopback' {
    return name.startsWith('loopback') ? 'loopback' : this.p2p.has(name) ? 'link' : 'segment';
  }

  outside(k: XmlElement, parent: XmlElement): boolean {
    const key = `${parent.name}/${k.name}`;
    if (EMPTY_ONLY.has(key)) return isEmpty(k);
    // a rule's schedule (a name) limits when it matches; the vsys's schedules (entries) are objects
    if (key === 'entry/schedule' && k.text !== undefined && k.text !== '') return false;
    if (isDefault(k, parent.name)) return true;
    if (UNMANAGED.has(key)) {
      this.unmanaged.push(k);
      return true;
    }
    return false;
  }

  /** Every child of `e` (management, `shared`, `deviceconfig`): unmanaged unless empty. */
  all(e: XmlElement | undefined): void {
    for (const k of e ? elements(e) : []) if (!isEmpty(k)) this.unmanaged.push(k);
  }
}
