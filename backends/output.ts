// The compile output folder: `DIR/<site>/<device>/` with each device's files, and
// `DIR/manifest.json` (format version, the intent's name and hashes, per device its identity,
// platform and files with their sha256). The same intent gives byte-identical output. Writing
// it is output-write.ts (staged inside DIR, manifest.json renamed in last as the commit point,
// only files Plumb wrote are replaced); which folders may be written is output-guard.ts.

import { isLockPath } from '../language/lock.js';
import { createHash } from 'node:crypto';
import type { DeviceModel, NetworkModel } from '../compiler/model.js';
import type { RenderedFile } from './backend.js';
import { backendFor } from './index.js';
import { deviceFiles, MANIFEST_FORMAT, type Manifest, type ManifestDelta, type ManifestDevice } from './manifest.js';
import { writeFolder, type WriteOptions, type WriteReport } from './output-write.js';
import { fillSecrets, hasPlaceholder } from './secret-text.js';

export { readManifest, deviceFiles, MANIFEST_FILE, MANIFEST_FORMAT } from './manifest.js';
export type { Manifest, ManifestDelta, ManifestDevice, ManifestFile, ManifestPrevious } from './manifest.js';
export { outputLocationProblem, replaceableProblem, type OutputLocation, type OutputProblem } from './output-guard.js';
export { OutputFolderError } from './output-lock.js';
export type { WriteOptions, WriteReport } from './output-write.js';

/** The sha256 of a text's UTF-8 bytes (or of the bytes, when given them). */
export function sha256(text: string | Uint8Array): string {
  return typeof text === 'string' ? createHash('sha256').update(text, 'utf8').digest('hex') : createHash('sha256').update(text).digest('hex');
}

export interface SourceFile {
  path: string;
  text: string;
}

export interface RenderedDevice {
  device: DeviceModel;
  /** Folder relative to DIR: `<site>/<device>`. */
  dir: string;
  files: RenderedFile[];
  /** With `compile --previous` (output-delta.ts): how the device changed, and its delta files. */
  delta?: { status: ManifestDelta['status']; files: RenderedFile[] };
}

export interface RenderedOutput {
  manifest: Manifest;
  devices: RenderedDevice[];
  /** Devices whose platform has no backend (nothing is written when there is one). */
  unsupported: DeviceModel[];
}

/** The devices whose platform no backend renders. */
export function unsupportedDevices(model: NetworkModel): DeviceModel[] {
  return devicesInOrder(model).filter((d) => !backendFor(d.platform));
}

