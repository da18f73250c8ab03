// The delta of an frr box: the Linux side's setup.delta.sh (backends/linux/delta.ts), and, when
// frr.conf changed, `frr.reload.sh`, which applies the new frr.conf to the running daemons with
// FRR's own frr-reload.py (Debian's frr-pythontools). frr-reload.py compares the file with
// FRR's running configuration (`show running-config`) and sends only the difference through
// vtysh (`no` lines for what the file no longer has, then the new lines), then saves it
// (`write`): the result is the new frr.conf whatever the previous version left running. The
// script checks first (`--test`: the new file must parse, and the lines it would change are
// printed) and stops there on an error.

import type { DeviceModel } from '../../compiler/model.js';
import type { RenderedFile } from '../backend.js';
import { setupDelta } from '../linux/delta.js';
import { NFT_FILE } from '../linux/nft-render.js';
import { commentText } from '../linux/text.js';
import { FRR_FILE } from './conf-render.js';

export const FRR_RELOAD_FILE = 'frr.reload.sh';

/** Where Debian's frr-pythontools installs frr-reload.py (FRR_RELOAD overrides it). */
export const FRR_RELOAD_PY = '/usr/lib/frr/frr-reload.py';

function reloadScript(device: DeviceModel): string {
  return [
    '#!/bin/sh',
    `# Applies this folder's ${FRR_FILE} to the running FRR of ${commentText(device.id)} with frr-reload.py`,
    '# (Debian frr-pythontools): only the difference from the running configuration is sent, then',
    '# it is saved. Run it on the device as root, after setup.delta.sh, setup.sh and nftables.conf.',
    '# Arguments go to frr-reload.py, e.g. --confdir DIR --vty_socket DIR for an FRR that is not',
    '# the system\'s (docs/deploy.md).',
    'set -eu',
    'here=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)',
    `reload=\${FRR_RELOAD:-${FRR_RELOAD_PY}}`,
    `"$reload" --test "$@" "$here/${FRR_FILE}"`,
    `"$reload" --reload "$@" "$here/${FRR_FILE}"`,
    '',
  ].join('\n');
}

/** The frr platform's delta: setup.delta.sh, and frr.reload.sh when frr.conf changed. */
export function frrDelta(previous: RenderedFile[], next: RenderedFile[], device: DeviceModel): RenderedFile[] {
  const conf = (files: RenderedFile[]) => files.find((f) => f.path === FRR_FILE)?.content;
  const reload = conf(previous) !== conf(next);
  const then = `sh setup.sh, nft -f ${NFT_FILE}${reload ? ` and sh ${FRR_RELOAD_FILE}` : ''}`;
  const setup = setupDelta(previous, next, device, then);
  return reload ? [...setup, { path: FRR_RELOAD_FILE, content: reloadScript(device) }] : setup;
}
