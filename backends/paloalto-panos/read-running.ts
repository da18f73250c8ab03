// The PAN-OS reader of what a firewall prints (ReadContext.source 'running'): `show config
// running` as XML (the `<response><result><config>` the CLI and the XML API wrap it in, or a bare
// `<config>`), or the same after `set cli config-output-format set` as `set` lines
// (read-running-set.ts turns them into the same tree). The tree is read by the reader of Plumb's
// own files, with three differences: no `plumb` comment is expected; the elements PAN-OS adds by
// default (IPv6 neighbour discovery, LLDP, NDP proxy, TCP MSS adjustment off on every interface,
// disabled routing protocols, a rule's `negate-source no`, empty object lists …) are skipped
// silently; and the elements outside Plumb's scope (management, `shared`, `deviceconfig`, NAT-free
// rulebases it does not write, tags, other interface kinds …) are listed as unmanaged. Anything
// else outside the subset is still R901: an element that changes what the firewall forwards or
// admits (a NAT or PBF rule, `negate-source yes`, a schedule) is never skipped.

import type { ConfigLineRef, ReadContext, ReadResult, RenderedFile } from '../backend.js';
import type { DeviceModel } from '../../compiler/model.js';
import { canonicalDevice } from '../canonical.js';
import { diagnostic, fileSpan } from '../../language/diagnostic.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { XmlReading } from './read-xml.js';
import { setToXml } from './read-running-set.js';
import { elements, parseXml, type XmlElement } from './xml.js';

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
  'bfd/profile': ['None'],
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
const EMPTY_ONLY = new Set(['rulebase/nat', 'rulebase/pbf', 'rulebase/sdwan', 'rulebase/default-security-rules']);

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

/**
 * The running tree made readable: ethernet ports that are not layer3 interfaces of the virtual
 * router (a spare port, a virtual wire) are unmanaged; the `<ipv6>` PAN-OS prints on every
 * interface with IPv6 off and no address is a default; a protocol switched off is a default.
 */
function prune(config: XmlElement, running: Running): void {
  const dev = elements(elements(config).find((e) => e.name === 'devices') ?? config).find((e) => e.name === 'entry');
  const net = dev && elements(dev).find((e) => e.name === 'network');
  if (!dev || !net) return;
  const child = (e: XmlElement | undefined, name: string): XmlElement | undefined => (e ? elements(e).find((k) => k.name === name) : undefined);
  const drop = (parent: XmlElement, k: XmlElement): void => {
    parent.children = parent.children.filter((c) => c !== k);
  };
  const vr = elements(child(net, 'virtual-router') ?? net).filter((e) => e.name === 'entry');
  const members = new Set(vr.flatMap((v) => elements(child(v, 'interface') ?? v).filter((m) => m.name === 'member').map((m) => m.text ?? '')));
  const ethernet = child(child(net, 'interface'), 'ethernet');
  for (const eth of ethernet ? elements(ethernet) : []) {
    if (!ethernet) break;
    const l3 = child(eth, 'layer3');
    const units = elements(child(l3, 'units') ?? eth).filter((u) => u.name === 'entry');
    if (l3 && units.length === 1 && !members.has(eth.attrs.name ?? '') && child(units[0], 'tag')?.text === units[0]!.attrs.name?.split('.')[1]) {
      running.ports.set(units[0]!.attrs.name!, eth.attrs.name ?? '');
    }
    if (!l3 || (!members.has(eth.attrs.name ?? '') && units.length === 0 && elements(child(l3, 'ip') ?? l3).every((x) => x.name !== 'entry'))) {
      drop(ethernet, eth);
      running.unmanaged.push(eth);
    }
  }
  const ipv6Off = (holder: XmlElement): void => {
    const ipv6 = child(holder, 'ipv6');
    if (!ipv6) return;
    const enabled = child(ipv6, 'enabled')?.text;
    const addresses = elements(child(ipv6, 'address') ?? ipv6).filter((a) => a.name === 'entry');
    if (enabled !== 'yes' && addresses.length === 0) drop(holder, ipv6);
  };
  const walk = (e: XmlElement): void => {
    if (e.name === 'layer3' || (e.name === 'entry' && child(e, 'ipv6'))) ipv6Off(e);
    for (const k of elements(e)) walk(k);
  };
  walk(child(net, 'interface') ?? net);
  for (const v of vr) {
    const protocol = child(v, 'protocol');
    for (const ospf of ['ospf', 'ospfv3']) {
      for (const area of elements(child(child(protocol, ospf), 'area') ?? v).filter((e) => e.name === 'entry')) {
        for (const i of elements(child(area, 'interface') ?? area).filter((e) => e.name === 'entry')) {
          if (child(child(i, 'link-type'), 'p2p')) running.p2p.add(i.attrs.name ?? '');
        }
      }
    }
    for (const p of protocol ? elements(protocol) : []) {
      if (['bgp', 'ospf', 'ospfv3', 'rip'].includes(p.name) && child(p, 'enable')?.text === 'no') drop(protocol!, p);
    }
  }
}

