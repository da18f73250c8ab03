// The discard route (StaticRouteModel.discard) on every platform: each backend writes it in its
// own form (IOS-XE `Null0`, FRR `blackhole`, Linux `route replace blackhole`, PAN-OS
// `<nexthop><discard/></nexthop>`), its reader brings it back from the rendered file and from
// what the box prints (source 'running'), and translation validation tells it apart from a route
// with a next hop or from no route at all. The Linux and FRR boxes are brought up for real in
// namespaces of their own when the machine can (root, FRR, nftables).

import { describe, expect, it } from 'vitest';
import type { Backend, ReadResult, RenderedFile } from '../../backends/backend.js';
import { BACKENDS, backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { DeviceModel, NetworkModel, Platform, StaticRouteModel } from '../../compiler/model.js';
import { compareConfiguration } from '../../verifier/equivalence-config.js';
import { platformCase } from './platform-cases.js';
import { runningForm } from './iosxe-running-form.js';
import { runningSet, runningTree, runningXml } from './panos-running-form.js';
import { withIntentAnnotations } from './running-fill.js';
import { captureRunning } from './running-lab.js';
import { linuxPorts } from './linux-ports.js';
import { FRR_LOADABLE, PACKETS_POSSIBLE } from './tools.js';

const PREFIX = '100.64.20.0/24';

/** The first hand-built device of the platform, with a discard route added (and one with a distance). */
function withDiscard(platform: Platform): { device: DeviceModel; model: NetworkModel } {
  const { device: base, model } = platformCase(platform).handBuilt()[0]!;
  const origin = base.interfaces[0]!.origin;
  const routes: StaticRouteModel[] = [
    { prefix: PREFIX, discard: true, origin },
    { prefix: '100.64.21.0/24', discard: true, distance: 200, origin },
  ];
  const device = { ...base, staticRoutes: [...base.staticRoutes, ...routes] };
  return { device, model: { ...model, devices: model.devices.map((d) => (d.id === device.id ? device : d)) } };
}

function backend(platform: Platform): Backend {
  return backendFor(platform)!;
}

function read(d: DeviceModel, files: RenderedFile[], source?: 'running'): ReadResult {
  return backend(d.platform).read(files, { id: d.id, site: d.site, name: d.name, role: d.role, ...(source ? { source } : {}) });
}

/** What each platform writes for the two discard routes (one line of each). */
const WRITTEN: Record<string, RegExp[]> = {
  'cisco-iosxe': [/^ip route 100\.64\.20\.0 255\.255\.255\.0 Null0$/m, /^ip route 100\.64\.21\.0 255\.255\.255\.0 Null0 200$/m],
  frr: [/^ip route 100\.64\.20\.0\/24 blackhole$/m, /^ip route 100\.64\.21\.0\/24 blackhole 200$/m],
  linux: [/^route replace blackhole 100\.64\.20\.0\/24$/m, /^route replace blackhole 100\.64\.21\.0\/24 metric 200$/m],
  'paloalto-panos': [/<destination>100\.64\.20\.0\/24<\/destination>\s*<nexthop>\s*<discard\/>\s*<\/nexthop>/, /<destination>100\.64\.21\.0\/24<\/destination>\s*<nexthop>\s*<discard\/>\s*<\/nexthop>\s*<admin-dist>200<\/admin-dist>/],
};

/** The first discard route's text turned into a route with a next hop, per platform. */
const TO_NEXT_HOP: Record<string, [RegExp, string]> = {
  'cisco-iosxe': [/^(ip route 100\.64\.20\.0 255\.255\.255\.0) Null0$/m, '$1 192.0.2.1'],
  frr: [/^(ip route 100\.64\.20\.0\/24) blackhole$/m, '$1 192.0.2.1'],
  linux: [/^route replace blackhole (100\.64\.20\.0\/24)$/m, 'route replace $1 via 192.0.2.1'],
  'paloalto-panos': [/(<destination>100\.64\.20\.0\/24<\/destination>\s*<nexthop>\s*)<discard\/>/, '$1<ip-address>192.0.2.1</ip-address>'],
};

/** The first discard route's text removed, per platform. */
const REMOVED: Record<string, RegExp> = {
  'cisco-iosxe': /^ip route 100\.64\.20\.0 255\.255\.255\.0 Null0\n/m,
  frr: /^ip route 100\.64\.20\.0\/24 blackhole\n/m,
  linux: /^route replace blackhole 100\.64\.20\.0\/24\n/m,
  'paloalto-panos': /<entry name="route-100\.64\.20\.0_24">[\s\S]*?<\/entry>/,
};

function mainFile(files: RenderedFile[], platform: Platform): RenderedFile {
  const name = { 'cisco-iosxe': '.cfg', frr: 'frr.conf', linux: 'setup.sh', 'paloalto-panos': '.xml' }[platform as string]!;
  return files.find((f) => f.path.endsWith(name))!;
}

/** The platform's main file edited (PAN-OS: its XML alone, without the set file that must agree with it). */
function edited(files: RenderedFile[], platform: Platform, edit: (text: string) => string): RenderedFile[] {
  const target = mainFile(files, platform);
  const after = edit(target.content);
  expect(after).not.toBe(target.content);
  const kept = platform === 'paloalto-panos' ? [target] : files;
  return kept.map((f) => (f === target ? { ...f, content: after } : f));
}

/** The static route differences of what was read from `d`, those of the discard routes' prefixes with `only`. */
const routeItems = (d: DeviceModel, r: ReadResult, only = false): string[] =>
  compareConfiguration(d, r.device!)
    .filter((x) => x.item.startsWith('static route') && (!only || /^static route 100\.64\.2[01]\.0\/24 /.test(x.item)))
    .map((x) => `${x.item}: ${x.expected ?? '(absent)'} -> ${x.actual ?? '(absent)'}`);

/** The discard routes read back: prefix and distance. */
const discards = (r: ReadResult): string[] => r.device!.staticRoutes.filter((x) => x.discard).map((x) => `${x.prefix} ${x.distance ?? 'default'}`);
const DISCARDS = ['100.64.20.0/24 default', '100.64.21.0/24 200'];

describe('a discard route on every platform', () => {
  it('every platform is covered', () => {
    expect(BACKENDS.map((b) => b.platform).sort()).toEqual(Object.keys(WRITTEN).sort());
  });

  for (const b of BACKENDS) {
    const platform = b.platform;
    it(`${platform}: written in the platform's form and read back as the model`, () => {
      const { device, model } = withDiscard(platform);
      const files = b.render(device, model);
      for (const form of WRITTEN[platform]!) expect(mainFile(files, platform).content).toMatch(form);
      const r = read(device, files);
      expect(r.diagnostics).toEqual([]);
      expect(r.device).toEqual(canonicalDevice(device));
      expect(compareConfiguration(device, r.device!)).toEqual([]);
    });

    it(`${platform}: a discard route turned into a next hop, or removed, is a difference`, () => {
      const { device, model } = withDiscard(platform);
      const files = b.render(device, model);
      const [from, to] = TO_NEXT_HOP[platform]!;
      const hop = read(device, edited(files, platform, (t) => t.replace(from, to)));
      expect(hop.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      expect(routeItems(device, hop)).toEqual([
        `static route ${PREFIX} discard: distance default -> (absent)`,
        `static route ${PREFIX} via 192.0.2.1: (absent) -> distance default`,
      ]);
      const gone = read(device, edited(files, platform, (t) => t.replace(REMOVED[platform]!, '')));
      expect(gone.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      expect(routeItems(device, gone)).toEqual([`static route ${PREFIX} discard: distance default -> (absent)`]);
    });
  }

  it('the readers refuse a discard route with a next hop beside it', () => {
    const ios = withDiscard('cisco-iosxe');
    const iosFiles = edited(backend('cisco-iosxe').render(ios.device, ios.model), 'cisco-iosxe', (t) => t.replace(/ Null0$/m, ' Null0 192.0.2.1'));
    expect(read(ios.device, iosFiles).diagnostics.map((x) => x.message)).toContain('a route to Null0 takes no next hop');
    const pan = withDiscard('paloalto-panos');
    const panFiles = edited(backend('paloalto-panos').render(pan.device, pan.model), 'paloalto-panos', (t) => t.replace('<discard/>', '<discard/><ip-address>192.0.2.1</ip-address>'));
    expect(read(pan.device, panFiles).diagnostics.map((x) => x.severity)).toContain('error');
    const linux = withDiscard('linux');
    const linuxFiles = edited(backend('linux').render(linux.device, linux.model), 'linux', (t) => t.replace(/^(route replace blackhole 100\.64\.20\.0\/24)$/m, '$1 via 192.0.2.1'));
    expect(read(linux.device, linuxFiles).diagnostics.map((x) => x.message)).toContain('unknown argument `via` of a blackhole route');
  });

  it('FRR reads `Null0` as `blackhole` and refuses `reject`', () => {
    const { device, model } = withDiscard('frr');
    const files = backend('frr').render(device, model);
    const null0 = read(device, edited(files, 'frr', (t) => t.replace(/^(ip route 100\.64\.20\.0\/24) blackhole$/m, '$1 Null0')));
    expect(null0.diagnostics).toEqual([]);
    expect(routeItems(device, null0)).toEqual([]);
    const reject = read(device, edited(files, 'frr', (t) => t.replace(/^(ip route 100\.64\.20\.0\/24) blackhole$/m, '$1 reject')));
    expect(reject.diagnostics.map((x) => `${x.code} ${x.message}`)).toEqual(['R904 Plumb has no reject routes (its discard routes are `blackhole`)']);
  });
});

describe('a discard route in what a box prints', () => {
  it('IOS-XE: show running-config', () => {
    const { device, model } = withDiscard('cisco-iosxe');
    const cfg = mainFile(backend('cisco-iosxe').render(device, model), 'cisco-iosxe').content;
    const printed = runningForm(cfg);
    expect(printed).toMatch(/^ip route 100\.64\.20\.0 255\.255\.255\.0 Null0$/m);
    const r = read(device, [{ path: 'running-config.txt', content: printed }], 'running');
    expect(r.diagnostics).toEqual([]);
    expect(discards(r)).toEqual(DISCARDS);
    expect(routeItems(device, { ...r, device: withIntentAnnotations(r.device!, device) })).toEqual([]);
  });

  it('PAN-OS: show config running, as XML and as set commands', () => {
    const { device, model } = withDiscard('paloalto-panos');
    const xml = mainFile(backend('paloalto-panos').render(device, model), 'paloalto-panos').content;
    const set = runningSet(runningTree(xml));
    expect(set).toMatch(/static-route route-100\.64\.20\.0_24 nexthop discard$/m);
    for (const file of [{ path: 'running.xml', content: runningXml(runningTree(xml)) }, { path: 'running.txt', content: set }]) {
      const r = read(device, [file], 'running');
      expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      expect(discards(r)).toEqual(DISCARDS);
      expect(routeItems(device, { ...r, device: withIntentAnnotations(r.device!, device) })).toEqual([]);
    }
  });

  const skip = !(FRR_LOADABLE && PACKETS_POSSIBLE) && !process.env.CI;
  if (skip) console.warn('\n*** SKIPPING the running discard routes of real Linux and FRR boxes: needs root, Debian frr, nftables and iproute2. CI runs them. ***\n');
  for (const platform of ['linux', 'frr'] as const) {
    it.skipIf(skip)(`${platform}: a real box brought up from its files prints the discard routes back`, async () => {
      const { device, model } = withDiscard(platform);
      const files = backend(platform).render(device, model);
      const run = await captureRunning(files, linuxPorts(device), { frr: platform === 'frr', hostname: device.name });
      expect(run.output).toBe('');
      expect(run.status).toBe(0);
      const r = read(device, run.before, 'running');
      expect(r.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      // The kernel names each next hop's interface; only the discard routes are this test's.
      expect(discards(r)).toEqual(DISCARDS);
      expect(routeItems(device, r, true)).toEqual([]);
    }, 240_000);
  }
});
