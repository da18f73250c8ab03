// Hand-built DeviceModels for the IOS-XE and PAN-OS backend tests, shaped like what the compiler
// makes of examples/acme (an edge router with BGP to a partner and a default route to the
// internet, a zone firewall between the edge and the core).

import type { DeviceModel, FilterRule, NetworkModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';

/** A span on one line of acme.plumb; offsets consistent with 40-character lines. */
export function at(line: number, column = 1, length = 20): Span {
  const offset = (line - 1) * 40 + column - 1;
  return {
    file: 'acme.plumb',
    start: { line, column, offset },
    end: { line, column: column + length, offset: offset + length },
  };
}

function rule(action: 'permit' | 'deny', line: number, description: string, match: FilterRule['match']): FilterRule {
  return { action, match, origin: at(line, 3, 30), description };
}

export function edgeRouter(): DeviceModel {
  return {
    id: 'fra1.edge1',
    site: 'fra1',
    name: 'edge1',
    role: 'router',
    platform: 'cisco-iosxe',
    stateful: false,
    routerId: '10.255.255.1',
    interfaces: [
      {
        name: 'GigabitEthernet1',
        description: 'link to fra1.fw1 ethernet1/1',
        role: 'link',
        addresses: ['10.255.0.0/31', '2001:db8:ff::/127'],
        linkLocal: 'fe80::1',
        peer: { device: 'fra1.fw1', interface: 'ethernet1/1' },
        filterIn: 'edge1-Gi1-in',
        origin: at(10, 3, 18),
      },
      {
        name: 'GigabitEthernet2',
        description: 'external snowflake: Snowflake private link, Frankfurt',
        role: 'external',
        addresses: ['169.254.10.1/30'],
        external: 'snowflake',
        filterIn: 'edge1-Gi2-in',
        filterOut: 'edge1-Gi2-out',
        origin: at(33, 3, 55),
      },
      {
        name: 'GigabitEthernet3',
        description: 'external internet',
        role: 'external',
        addresses: ['203.0.113.2/30'],
        external: 'internet',
        vlan: 30,
        origin: at(39, 3, 60),
      },
      {
        name: 'Loopback0',
        description: 'router id',
        role: 'loopback',
        addresses: ['10.255.255.1/32'],
        origin: at(7, 3, 30),
      },
    ],
    filters: [
      {
        name: 'edge1-Gi1-in',
        defaultAction: 'deny',
        rules: [
          rule('permit', 48, 'allow db -> snowflake : https (acme.plumb:48)', {
            sources: ['10.10.2.0/24'],
            destinations: ['198.51.100.0/24'],
            protocol: 6,
            destinationPorts: [{ from: 443, to: 443 }],
          }),
          rule('permit', 49, 'allow internal, guest -> internet : http, https (acme.plumb:49)', {
            sources: ['10.10.1.0/24', '10.10.2.0/24', '10.20.0.0/16', '10.99.0.0/24', '2001:db8:10:1::/64'],
            protocol: 6,
            destinationPorts: [
              { from: 80, to: 80 },
              { from: 443, to: 443 },
            ],
          }),
          rule('permit', 49, 'allow internal, guest -> internet : dns (acme.plumb:49)', {
            sources: ['10.10.1.0/24', '2001:db8:10:1::/64'],
            protocol: 17,
            destinationPorts: [{ from: 53, to: 53 }],
          }),
          rule('permit', 50, 'ping from anywhere inside', { protocol: 1, icmpType: 8 }),
          rule('permit', 50, 'ping6 from anywhere inside', { protocol: 58, icmpType: 128 }),
          rule('deny', 51, 'no GRE', { protocol: 47 }),
        ],
      },
      {
        name: 'edge1-Gi2-in',
        defaultAction: 'deny',
        rules: [
          rule('permit', 48, 'reply: allow db -> snowflake : https (acme.plumb:48)', {
            sources: ['198.51.100.0/24'],
            destinations: ['10.10.2.0/24'],
            protocol: 6,
            sourcePorts: [{ from: 443, to: 443 }],
            tcpEstablished: true,
          }),
          rule('permit', 45, 'reply: several ports, one entry per port (acme.plumb:45)', {
            sources: ['198.51.100.0/24', '198.51.100.7/32'],
            destinations: ['10.10.2.0/24'],
            protocol: 6,
            sourcePorts: [
              { from: 80, to: 80 },
              { from: 8000, to: 8080 },
            ],
            tcpEstablished: true,
          }),
        ],
      },
      {
        name: 'edge1-Gi2-out',
        defaultAction: 'permit',
        rules: [
          rule('deny', 52, 'isolate snowflake -> internet: we are nobody\'s transit and this description is long enough to need two remark lines (acme.plumb:52)', {
            destinations: ['0.0.0.0/0', '::/0'],
          }),
        ],
      },
    ],
    zones: [],
    securityRules: [],
    staticRoutes: [
      { prefix: '0.0.0.0/0', nextHop: '203.0.113.1', origin: at(39, 3, 60) },
      { prefix: '10.10.0.0/16', interface: 'GigabitEthernet1', nextHop: '10.255.0.1', distance: 200, origin: at(20, 1, 10) },
      { prefix: '2001:db8:10::/48', nextHop: 'fe80::2', interface: 'GigabitEthernet1', origin: at(21, 1, 10) },
    ],
    ospf: {
      routerId: '10.255.255.1',
      interfaces: [
        { name: 'GigabitEthernet1', cost: 1, passive: false },
        { name: 'Loopback0', cost: 1, passive: true },
      ],
      redistribute: [
        { protocol: 'bgp', prefixes: ['198.51.100.0/24'] },
        { protocol: 'static', prefixes: ['0.0.0.0/0', '2001:db8:10::/48'] },
      ],
      defaultOriginate: { ipv4: true, ipv6: false },
    },
    bgp: {
      asn: 65010,
      routerId: '10.255.255.1',
      neighbors: [
        {
          address: '169.254.10.2',
          remoteAs: 64600,
          description: 'snowflake: Snowflake private link, Frankfurt',
          external: 'snowflake',
          importPrefixes: ['198.51.100.0/24'],
          exportPrefixes: ['10.10.2.0/24'],
          origin: at(33, 3, 55),
        },
      ],
    },
    fib: [],
    origin: at(8, 3, 30),
  };
}

export function firewall(): DeviceModel {
  const fw: DeviceModel = {
    id: 'fra1.fw1',
    site: 'fra1',
    name: 'fw1',
    role: 'firewall',
    platform: 'paloalto-panos',
    stateful: true,
    routerId: '10.255.255.2',
    interfaces: [
      {
        name: 'ethernet1/1',
        description: 'link to fra1.edge1 GigabitEthernet1',
        role: 'link',
        addresses: ['10.255.0.1/31', '2001:db8:ff::1/127'],
        linkLocal: 'fe80::2',
        peer: { device: 'fra1.edge1', interface: 'GigabitEthernet1' },
        zone: 'untrust',
        origin: at(10, 3, 18),
      },
      {
        name: 'ethernet1/2',
        description: 'link to fra1.core1 eth1',
        role: 'link',
        addresses: ['10.255.0.2/31'],
        peer: { device: 'fra1.core1', interface: 'eth1' },
        zone: 'core',
        origin: at(11, 3, 18),
      },
      {
        name: 'ethernet1/3.20',
        description: 'segment web',
        role: 'segment',
        addresses: ['10.10.1.1/24', '2001:db8:10:1::1/64'],
        segment: 'web',
        vlan: 20,
        zone: 'dmz',
        origin: at(25, 1, 50),
      },
      {
        name: 'loopback.1',
        description: '',
        role: 'loopback',
        addresses: ['10.255.255.2/32'],
        zone: 'core',
        origin: at(8, 3, 30),
      },
    ],
    filters: [],
    zones: [
      { name: 'core', interfaces: ['ethernet1/2', 'loopback.1'] },
      { name: 'dmz', interfaces: ['ethernet1/3.20'] },
      { name: 'untrust', interfaces: ['ethernet1/1'] },
    ],
    securityRules: [
      rule('permit', 44, 'allow any -> web : https (acme.plumb:44)', {
        destinations: ['10.10.1.0/24', '2001:db8:10:1::/64'],
        protocol: 6,
        destinationPorts: [{ from: 443, to: 443 }],
        toZones: ['dmz'],
      }),
      rule('deny', 45, 'deny guest -> internal (acme.plumb:45)', {
        sources: ['10.99.0.0/24'],
        destinations: ['10.10.1.0/24', '10.10.2.0/24', '10.20.0.0/16', '2001:db8:10:1::/64'],
      }),
      rule('permit', 46, 'allow office -> web : http (acme.plumb:46)', {
        sources: ['10.20.0.0/16'],
        destinations: ['10.10.1.0/24', '2001:db8:10:1::/64'],
        protocol: 6,
        destinationPorts: [
          { from: 80, to: 80 },
          { from: 8080, to: 8090 },
        ],
        sourcePorts: [{ from: 1024, to: 65535 }],
        fromZones: ['core'],
        toZones: ['dmz'],
      }),
      rule('permit', 47, 'allow web -> db : postgres-rw (acme.plumb:47)', {
        sources: ['10.10.1.0/24'],
        destinations: ['10.10.2.10/32'],
        protocol: 6,
        destinationPorts: [{ from: 5432, to: 5432 }],
        fromZones: ['dmz'],
        toZones: ['core'],
      }),
      rule('permit', 49, 'allow internal -> internet : dns (acme.plumb:49)', {
        sources: ['10.10.1.0/24', '10.10.2.0/24'],
        protocol: 17,
        destinationPorts: [{ from: 53, to: 53 }],
        fromZones: ['core', 'dmz'],
        toZones: ['untrust'],
      }),
      rule('permit', 50, 'ping (acme.plumb:50)', { protocol: 1, icmpType: 8 }),
      rule('permit', 50, 'all icmpv6 (acme.plumb:50)', { protocol: 58 }),
      rule('permit', 50, 'gre (acme.plumb:50)', { protocol: 47, sources: ['10.10.1.0/24'] }),
    ],
    staticRoutes: [
      { prefix: '0.0.0.0/0', interface: 'ethernet1/1', nextHop: '10.255.0.0', origin: at(40, 1, 10) },
      { prefix: '10.20.0.0/16', nextHop: '10.255.0.3', distance: 30, origin: at(41, 1, 10) },
      { prefix: '::/0', nextHop: 'fe80::1', interface: 'ethernet1/1', origin: at(40, 1, 10) },
    ],
    ospf: {
      routerId: '10.255.255.2',
      interfaces: [
        { name: 'ethernet1/1', cost: 1, passive: false },
        { name: 'ethernet1/2', cost: 10, passive: false },
        { name: 'ethernet1/3.20', cost: 1, passive: true },
      ],
      redistribute: [{ protocol: 'static', prefixes: ['10.20.0.0/16'] }],
      defaultOriginate: { ipv4: true, ipv6: true },
    },
    bgp: {
      asn: 65020,
      routerId: '10.255.255.2',
      neighbors: [
        {
          address: '10.255.0.0',
          remoteAs: 65010,
          description: 'edge',
          external: 'edge-session',
          importPrefixes: ['0.0.0.0/0'],
          exportPrefixes: ['10.10.1.0/24'],
          origin: at(12, 1, 10),
        },
        {
          address: '2001:db8:ff::',
          remoteAs: 65010,
          description: '',
          external: 'edge-session',
          importPrefixes: [],
          exportPrefixes: ['2001:db8:10:1::/64'],
          origin: at(13, 1, 10),
        },
      ],
    },
    fib: [],
    origin: at(9, 3, 30),
  };
  return fw;
}

export function networkOf(devices: DeviceModel[]): NetworkModel {
  return { version: 1, name: 'acme', routing: 'ospf', devices, endpoints: [], policy: [], assertions: [] };
}

export function contextOf(d: DeviceModel): { id: string; site: string; name: string; role: 'router' | 'firewall' } {
  return { id: d.id, site: d.site, name: d.name, role: d.role };
}
