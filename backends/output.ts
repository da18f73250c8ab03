// The compile output folder: `DIR/<site>/<device>/` with each device's files, and
// `DIR/manifest.json` (format version, the intent's name and hashes, per device its identity,
// platform and files with their sha256). Written atomically: everything is built in a
// temporary folder beside DIR, then swapped in by rename; a failed run leaves DIR as it was.
// The same intent gives byte-identical output.

import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { DeviceModel, NetworkModel } from '../compiler/model.js';
import type { RenderedFile } from './backend.js';
import { backendFor } from './index.js';
import { MANIFEST_FILE, MANIFEST_FORMAT, type Manifest, type ManifestDevice } from './manifest.js';

export { readManifest, readCompiledDevices, MANIFEST_FILE, MANIFEST_FORMAT } from './manifest.js';
export type { Manifest, ManifestDevice, ManifestFile, CompiledDevice } from './manifest.js';

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
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
}

export interface RenderedOutput {
  manifest: Manifest;
  devices: RenderedDevice[];
  /** Devices whose platform has no backend (nothing is written when there is one). */
  unsupported: DeviceModel[];
}

/**
 * Renders every device with its platform's backend, and the manifest. Pure: no file is
 * touched. The intent's hash covers its sources in the given order: sha256 of the lines
 * `<sha256 of the text>  <path>` (the format of `sha256sum`).
 */
export function renderOutput(model: NetworkModel, sources: readonly SourceFile[]): RenderedOutput {
  const devices: RenderedDevice[] = [];
  const unsupported: DeviceModel[] = [];
  for (const d of [...model.devices].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const backend = backendFor(d.platform);
    if (!backend) {
      unsupported.push(d);
      continue;
    }
    const files = [...backend.render(d, model)].sort((a, b) =>
      a.path < b.path ? -1 : a.path > b.path ? 1 : 0,
    );
    devices.push({ device: d, dir: `${d.site}/${d.name}`, files });
  }
  const sourceHashes = sources.map((s) => ({ path: s.path, sha256: sha256(s.text) }));
  const manifest: Manifest = {
    format: MANIFEST_FORMAT,
    intent: {
      name: model.name,
      sha256: sha256(sourceHashes.map((s) => `${s.sha256}  ${s.path}\n`).join('')),
      sources: sourceHashes,
    },
    devices: devices.map((r): ManifestDevice => ({
      id: r.device.id,
      site: r.device.site,
      name: r.device.name,
      role: r.device.role,
      platform: r.device.platform,
      dir: r.dir,
      files: r.files.map((f) => ({ path: f.path, sha256: sha256(f.content) })),
    })),
  };
  return { manifest, devices, unsupported };
}

export function manifestText(manifest: Manifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Why `dir` cannot be replaced, or undefined when it can (absent, empty, or a Plumb output). */
export function replaceableProblem(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (!statSync(dir).isDirectory()) return `${dir} exists and is not a folder`;
  if (readdirSync(dir).length === 0) return undefined;
  if (!existsSync(join(dir, MANIFEST_FILE)))
    return `${dir} is not empty and has no ${MANIFEST_FILE}: it is not a Plumb output folder, so it is left alone`;
  return undefined;
}

/**
 * Writes `output` to `dir`: built in `<dir>.tmp-<pid>` beside it, then renamed into place (the
 * previous `dir`, if any, is renamed aside first and removed after). Throws on I/O errors with
 * `dir` unchanged. Callers check `replaceableProblem` first.
 */
export function writeOutput(dir: string, output: RenderedOutput): void {
  const parent = dirname(dir);
  mkdirSync(parent, { recursive: true });
  const tmp = join(parent, `.${basename(dir)}.tmp-${process.pid}`);
  const old = join(parent, `.${basename(dir)}.old-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  try {
    mkdirSync(tmp);
    for (const d of output.devices) {
      const folder = join(tmp, d.dir);
      mkdirSync(folder, { recursive: true });
      for (const f of d.files) {
        mkdirSync(dirname(join(folder, f.path)), { recursive: true });
        writeFileSync(join(folder, f.path), f.content, { mode: f.path.endsWith('.sh') ? 0o755 : 0o644 });
      }
    }
    writeFileSync(join(tmp, MANIFEST_FILE), manifestText(output.manifest));
  } catch (err) {
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const hadOld = existsSync(dir);
  if (hadOld) renameSync(dir, old);
  try {
    renameSync(tmp, dir);
  } catch (err) {
    if (hadOld) renameSync(old, dir);
    rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  if (hadOld) rmSync(old, { recursive: true, force: true });
}
