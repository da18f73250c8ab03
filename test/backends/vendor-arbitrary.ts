// Random DeviceModels for the seeded property tests of the IOS-XE and PAN-OS backends: every
// configuration field those platforms carry, within what the model allows and the platforms
// can write (identifiers for names, one-line descriptions of words, ports only with TCP/UDP,
// ICMP types only with ICMP, ICMP rules naming only their own family's prefixes).

import fc from 'fast-check';
import type {
  BgpModel,
  DeviceModel,
  FilterModel,
  FilterRule,
  InterfaceModel,
  Match,
  OspfModel,
  PortRange,
  StaticRouteModel,
  ZoneModel,
} from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { formatIPv4, formatIPv6, formatPrefix, network, prefixOf } from '../../language/address.js';

const ident = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const word = fc.stringMatching(/^[A-Za-z0-9:,.()>_-]{1,12}$/);
/** Words joined by single spaces: up to ~200 characters, so remarks must wrap. */
const description = fc.array(word, { maxLength: 18 }).map((ws) => ws.join(' '));

const span: fc.Arbitrary<Span> = fc
  .record({
    file: fc.constantFrom('acme.plumb', 'examples/acme/acme.plumb', 'my net/b.plumb'),
    line: fc.integer({ min: 1, max: 900 }),
    col: fc.integer({ min: 1, max: 80 }),
    len: fc.integer({ min: 0, max: 60 }),
  })
  .map(({ file, line, col, len }) => ({ file, start: { line, column: col, offset: line * 100 + col }, end: { line, column: col + len, offset: line * 100 + col + len } }));

const v4 = fc.integer({ min: 0, max: 0xffffffff }).map((n) => BigInt(n));
const v6 = fc.tuple(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.bigInt({ min: 0n, max: 0xffffn })).map(([hi, lo]) => (0x2001_0db8n << 96n) | (hi << 32n) | lo);
const netV4 = fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([value, length]) => formatPrefix(network({ family: 4, value, length })));
const netV6 = fc.tuple(v6, fc.integer({ min: 16, max: 128 })).map(([value, length]) => formatPrefix(network({ family: 6, value, length })));
const family = (p: string): 4 | 6 => prefixOf(p).family;
const sortP = (ps: string[]): string[] => [...new Set(ps)].sort((a, b) => {
  const x = prefixOf(a);
  const y = prefixOf(b);
  return x.family - y.family || (x.value < y.value ? -1 : x.value > y.value ? 1 : x.length - y.length);
});
const prefixList = (min: number, max: number, only?: 4 | 6): fc.Arbitrary<string[]> =>
  fc.uniqueArray(only === 4 ? netV4 : only === 6 ? netV6 : fc.oneof(netV4, netV6), { minLength: min, maxLength: max }).map(sortP);
const ifAddressV4 = fc.tuple(v4, fc.integer({ min: 8, max: 32 })).map(([value, length]) => `${formatIPv4(value)}/${length}`);
const ifAddressV6 = fc.tuple(v6, fc.integer({ min: 48, max: 128 })).map(([value, length]) => `${formatIPv6(value)}/${length}`);
/** Port ranges, never the full range (a service without ports already means every port). */
const ports = fc
  .uniqueArray(
    fc.tuple(fc.integer({ min: 1, max: 65000 }), fc.integer({ min: 0, max: 300 })).map(([from, n]): PortRange => ({ from, to: Math.min(65534, from + n) })),
    { minLength: 1, maxLength: 3, selector: (r) => `${r.from}-${r.to}` },
  );

