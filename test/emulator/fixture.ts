// A small hand-built network for the emulator's tests, independent of the front end and the
// compiler:
//
//   partner (eBGP, 198.51.100.0/24) ── eth3 s.r1 (frr) eth1 ── Gi1 s.r2 (cisco-iosxe) Gi2 ── srv 10.2.0.0/24
//                                      eth2 │                                                 └ host api 10.2.0.20
//                                        lan 10.1.0.0/24
//
// r1 filters what enters from the partner (stateful); r2 guards srv with a stateless ACL pair
// whose reply rule (`established`, source port 443) is the hole the verifier finds.
//
// Its variants (no partner, r2 as a stateful PAN-OS firewall, dual stack) are in
// fixture-variants.ts.

import type {
  AssertionModel,
  DeviceModel,
  FilterRule,
  Match,
  NetworkModel,
  ServiceModel,
} from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import type { ConfigSource } from '../../emulator/configs.js';
import { renderEmulatedFilters } from '../../emulator/filters.js';

export const span: Span = {
  file: 'fixture.plumb',
  start: { line: 1, column: 1, offset: 0 },
  end: { line: 1, column: 2, offset: 1 },
};

export function rule(action: 'permit' | 'deny', match: Match, description: string): FilterRule {
  return { action, match, origin: span, description };
}

const LAN = '10.1.0.0/24';
const SRV = '10.2.0.0/24';
export const PARTNER = '198.51.100.0/24';

const r1: DeviceModel = {
  id: 's.r1',
  site: 's',
  name: 'r1',
  role: 'router',
  platform: 'frr',
  stateful: true,
  routerId: '10.255.255.1',
  interfaces: [
    {
      name: 'eth1',
      description: 'to r2',
      role: 'link',
      addresses: ['10.0.0.0/31'],
      peer: { device: 's.r2', interface: 'GigabitEthernet1' },
      origin: span,
    },
    {
      name: 'eth2',
      description: 'lan',
      role: 'segment',
      segment: 'lan',
      addresses: ['10.1.0.1/24'],
      origin: span,
    },
    {
      name: 'eth3',
      description: 'partner',
      role: 'external',
      external: 'partner',
      addresses: ['169.254.0.1/30'],
      filterIn: 'from-partner',
      origin: span,
    },
    { name: 'lo', description: 'loopback', role: 'loopback', addresses: ['10.255.255.1/32'], origin: span },
  ],
  filters: [
    {
      name: 'from-partner',
      defaultAction: 'deny',
      rules: [
        rule(
          'permit',
          { sources: ['169.254.0.2/32'], destinations: ['169.254.0.1/32'], protocol: 6 },
          'bgp with the partner',
        ),
        rule(
          'permit',
          {
            sources: [PARTNER],
            destinations: [LAN, SRV],
            protocol: 6,
            destinationPorts: [{ from: 443, to: 443 }],
          },
          'allow partner -> lan, srv : https',
        ),
      ],
    },
  ],
  zones: [],
  securityRules: [],
  staticRoutes: [{ prefix: SRV, nextHop: '10.0.0.1', origin: span }],
  bgp: {
    asn: 65001,
    routerId: '10.255.255.1',
    neighbors: [
      {
        address: '169.254.0.2',
        remoteAs: 64600,
        description: 'partner',
        external: 'partner',
        importPrefixes: [PARTNER],
        exportPrefixes: [LAN, SRV],
        origin: span,
      },
    ],
  },
  fib: [
    { prefix: '10.0.0.0/31', protocol: 'connected', nextHops: [{ interface: 'eth1' }], metric: 0 },
    { prefix: LAN, protocol: 'connected', nextHops: [{ interface: 'eth2' }], metric: 0 },
    {
      prefix: SRV,
      protocol: 'static',
      nextHops: [{ interface: 'eth1', address: '10.0.0.1', device: 's.r2' }],
      metric: 1,
    },
    { prefix: '10.255.255.1/32', protocol: 'connected', nextHops: [{ interface: 'lo' }], metric: 0 },
    { prefix: '169.254.0.0/30', protocol: 'connected', nextHops: [{ interface: 'eth3' }], metric: 0 },
    {
      prefix: PARTNER,
      protocol: 'bgp',
      nextHops: [{ interface: 'eth3', address: '169.254.0.2' }],
      metric: 0,
    },
  ],
  origin: span,
};

