// Which configuration each device of the lab runs. By default the backends' own files: an
// `frr` device runs the FRR backend's frr.conf, setup.sh and nftables.conf; a `linux` device
// the Linux backend's setup.sh and nftables.conf. A device of another platform runs the FRR
// backend's files for its model (routing), but its packet filter is the emulator's own
// rendering of the model (filters.ts), stateless or stateful as the platform is. Which is which
// is the platform table's (language/platforms.ts): what the lab runs a platform as, and whether
// that box runs a routing daemon (FRR, with its frr.conf).

import type { NetworkModel } from '../compiler/model.js';
import { PLATFORM_TRAITS } from '../language/platforms.js';
import type { RenderedFile } from '../backends/backend.js';
import { backendFor } from '../backends/index.js';
import type { DevicePlan } from './lab.js';
import { renderEmulatedFilters } from './filters.js';
import { natUnsupported } from './nat.js';
import { LabError } from './netns.js';

export interface DeviceConfigs {
  /** FRR's integrated config; absent: no routing daemon runs (linux devices). */
  frrConf?: string;
  /** A shell script run inside the namespace (iproute2 commands). */
  setupSh?: string;
  /** An nftables ruleset applied inside the namespace. */
  nftables?: string;
  /** Where the files came from, for the report. */
  source: string;
}

export type ConfigSource = (device: DevicePlan, model: NetworkModel) => Promise<DeviceConfigs>;

function pick(files: RenderedFile[], base: string): string | undefined {
  return files.find((f) => f.path === base || f.path.endsWith(`/${base}`))?.content;
}

/** The backends' files for a device (emulated platforms: FRR's routing, the emulator's filter). */
export const backendConfigs: ConfigSource = async (devicePlan, model) => {
  const backend = backendFor(devicePlan.emulatedAs);
  if (!backend) throw new LabError(`no backend for platform ${devicePlan.emulatedAs}`);
  // The lab's segments are untagged veths (and a container's kernel may lack 802.1Q): the
  // device's files are rendered as if its VLAN interfaces were plain ports.
  const files = backend.render({ ...devicePlan.device, interfaces: devicePlan.device.interfaces.map(({ vlan: _vlan, ...i }) => i) }, model);
  const configs: DeviceConfigs = {
    setupSh: pick(files, 'setup.sh'),
    nftables: pick(files, 'nftables.conf'),
    source: `${devicePlan.emulatedAs} backend`,
  };
  if (PLATFORM_TRAITS[devicePlan.emulatedAs].runsRoutingDaemon) configs.frrConf = pick(files, 'frr.conf');
  if (!devicePlan.native) {
    const unsupported = natUnsupported(devicePlan.device);
    if (unsupported) throw new LabError(unsupported);
    configs.nftables = renderEmulatedFilters(devicePlan.device, devicePlan.platform);
    configs.source = `${devicePlan.emulatedAs} backend (routing) + emulator filters (${devicePlan.device.stateful ? 'stateful' : 'stateless'})`;
  }
  return configs;
};