function matchArb(opts: { established: boolean; zones: string[] }): fc.Arbitrary<Match> {
  return fc
    .record({
      protocol: fc.constantFrom(undefined, 6, 17, 1, 58, 47),
      src: fc.option(prefixList(1, 3), { nil: undefined }),
      dst: fc.option(prefixList(1, 3), { nil: undefined }),
      sp: fc.option(ports, { nil: undefined }),
      dp: fc.option(ports, { nil: undefined }),
      icmp: fc.option(fc.integer({ min: 0, max: 255 }), { nil: undefined }),
      est: fc.boolean(),
      from: opts.zones.length > 0 ? fc.option(fc.subarray(opts.zones, { minLength: 1 }), { nil: undefined }) : fc.constant(undefined),
      to: opts.zones.length > 0 ? fc.option(fc.subarray(opts.zones, { minLength: 1 }), { nil: undefined }) : fc.constant(undefined),
    })
    .map(({ protocol, src, dst, sp, dp, icmp, est, from, to }) => {
      const m: Match = {};
      const only = protocol === 1 ? 4 : protocol === 58 ? 6 : undefined;
      const keep = (ps: string[] | undefined): string[] | undefined => {
        if (ps === undefined || only === undefined) return ps;
        const f = ps.filter((p) => family(p) === only);
        return f.length > 0 ? f : undefined;
      };
      const sources = keep(src);
      const destinations = keep(dst);
      if (sources) m.sources = sources;
      if (destinations) m.destinations = destinations;
      if (protocol !== undefined) m.protocol = protocol;
      if (protocol === 6 || protocol === 17) {
        if (sp) m.sourcePorts = sp;
        if (dp) m.destinationPorts = dp;
      }
      if ((protocol === 1 || protocol === 58) && icmp !== undefined) m.icmpType = icmp;
      if (protocol === 6 && est && opts.established) m.tcpEstablished = true;
      if (from && opts.zones.length > 0) m.fromZones = from;
      if (to && opts.zones.length > 0) m.toZones = to;
      return m;
    });
}

function ruleArb(opts: { established: boolean; zones: string[] }): fc.Arbitrary<FilterRule> {
  return fc.record({ action: fc.constantFrom('permit' as const, 'deny' as const), match: matchArb(opts), origin: span, description });
}

const addresses = fc
  .tuple(fc.uniqueArray(ifAddressV4, { maxLength: 2 }), fc.uniqueArray(ifAddressV6, { maxLength: 2 }))
  .map(([a, b]) => [...a, ...b]);

function interfaceArb(name: string, vlan: number | undefined, loopback: boolean): fc.Arbitrary<InterfaceModel> {
  return fc
    .record({
      description,
      role: loopback ? fc.constant('loopback' as const) : fc.constantFrom('link' as const, 'segment' as const, 'external' as const),
      addresses,
      origin: span,
      peerDevice: ident,
      other: ident,
      linkLocal: fc.option(fc.constantFrom('fe80::1', 'fe80::2'), { nil: undefined }),
    })
    .map(({ description, role, addresses, origin, peerDevice, other, linkLocal }) => {
      const i: InterfaceModel = { name, description, role, addresses, origin };
      // a link of a network that carries IPv6 has its link-local address
      if (role === 'link' && linkLocal !== undefined) i.linkLocal = linkLocal;
      if (role === 'link') i.peer = { device: `site.${peerDevice}`, interface: 'ethernet1/9' };
      if (role === 'segment') i.segment = other;
      if (role === 'external') i.external = other;
      if (vlan !== undefined) i.vlan = vlan;
      return i;
    });
}

function staticArb(ifaces: InterfaceModel[], distance: [number, number]): fc.Arbitrary<StaticRouteModel[]> {
  const one = fc
    .record({
      prefix: fc.oneof(netV4, netV6),
      hop: fc.integer({ min: 1, max: 0xfffffff }),
      iface: fc.option(fc.constantFrom(...ifaces.map((i) => i.name)), { nil: undefined }),
      withHop: fc.boolean(),
      discard: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      linkLocal: fc.boolean(),
      distance: fc.option(fc.integer({ min: distance[0], max: distance[1] }), { nil: undefined }),
      origin: span,
    })
    .map(({ prefix, hop, iface, withHop, discard, linkLocal, distance, origin }) => {
      const r: StaticRouteModel = { prefix, origin };
      if (discard) return { ...r, discard: true as const, ...(distance !== undefined ? { distance } : {}) };
      const fam = family(prefix);
      // a link-local next hop always comes with its interface
      const base = fam === 6 && linkLocal && iface !== undefined ? 0xfe80n << 112n : 0xfd00n << 112n;
      if (withHop || iface === undefined) r.nextHop = fam === 4 ? formatIPv4(0x0a000000n + BigInt(hop)) : formatIPv6(base + BigInt(hop));
      if (iface !== undefined) r.interface = iface;
      if (distance !== undefined) r.distance = distance;
      return r;
    });
  return fc.uniqueArray(one, { maxLength: 4, selector: (r) => `${r.prefix} ${r.nextHop ?? ''} ${r.interface ?? ''} ${r.discard ?? ''}` });
}

