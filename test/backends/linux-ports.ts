// The ports a test namespace needs for a Linux or FRR box's setup.sh. A VLAN interface is an
// 802.1Q device setup.sh creates on its port, unless a device of that name exists already (the
// script's re-run path). A kernel without 802.1Q support (no `8021q`: some CI and container
// kernels) cannot create one: there the VLAN devices are made as plain veths beforehand, so the
// rest of the script still runs, and the tests that need real tagging are skipped loudly.

import { spawnSync } from 'node:child_process';
import type { DeviceModel } from '../../compiler/model.js';
import { vlanNames } from '../../backends/linux/vlan.js';

/** Whether this kernel creates 802.1Q devices (tried in a throwaway network namespace). */
export const VLAN_CAPABLE =
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link add p0 type dummy && ip link add link p0 name p0.5 type vlan id 5']).status === 0;

/** The interfaces to create before `d`'s setup.sh runs. */
export function linuxPorts(d: DeviceModel): string[] {
  const ports = d.interfaces.map((i) => i.name);
  return VLAN_CAPABLE ? ports : [...ports, ...vlanNames(d).values()];
}

/** True (with a loud message) when tagging cannot be tested here; in CI the tests run and fail. */
export function skipWithoutVlans(): boolean {
  if (VLAN_CAPABLE || process.env.CI) return false;
  console.warn('\n*** SKIPPING 802.1Q tagging checks: this kernel has no 8021q support. CI runs them. ***\n');
  return true;
}
