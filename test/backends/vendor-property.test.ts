// The law read(render(d)) = d (canonical order, fib empty) for random IOS-XE and PAN-OS devices,
// seeded so that a failure reproduces.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalDevice } from '../../backends/canonical.js';
import { ciscoIosxeBackend } from '../../backends/cisco-iosxe/index.js';
import { paloaltoPanosBackend } from '../../backends/paloalto-panos/index.js';
import type { Backend } from '../../backends/backend.js';
import type { DeviceModel } from '../../compiler/model.js';
import { contextOf, networkOf } from './vendor-fixtures.js';
import { iosDevice, panosDevice } from './vendor-arbitrary.js';

function law(backend: Backend, d: DeviceModel): void {
  const files = backend.render(d, networkOf([d]));
  expect(backend.render(d, networkOf([d]))).toEqual(files);
  const r = backend.read(files, contextOf(d));
  expect(r.diagnostics).toEqual([]);
  expect(r.device).toEqual(canonicalDevice(d));
}

describe('read(render(d)) = d for random devices (seeded)', () => {
  it('cisco-iosxe', () => {
    fc.assert(
      fc.property(iosDevice, (d) => law(ciscoIosxeBackend, d)),
      { seed: 20261125, numRuns: 250 },
    );
  });
  it('paloalto-panos', () => {
    fc.assert(
      fc.property(panosDevice, (d) => law(paloaltoPanosBackend, d)),
      { seed: 20261125, numRuns: 250 },
    );
  });
});
