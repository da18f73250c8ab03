// Random DeviceModels for the seeded property tests, one generator per platform (`deviceArb`):
// every configuration field the platform carries, within what the model allows (names are
// identifiers, descriptions one line, ports only with TCP/UDP, ICMP types only with ICMP). The
// frr and linux generator is here; the IOS-XE and PAN-OS ones are in vendor-arbitrary.ts.

import fc from 'fast-check';
import type { Platform } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import type {
  BgpModel,
  DeviceModel,
  FilterModel,
  FilterRule,
  InterfaceModel,
  Match,
  OspfModel,
  StaticRouteModel,
} from '../../compiler/model.js';
import { formatIPv4, formatIPv6, formatPrefix, network } from '../../language/address.js';
import { iosDevice, panosDevice } from './vendor-arbitrary.js';

const name = fc.stringMatching(/^[a-z][a-z0-9_-]{0,8}$/);
const description = fc
  .stringMatching(/^[A-Za-z0-9(][A-Za-z0-9 :,.()>'"#\\-]{0,40}$/)
  .map((s) => s.replace(/ +$/, ''));

const span: fc.Arbitrary<Span> = fc
  .record({
    file: fc.constantFrom('acme.plumb', 'examples/acme/acme.plumb', 'site/b.plumb'),
    line: fc.integer({ min: 1, max: 900 }),
    col: fc.integer({ min: 1, max: 80 }),
    len: fc.integer({ min: 0, max: 60 }),
  })
  .map(({ file, line, col, len }) => ({
    file,
    start: { line, column: col, offset: line * 100 + col },
    end: { line, column: col + len, offset: line * 100 + col + len },
  }));

const v4 = fc.integer({ min: 0, max: 0xffffffff }).map((n) => BigInt(n));
const v6 = fc
  .tuple(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 0xffffn }))
  .map(([hi, lo]) => (0x2001_0db8n << 96n) | (hi << 32n) | lo);
const ipv4 = v4.map(formatIPv4);
const ipv6 = v6.map(formatIPv6);
const netV4 = fc
  .tuple(v4, fc.integer({ min: 0, max: 32 }))
  .map(([value, length]) => formatPrefix(network({ family: 4, value, length })));
const netV6 = fc
  .tuple(v6, fc.integer({ min: 16, max: 128 }))
  .map(([value, length]) => formatPrefix(network({ family: 6, value, length })));
const net = fc.oneof(netV4, netV6);
const ifAddress = fc.oneof(
  fc
    .tuple(v4, fc.integer({ min: 8, max: 32 }))
    .map(([value, length]) => formatPrefix({ family: 4, value, length })),
  fc
    .tuple(v6, fc.integer({ min: 48, max: 128 }))
    .map(([value, length]) => formatPrefix({ family: 6, value, length })),
);
const prefixes = fc.uniqueArray(net, { minLength: 1, maxLength: 4 });
const ports = fc.array(
  fc
    .tuple(fc.integer({ min: 0, max: 65535 }), fc.integer({ min: 0, max: 200 }))
    .map(([from, n]) => ({ from, to: Math.min(65535, from + n) })),
  { minLength: 1, maxLength: 3 },
);

function matchArb(zones: string[]): fc.Arbitrary<Match> {
  return fc
    .record(
      {
        sources: prefixes,
        destinations: prefixes,
        protocol: fc.constantFrom(6, 17, 1, 58, 47),
        sourcePorts: ports,
        destinationPorts: ports,
        icmpType: fc.integer({ min: 0, max: 255 }),
        tcpEstablished: fc.constant(true as const),
        fromZones:
          zones.length > 0
            ? fc.uniqueArray(fc.constantFrom(...zones), { minLength: 1, maxLength: 2 })
            : fc.constant(undefined),
        toZones:
          zones.length > 0
            ? fc.uniqueArray(fc.constantFrom(...zones), { minLength: 1, maxLength: 2 })
            : fc.constant(undefined),
      },
      { requiredKeys: [] },
    )
    .map((m) => {
      const out: Match = {};
      if (m.sources) out.sources = m.sources;
      if (m.destinations) out.destinations = m.destinations;
      if (m.protocol !== undefined) out.protocol = m.protocol;
      const l4 = m.protocol === 6 || m.protocol === 17;
      if (l4 && m.sourcePorts) out.sourcePorts = m.sourcePorts;
      if (l4 && m.destinationPorts) out.destinationPorts = m.destinationPorts;
      if ((m.protocol === 1 || m.protocol === 58) && m.icmpType !== undefined) out.icmpType = m.icmpType;
      if ((m.protocol === 6 || m.protocol === undefined) && m.tcpEstablished) out.tcpEstablished = true;
      if (m.fromZones) out.fromZones = m.fromZones;
      if (m.toZones) out.toZones = m.toZones;
      return out;
    });
}

function ruleArb(zones: string[]): fc.Arbitrary<FilterRule> {
  return fc.record({
    action: fc.constantFrom('permit' as const, 'deny' as const),
    match: matchArb(zones),
    origin: span,
    description,
  });
}

const ifNames = fc.uniqueArray(fc.constantFrom('eth0', 'eth1', 'eth2', 'eth3', 'ens4', 'wan0', 'lo'), {
  minLength: 1,
  maxLength: 5,
});

function interfaceArb(ifname: string, filters: string[]): fc.Arbitrary<InterfaceModel> {
  const maybe = <T>(a: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(a, { nil: undefined });
  return fc
    .record({
      description,
      role: fc.constantFrom('link' as const, 'segment' as const, 'external' as const, 'loopback' as const),
      addresses: fc.uniqueArray(ifAddress, { maxLength: 3 }),
      peer: maybe(
        fc.record({
          device: fc.tuple(name, name).map(([a, b]) => `${a}.${b}`),
          interface: fc.constantFrom('eth1', 'GigabitEthernet2', 'ethernet1/1'),
        }),
      ),
      segment: maybe(name),
      external: maybe(name),
      vlan: maybe(fc.integer({ min: 1, max: 4094 })),
      filterIn: filters.length > 0 ? maybe(fc.constantFrom(...filters)) : fc.constant(undefined),
      filterOut: filters.length > 0 ? maybe(fc.constantFrom(...filters)) : fc.constant(undefined),
      linkLocal: maybe(fc.constantFrom('fe80::1', 'fe80::2')),
      origin: span,
    })
    .map((r) => {
      const out: InterfaceModel = {
        name: ifname,
        description: r.description,
        role: r.role,
        addresses: [...r.addresses].sort((a, b) => Number(a.includes(':')) - Number(b.includes(':'))),
        // Only a link has a link-local address of the model's own.
        ...(r.role === 'link' && r.linkLocal !== undefined ? { linkLocal: r.linkLocal } : {}),
        origin: r.origin,
      };
      for (const k of ['peer', 'segment', 'external', 'vlan', 'filterIn', 'filterOut'] as const)
        if (r[k] !== undefined) (out as unknown as Record<string, unknown>)[k] = r[k];
      return out;
    });
}

const staticRoute = fc
  .record({
    v6: fc.boolean(),
    hop: fc.constantFrom('address', 'interface', 'both', 'discard'),
    ifname: fc.constantFrom('eth0', 'eth1', 'wan0'),
    distance: fc.option(fc.integer({ min: 1, max: 255 }), { nil: undefined }),
    origin: span,
    p4: netV4,
    p6: netV6,
    a4: ipv4,
    a6: ipv6,
    linkLocal: fc.boolean(),
  })
  .map((r): StaticRouteModel => ({
    prefix: r.v6 ? r.p6 : r.p4,
    // An IPv6 next hop with its interface may be the neighbour's link-local address.
    ...(r.hop === 'address' || r.hop === 'both'
      ? { nextHop: r.v6 ? (r.hop === 'both' && r.linkLocal ? 'fe80::2' : r.a6) : r.a4 }
      : {}),
    ...(r.hop === 'interface' || r.hop === 'both' ? { interface: r.ifname } : {}),
    ...(r.hop === 'discard' ? { discard: true as const } : {}),
    ...(r.distance !== undefined ? { distance: r.distance } : {}),
    origin: r.origin,
  }));

const ospfArb = (ifnames: string[]): fc.Arbitrary<OspfModel> =>
  fc.record({
    routerId: ipv4,
    interfaces: fc.subarray(ifnames).chain((names) =>
      fc.tuple(
        ...names.map((n) =>
          fc.record({
            name: fc.constant(n),
            cost: fc.integer({ min: 1, max: 65535 }),
            passive: fc.boolean(),
          }),
        ),
      ),
    ),
    redistribute: fc
      .subarray(['bgp', 'connected', 'static'] as const)
      .chain((ps) =>
        fc.tuple(
          ...ps.map((protocol) =>
            fc.record({ protocol: fc.constant(protocol), prefixes: fc.uniqueArray(net, { maxLength: 3 }) }),
          ),
        ),
      ),
    defaultOriginate: fc.record({ ipv4: fc.boolean(), ipv6: fc.boolean() }),
  });

const bgpArb: fc.Arbitrary<BgpModel> = fc.record({
  asn: fc.integer({ min: 1, max: 4294967295 }),
  routerId: ipv4,
  neighbors: fc.uniqueArray(
    fc
      .record({
        address: fc.oneof(ipv4, ipv6),
        remoteAs: fc.integer({ min: 1, max: 4294967295 }),
        description,
        external: name,
        importPrefixes: fc.uniqueArray(net, { maxLength: 3 }),
        exportPrefixes: fc.uniqueArray(net, { maxLength: 3 }),
        origin: span,
      })
      // A session carries the prefixes of its own address family only (as the compiler makes it).
      .map((n) => {
        const own = (p: string): boolean => p.includes(':') === n.address.includes(':');
        return { ...n, importPrefixes: n.importPrefixes.filter(own), exportPrefixes: n.exportPrefixes.filter(own) };
      }),
    { maxLength: 3, selector: (n) => n.address },
  ),
});

/** A random device of any platform. */
export function deviceArb(platform: Platform): fc.Arbitrary<DeviceModel> {
  if (platform === 'cisco-iosxe') return iosDevice;
  if (platform === 'paloalto-panos') return panosDevice;
  return linuxBoxArb(platform);
}

/** A random Linux box (linux: no OSPF/BGP; frr: optionally both). */
function linuxBoxArb(platform: 'linux' | 'frr'): fc.Arbitrary<DeviceModel> {
  return fc
    .record({
      site: name,
      dname: name,
      firewall: fc.boolean(),
      stateful: fc.boolean(),
      routerId: fc.option(ipv4, { nil: undefined }),
      ifnames: ifNames,
      filterNames: fc.uniqueArray(
        name.filter((n) => n !== 'forward' && n !== 'zone_policy'),
        { maxLength: 3 },
      ),
      zoneNames: fc.uniqueArray(name, { minLength: 1, maxLength: 3 }),
      origin: span,
    })
    .chain((b) => {
      const zones = b.firewall ? b.zoneNames : [];
      return fc.record({
        b: fc.constant(b),
        interfaces: fc.tuple(...b.ifnames.map((n) => interfaceArb(n, b.filterNames))),
        filters: fc.tuple(
          ...b.filterNames.map((n) =>
            fc.record({
              name: fc.constant(n),
              rules: fc.array(ruleArb([]), { maxLength: 5 }),
              defaultAction: fc.constantFrom('permit' as const, 'deny' as const),
            }),
          ),
        ),
        zoneOf: fc.tuple(...b.ifnames.map(() => fc.constantFrom(...(zones.length > 0 ? zones : ['-'])))),
        securityRules: zones.length > 0 ? fc.array(ruleArb(zones), { maxLength: 5 }) : fc.constant([]),
        staticRoutes: fc.uniqueArray(staticRoute, {
          maxLength: 5,
          selector: (r) => `${r.prefix} ${r.nextHop} ${r.interface} ${r.distance} ${r.discard}`,
        }),
        ospf: platform === 'frr' ? fc.option(ospfArb(b.ifnames), { nil: undefined }) : fc.constant(undefined),
        bgp: platform === 'frr' ? fc.option(bgpArb, { nil: undefined }) : fc.constant(undefined),
      });
    })
    .map(({ b, interfaces, filters, zoneOf, securityRules, staticRoutes, ospf, bgp }) => {
      const zones = b.firewall ? b.zoneNames : [];
      const ifs = interfaces.map((i, k) => (zones.length > 0 ? { ...i, zone: zoneOf[k]! } : i));
      const d: DeviceModel = {
        id: `${b.site}.${b.dname}`,
        site: b.site,
        name: b.dname,
        role: b.firewall ? 'firewall' : 'router',
        platform,
        stateful: b.stateful,
        ...(b.routerId !== undefined ? { routerId: b.routerId } : {}),
        interfaces: ifs,
        filters: filters as FilterModel[],
        zones: zones.map((z) => ({
          name: z,
          interfaces: ifs
            .filter((i) => i.zone === z)
            .map((i) => i.name)
            .sort(),
        })),
        securityRules: [...securityRules],
        staticRoutes,
        // OSPF runs on interfaces with addresses (v2 on IPv4, v3 on IPv6), as the compiler makes it.
        ...(ospf
          ? {
              ospf: {
                ...ospf,
                interfaces: ospf.interfaces.filter((o) =>
                  ifs.some((i) => i.name === o.name && (i.addresses.length > 0 || i.linkLocal !== undefined)),
                ),
              },
            }
          : {}),
        ...(bgp ? { bgp } : {}),
        fib: [],
        origin: b.origin,
      };
      return d;
    });
}
