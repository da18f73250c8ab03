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
export const backendConfigs: ConfigSource = async (dp, model) => {
  const backend = backendFor(dp.emulatedAs);
  if (!backend) throw new LabError(`no backend for platform ${dp.emulatedAs}`);
  const files = backend.render(dp.device, model);
  const configs: DeviceConfigs = {
    setupSh: pick(files, 'setup.sh'),
    nftables: pick(files, 'nftables.conf'),
    source: `${dp.emulatedAs} backend`,
  };
  if (PLATFORM_TRAITS[dp.emulatedAs].runsRoutingDaemon) configs.frrConf = pick(files, 'frr.conf');
  if (!dp.native) {
    configs.nftables = renderEmulatedFilters(dp.device);
    configs.source = `${dp.emulatedAs} backend (routing) + emulator filters (${dp.device.stateful ? 'stateful' : 'stateless'})`;
  }
  return configs;
};
