// The backend tests' data, one row per platform: which hand-built devices the readers are
// fuzzed on, which random devices the law read(render(d)) = d is checked on, and the settings of
// each run (seeds, number of runs, the noise the fuzzer inserts). The tests (property.test.ts,
// reader-fuzz.test.ts) run every backend of the registry (BACKENDS) through its row, so a new
// platform adds a row here (the `satisfies` below asks for it), not test files.

import type fc from 'fast-check';
import type { DeviceModel, NetworkModel, Platform } from '../../compiler/model.js';
import { deviceArb } from './arbitrary.js';
import { allDevices, network } from './builder.js';
import { edgeRouter, firewall } from './vendor-fixtures.js';

export interface PlatformCase {
  /** Random devices of the platform, and how the law is run on them. */
  law: {
    devices: fc.Arbitrary<DeviceModel>;
    seed: number;
    numRuns: number;
    /** Whether the reader may warn about a random device (the Linux readers warn about little things). */
    warnings: boolean;
  };
  /** Hand-built devices whose rendered files the readers are fuzzed on, and the runs. */
  fuzz: {
    subjects(): { device: DeviceModel; model: NetworkModel }[];
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

const linuxFuzz = (platform: 'linux' | 'frr'): PlatformCase['fuzz'] => ({
  subjects: () => linuxBoxes(platform),
  seed: 4242,
  numRuns: 150,
  maxMutations: 6,
  noise: LINUX_NOISE,
  exactSpans: true,
  minReported: 50,
});

const vendorFuzz = (device: () => DeviceModel): PlatformCase['fuzz'] => ({
  subjects: () => {
    const d = device();
    return [{ device: d, model: network([d]) }];
  },
  seed: 20261125,
  numRuns: 300,
  maxMutations: 4,
  noise: VENDOR_NOISE,
  exactSpans: false,
  minReported: 1,
});

export const PLATFORM_CASES = {
  linux: { law: linuxLaw('linux'), fuzz: linuxFuzz('linux') },
  frr: { law: linuxLaw('frr'), fuzz: linuxFuzz('frr') },
  'cisco-iosxe': {
    law: { devices: deviceArb('cisco-iosxe'), seed: 20261125, numRuns: 250, warnings: false },
    fuzz: vendorFuzz(edgeRouter),
  },
  'paloalto-panos': {
    law: { devices: deviceArb('paloalto-panos'), seed: 20261125, numRuns: 250, warnings: false },
    fuzz: vendorFuzz(firewall),
  },
} as const satisfies Record<Platform, PlatformCase>;

export function platformCase(platform: Platform): PlatformCase {
  return PLATFORM_CASES[platform];
}
