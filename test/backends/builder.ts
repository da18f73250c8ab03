// Hand-built DeviceModels and NetworkModels for the backend tests: small, realistic devices
// shaped like what the compiler emits for examples/acme (a linux gateway, frr routers with OSPF,
// statics and eBGP, a linux firewall with zones).

import type { Span } from '../../language/diagnostic.js';
import type { DeviceModel, FilterRule, InterfaceModel, Match, NetworkModel } from '../../compiler/model.js';

const LINES = new Map<number, number>();

/** A span on one line of acme.plumb (offsets consistent: 100 characters per line). */
export function span(line: number, from = 1, to = 30, file = 'acme.plumb'): Span {
  LINES.set(line, line);
  const base = (line - 1) * 100;
  return {
    file,
    start: { line, column: from, offset: base + from - 1 },
    end: { line, column: to, offset: base + to - 1 },
  };
}

export function iface(
  name: string,
  role: InterfaceModel['role'],
  addresses: string[],
  line: number,
  extra: Partial<InterfaceModel> = {},
): InterfaceModel {
  return { name, description: extra.description ?? '', role, addresses, origin: span(line), ...extra };
}

export function rule(
  action: FilterRule['action'],
  match: Match,
  line: number,
  description: string,
): FilterRule {
  return { action, match, origin: span(line, 3, 50), description };
}

function base(
  id: string,
  platform: DeviceModel['platform'],
  role: DeviceModel['role'],
  line: number,
): DeviceModel {
  const [site, name] = id.split('.') as [string, string];
  return {
    id,
    site,
    name,
    role,
    platform,
    stateful: platform === 'linux' || platform === 'frr' || platform === 'paloalto-panos',
    interfaces: [],
    filters: [],
    zones: [],
    securityRules: [],
    staticRoutes: [],
    fib: [],
    origin: span(line, 3, 25),
  };
}

/** ams1.gw1: a linux router with the guest segment, static routes with ECMP and filters. */
export function gw1(): DeviceModel {
  const d = base('ams1.gw1', 'linux', 'router', 17);
  d.routerId = '10.255.255.5';
  d.interfaces = [
    iface('eth1', 'link', ['10.255.0.7/31', '2001:db8:ff::7/127'], 18, {
      description: 'to ams1.core2 eth2',
      peer: { device: 'ams1.core2', interface: 'eth2' },
    }),
    iface('eth2', 'link', ['10.255.0.9/31'], 19, {
      description: 'to ams1.core3 eth1',
      peer: { device: 'ams1.core3', interface: 'eth1' },
    }),
    iface('eth3', 'segment', ['10.99.0.1/24'], 27, {
      description: 'guest',
      segment: 'guest',
      filterIn: 'guest_in',
      filterOut: 'guest_out',
    }),
    iface('lo', 'loopback', ['10.255.255.5/32', '2001:db8:ffff::5/128'], 17),
  ];
  d.filters = [
    {
      name: 'guest_in',
      defaultAction: 'deny',
      rules: [
        rule(
          'deny',
          {
            sources: ['10.99.0.0/24'],
            destinations: ['10.10.1.0/24', '10.10.2.0/24', '10.20.0.0/16', '2001:db8:10:1::/64'],
          },
          45,
          'deny guest -> internal (acme.plumb:45)',
        ),
        rule(
          'permit',
          {
            sources: ['10.99.0.0/24'],
            destinations: ['0.0.0.0/0'],
            protocol: 6,
            destinationPorts: [
              { from: 80, to: 80 },
              { from: 443, to: 443 },
            ],
          },
          49,
          'allow internal, guest -> internet : http, https, dns (acme.plumb:49)',
        ),
        rule(
          'permit',
          {
            sources: ['10.99.0.0/24'],
            destinations: ['0.0.0.0/0'],
            protocol: 17,
            destinationPorts: [{ from: 53, to: 53 }],
          },
          49,
          'allow internal, guest -> internet : http, https, dns (acme.plumb:49)',
        ),
        rule(
          'permit',
          { sources: ['10.99.0.0/24'], protocol: 1, icmpType: 8 },
          50,
          'allow guest -> any : ping (acme.plumb:50)',
        ),
      ],
    },
    {
      name: 'guest_out',
      defaultAction: 'deny',
      rules: [
        rule(
          'permit',
          {
            destinations: ['10.99.0.0/24'],
            protocol: 6,
            sourcePorts: [{ from: 1024, to: 65535 }],
            destinationPorts: [{ from: 22, to: 22 }],
            tcpEstablished: true,
          },
          51,
          'allow office -> guest : ssh "admin" # (acme.plumb:51)',
        ),
      ],
    },
  ];
  d.staticRoutes = [
    { prefix: '0.0.0.0/0', nextHop: '10.255.0.6', interface: 'eth1', origin: span(40) },
    { prefix: '0.0.0.0/0', nextHop: '10.255.0.8', interface: 'eth2', origin: span(40) },
    { prefix: '10.10.0.0/16', nextHop: '10.255.0.6', origin: span(30) },
    { prefix: '10.10.0.0/16', nextHop: '10.255.0.8', distance: 20, origin: span(31) },
    { prefix: '10.98.0.0/24', interface: 'eth3', origin: span(32) },
    { prefix: '2001:db8:10:1::/64', nextHop: '2001:db8:ff::6', interface: 'eth1', origin: span(26) },
  ];
  return d;
}

