// What a PAN-OS firewall prints of the configuration Plumb wrote, built from Plumb's own XML the
// way the device shows it: `show config running` (no comments, wrapped in
// `<response><result><config>`, with the management, `shared` and `deviceconfig` sections, the
// defaults PAN-OS fills in on interfaces, the virtual router and rules, a uuid on every rule, the
// elements of a rule in PAN-OS's own order, objects in another order), and the same in the `set`
// form. Used by test/backends/panos-running.test.ts.

import { setLines } from '../../backends/paloalto-panos/set.js';
import { el, elements, entry, members, parseXml, printXml, type XmlElement, type XmlNode } from '../../backends/paloalto-panos/xml.js';

const child = (e: XmlElement | undefined, name: string): XmlElement | undefined => (e ? elements(e).find((k) => k.name === name) : undefined);
const leaf = (name: string, text: string): XmlElement => el(name, text);

function stripComments(e: XmlElement): void {
  e.children = e.children.filter((c: XmlNode) => c.kind === 'element');
  for (const k of elements(e)) stripComments(k);
}

/** The defaults PAN-OS prints in a layer3 interface, unit or loopback. */
function interfaceDefaults(holder: XmlElement): void {
  if (!child(holder, 'ipv6')) {
    holder.children.unshift(
      el('ipv6', [
        el('neighbor-discovery', [
          el('router-advertisement', [leaf('enable', 'no'), leaf('min-interval', '200'), leaf('max-interval', '600'), leaf('hop-limit', '64'), leaf('lifetime', '1800'), leaf('managed-flag', 'no')]),
          leaf('enable-dad', 'no'),
          leaf('dad-attempts', '1'),
          leaf('ns-interval', '1'),
          leaf('reachable-time', '30'),
        ]),
        leaf('enabled', 'no'),
        leaf('interface-id', 'EUI-64'),
      ]),
    );
  } else {
    const ipv6 = child(holder, 'ipv6')!;
    if (!child(ipv6, 'neighbor-discovery')) ipv6.children.push(el('neighbor-discovery', [el('router-advertisement', [leaf('enable', 'no'), leaf('max-interval', '600')]), leaf('enable-dad', 'yes'), leaf('dad-attempts', '1')]));
  }
  holder.children.push(el('ndp-proxy', [leaf('enabled', 'no')]), el('adjust-tcp-mss', [leaf('enable', 'no')]));
  if (holder.name === 'layer3') holder.children.push(el('lldp', [leaf('enable', 'no')]), leaf('untagged-sub-interface', 'no'));
}

/** PAN-OS prints a rule's `to` before its `from`, and its own defaults. */
const RULE_ORDER = ['to', 'from', 'source', 'destination', 'source-user', 'category', 'application', 'service', 'source-hip', 'destination-hip', 'profile-setting', 'log-setting', 'action', 'log-start', 'log-end', 'negate-source', 'negate-destination', 'rule-type', 'description', 'disabled'];

function ruleDefaults(rule: XmlElement, n: number): void {
  rule.attrs.uuid = `0a6b7c8d-0000-4000-8000-${String(n).padStart(12, '0')}`;
  rule.children.push(members('source-hip', ['any']), members('destination-hip', ['any']), leaf('log-start', 'no'), leaf('negate-source', 'no'), leaf('negate-destination', 'no'), leaf('rule-type', 'universal'));
  const rank = (e: XmlElement): number => {
    const i = RULE_ORDER.indexOf(e.name);
    return i < 0 ? RULE_ORDER.length : i;
  };
  rule.children = elements(rule).sort((a, b) => rank(a) - rank(b));
}