const r2: DeviceModel = {
  id: 's.r2',
  site: 's',
  name: 'r2',
  role: 'router',
  platform: 'cisco-iosxe',
  stateful: false,
  routerId: '10.0.0.1',
  interfaces: [
    {
      name: 'GigabitEthernet1',
      description: 'to r1',
      role: 'link',
      addresses: ['10.0.0.1/31'],
      peer: { device: 's.r1', interface: 'eth1' },
      origin: span,
    },
    {
      name: 'GigabitEthernet2',
      description: 'srv',
      role: 'segment',
      segment: 'srv',
      addresses: ['10.2.0.1/24'],
      filterIn: 'from-srv',
      filterOut: 'to-srv',
      origin: span,
    },
  ],
  filters: [
    {
      name: 'from-srv',
      defaultAction: 'deny',
      rules: [
        rule(
          'permit',
          {
            sources: [SRV],
            destinations: [LAN, PARTNER],
            protocol: 6,
            sourcePorts: [{ from: 443, to: 443 }],
            tcpEstablished: true,
          },
          'replies: https',
        ),
        rule(
          'permit',
          { sources: [SRV], destinations: [LAN], protocol: 17, sourcePorts: [{ from: 53, to: 53 }] },
          'replies: dns',
        ),
        rule('permit', { sources: [SRV], destinations: [LAN], protocol: 1, icmpType: 0 }, 'replies: ping'),
      ],
    },
    {
      name: 'to-srv',
      defaultAction: 'deny',
      rules: [
        rule(
          'permit',
          {
            sources: [LAN, PARTNER],
            destinations: [SRV],
            protocol: 6,
            destinationPorts: [{ from: 443, to: 443 }],
          },
          'allow lan, partner -> srv : https',
        ),
        rule(
          'permit',
          { sources: [LAN], destinations: [SRV], protocol: 17, destinationPorts: [{ from: 53, to: 53 }] },
          'allow lan -> srv : dns',
        ),
        rule(
          'permit',
          { sources: [LAN], destinations: [SRV], protocol: 1, icmpType: 8 },
          'allow lan -> srv : ping',
        ),
      ],
    },
  ],
  zones: [],
  securityRules: [],
  staticRoutes: [
    { prefix: LAN, nextHop: '10.0.0.0', origin: span },
    { prefix: PARTNER, nextHop: '10.0.0.0', origin: span },
  ],
  fib: [
    {
      prefix: '10.0.0.0/31',
      protocol: 'connected',
      nextHops: [{ interface: 'GigabitEthernet1' }],
      metric: 0,
    },
    {
      prefix: LAN,
      protocol: 'static',
      nextHops: [{ interface: 'GigabitEthernet1', address: '10.0.0.0', device: 's.r1' }],
      metric: 1,
    },
    { prefix: SRV, protocol: 'connected', nextHops: [{ interface: 'GigabitEthernet2' }], metric: 0 },
    {
      prefix: PARTNER,
      protocol: 'static',
      nextHops: [{ interface: 'GigabitEthernet1', address: '10.0.0.0', device: 's.r1' }],
      metric: 1,
    },
  ],
  origin: span,
};

const tcp = (p: number): ServiceModel => ({ protocol: 6, ports: [{ from: p, to: p }] });
const udp = (p: number): ServiceModel => ({ protocol: 17, ports: [{ from: p, to: p }] });
const ping: ServiceModel = { protocol: 1, icmpType: 8 };

function assertion(
  property: 'reach' | 'isolate',
  from: string,
  to: string,
  services: ServiceModel[],
  text: string,
  via?: string,
): AssertionModel {
  return {
    property,
    sources: [from],
    destinations: [to],
    services,
    text,
    origin: span,
    ...(via ? { via } : {}),
  };
}

export const ASSERTIONS: { text: string; expected: 'proven' | 'refuted' }[] = [
  { text: 'reach lan -> srv : https', expected: 'proven' },
  { text: 'reach lan -> api : dns', expected: 'proven' },
  { text: 'reach lan -> srv : ping', expected: 'proven' },
  { text: 'isolate lan -> srv : ssh', expected: 'proven' },
  { text: 'reach lan -> srv : ssh', expected: 'refuted' },
  { text: 'isolate srv -> lan : ssh', expected: 'refuted' },
  { text: 'reach partner -> srv : https via s.r2', expected: 'proven' },
  { text: 'isolate partner -> lan : dns', expected: 'proven' },
];

