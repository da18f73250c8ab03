// compareConfiguration's keyed comparison: an item only expected, only actual, or with another
// value is a difference, and the differences come in key order, whatever the lists' order.

import { describe, expect, it } from 'vitest';
import type { DeviceModel, StaticRouteModel } from '../../compiler/model.js';
import { compareConfiguration } from '../../verifier/equivalence-config.js';
import { exampleModel } from './equivalence-helpers.js';

const at = (line: number): StaticRouteModel['origin'] => ({ file: 'a.plumb', start: { line, column: 1, offset: line }, end: { line, column: 2, offset: line + 1 } });

describe('compareConfiguration: static routes', () => {
  const device: DeviceModel = exampleModel('acme').devices[0]!;
  const routes: StaticRouteModel[] = [
    { prefix: '10.9.0.0/16', nextHop: '10.0.0.1', origin: at(1) },
    { prefix: '10.8.0.0/16', nextHop: '10.0.0.1', origin: at(2) },
    { prefix: '10.7.0.0/16', nextHop: '10.0.0.1', distance: 5, origin: at(3) },
  ];

  it('equal lists in any order: no difference', () => {
    const expected = { ...device, staticRoutes: routes };
    const actual = { ...device, staticRoutes: [...routes].reverse() };
    expect(compareConfiguration(expected, actual)).toEqual([]);
  });

  it('missing, extra and changed routes, in key order', () => {
    const expected = { ...device, staticRoutes: routes };
    const actual = {
      ...device,
      staticRoutes: [
        { prefix: '10.7.0.0/16', nextHop: '10.0.0.1', origin: at(13) },
        { prefix: '10.1.0.0/16', nextHop: '10.0.0.2', origin: at(14) },
        { prefix: '10.9.0.0/16', nextHop: '10.0.0.1', origin: at(11) },
      ],
    };
    expect(compareConfiguration(expected, actual)).toEqual([
      { kind: 'item', item: 'static route 10.1.0.0/16 via 10.0.0.2', actual: 'distance default', actualOrigin: at(14) },
      { kind: 'item', item: 'static route 10.7.0.0/16 via 10.0.0.1', expected: 'distance 5', actual: 'distance default', actualOrigin: at(13), expectedOrigin: at(3) },
      { kind: 'item', item: 'static route 10.8.0.0/16 via 10.0.0.1', expected: 'distance default', expectedOrigin: at(2) },
    ]);
  });
});