/** ams1.core2: an frr router with OSPF (costs, passive segment), a static route, redistribution. */
export function core2(): DeviceModel {
  const d = base('ams1.core2', 'frr', 'router', 16);
  d.routerId = '10.255.255.4';
  d.interfaces = [
    iface('eth1', 'link', ['10.255.0.5/31', '2001:db8:ff::5/127'], 22, {
      description: 'to fra1.core1 eth3',
      peer: { device: 'fra1.core1', interface: 'eth3' },
    }),
    iface('eth2', 'link', ['10.255.0.6/31', '2001:db8:ff::6/127'], 18, {
      description: 'to ams1.gw1 eth1',
      peer: { device: 'ams1.gw1', interface: 'eth1' },
    }),
    iface('eth3', 'segment', ['10.20.0.1/16'], 26, {
      description: 'office',
      segment: 'office',
      filterIn: 'office_in',
      filterOut: 'office_out',
    }),
    iface('lo', 'loopback', ['10.255.255.4/32'], 16),
  ];
  d.filters = [
    {
      name: 'office_in',
      defaultAction: 'deny',
      rules: [
        rule(
          'permit',
          {
            sources: ['10.20.0.0/16'],
            destinations: ['10.10.1.0/24', '2001:db8:10:1::/64'],
            protocol: 6,
            destinationPorts: [{ from: 443, to: 443 }],
          },
          44,
          'allow any -> web : https (acme.plumb:44)',
        ),
      ],
    },
    {
      name: 'office_out',
      defaultAction: 'permit',
      rules: [rule('deny', { sources: ['10.99.0.0/24'] }, 45, 'deny guest -> internal (acme.plumb:45)')],
    },
  ];
  d.staticRoutes = [
    { prefix: '10.99.0.0/24', nextHop: '10.255.0.7', interface: 'eth2', origin: span(27) },
    { prefix: '10.99.0.0/24', nextHop: '10.255.0.9', origin: span(27) },
    { prefix: '192.0.2.0/24', interface: 'eth3', distance: 250, origin: span(28) },
    { prefix: '2001:db8:99::/64', nextHop: '2001:db8:ff::7', origin: span(27) },
  ];
  d.ospf = {
    routerId: '10.255.255.4',
    interfaces: [
      { name: 'eth1', cost: 10, passive: false },
      { name: 'eth2', cost: 1, passive: false },
      { name: 'eth3', cost: 1, passive: true },
      { name: 'lo', cost: 1, passive: true },
    ],
    redistribute: [
      { protocol: 'static', prefixes: ['10.99.0.0/24', '2001:db8:99::/64'] },
      { protocol: 'connected', prefixes: [] },
    ],
    defaultOriginate: { ipv4: false, ipv6: false },
  };
  return d;
}

