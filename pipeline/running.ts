// Running configurations for the drift check: `plumb verify --configs DIR` where DIR holds what
// the devices print (`DIR/<site>/<device>/`, every regular file of it read by the device's
// backend with `source: 'running'`), and what the `! plumb` comments of Plumb's own files would
// have carried, filled in from the intent's compiled device.
//
// The filling never hides a difference: it copies only what a configuration has no words for —
// an interface's role, link peer, segment, external and zone (where the reader found none), the
// intent lines behind the device, its interfaces, BGP neighbours, static routes and rules, a BGP
// neighbour's external, the router id annotation (where the reader found none), the name of the
// secret of a key read without one (a password, an OSPF key: names only; the values are compared
// by pipeline/key-drift.ts) — and never an
// address, a rule, a cost, a route or a session setting. A rule gets the intent line of the
// compiled rule with the same match and action (at the same place, or the one rule of that match
// and action on both sides); any other rule keeps its config line, so a rule added by hand
// points at its line in the file.

import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { ConfigLineRef, ReadContext, ReadSecret, RenderedFile } from '../backends/backend.js';
import { backendFor } from '../backends/index.js';
import { renameInterfaces } from '../backends/interface-names.js';
import type { BgpNeighborModel, DeviceModel, FilterRule, InterfaceModel, NatTranslation, NetworkModel, StaticRouteModel } from '../compiler/model.js';
import { diagnostic, fileSpan, type Diagnostic } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import { matchKey } from '../verifier/equivalence-filters.js';
import { translationText } from '../verifier/equivalence-nat.js';
import { readRegularFile } from './read-file.js';

/** Largest running configuration file read: as for a compile output's files. */
const MAX_RUNNING_FILE_BYTES = 64 * 1024 * 1024;

/** One device of a running folder, read. */
export interface RunningDevice {
  id: string;
  /** The device's folder as shown. */
  folder: string;
  files: RenderedFile[];
  context: ReadContext;
  /** What the backend read, with the intent's annotations filled in (absent: unreadable). */
  device?: DeviceModel;
  /** What the backend read, as read (for the rules' config lines). */
  read?: DeviceModel;
  diagnostics: Diagnostic[];
  unmanaged: ConfigLineRef[];
  /** The keys the files hold (compared by value: pipeline/key-drift.ts). */
  secrets: ReadSecret[];
}

/** Regular files directly in `dir`, sorted by name; undefined when `dir` is no folder. */
export function regularFiles(dir: string): string[] | undefined {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => e.name)
      .sort();
  } catch {
    return undefined;
  }
}

/** Sub-folders directly in `dir`, sorted; none when it cannot be read. */
function folders(dir: string): string[] {
  try {
    return readdirSync(dir, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name)
      .sort();
  } catch {
    return [];
  }
}

/** The `site/device` folders of a running folder (whatever the intent says). */
export function deviceFolders(dir: string): { site: string; name: string }[] {
  return folders(dir).flatMap((site) => folders(join(dir, site)).map((name) => ({ site, name })));
}

/**
 * Reads the running configuration of `compiled` (the intent's device) from `folder` (absolute;
 * `shown` turns a path into the one reports show): every regular file of it, through the
 * device's backend in 'running' mode. A folder with no file is an error (V887).
 */
export function readRunningDevice(compiled: DeviceModel, folder: string, shown: (abs: string) => string): RunningDevice {
  const context: ReadContext = { id: compiled.id, site: compiled.site, name: compiled.name, role: compiled.role, source: 'running' };
  const names = regularFiles(folder) ?? [];
  const files: RenderedFile[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const name of names) {
    const read = readRegularFile(join(folder, name), MAX_RUNNING_FILE_BYTES);
    if ('bytes' in read) files.push({ path: shown(join(folder, name)), content: read.bytes.toString('utf8') });
  }
  const base = { id: compiled.id, folder: shown(folder), files, context, unmanaged: [] as ConfigLineRef[], secrets: [] as ReadSecret[] };
  if (files.length === 0) {
    diagnostics.push(
      diagnostic(Codes.runningFolderMissing, compiled.origin, `device ${compiled.id} has no running configuration: ${shown(folder)} ${names.length > 0 || regularFiles(folder) ? 'has no readable file' : 'is missing'}`, {
        hint: `save what the device prints of its running configuration into ${shown(folder)} (docs/cli.md: --configs)`,
      }),
    );
    return { ...base, diagnostics };
  }
  const backend = backendFor(compiled.platform);
  if (!backend) return { ...base, diagnostics };
  const result = backend.read(files, context);
  diagnostics.push(...result.diagnostics);
  return {
    ...base,
    ...(result.device ? { device: fillFromIntent(result.device, compiled), read: result.device } : {}),
    diagnostics,
    unmanaged: result.unmanaged ?? [],
    secrets: result.secrets ?? [],
  };
}

/** The errors for folders of devices the intent does not have (V888). */
export function foreignFolders(dir: string, intent: NetworkModel, shown: (abs: string) => string): Diagnostic[] {
  const planned = new Set(intent.devices.map((d) => `${d.site}/${d.name}`));
  return deviceFolders(dir)
    .filter((f) => !planned.has(`${f.site}/${f.name}`))
    .map((f) =>
      diagnostic(Codes.runningFolderForeign, fileSpan(shown(join(dir, f.site, f.name))), `${shown(join(dir, f.site, f.name))} is the folder of device ${f.site}.${f.name}, which the intent does not have`, {
        hint: 'verify the configurations with the intent of these devices, or remove the folder',
      }),
    );
}

