// The frr backend's reader: frr.conf for routing, setup.sh and nftables.conf (the linux
// backend's reader) for interfaces and filters.

import { diagnostic, fileSpan } from '../../language/diagnostic.js';
import type { DeviceModel } from '../../compiler/model.js';
import type { ReadContext, ReadResult, RenderedFile } from '../backend.js';
import { fileNamed, readLinuxFiles } from '../linux/read.js';
import { FRR_FILE } from './conf-render.js';
import { readFrrConf } from './conf-read.js';
import { checkOspfFamilies } from './conf-read-interfaces.js';
import { withModelNames } from '../linux/vlan.js';
import { Codes } from '../../language/diagnostics/index.js';
import { readFrrRunning } from './read-running.js';

export function readFrr(files: RenderedFile[], context: ReadContext): ReadResult {
  if (context.source === 'running') return readFrrRunning(files, context);
  const linux = readLinuxFiles(files, context, 'frr', [FRR_FILE]);
  const diagnostics = [...linux.diagnostics];
  const conf = fileNamed(files, FRR_FILE);
  if (!conf) {
    diagnostics.push(
      diagnostic(
        Codes.readerFileMissing,
        fileSpan(FRR_FILE),
        `the frr device ${context.id} has no ${FRR_FILE}`,
      ),
    );
    return { diagnostics };
  }
  const frr = readFrrConf(conf.path, conf.content);
  diagnostics.push(...frr.diagnostics);
  if (frr.hostname !== undefined && frr.hostname !== context.name) {
    diagnostics.push(
      diagnostic(
        Codes.readerOtherDevice,
        fileSpan(conf.path),
        `${conf.path} names the host ${frr.hostname}, not ${context.name}`,
        { severity: 'warning' },
      ),
    );
  }
  if (!linux.device) return { diagnostics };
  checkOspfFamilies(frr, linux.device.interfaces, (code, span, message, hint) =>
    diagnostics.push(diagnostic(code, span, message, { hint })),
  );
  if (linux.device.staticRoutes.length > 0) {
    diagnostics.push(
      diagnostic(
        Codes.readerInexpressible,
        linux.device.staticRoutes[0]!.origin,
        'an frr device takes its routes from frr.conf: setup.sh must not add routes',
        { hint: 'move the route to frr.conf as `ip route`' },
      ),
    );
  }
  const { routerId: _unused, ...rest } = linux.device;
  const device: DeviceModel = {
    ...rest,
    ...(frr.routerId !== undefined ? { routerId: frr.routerId } : {}),
    staticRoutes: frr.staticRoutes,
    ...(frr.ospf ? { ospf: frr.ospf } : {}),
    ...(frr.bgp ? { bgp: frr.bgp } : {}),
  };
  return { device: withModelNames(device, linux.vlanModelNames), diagnostics, ...(frr.secrets ? { secrets: frr.secrets } : {}) };
}