/** What PAN-OS fills in when BGP runs: the router's options, each peer group's and peer's. */
function bgpDefaults(bgp: XmlElement): void {
  // what the router does with a default route: Plumb writes both switches; PAN-OS's values otherwise
  for (const [name, value] of [
    ['reject-default-route', 'yes'],
    ['allow-redist-default-route', 'no'],
  ] as const) {
    if (!child(bgp, name)) bgp.children.push(leaf(name, value));
  }
  bgp.children.push(
    leaf('ecmp-multi-as', 'no'),
    leaf('enforce-first-as', 'yes'),
    el('routing-options', [
      leaf('as-format', '2-byte'),
      el('med', [leaf('always-compare-med', 'no'), leaf('deterministic-med-comparison', 'yes')]),
      leaf('default-local-preference', '100'),
      el('graceful-restart', [leaf('enable', 'yes'), leaf('stale-route-time', '120'), leaf('local-restart-time', '120'), leaf('max-peer-restart-time', '120')]),
      el('aggregate', [leaf('aggregate-med', 'yes')]),
    ]),
  );
  for (const group of elements(child(bgp, 'peer-group') ?? el('x'))) {
    group.children.push(leaf('aggregated-confed-as-path', 'yes'), leaf('soft-reset-with-stored-info', 'no'));
    for (const peer of elements(child(group, 'peer') ?? el('x'))) {
      peer.children.push(
        el('connection-options', [
          el('incoming-bgp-connection', [leaf('remote-port', '0'), leaf('allow', 'yes')]),
          el('outgoing-bgp-connection', [leaf('local-port', '0'), leaf('allow', 'yes')]),
          leaf('multihop', '0'),
          leaf('keep-alive-interval', '30'),
          leaf('open-delay-time', '0'),
          leaf('hold-time', '90'),
          leaf('idle-hold-time', '15'),
          leaf('min-route-adv-interval', '30'),
        ]),
        el('subsequent-address-family-identifier', [leaf('unicast', 'yes'), leaf('multicast', 'no')]),
        el('bfd', [leaf('profile', 'Inherit-vr-global-setting')]),
        leaf('enable-sender-side-loop-detection', 'yes'),
        leaf('reflector-client', 'non-client'),
        leaf('peering-type', 'unspecified'),
      );
    }
  }
}

