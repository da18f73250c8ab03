// VLANs on a Linux box: a model interface with `vlan N` (a segment or an external attached
// tagged) is configured as the 802.1Q device `NAME.N` on the port NAME, which carries the
// addresses; the port itself only goes up. The model keeps the port's name, as it does for
// IOS-XE's and PAN-OS's subinterfaces (backends/interface-names.ts): the renderers rename
// before writing, the readers rename back. setup.sh creates the device only when it is missing
// (iproute2 has no `replace` for links), so the script stays safe to re-run.

import type { Span } from '../../language/diagnostic.js';
import type { DeviceModel, InterfaceModel } from '../../compiler/model.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { renameInterfaces } from '../interface-names.js';
import { copyWithFib, shareFib } from '../../compiler/fib-views.js';

/** Model name → Linux name for every interface (the loopback aside) that carries a VLAN. */
export function vlanNames(d: DeviceModel): Map<string, string> {
  const out = new Map<string, string>();
  for (const i of d.interfaces) {
    if (i.vlan !== undefined && i.role !== 'loopback') out.set(i.name, `${i.name}.${i.vlan}`);
  }
  return out;
}

/** `d` with its VLAN interfaces under their Linux names. */
export function withVlanNames(d: DeviceModel): DeviceModel {
  return renamed(d, vlanNames(d));
}

/** `renameInterfaces`, and the NAT sides' interface names too (kept sorted). */
function renamed(d: DeviceModel, names: Map<string, string>): DeviceModel {
  const r = renameInterfaces(d, names);
  if (!r.nat || names.size === 0) return r;
  const side = (xs: readonly string[]): string[] => [...new Set(xs.map((n) => names.get(n) ?? n))].sort();
  return withKeys(r, { nat: { ...r.nat, inside: side(r.nat.inside), outside: side(r.nat.outside) } });
}

/**
 * `{ ...d, ...changes }` without reading `d.fib`: a converged device's `fib` is an accessor that
 * makes its routes when read (compiler/fib-views.ts), and a spread reads it. The copy shares the
 * accessor, so the routes are made only if someone reads them; keys keep their places.
 */
function withKeys(d: DeviceModel, changes: Partial<DeviceModel>): DeviceModel {
  const out = copyWithFib(d, []);
  Object.assign(out, changes);
  shareFib(d, out);
  return out;
}

/** The shell line that creates VLAN device `name` (id `id`) on `parent` unless it exists. */
export function vlanCommand(parent: string, name: string, id: number): string {
  return `ip link show dev ${name} >/dev/null 2>&1 || ip link add link ${parent} name ${name} type vlan id ${id}`;
}

const VLAN_LINE =
  /^ip link show dev (\S+) >\/dev\/null 2>&1 \|\| ip link add link (\S+) name (\S+) type vlan id (\d{1,4})$/;

/** A VLAN device read from setup.sh. */
export interface VlanDevice {
  name: string;
  parent: string;
  id: number;
}

/** The VLAN device a shell line creates; undefined when it is not `vlanCommand`'s line. */
export function readVlanCommand(text: string): VlanDevice | 'malformed' | undefined {
  const m = VLAN_LINE.exec(text);
  if (!m) return /^ip link show dev \S+ .*type vlan/.test(text) ? 'malformed' : undefined;
  const id = Number(m[4]);
  if (m[1] !== m[3] || m[3] !== `${m[2]}.${id}` || id < 1 || id > 4094) return 'malformed';
  return { name: m[3]!, parent: m[2]!, id };
}

/**
 * Checks that the interfaces with a VLAN (their `# interface` comments) and the VLAN devices
 * created are the same, and gives the model name (the port's) of each: Linux name → model name.
 */
export function checkVlans(
  interfaces: readonly InterfaceModel[],
  devices: ReadonlyMap<string, VlanDevice>,
  fileStart: Span,
  report: (code: DiagnosticCode, span: Span, message: string, hint?: string) => void,
): Map<string, string> {
  const out = new Map<string, string>();
  const byName = new Map(interfaces.map((i) => [i.name, i]));
  for (const i of interfaces) {
    if (i.vlan === undefined || i.role === 'loopback') continue;
    const dev = devices.get(i.name);
    if (!dev || dev.id !== i.vlan)
      report(
        Codes.readerMissingPart,
        i.origin.file === fileStart.file ? i.origin : fileStart,
        `${i.name} is in VLAN ${i.vlan}, but setup.sh creates no VLAN device ${i.name} with id ${i.vlan}: its packets would leave untagged`,
        `add \`${vlanCommand(i.name.replace(/\.\d+$/, ''), i.name, i.vlan)}\``,
      );
    else out.set(i.name, dev.parent);
  }
  for (const dev of devices.values()) {
    const i = byName.get(dev.name);
    if (!i || i.vlan !== dev.id)
      report(
        Codes.readerContradiction,
        fileStart,
        `setup.sh creates the VLAN device ${dev.name} (id ${dev.id}), but ${i ? `its interface comment says ${i.vlan === undefined ? 'no VLAN' : `VLAN ${i.vlan}`}` : 'configures no interface of that name'}`,
      );
  }
  return out;
}

/** A device read under Linux names, under the model's (`names` from `checkVlans`), sorted again. */
export function withModelNames(d: DeviceModel, names: Map<string, string>): DeviceModel {
  if (names.size === 0) return d;
  const r = renamed(d, names);
  const byName = <T extends { name: string }>(xs: T[]): T[] =>
    [...xs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return withKeys(r, { interfaces: byName(r.interfaces), ...(r.ospf ? { ospf: { ...r.ospf, interfaces: byName(r.ospf.interfaces) } } : {}) });
}
