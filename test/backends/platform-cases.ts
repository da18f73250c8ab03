// The backend tests' data, one row per platform: its hand-built devices (the law on them, and
// the readers fuzzed on their files), the random devices the law read(render(d)) = d is checked
// on, and the settings of each run (seeds, number of runs, the noise the fuzzer inserts). The
// tests (roundtrip.test.ts, property.test.ts, reader-fuzz.test.ts) run every backend of the
// registry (BACKENDS) through its row, so a new platform adds a row here (the `satisfies` below
// asks for it), not test files.

import type fc from 'fast-check';
import type { DeviceModel, NetworkModel, Platform } from '../../compiler/model.js';
import { deviceArb } from './arbitrary.js';
import { allDevices, network } from './builder.js';
import { edgeRouter, firewall } from './vendor-fixtures.js';

export interface PlatformCase {
  /** The hand-built devices of the platform, each with the network it is rendered in. */
  handBuilt(): { device: DeviceModel; model: NetworkModel }[];
  /** Random devices of the platform, and how the law is run on them. */
  law: {
    devices: fc.Arbitrary<DeviceModel>;
    seed: number;
    numRuns: number;
    /** Whether the reader may warn about a random device (the Linux readers warn about little things). */
    warnings: boolean;
  };
  /** How the readers are fuzzed on the hand-built devices' files. */
  fuzz: {
    seed: number;
    numRuns: number;
    maxMutations: number;
    /** Text the fuzzer inserts: pieces of the platform's own syntax, and stray characters. */
    noise: readonly string[];
    /** Whether every span's line and column are checked against its offset (the line-based dialects). */
    exactSpans: boolean;
    /** Diagnostics the runs must provoke in all (a fuzzer that breaks nothing tests nothing). */
    minReported: number;
  };
}

/** The hand-built Linux and FRR devices of one platform, rendered in the network of all four. */
function linuxBoxes(platform: 'linux' | 'frr'): { device: DeviceModel; model: NetworkModel }[] {
  const devices = allDevices();
  const model = network(devices);
  return devices.filter((d) => d.platform === platform).map((device) => ({ device, model }));
}

const LINUX_NOISE = [
  '{',
  '}',
  '"',
  '#',
  '!',
  ';',
  ',',
  '@',
  'jump',
  'ip',
  'route',
  'nexthop',
  'exit',
  'router bgp',
  'neighbor',
  '10.0.0.0/33',
  '::/129',
  'le 24',
  '\t',
  'PLUMB_EOF',
  'address-family ipv6 unicast',
  'table inet plumb {',
  'chain x {',
  'elements = {',
  '@zone_',
  '@addr4_1',
  '\u00e9',
  '',
];

const VENDOR_NOISE = [
  '!',
  ' ! plumb interface role',
  ' remark',
  ' remark intent x',
  'interface',
  ' ip address 10.0.0.1',
  ' 10 permit tcp any',
  ' sequence 5 deny',
  'object-group network',
  ' neighbor 1.2.3.4 route-map',
  'route-map X permit',
  'ip prefix-list P seq 5 permit 10.0.0.0/33',
  'router bgp',
  '<entry name="x">',
  '</entry>',
  '<member>any</member>',
  '<!-- plumb interface name= -->',
  '<entry>',
  '<ip-netmask>10.0.0.0/40</ip-netmask>',
  '&',
  '"',
  '::/129',
  '\t',
  '\u00e9',
  '',
];

const linuxLaw = (platform: 'linux' | 'frr'): PlatformCase['law'] => ({
  devices: deviceArb(platform),
  seed: 20261125,
  numRuns: 300,
  warnings: true,
});

const linuxFuzz: PlatformCase['fuzz'] = {
  seed: 4242,
  numRuns: 150,
  maxMutations: 6,
  noise: LINUX_NOISE,
  exactSpans: true,
  minReported: 50,
};

const vendorFuzz: PlatformCase['fuzz'] = {
  seed: 20261125,
  numRuns: 300,
  maxMutations: 4,
  noise: VENDOR_NOISE,
  exactSpans: false,
  minReported: 1,
};

/** One hand-built device of its own. */
const alone = (device: DeviceModel): { device: DeviceModel; model: NetworkModel }[] => [
  { device, model: network([device]) },
];

export const PLATFORM_CASES = {
  linux: { handBuilt: () => linuxBoxes('linux'), law: linuxLaw('linux'), fuzz: linuxFuzz },
  frr: { handBuilt: () => linuxBoxes('frr'), law: linuxLaw('frr'), fuzz: linuxFuzz },
  'cisco-iosxe': {
    handBuilt: () => alone(edgeRouter()),
    law: { devices: deviceArb('cisco-iosxe'), seed: 20261125, numRuns: 250, warnings: false },
    fuzz: vendorFuzz,
  },
  'paloalto-panos': {
    handBuilt: () => alone(firewall()),
    law: { devices: deviceArb('paloalto-panos'), seed: 20261125, numRuns: 250, warnings: false },
    fuzz: vendorFuzz,
  },
} as const satisfies Record<Platform, PlatformCase>;

export function platformCase(platform: Platform): PlatformCase {
  return PLATFORM_CASES[platform];
}