/** `read` with what only Plumb's annotations would have said, from the intent's `compiled` device. */
export function fillFromIntent(read: DeviceModel, compiled: DeviceModel): DeviceModel {
  const device = renameTagged(read, compiled);
  const byName = new Map(compiled.interfaces.map((i) => [i.name, i]));
  const interfaces = device.interfaces.map((i) => {
    const c = byName.get(i.name);
    return c ? fillInterface(i, c) : i;
  });
  const neighbors = new Map((compiled.bgp?.neighbors ?? []).map((n) => [n.address, n]));
  const out: DeviceModel = {
    ...device,
    origin: compiled.origin,
    interfaces,
    filters: device.filters.map((f) => {
      const c = compiled.filters.find((x) => x.name === f.name);
      return c ? { ...f, rules: fillRules(f.rules, c.rules) } : f;
    }),
    securityRules: fillRules(device.securityRules, compiled.securityRules),
    staticRoutes: device.staticRoutes.map((r) => fillRoute(r, compiled.staticRoutes)),
  };
  if (out.routerId === undefined && compiled.routerId !== undefined) out.routerId = compiled.routerId;
  if (device.bgp) out.bgp = { ...device.bgp, neighbors: device.bgp.neighbors.map((n) => fillNeighbor(n, neighbors.get(n.address))) };
  if (device.ospf) out.ospf = { ...device.ospf, interfaces: device.ospf.interfaces.map((o) => fillOspfSecret(o, compiled)) };
  if (device.nat) out.nat = { ...device.nat, translations: device.nat.translations.map((t, i) => fillTranslation(t, compiled.nat?.translations[i])) };
  return out;
}

/** A translation read where the compiled one at its place is the same: the intent's description and line. */
function fillTranslation(t: NatTranslation, c: NatTranslation | undefined): NatTranslation {
  return c && translationText(t) === translationText(c) ? { ...t, description: c.description, origin: c.origin } : t;
}

/** A tagged subinterface read as `X.N` where the intent's interface is `X` with VLAN N. */
function renameTagged(read: DeviceModel, compiled: DeviceModel): DeviceModel {
  const names = new Set(compiled.interfaces.map((i) => i.name));
  const renames = new Map<string, string>();
  for (const i of read.interfaces) {
    if (names.has(i.name) || i.vlan === undefined) continue;
    const c = compiled.interfaces.find((x) => x.vlan === i.vlan && i.name.startsWith(`${x.name}.`) && !read.interfaces.some((y) => y.name === x.name));
    if (c) renames.set(i.name, c.name);
  }
  return renames.size > 0 ? renameInterfaces(read, renames) : read;
}

function fillInterface(i: InterfaceModel, c: InterfaceModel): InterfaceModel {
  const out: InterfaceModel = { ...i, role: c.role, origin: c.origin };
  if (out.peer === undefined && c.peer) out.peer = c.peer;
  if (out.segment === undefined && c.segment !== undefined) out.segment = c.segment;
  if (out.external === undefined && c.external !== undefined) out.external = c.external;
  if (out.zone === undefined && c.zone !== undefined) out.zone = c.zone;
  return out;
}

function fillNeighbor(n: BgpNeighborModel, c: BgpNeighborModel | undefined): BgpNeighborModel {
  if (!c) return n;
  return { ...n, external: n.external === '' ? c.external : n.external, origin: c.origin, ...(n.password?.secret === '' && c.password ? { password: c.password } : {}) };
}

/** A key read without a comment (IOS drops them) gets the name of the intent's secret: a name, never a value. */
function fillOspfSecret(o: NonNullable<DeviceModel['ospf']>['interfaces'][number], compiled: DeviceModel): NonNullable<DeviceModel['ospf']>['interfaces'][number] {
  const c = compiled.ospf?.interfaces.find((x) => x.name === o.name)?.authentication;
  return o.authentication?.secret === '' && c ? { ...o, authentication: c } : o;
}

function fillRoute(r: StaticRouteModel, compiled: readonly StaticRouteModel[]): StaticRouteModel {
  const c = compiled.find((x) => x.prefix === r.prefix && x.nextHop === r.nextHop && x.interface === r.interface);
  return c ? { ...r, origin: c.origin } : r;
}

/**
 * Each rule's intent line from the compiled rule of the same action and match: the one at the
 * same index, else the only one of that action and match when the read list has only one too.
 */
function fillRules(read: readonly FilterRule[], compiled: readonly FilterRule[]): FilterRule[] {
  const key = (r: FilterRule): string => `${r.action} ${matchKey(r.match)}`;
  const count = (rules: readonly FilterRule[]): Map<string, number> => {
    const m = new Map<string, number>();
    for (const r of rules) m.set(key(r), (m.get(key(r)) ?? 0) + 1);
    return m;
  };
  const inRead = count(read);
  const inCompiled = count(compiled);
  return read.map((r, i) => {
    const k = key(r);
    const same = compiled[i];
    const c = same && key(same) === k ? same : inRead.get(k) === 1 && inCompiled.get(k) === 1 ? compiled.find((x) => key(x) === k) : undefined;
    return c ? { ...r, origin: c.origin } : r;
  });
}
