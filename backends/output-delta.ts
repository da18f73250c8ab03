// `plumb compile -o DIR --previous OLD_DIR`: per device, what takes it from the previous output
// to the new one. Each device's platform says it (`Backend.delta`); this file matches the devices
// of both versions by id and records the outcome in the manifest (`previous`, and per device
// `delta`). Pure: the previous files are read, and checked against their manifest, by
// pipeline/previous.ts.

import type { RenderedFile } from './backend.js';
import { backendFor } from './index.js';
import type { Manifest, ManifestDelta, ManifestDevice, ManifestPrevious } from './manifest.js';
import { sha256, type RenderedDevice, type RenderedOutput } from './output.js';

/** A previous compile output, read and checked against its manifest. */
export interface PreviousOutput {
  manifest: Manifest;
  /** sha256 of its manifest.json as read: the version the delta files apply over. */
  manifestSha256: string;
  /** Each device's files (paths relative to the device's folder), by device id. */
  files: ReadonlyMap<string, RenderedFile[]>;
}

const byPath = (a: RenderedFile, b: RenderedFile): number => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

function sameFiles(a: readonly RenderedFile[], b: readonly RenderedFile[]): boolean {
  const x = [...a].sort(byPath);
  const y = [...b].sort(byPath);
  return x.length === y.length && x.every((f, i) => f.path === y[i]!.path && f.content === y[i]!.content);
}

/** What a device's files need to go from the previous output to the new one. */
export type DeviceDelta = NonNullable<RenderedDevice['delta']>;

function deviceDelta(r: RenderedDevice, previous: PreviousOutput, before: ManifestDevice | undefined): DeviceDelta {
  if (!before || before.platform !== r.device.platform) return { status: 'new', files: [] };
  const old = previous.files.get(r.device.id) ?? [];
  if (sameFiles(old, r.files)) return { status: 'unchanged', files: [] };
  const backend = backendFor(r.device.platform);
  if (!backend?.delta) return { status: 'full', files: [] };
  const files = [...backend.delta(old, r.files, r.device)].sort(byPath);
  const own = new Set(r.files.map((f) => f.path));
  for (const f of files) {
    if (own.has(f.path)) throw new Error(`the ${r.device.platform} delta of ${r.device.id} overwrites its own file ${f.path}`);
  }
  return { status: files.length > 0 ? 'changed' : 'unchanged', files };
}

/** Each device's delta over `previous` (RenderedDevice.delta), matched by id. */
export function deltasOver(previous: PreviousOutput): (r: RenderedDevice) => DeviceDelta {
  const before = new Map(previous.manifest.devices.map((d) => [d.id, d]));
  return (r) => deviceDelta(r, previous, before.get(r.device.id));
}

/** The manifest's `previous`: which manifest the deltas apply over, and the devices `ids` no longer has. */
export function manifestPrevious(previous: PreviousOutput, ids: ReadonlySet<string>): ManifestPrevious {
  const removed = previous.manifest.devices
    .filter((d) => !ids.has(d.id))
    .map((d) => ({ id: d.id, platform: d.platform, dir: d.dir }))
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { manifest: previous.manifestSha256, intent: previous.manifest.intent.sha256, removed };
}

/** A device's manifest entry with its delta. */
export function withManifestDelta(d: ManifestDevice, delta: DeviceDelta): ManifestDevice {
  const entry: ManifestDelta = { status: delta.status, files: delta.files.map((f) => ({ path: f.path, sha256: sha256(f.content) })) };
  return { ...d, delta: entry };
}

/**
 * The output with, per device, its delta over `previous` (RenderedDevice.delta), and the
 * manifest saying which previous manifest they apply over, each device's status and the
 * devices the new output no longer has.
 */
export function addDeltas(output: RenderedOutput, previous: PreviousOutput): RenderedOutput {
  const deltaOf = deltasOver(previous);
  const devices = output.devices.map((r): RenderedDevice => ({ ...r, delta: deltaOf(r) }));
  const byId = new Map(devices.map((r) => [r.device.id, r.delta!]));
  const manifest: Manifest = {
    format: output.manifest.format,
    intent: output.manifest.intent,
    previous: manifestPrevious(previous, new Set(byId.keys())),
    devices: output.manifest.devices.map((d): ManifestDevice => {
      const delta = byId.get(d.id);
      return delta ? withManifestDelta(d, delta) : d;
    }),
  };
  return { ...output, manifest, devices };
}
