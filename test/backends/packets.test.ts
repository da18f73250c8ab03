// Real packets through one linux device built from a hand-made model: the nftables semantics
// the backend writes (a permit returns to the forward chain, where the next filter decides; a
// stateful device admits replies by connection tracking; a stateless one only by its rules)
// agree with the model's (docs/architecture.md, "One hop" and "State").
import { describe, expect, it } from 'vitest';
import type { DeviceModel } from '../../compiler/model.js';
import { renderLinux } from '../../backends/linux/render.js';
import { iface, network, rule, span } from './builder.js';
import { PACKETS_POSSIBLE, throughDevice, type Probe } from './tools.js';

const skip = !PACKETS_POSSIBLE && !process.env.CI;
if (skip)
  console.warn('\n*** SKIPPING packet tests: need root, iproute2, nftables and socat. CI runs them. ***\n');

/** a (10.1.0.0/24, behind eth1) may open tcp/80 to b; b may open tcp/22 to a.10 only. */
function device(stateful: boolean): DeviceModel {
  return {
    id: 'lab.fw',
    site: 'lab',
    name: 'fw',
    role: 'router',
    platform: 'linux',
    stateful,
    interfaces: [
      iface('eth1', 'segment', ['10.1.0.1/24'], 3, { segment: 'a', filterIn: 'a_in', filterOut: 'a_out' }),
      iface('eth2', 'segment', ['10.2.0.1/24'], 4, { segment: 'b' }),
    ],
    filters: [
      {
        name: 'a_in',
        defaultAction: 'deny',
        rules: [
          rule(
            'permit',
            {
              sources: ['10.1.0.0/24'],
              destinations: ['10.2.0.0/24'],
              protocol: 6,
              destinationPorts: [{ from: 80, to: 80 }],
            },
            10,
            'allow a -> b : http',
          ),
        ],
      },
      {
        name: 'a_out',
        defaultAction: 'deny',
        rules: [
          rule(
            'permit',
            {
              sources: ['10.2.0.0/24'],
              destinations: ['10.1.0.10/32'],
              protocol: 6,
              destinationPorts: [{ from: 22, to: 22 }],
            },
            11,
            'allow b -> a.10 : ssh',
          ),
        ],
      },
    ],
    zones: [],
    securityRules: [],
    staticRoutes: [],
    fib: [],
    origin: span(2),
  };
}

const PROBES: Probe[] = [
  { from: 'a', port: 80 },
  { from: 'a', port: 81 },
  { from: 'b', port: 22 },
  { from: 'b', port: 23 },
];

describe('packets through a linux device', () => {
  it.skipIf(skip)('stateful: allowed connections and their replies pass, nothing else', () => {
    const d = device(true);
    const files = new Map(renderLinux(d, network([d])).map((f) => [f.path, f.content]));
    const r = throughDevice(files, PROBES);
    expect(r.open, r.output).toEqual([true, false, true, false]);
  });

  it.skipIf(skip)('stateless: a reply needs a rule of its own', () => {
    const d = device(false);
    const files = new Map(renderLinux(d, network([d])).map((f) => [f.path, f.content]));
    // a -> b:80: the reply (from b:80) leaves by eth1, whose outbound filter admits only ssh to a.10.
    // b -> a:22: the reply (from a.10:22) enters by eth1, whose inbound filter admits only http.
    expect(throughDevice(files, PROBES).open).toEqual([false, false, false, false]);
  });

  it.skipIf(skip)('firewall: the zone policy decides between zones, first match, default deny', () => {
    const d = device(true);
    d.role = 'firewall';
    d.interfaces = d.interfaces.map(({ filterIn: _i, filterOut: _o, ...i }) => ({
      ...i,
      zone: i.name === 'eth1' ? 'inside' : 'outside',
    }));
    d.filters = [];
    d.zones = [
      { name: 'inside', interfaces: ['eth1'] },
      { name: 'outside', interfaces: ['eth2'] },
    ];
    d.securityRules = [
      rule(
        'deny',
        { destinations: ['10.2.0.10/32'], protocol: 6, destinationPorts: [{ from: 81, to: 81 }] },
        12,
        'deny a -> b.10 : 81',
      ),
      rule(
        'permit',
        { fromZones: ['inside'], toZones: ['outside'], protocol: 6 },
        13,
        'allow inside -> outside : tcp',
      ),
    ];
    const files = new Map(renderLinux(d, network([d])).map((f) => [f.path, f.content]));
    expect(throughDevice(files, PROBES).open).toEqual([true, false, false, false]);
  });
});
