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

/**
 * True (with a loud message) when tagging cannot be tested here. Unlike a missing Debian
 * package, a kernel without 802.1Q is nothing the CI job can install (a container shares its
 * host's kernel and cannot load modules), so this skips in CI too, saying so; the rendering and
 * reading of VLAN lines and setup.sh's other commands are tested either way.
 */
export function skipWithoutVlans(): boolean {
  if (VLAN_CAPABLE) return false;
  console.warn(`\n*** SKIPPING 802.1Q tagging checks: this kernel cannot create VLAN devices (no 8021q)${process.env.CI ? ', and a CI job cannot load kernel modules' : ''}. ***\n`);
  return true;
}
