// A Linux or frr device with VLANs and address translation is rendered without making its FIB's
// routes (backends/linux/vlan.ts): a converged device's `fib` is an accessor that makes them when
// read (compiler/fib-views.ts), and the renamed copy with the NAT sides renamed, or read back under
// the model's names, must share it rather than spread the device (a spread reads it).

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import { withModelNames, withVlanNames } from '../../backends/linux/vlan.js';
import { fibView } from '../../compiler/fib-views.js';
import { SelectedFib } from '../../compiler/routing-rib.js';
import type { DeviceModel } from '../../compiler/model.js';
import { compileText } from '../compiler/helpers.js';

/** The nat example with the DMZ behind the frr uplink (which translates) on VLAN 40. */
function natWithVlan(): { gw: DeviceModel; model: ReturnType<typeof compileText>['model'] } {
  const text = readFileSync(new URL('../../examples/nat/nat.plumb', import.meta.url), 'utf8').replace(
    'segment dmz 10.40.0.0/24 at fra1.gw1',
    'segment dmz 10.40.0.0/24 at fra1.gw1 vlan 40',
  );
  const { model } = compileText(text);
  const gw = model.devices.find((d) => d.id === 'fra1.gw1')!;
  return { gw, model };
}

const unmade = (d: DeviceModel): boolean => fibView(d) instanceof SelectedFib;

describe('VLAN renaming of a translating Linux box', () => {
  it('renders without making the FIB, and renders the same once it is made', () => {
    const { gw, model } = natWithVlan();
    expect(gw.nat).toBeDefined();
    expect(gw.interfaces.some((i) => i.vlan === 40)).toBe(true);
    expect(unmade(gw)).toBe(true);
    const renamed = withVlanNames(gw);
    expect(renamed.nat!.inside.some((n) => n.endsWith('.40'))).toBe(true);
    expect(Object.keys(renamed)).toEqual(Object.keys(gw));
    expect(unmade(renamed)).toBe(true);
    const files = backendFor(gw.platform)!.render(gw, model);
    expect(unmade(gw)).toBe(true);
    // The copy shares the accessor: made once read, the same routes for both.
    const routes = renamed.fib;
    expect(routes.length).toBeGreaterThan(0);
    expect(gw.fib).toBe(routes);
    expect(backendFor(gw.platform)!.render(gw, model)).toEqual(files);
  });

  it('names read back under the model names without making the FIB', () => {
    const { gw } = natWithVlan();
    const linux = withVlanNames(gw);
    const back = withModelNames(linux, new Map(gw.interfaces.filter((i) => i.vlan !== undefined).map((i) => [`${i.name}.${i.vlan}`, i.name])));
    expect(unmade(linux) && unmade(back)).toBe(true);
    expect(Object.keys(back)).toEqual(Object.keys(gw));
    expect(back.nat).toEqual(gw.nat);
    expect(back.interfaces.map((i) => i.name)).toEqual(gw.interfaces.map((i) => i.name));
    expect(back.fib).toBe(gw.fib);
  });
});
