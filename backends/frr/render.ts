// The frr backend's rendering: frr.conf for FRR's daemons, plus the Linux files of the same box
// (setup.sh for addresses and forwarding, nftables.conf for filters). zebra installs the routes.

import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import type { RenderedFile } from '../backend.js';
import { renderLinuxFiles } from '../linux/render.js';
import { withVlanNames } from '../linux/vlan.js';
import { FRR_FILE, renderFrrConf } from './conf-render.js';

export function renderFrr(device: DeviceModel, model: NetworkModel): RenderedFile[] {
  return [
    { path: FRR_FILE, content: renderFrrConf(withVlanNames(device), model) },
    ...renderLinuxFiles(device, model, { routes: false, routerIdComment: false }),
  ];
}
