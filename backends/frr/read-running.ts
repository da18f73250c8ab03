// The frr backend's reader of what a running box prints (ReadContext.source 'running'):
// frr.conf is `vtysh -c 'show running-config'`, read as Plumb's own frr.conf is (FRR's header
// lines skipped, other top-level lines and blocks unmanaged: conf-read.ts), and the box's
// ruleset, interfaces, routes and sysctls are the linux backend's running files
// (linux/read-running.ts). A route in the kernel that FRR did not install (`ip route add` by
// hand) is read as one more static route: the box forwards by it. FRR prints keys as typed:
// each is listed in `secrets` for the drift check's comparison of values.

import { diagnostic, fileSpan, type Span } from '../../language/diagnostic.js';
import type { DeviceModel } from '../../compiler/model.js';
import type { ReadContext, ReadResult, RenderedFile } from '../backend.js';
import { fileNamed } from '../linux/read.js';
import { lineRefs, readLinuxRunning } from '../linux/read-running.js';
import { withModelNames } from '../linux/vlan.js';
import { Codes } from '../../language/diagnostics/index.js';
import { sortStaticRoutes } from '../canonical.js';
import { FRR_FILE } from './conf-render.js';
import { readFrrConf } from './conf-read.js';
import { checkOspfFamilies } from './conf-read-interfaces.js';

/**
 * The other name of the running frr.conf: in a compile output folder where some devices' folders
 * hold what they print, a folder with a file named frr.conf looks like compile output.
 */
export const FRR_RUNNING_FILE = 'running-config.txt';

export function readFrrRunning(files: RenderedFile[], context: ReadContext): ReadResult {
  const linux = readLinuxRunning(files, context, 'frr', [FRR_FILE, FRR_RUNNING_FILE]);
  const diagnostics = [...linux.diagnostics];
  const unmanaged: Span[] = [...linux.unmanaged];
  const conf = fileNamed(files, FRR_FILE) ?? fileNamed(files, FRR_RUNNING_FILE);
  if (!conf) {
    diagnostics.push(
      diagnostic(Codes.readerFileMissing, fileSpan(FRR_FILE), `the running frr device ${context.id} has no ${FRR_FILE}`, {
        hint: "capture it with `vtysh -c 'show running-config'` (docs/backends/frr.md)",
      }),
    );
    return { diagnostics, unmanaged: lineRefs(files, unmanaged) };
  }
  const frr = readFrrConf(conf.path, conf.content, { running: true, unmanaged });
  diagnostics.push(...frr.diagnostics);
  if (frr.hostname !== undefined && frr.hostname !== context.name) {
    diagnostics.push(
      diagnostic(Codes.readerOtherDevice, fileSpan(conf.path), `${conf.path} names the host ${frr.hostname}, not ${context.name}`, {
        severity: 'warning',
      }),
    );
  }
  if (!linux.device) return { diagnostics, unmanaged: lineRefs(files, unmanaged) };
  // The roles are the intent's (the pipeline fills them), so only the families are checked here:
  // each interface stands as the role its OSPF network type says.
  const p2p = new Set(frr.ospfInterfaces.filter((o) => o.p2p.v2 ?? o.p2p.v3).map((o) => o.name));
  const roles = linux.device.interfaces.map((i) =>
    i.role === 'loopback' ? i : { ...i, role: p2p.has(i.name) ? ('link' as const) : ('segment' as const) },
  );
  checkOspfFamilies(frr, roles, (code, span, message, hint) => diagnostics.push(diagnostic(code, span, message, { hint })));
  const device: DeviceModel = {
    ...linux.device,
    ...(frr.routerId !== undefined ? { routerId: frr.routerId } : {}),
    staticRoutes: sortStaticRoutes([...frr.staticRoutes, ...linux.device.staticRoutes]),
    ...(frr.ospf ? { ospf: frr.ospf } : {}),
    ...(frr.bgp ? { bgp: frr.bgp } : {}),
  };
  return { device: withModelNames(device, linux.vlanModelNames), diagnostics, unmanaged: lineRefs(files, unmanaged), ...(frr.secrets ? { secrets: frr.secrets } : {}) };
}