export function handBuiltModel(): NetworkModel {
  return {
    version: 1,
    name: 'handbuilt',
    routing: 'static',
    devices: [structuredClone(r1), structuredClone(r2)],
    endpoints: [
      {
        name: 'api',
        kind: 'host',
        include: ['10.2.0.20/32'],
        exclude: [],
        attachments: [{ device: 's.r2', interface: 'GigabitEthernet2' }],
        segment: 'srv',
        origin: span,
      },
      {
        name: 'lan',
        kind: 'segment',
        include: [LAN],
        exclude: [],
        attachments: [{ device: 's.r1', interface: 'eth2' }],
        origin: span,
      },
      {
        name: 'partner',
        kind: 'external',
        include: [PARTNER],
        exclude: [],
        attachments: [{ device: 's.r1', interface: 'eth3' }],
        origin: span,
      },
      {
        name: 'srv',
        kind: 'segment',
        include: [SRV],
        exclude: [],
        attachments: [{ device: 's.r2', interface: 'GigabitEthernet2' }],
        origin: span,
      },
    ],
    policy: [],
    assertions: [
      assertion('reach', 'lan', 'srv', [tcp(443)], ASSERTIONS[0]!.text),
      assertion('reach', 'lan', 'api', [udp(53)], ASSERTIONS[1]!.text),
      assertion('reach', 'lan', 'srv', [ping], ASSERTIONS[2]!.text),
      assertion('isolate', 'lan', 'srv', [tcp(22)], ASSERTIONS[3]!.text),
      assertion('reach', 'lan', 'srv', [tcp(22)], ASSERTIONS[4]!.text),
      assertion('isolate', 'srv', 'lan', [tcp(22)], ASSERTIONS[5]!.text),
      assertion('reach', 'partner', 'srv', [tcp(443)], ASSERTIONS[6]!.text, 's.r2'),
      assertion('isolate', 'partner', 'lan', [udp(53)], ASSERTIONS[7]!.text),
    ],
  };
}

/** Hand-written configs for the fixture (what the backends would write), for tests only. */
export const handWrittenConfigs: ConfigSource = async (dp) => {
  const setup = ['set -e'];
  for (const itf of dp.device.interfaces) {
    const dev = itf.role === 'loopback' ? 'lo' : itf.name;
    for (const a of itf.addresses) setup.push(`ip addr replace ${a} dev ${dev}`);
  }
  const frr = ['frr defaults traditional', `hostname ${dp.device.name}`, '!'];
  for (const r of dp.device.staticRoutes)
    frr.push(`${r.prefix.includes(':') ? 'ipv6' : 'ip'} route ${r.prefix} ${r.nextHop}`);
  if (dp.device.bgp) {
    const b = dp.device.bgp;
    frr.push('!');
    for (const n of b.neighbors) {
      n.importPrefixes.forEach((p, i) =>
        frr.push(`ip prefix-list ${n.external}-in seq ${5 * (i + 1)} permit ${p}`),
      );
      n.exportPrefixes.forEach((p, i) =>
        frr.push(`ip prefix-list ${n.external}-out seq ${5 * (i + 1)} permit ${p}`),
      );
      frr.push(`route-map ${n.external}-in permit 10`, ` match ip address prefix-list ${n.external}-in`, '!');
      frr.push(
        `route-map ${n.external}-out permit 10`,
        ` match ip address prefix-list ${n.external}-out`,
        '!',
      );
    }
    frr.push(`router bgp ${b.asn}`, ` bgp router-id ${b.routerId}`);
    for (const n of b.neighbors)
      frr.push(` neighbor ${n.address} remote-as ${n.remoteAs}`, ` neighbor ${n.address} timers connect 2`);
    frr.push(' address-family ipv4 unicast');
    for (const n of b.neighbors) {
      for (const p of n.exportPrefixes) frr.push(`  network ${p}`);
      frr.push(
        `  neighbor ${n.address} route-map ${n.external}-in in`,
        `  neighbor ${n.address} route-map ${n.external}-out out`,
      );
    }
    frr.push(' exit-address-family', '!');
  }
  return {
    setupSh: `${setup.join('\n')}\n`,
    frrConf: `${frr.join('\n')}\n`,
    // A stand-in for the nftables backend: the emulator's own rendering of the same filters.
    nftables: renderEmulatedFilters(dp.device),
    source: 'hand-written (test)',
  };
};