/** The running tree of Plumb's XML output (a new tree: the argument is left alone). */
export function runningTree(xml: string): XmlElement {
  const config = parseXml('x.xml', xml).root!;
  stripComments(config);
  config.attrs = { version: '10.1.0', urldb: 'paloaltonetworks', 'detail-version': '10.1.9' };
  const dev = child(child(config, 'devices'), 'entry')!;
  const net = child(dev, 'network')!;
  for (const eth of elements(child(child(net, 'interface'), 'ethernet') ?? el('x'))) {
    const l3 = child(eth, 'layer3');
    if (l3) interfaceDefaults(l3);
    for (const u of elements(child(l3, 'units') ?? el('x'))) interfaceDefaults(u);
    eth.children.push(leaf('link-state', 'auto'));
  }
  for (const lo of elements(child(child(child(net, 'interface'), 'loopback'), 'units') ?? el('x'))) interfaceDefaults(lo);
  // a spare port PAN-OS lists with nothing on it, and tunnel and VLAN lists it prints empty
  const ifs = child(net, 'interface')!;
  child(ifs, 'ethernet')?.children.push(entry('ethernet1/8', [el('layer3', [el('ipv6', [el('neighbor-discovery', [el('router-advertisement', [leaf('enable', 'no')])])]), el('ndp-proxy', [leaf('enabled', 'no')])])]));
  ifs.children.push(el('tunnel', [el('units')]), el('vlan'));
  const vr = child(child(net, 'virtual-router'), 'entry')!;
  vr.children.push(
    el('ecmp', [leaf('enable', 'no'), el('algorithm', [el('ip-modulo')])]),
    el('multicast', [leaf('enable', 'no')]),
    el('admin-dists', [leaf('static', '10'), leaf('ospf-int', '30'), leaf('ospf-ext', '110'), leaf('ibgp', '200'), leaf('ebgp', '20'), leaf('rip', '120')]),
  );
  let protocol = child(vr, 'protocol');
  if (!protocol) vr.children.push((protocol = el('protocol')));
  protocol.children.push(el('rip', [leaf('enable', 'no')]));
  const bgp = child(protocol, 'bgp');
  if (!bgp) protocol.children.push(el('bgp', [leaf('enable', 'no'), el('routing-options', [el('graceful-restart', [leaf('enable', 'yes')])])]));
  else bgpDefaults(bgp);
  for (const r of elements(child(child(vr, 'routing-table'), 'ip') ?? el('x')).flatMap((s) => elements(s))) {
    r.children.push(el('bfd', [leaf('profile', 'None')]), el('path-monitor', [leaf('enable', 'no'), leaf('failure-condition', 'any'), leaf('hold-time', '2')]), leaf('metric', '10'), el('route-table', [el('unicast')]));
  }
  let profiles = child(net, 'profiles');
  if (!profiles) net.children.unshift((profiles = el('profiles')));
  profiles.children.push(el('monitor-profile', [entry('default', [leaf('interval', '3'), leaf('threshold', '5'), leaf('action', 'wait-recover')])]));
  net.children.push(el('ike', [el('crypto-profiles', [el('ike-crypto-profiles', [entry('default', [members('encryption', ['aes-128-cbc', '3des']), members('hash', ['sha1']), members('dh-group', ['group2']), el('lifetime', [leaf('hours', '8')])])])])]), el('qos', [el('profile', [entry('default', [el('class')])])]));
  const vsys = child(child(dev, 'vsys'), 'entry')!;
  vsys.children.push(el('application-group'), el('service-group'), el('schedule'));
  // objects in another order than Plumb writes them
  for (const list of ['address', 'service', 'application']) {
    const l = child(vsys, list);
    if (l) l.children.reverse();
  }
  elements(child(child(child(vsys, 'rulebase'), 'security'), 'rules') ?? el('x')).forEach(ruleDefaults);
  child(vsys, 'rulebase')?.children.push(el('nat'), el('decryption', [el('rules', [entry('no-decrypt', [members('from', ['any']), members('to', ['any']), leaf('action', 'no-decrypt')])])]));
  dev.children.push(el('deviceconfig', [el('system', [leaf('hostname', 'fw1'), leaf('timezone', 'Europe/Berlin'), el('dns-setting', [el('servers', [leaf('primary', '192.0.2.53')])])])]));
  config.children.unshift(
    el('mgt-config', [el('users', [entry('admin', [leaf('phash', '$5$notahash'), el('permissions', [el('role-based', [leaf('superuser', 'yes')])])])])]),
    el('shared', [el('application'), el('application-group'), el('service'), el('botnet', [el('report', [leaf('topn', '100'), leaf('scheduled', 'yes')])])]),
  );
  return config;
}

/** `show config running`, as the CLI prints it. */
export function runningXml(config: XmlElement): string {
  const text = printXml(el('response', [el('result', [config])], { status: 'success' }));
  return text.replace(/^<\?xml[^>]*\?>\n/, '');
}

/**
 * The same after `set cli config-output-format set`: the vsys objects without `vsys vsys1`, and
 * no line for the empty lists the XML shows (tunnel units, VLANs).
 */
export function runningSet(config: XmlElement): string {
  const dev = child(child(config, 'devices'), 'entry')!;
  const ifs = child(child(dev, 'network'), 'interface')!;
  ifs.children = elements(ifs).filter((e) => e.name !== 'tunnel' && e.name !== 'vlan');
  const roots = elements(config).filter((e) => e.name !== 'devices');
  const fake = el('config', [el('devices', [entry('localhost.localdomain', [...roots, ...elements(dev)])])]);
  return setLines(fake).join('\n') + '\n';
}

/** The rules of the security rulebase. */
export function securityRules(config: XmlElement): XmlElement {
  const dev = child(child(config, 'devices'), 'entry')!;
  return child(child(child(child(child(dev, 'vsys'), 'entry'), 'rulebase'), 'security'), 'rules')!;
}

export { child, leaf };