/** The model's devices in output order (by id). */
export function devicesInOrder(model: NetworkModel): DeviceModel[] {
  return [...model.devices].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/**
 * One device's files, rendered by its platform's backend with the secrets' values filled in,
 * in path order; undefined when no backend renders its platform. Pure.
 */
export function renderDevice(d: DeviceModel, model: NetworkModel, secrets: ReadonlyMap<string, string> = new Map()): RenderedDevice | undefined {
  return renderDeviceFilled(d, model, secrets)?.rendered;
}

/**
 * renderDevice, and whether a file still holds a secret's placeholder once the values are
 * filled in (a secret without a value: such a file must not be written). Each file's text is
 * searched for placeholders once: at 400 devices that is 246 MB, and only the few files that
 * hold a placeholder are filled and searched again.
 */
export function renderDeviceFilled(
  d: DeviceModel,
  model: NetworkModel,
  secrets: ReadonlyMap<string, string> = new Map(),
): { rendered: RenderedDevice; unfilled: boolean } | undefined {
  const backend = backendFor(d.platform);
  if (!backend) return undefined;
  let unfilled = false;
  const files = backend.render(d, model).map((f) => {
    if (!hasPlaceholder(f.content)) return f;
    const filled = fillSecrets([f], secrets)[0]!;
    if (hasPlaceholder(filled.content)) unfilled = true;
    return filled;
  });
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { rendered: { device: d, dir: `${d.site}/${d.name}`, files }, unfilled };
}

/**
 * The manifest's `intent`: the intent's name and the hash of its sources in the given order
 * (plumb.lock aside): sha256 of the lines `<sha256 of the text>  <path>` (the format of
 * `sha256sum`).
 */
export function manifestIntent(name: string, sources: readonly SourceFile[]): Manifest['intent'] {
  // The intent's own files: plumb.lock is shared by the intents of a folder and rewritten by
  // any of them, and what it decides is in the configurations themselves.
  const sourceHashes = sources.filter((s) => !isLockPath(s.path)).map((s) => ({ path: s.path, sha256: sha256(s.text) }));
  return { name, sha256: sha256(sourceHashes.map((s) => `${s.sha256}  ${s.path}\n`).join('')), sources: sourceHashes };
}

/** A rendered device's entry in the manifest (`hashes`: its files' sha256 when known already). */
export function manifestDevice(r: RenderedDevice, hashes?: readonly string[]): ManifestDevice {
  return {
    id: r.device.id,
    site: r.device.site,
    name: r.device.name,
    role: r.device.role,
    platform: r.device.platform,
    dir: r.dir,
    files: r.files.map((f, i) => ({ path: f.path, sha256: hashes?.[i] ?? sha256(f.content) })),
  };
}

/**
 * Renders every device with its platform's backend, and the manifest. Pure: no file is
 * touched.
 */
export function renderOutput(
  model: NetworkModel,
  sources: readonly SourceFile[],
  secrets: ReadonlyMap<string, string> = new Map(),
): RenderedOutput {
  return renderOutputFilled(model, sources, secrets).output;
}

/**
 * renderOutput, and whether a file still holds a secret's placeholder once the values are
 * filled in (as renderDeviceFilled tells it per device, from the one search it makes anyway).
 */
export function renderOutputFilled(
  model: NetworkModel,
  sources: readonly SourceFile[],
  secrets: ReadonlyMap<string, string> = new Map(),
): { output: RenderedOutput; unfilled: boolean } {
  const devices: RenderedDevice[] = [];
  const unsupported: DeviceModel[] = [];
  let unfilled = false;
  for (const d of devicesInOrder(model)) {
    const filled = renderDeviceFilled(d, model, secrets);
    if (!filled) {
      unsupported.push(d);
      continue;
    }
    devices.push(filled.rendered);
    if (filled.unfilled) unfilled = true;
  }
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    intent: manifestIntent(model.name, sources),
    devices: devices.map((r) => manifestDevice(r)),
  };
  return { output: { manifest, devices, unsupported }, unfilled };
}

export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/**
 * Writes `output` into `dir` (backends/output-write.ts): files the previous manifest listed are
 * replaced or removed, anything else is kept. Throws OutputFolderError when the folder forbids
 * it, or an I/O error with `dir` holding the previous output. Callers check
 * `outputLocationProblem` first.
 */
export function writeOutput(dir: string, output: RenderedOutput, opts: WriteOptions = {}): WriteReport {
  const hashes = new Map<string, string>(
    output.manifest.devices.flatMap((d) => deviceFiles(d).map((f) => [`${d.dir}/${f.path}`, f.sha256])),
  );
  const files = output.devices.flatMap((d) =>
    outputFiles(d).map(({ file, mode }) => {
      const path = `${d.dir}/${file.path}`;
      return { path, content: file.content, mode, sha256: hashes.get(path) };
    }),
  );
  return writeFolder(dir, files, manifestText(output.manifest), opts);
}

/**
 * A device's files and delta files as written, each with its mode: a file that holds a key is
 * private (0600), and so are the delta files of a device that has one, which may carry it;
 * scripts are executable.
 */
export function outputFiles(d: RenderedDevice): { file: RenderedFile; mode: number }[] {
  const secret = d.files.some((f) => f.holdsSecret);
  const delta = new Set(d.delta?.files ?? []);
  return [...d.files, ...delta].map((file) => ({
    file,
    mode: file.holdsSecret || (secret && delta.has(file)) ? 0o600 : file.path.endsWith('.sh') ? 0o755 : 0o644,
  }));
}
