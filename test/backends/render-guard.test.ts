// A model built by code (no `plumb check`) with names a config cannot carry is refused by every
// backend with one clear error before any file is written; descriptions are escaped instead.
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import { UnrenderableModelError } from '../../backends/render-guard.js';
import type { DeviceModel } from '../../compiler/model.js';
import { core2, gw1, network } from './builder.js';
import { edgeRouter, firewall, networkOf } from './vendor-fixtures.js';

const render = (d: DeviceModel): unknown => backendFor(d.platform)!.render(d, d.platform === 'linux' || d.platform === 'frr' ? network([d]) : networkOf([d]));

describe('names a backend cannot write are refused', () => {
  const cases: [string, () => DeviceModel, (d: DeviceModel) => void, RegExp][] = [
    ['linux: a path as an interface name', gw1, (d) => (d.interfaces[0]!.name = 'a/../../../x'), /interface "a\/..\/..\/..\/x" is not a valid interface name: the kernel refuses `\/`/],
    ['linux: a line break in a segment name', gw1, (d) => (d.interfaces.find((i) => i.segment)!.segment = 'web\naccept'), /segment "web\\naccept" is not one word/],
    ['frr: an interface name over 15 bytes', core2, (d) => (d.interfaces[0]!.name = 'eth1234567890123'), /at most 15 bytes/],
    ['frr: an interface name of 8 two-byte letters (16 bytes)', core2, (d) => (d.interfaces[0]!.name = 'éééééééé'), /at most 15 bytes \(this one has 16\)/],
    ['linux: a path in the last static route, after names that passed', gw1, (d) => (d.staticRoutes.at(-1)!.interface = 'a/b'), /route interface "a\/b" is not a valid interface name/],
    ['frr: a quote in a filter name', core2, (d) => (d.filters[0]!.name = 'f"x'), /filter "f\\"x" is not one word/],
    ['cisco-iosxe: a Linux name', edgeRouter, (d) => (d.interfaces[0]!.name = 'eth1'), /IOS-XE names are a full interface type/],
    ['cisco-iosxe: a device name with a path', edgeRouter, (d) => (d.name = '../etc'), /device name "..\/etc" is not a name/],
    ['paloalto-panos: a Linux name', firewall, (d) => (d.interfaces[0]!.name = 'eth1'), /PAN-OS names are `ethernetX\/Y`/],
  ];
  it.each(cases)('%s', (_, make, spoil, message) => {
    const d = make();
    render(d); // the unspoiled device renders
    spoil(d);
    expect(() => render(d)).toThrow(UnrenderableModelError);
    expect(() => render(d)).toThrow(message);
  });

  it('PAN-OS maps zone names itself: any zone name renders', () => {
    const d = firewall();
    const old = d.zones[0]!.name;
    d.zones[0]!.name = 'a zone\nwith "anything"';
    d.interfaces.filter((i) => i.zone === old).forEach((i) => (i.zone = d.zones[0]!.name));
    for (const r of d.securityRules) {
      r.match.fromZones = r.match.fromZones?.map((z) => (z === old ? d.zones[0]!.name : z));
      r.match.toZones = r.match.toZones?.map((z) => (z === old ? d.zones[0]!.name : z));
    }
    d.zones.sort((a, b) => (a.name < b.name ? -1 : 1));
    expect(() => render(d)).not.toThrow();
  });
});