/** fra1.edge2: an frr edge router with eBGP to a partner (v4 and v6) and a default route. */
export function edge2(): DeviceModel {
  const d = base('fra1.edge2', 'frr', 'router', 8);
  d.stateful = false;
  d.routerId = '10.255.255.9';
  d.interfaces = [
    iface('eth1', 'external', ['169.254.10.1/30', '2001:db8:a::1/64'], 35, {
      description: 'Snowflake private link, Frankfurt',
      external: 'snowflake',
      filterIn: 'snowflake_in',
    }),
    iface('eth2', 'external', ['203.0.113.2/30'], 41, {
      description: 'internet',
      external: 'internet',
      vlan: 100,
    }),
    iface('eth3', 'link', ['10.255.0.10/31'], 9, { peer: { device: 'fra1.core1', interface: 'eth4' } }),
    iface('lo', 'loopback', ['10.255.255.9/32'], 8),
  ];
  d.filters = [
    {
      name: 'snowflake_in',
      defaultAction: 'deny',
      rules: [
        rule(
          'permit',
          {
            sources: ['198.51.100.0/24'],
            destinations: ['10.10.2.0/24'],
            protocol: 6,
            destinationPorts: [{ from: 5432, to: 5432 }],
          },
          48,
          'allow snowflake -> db (acme.plumb:48)',
        ),
      ],
    },
  ];
  d.staticRoutes = [{ prefix: '0.0.0.0/0', nextHop: '203.0.113.1', origin: span(41) }];
  d.ospf = {
    routerId: '10.255.255.9',
    interfaces: [
      { name: 'eth3', cost: 1, passive: false },
      { name: 'lo', cost: 1, passive: true },
    ],
    redistribute: [{ protocol: 'bgp', prefixes: ['198.51.100.0/24', '2001:db8:5100::/48'] }],
    defaultOriginate: { ipv4: true, ipv6: false },
  };
  d.bgp = {
    asn: 65010,
    routerId: '10.255.255.9',
    neighbors: [
      {
        address: '169.254.10.2',
        remoteAs: 64600,
        description: 'Snowflake private link, Frankfurt',
        external: 'snowflake',
        importPrefixes: ['198.51.100.0/24'],
        exportPrefixes: ['10.10.2.0/24'],
        origin: span(37),
      },
      {
        // A session carries its own address family: the IPv6 prefixes come over this one.
        address: '2001:db8:a::2',
        remoteAs: 64600,
        description: '',
        external: 'snowflake',
        importPrefixes: ['2001:db8:5100::/48'],
        exportPrefixes: ['2001:db8:10:1::/64'],
        origin: span(38),
      },
    ],
  };
  return d;
}

/** ams1.fw2: a linux firewall with zones and a zone policy. */
export function fw2(): DeviceModel {
  const d = base('ams1.fw2', 'linux', 'firewall', 20);
  d.interfaces = [
    iface('eth1', 'link', ['10.255.0.11/31'], 21, {
      peer: { device: 'ams1.core2', interface: 'eth4' },
      zone: 'inside',
    }),
    iface('eth2', 'segment', ['10.30.0.1/24', '2001:db8:30::1/64'], 29, { segment: 'lab', zone: 'lab' }),
    iface('eth3', 'segment', ['10.31.0.1/24'], 30, { segment: 'lab2', zone: 'lab' }),
  ];
  d.zones = [
    { name: 'inside', interfaces: ['eth1'] },
    { name: 'lab', interfaces: ['eth2', 'eth3'] },
  ];
  d.securityRules = [
    rule(
      'deny',
      { sources: ['10.99.0.0/24'], fromZones: ['inside'], toZones: ['lab'] },
      45,
      'deny guest -> internal (acme.plumb:45)',
    ),
    rule(
      'permit',
      { fromZones: ['inside', 'lab'], toZones: ['lab'], protocol: 58, icmpType: 128 },
      52,
      'allow any -> lab : ping6 (acme.plumb:52)',
    ),
    rule(
      'permit',
      {
        sources: ['10.20.0.0/16', '2001:db8:20::/48'],
        destinations: ['10.30.0.0/24', '10.31.0.0/24', '2001:db8:30::/64'],
        fromZones: ['inside'],
        toZones: ['lab'],
        protocol: 6,
      },
      53,
      'allow office -> lab (acme.plumb:53)',
    ),
    rule(
      'permit',
      { destinations: ['2001:db8:30::/64'], protocol: 1, icmpType: 8 },
      54,
      'odd: icmp over v6 (acme.plumb:54)',
    ),
  ];
  d.staticRoutes = [{ prefix: '0.0.0.0/0', nextHop: '10.255.0.10', interface: 'eth1', origin: span(20) }];
  return d;
}

export function network(devices: DeviceModel[]): NetworkModel {
  return {
    version: 1,
    name: 'acme',
    routing: 'ospf',
    devices: [...devices].sort((a, b) => (a.id < b.id ? -1 : 1)),
    endpoints: [],
    policy: [],
    assertions: [],
  };
}

export function allDevices(): DeviceModel[] {
  return [gw1(), core2(), edge2(), fw2()];
}