function ospfArb(ifaces: InterfaceModel[], withBgp: boolean): fc.Arbitrary<OspfModel> {
  return fc
    .record({
      routerId: v4.map(formatIPv4),
      on: fc.subarray(ifaces.map((i) => i.name)),
      costs: fc.array(fc.integer({ min: 1, max: 65535 }), { minLength: ifaces.length, maxLength: ifaces.length }),
      passive: fc.array(fc.boolean(), { minLength: ifaces.length, maxLength: ifaces.length }),
      redistribute: fc.subarray(withBgp ? (['bgp', 'connected', 'static'] as const) : (['connected', 'static'] as const)),
      redistPrefixes: fc.array(prefixList(0, 3), { minLength: 3, maxLength: 3 }),
      v4: fc.boolean(),
      v6: fc.boolean(),
    })
    .map(({ routerId, on, costs, passive, redistribute, redistPrefixes, v4, v6 }) => ({
      routerId,
      interfaces: on.map((name, k) => ({ name, cost: costs[k]!, passive: passive[k]! })),
      redistribute: redistribute.map((protocol, k) => ({ protocol, prefixes: redistPrefixes[k]! })),
      defaultOriginate: { ipv4: v4, ipv6: v6 },
    }));
}

const neighborDescription = fc.array(word, { maxLength: 5 }).map((ws) => ws.join(' '));

function bgpArb(): fc.Arbitrary<BgpModel> {
  const neighbor = fc.record({
    address: fc.oneof(v4.map(formatIPv4), v6.map(formatIPv6)),
    remoteAs: fc.integer({ min: 1, max: 4294967295 }),
    description: neighborDescription,
    external: ident,
    importPrefixes: prefixList(0, 3),
    exportPrefixes: prefixList(0, 3),
    origin: span,
  });
  // a session carries its own address family only
  const own = neighbor.map((n) => {
    const f = n.address.includes(':') ? 6 : 4;
    return { ...n, importPrefixes: n.importPrefixes.filter((p) => family(p) === f), exportPrefixes: n.exportPrefixes.filter((p) => family(p) === f) };
  });
  return fc.record({
    asn: fc.integer({ min: 1, max: 4294967295 }),
    routerId: v4.map(formatIPv4),
    neighbors: fc.uniqueArray(own, { maxLength: 3, selector: (n) => n.address }),
  });
}

function device(platform: 'cisco-iosxe' | 'paloalto-panos', interfaces: InterfaceModel[]): fc.Arbitrary<DeviceModel> {
  return fc
    .record({
      routerId: fc.option(v4.map(formatIPv4), { nil: undefined }),
      origin: span,
      withOspf: fc.boolean(),
      withBgp: fc.boolean(),
    })
    .chain(({ routerId, origin, withOspf, withBgp }) =>
      fc.record({
        base: fc.constant<Omit<DeviceModel, 'filters' | 'zones' | 'securityRules' | 'staticRoutes'>>({
          id: 'site.dev1',
          site: 'site',
          name: 'dev1',
          role: platform === 'cisco-iosxe' ? ('router' as const) : ('firewall' as const),
          platform,
          stateful: platform === 'paloalto-panos',
          ...(routerId !== undefined ? { routerId } : {}),
          interfaces,
          origin,
          fib: [],
        }),
        ospf: withOspf ? ospfArb(interfaces, withBgp).map((o) => o as OspfModel | undefined) : fc.constant(undefined),
        bgp: withBgp ? bgpArb().map((b) => b as BgpModel | undefined) : fc.constant(undefined),
      }),
    )
    .map(({ base, ospf, bgp }): DeviceModel => ({ ...base, filters: [], zones: [], securityRules: [], staticRoutes: [], ...(ospf ? { ospf } : {}), ...(bgp ? { bgp } : {}) }));
}

const IOS_NAMES: [string, number | undefined, boolean][] = [
  ['GigabitEthernet1', undefined, false],
  ['GigabitEthernet2', 20, false],
  ['GigabitEthernet3.30', 30, false],
  ['GigabitEthernet4', undefined, false],
  ['Loopback0', undefined, true],
];

