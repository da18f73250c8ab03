// The linux backend's rendering: setup.sh (addresses, kernel routes, forwarding) and
// nftables.conf (filters). The frr backend reuses both, without the kernel routes. Every name
// is checked first (render-guard.ts): interface names as Linux names, whatever the device's
// platform (the emulator renders IOS-XE and PAN-OS devices here after renaming their interfaces).
// An interface with a VLAN is written under its 802.1Q device's name (vlan.ts).

import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import type { RenderedFile } from '../backend.js';
import { requireWritableNames } from '../render-guard.js';
import { NFT_FILE, renderNftables } from './nft-render.js';
import { renderSetup, SETUP_FILE, type SetupOptions } from './setup-render.js';
import { withVlanNames } from './vlan.js';

/** The Linux files of a box; `options` says what its routing daemon (if any) does instead. */
export function renderLinuxFiles(
  device: DeviceModel,
  model: NetworkModel,
  options: SetupOptions,
): RenderedFile[] {
  const d = withVlanNames(device);
  requireWritableNames(d, { interfacesOf: 'linux', bareWords: true });
  return [
    { path: NFT_FILE, content: renderNftables(d, model) },
    { path: SETUP_FILE, content: renderSetup(d, model, options) },
  ];
}

export function renderLinux(device: DeviceModel, model: NetworkModel): RenderedFile[] {
  return renderLinuxFiles(device, model, { routes: true, routerIdComment: true });
}