export interface RunningReader extends XmlReading {
  running?: RunningScope;
  read(root: XmlElement, ctx: ReadContext): DeviceModel | undefined;
}

/** One ConfigLineRef per unmanaged element (set form: every line it took), in file order. */
function lineRefs(file: RenderedFile, found: XmlElement[], linesOf: (e: XmlElement) => number[]): ConfigLineRef[] {
  const text = file.content.split('\n');
  const lines = [...new Set(found.flatMap(linesOf))].sort((a, b) => a - b);
  return lines.map((line) => ({ file: file.path, line, text: (text[line - 1] ?? '').trim() }));
}

const isXml = (f: RenderedFile): boolean => f.content.trimStart().startsWith('<');
const isSet = (f: RenderedFile): boolean => /^\s*set\s/m.test(f.content);

export function readPanosRunning(files: RenderedFile[], ctx: ReadContext, makeReader: (file: string) => RunningReader): ReadResult {
  const xml = files.find(isXml);
  const set = xml ? undefined : files.find(isSet);
  const file = xml ?? set;
  if (!file) {
    return {
      diagnostics: [
        diagnostic(Codes.readerFileMissing, fileSpan(`${ctx.name}.xml`), `no PAN-OS running configuration for ${ctx.id}`, {
          hint: 'Capture `show config running` (XML), or the same after `set cli config-output-format set` (docs/backends/paloalto-panos.md).',
        }),
      ],
    };
  }
  const reader = makeReader(file.path);
  const running = new Running();
  reader.running = running;
  let config: XmlElement | undefined;
  let linesOf: (e: XmlElement) => number[] = (e) => (e.span ? [e.span.start.line] : []);
  if (xml) {
    const parsed = parseXml(xml.path, xml.content);
    if (!parsed.root) {
      const e = parsed.error!;
      const p = { line: e.line, column: e.column, offset: 0 };
      reader.reporter.error(Codes.readerMalformedXml, { file: xml.path, start: p, end: p }, `the XML is not well formed: ${e.message}`);
      return { diagnostics: reader.reporter.diagnostics };
    }
    config = unwrap(parsed.root, reader);
  } else {
    const tree = setToXml(set!.path, set!.content, reader.reporter);
    config = tree.root;
    linesOf = (e) => tree.lines.get(e) ?? [];
  }
  if (!config) return { diagnostics: reader.reporter.diagnostics };
  running.all(elements(config).find((e) => e.name === 'mgt-config'));
  running.all(elements(config).find((e) => e.name === 'shared'));
  const dev = elements(elements(config).find((e) => e.name === 'devices') ?? config).find((e) => e.name === 'entry');
  running.all(dev && elements(dev).find((e) => e.name === 'deviceconfig'));
  prune(config, running);
  const device = reader.read(config, ctx);
  return {
    ...(device ? { device: canonicalDevice(device) } : {}),
    diagnostics: reader.reporter.diagnostics,
    unmanaged: lineRefs(file, running.unmanaged, linesOf),
  };
}

/** `<response status="success"><result><config>` → `<config>`; a bare `<config>` as it is. */
function unwrap(root: XmlElement, reader: XmlReading): XmlElement | undefined {
  if (root.name === 'config') return root;
  if (root.name === 'response') {
    if (root.attrs.status !== undefined && root.attrs.status !== 'success') {
      reader.reporter.error(Codes.readerMissingPart, reader.span(root), `the device answered status="${root.attrs.status}", not a configuration`);
      return undefined;
    }
    const config = elements(elements(root).find((e) => e.name === 'result') ?? root).find((e) => e.name === 'config');
    if (config) return config;
  }
  reader.reporter.error(Codes.readerUnknownCommand, reader.span(root), `the root element is <${root.name}>, not <config> or <response><result><config>`, 'Capture `show config running` (docs/backends/paloalto-panos.md).');
  return undefined;
}