export const iosDevice: fc.Arbitrary<DeviceModel> = fc
  .subarray(IOS_NAMES, { minLength: 1 })
  .chain((names) => fc.tuple(...names.map(([n, vlan, lo]) => interfaceArb(n, vlan, lo))))
  .chain((ifaces) =>
    fc.record({
      dev: device('cisco-iosxe', ifaces),
      filters: fc.uniqueArray(
        fc.record({
          name: ident.map((n) => `acl-${n}`),
          rules: fc.array(ruleArb({ established: true, zones: [] }), { maxLength: 5 }),
          defaultAction: fc.constantFrom('permit' as const, 'deny' as const),
        }),
        { maxLength: 3, selector: (f) => f.name },
      ),
      bindings: fc.array(fc.tuple(fc.nat(3), fc.nat(3)), { minLength: ifaces.length, maxLength: ifaces.length }),
      statics: staticArb(ifaces, [1, 255]),
    }),
  )
  .map(({ dev, filters, bindings, statics }) => {
    const fs = filters as FilterModel[];
    const interfaces = dev.interfaces.map((i, k) => {
      const [a, b] = bindings[k]!;
      const out = { ...i };
      if (fs[a]) out.filterIn = fs[a]!.name;
      if (fs[b]) out.filterOut = fs[b]!.name;
      return out;
    });
    return { ...dev, interfaces, filters: fs, staticRoutes: statics };
  });

const PANOS_NAMES: [string, number | undefined, boolean][] = [
  ['ethernet1/1', undefined, false],
  ['ethernet1/2.20', 20, false],
  ['ethernet1/2.21', 21, false],
  ['ethernet1/3', 30, false],
  ['ethernet1/4', undefined, false],
  ['loopback.1', undefined, true],
];

const zoneName = fc.oneof(ident, fc.constant('a zone name longer than thirty one characters'), fc.constant('trust'));

/** Names of profiles defined on the firewall (a security-profile group, a log-forwarding profile): spaces and dots included. */
const profileName = fc.constantFrom('strict', 'Outbound v2', 'siem.forward', 'a_b-c', 'g'.repeat(31));
const profilesArb = fc.record({ group: fc.option(profileName, { nil: undefined }), log: fc.option(profileName, { nil: undefined }) });

export const panosDevice: fc.Arbitrary<DeviceModel> = fc
  .subarray(PANOS_NAMES, { minLength: 1 })
  .chain((names) => fc.tuple(...names.map(([n, vlan, lo]) => interfaceArb(n, vlan, lo))))
  .chain((ifaces) =>
    fc
      .uniqueArray(zoneName, { minLength: 1, maxLength: 3, selector: (z) => z.toLowerCase() })
      .chain((zoneNames) =>
        fc.record({
          dev: device('paloalto-panos', ifaces),
          zoneNames: fc.constant(zoneNames),
          placement: fc.array(fc.nat(zoneNames.length - 1), { minLength: ifaces.length, maxLength: ifaces.length }),
          rules: fc.array(ruleArb({ established: false, zones: zoneNames }), { maxLength: 6 }),
          statics: staticArb(ifaces, [10, 240]),
          profiles: fc.array(profilesArb, { minLength: 6, maxLength: 6 }),
          deviceLog: fc.option(profileName, { nil: undefined }),
        }),
      ),
  )
  .map(({ dev, zoneNames, placement, rules, statics, profiles, deviceLog }) => {
    const interfaces = dev.interfaces.map((i, k) => ({ ...i, zone: zoneNames[placement[k]!]! }));
    const zones: ZoneModel[] = zoneNames
      .map((name) => ({ name, interfaces: interfaces.filter((i) => i.zone === name).map((i) => i.name).sort() }))
      .filter((z) => z.interfaces.length > 0);
    const used = new Set(zones.map((z) => z.name));
    const securityRules = rules.map((r, k) => {
      const m = { ...r.match };
      // PAN-OS profiles: a group on permit rules only, log forwarding on either
      const p = profiles[k]!;
      const named = { ...(p.group !== undefined && r.action === 'permit' ? { profileGroup: p.group } : {}), ...(p.log !== undefined ? { logForwarding: p.log } : {}) };
      const keep = (zs: string[] | undefined): string[] | undefined => {
        const k = zs?.filter((z) => used.has(z));
        return k && k.length > 0 ? k : undefined;
      };
      const from = keep(m.fromZones);
      const to = keep(m.toZones);
      delete m.fromZones;
      delete m.toZones;
      if (from) m.fromZones = from;
      if (to) m.toZones = to;
      return { ...r, match: m, ...named };
    });
    return { ...dev, interfaces, zones, securityRules, staticRoutes: statics, ...(deviceLog !== undefined ? { logForwarding: deviceLog } : {}) };
  });
