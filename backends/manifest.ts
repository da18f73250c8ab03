// manifest.json of a compile output folder: its format, and reading and validating it. Reading
// the devices of a folder back (for the drift check `plumb verify --configs DIR`) is
// pipeline/deployed.ts's.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PLATFORMS } from '../language/intent.js';
import type { Platform } from '../compiler/model.js';

export const MANIFEST_FILE = 'manifest.json';
export const MANIFEST_FORMAT = 1;

export interface ManifestFile {
  /** Relative to the device's folder. */
  path: string;
  sha256: string;
}

export interface ManifestDevice {
  id: string;
  site: string;
  name: string;
  role: 'router' | 'firewall';
  platform: Platform;
  /** The device's folder relative to the output folder: `<site>/<device>`. */
  dir: string;
  files: ManifestFile[];
  /** With `compile --previous`: what takes the device from the previous output to this one. */
  delta?: ManifestDelta;
}

/**
 * A device's change from the previous output (`compile --previous`): `changed` with the delta
 * files its platform writes (beside `files`, in the same folder), `unchanged` (no file differs:
 * nothing to do), `new` (the previous output has no such device, or had it on another platform:
 * apply its full configuration) or `full` (changed, but its platform writes no delta: apply the
 * full configuration).
 */
export interface ManifestDelta {
  status: 'changed' | 'unchanged' | 'new' | 'full';
  /** Relative to the device's folder; empty unless `changed`. */
  files: ManifestFile[];
}

export const DELTA_STATUSES: readonly ManifestDelta['status'][] = ['changed', 'unchanged', 'new', 'full'];

/** The previous output a `compile --previous` wrote its delta files against. */
export interface ManifestPrevious {
  /** sha256 of the previous output's manifest.json: the version the delta files apply over. */
  manifest: string;
  /** The previous output's `intent.sha256`. */
  intent: string;
  /** Devices of the previous output that this one no longer has, sorted by id. */
  removed: { id: string; platform: Platform; dir: string }[];
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  intent: {
    name: string;
    /** sha256 of the lines `<sha256 of the source>  <path>` (sha256sum's format), in order. */
    sha256: string;
    sources: { path: string; sha256: string }[];
  };
  /** Present when written with `compile --previous`. */
  previous?: ManifestPrevious;
  /** Sorted by id. */
  devices: ManifestDevice[];
}

export type ManifestRead = { manifest: Manifest } | { error: string };

/** Largest manifest read (one of 400 devices is about 100 KB): a bigger one is refused, not parsed. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Reads and validates `DIR/manifest.json`; `error` says what is wrong in one sentence. */
export function readManifest(dir: string): ManifestRead {
  const path = join(dir, MANIFEST_FILE);
  let text: string;
  try {
    const st = statSync(path);
    // A device or a FIFO would never end (or never start): only a regular file is read.
    if (!st.isFile()) return { error: `${path} is not a regular file` };
    if (st.size > MAX_MANIFEST_BYTES) return { error: `${path} is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB` };
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: `cannot read ${path}: ${code ?? String(err)}` };
  }
  return parseManifest(text, path);
}

/** Parses and validates the text of a manifest.json; `path` is for the message. */
export function parseManifest(text: string, path: string): ManifestRead {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return { error: `${path} is not valid JSON` };
  }
  const problem = manifestProblem(data);
  return problem ? { error: `${path}: ${problem}` } : { manifest: data as Manifest };
}

const str = (x: unknown): x is string => typeof x === 'string';
const hex = (x: unknown): boolean => str(x) && /^[0-9a-f]{64}$/.test(x);

function manifestProblem(data: unknown): string | undefined {
  if (typeof data !== 'object' || data === null) return 'not a JSON object';
  const m = data as Record<string, unknown>;
  if (m.format !== MANIFEST_FORMAT) return `format ${JSON.stringify(m.format)} is not ${MANIFEST_FORMAT}`;
  const intent = m.intent as Record<string, unknown> | undefined;
  if (!intent || !str(intent.name) || !hex(intent.sha256) || !Array.isArray(intent.sources))
    return '`intent` needs name, sha256 and sources';
  if (!Array.isArray(m.devices)) return '`devices` is not a list';
  for (const d of m.devices as Record<string, unknown>[]) {
    if (!d || !str(d.id) || !str(d.site) || !str(d.name) || !str(d.dir) || !Array.isArray(d.files))
      return 'a device needs id, site, name, dir and files';
    if (d.role !== 'router' && d.role !== 'firewall')
      return `device ${d.id}: role must be router or firewall`;
    if (!PLATFORMS.includes(d.platform as Platform))
      return `device ${d.id}: unknown platform ${JSON.stringify(d.platform)}`;
    if (d.dir.split('/').some((p) => p === '..' || p === ''))
      return `device ${d.id}: dir must stay inside the folder`;
    for (const f of d.files as Record<string, unknown>[]) {
      if (!fileEntry(f)) return `device ${d.id}: a file needs a relative path and a sha256`;
    }
    if (d.delta !== undefined) {
      const delta = d.delta as Record<string, unknown> | null;
      if (!delta || !DELTA_STATUSES.includes(delta.status as ManifestDelta['status']) || !Array.isArray(delta.files))
        return `device ${d.id}: \`delta\` needs a status (${DELTA_STATUSES.join(', ')}) and files`;
      for (const f of delta.files as Record<string, unknown>[]) {
        if (!fileEntry(f)) return `device ${d.id}: a delta file needs a relative path and a sha256`;
      }
    }
  }
  if (m.previous !== undefined) {
    const p = m.previous as Record<string, unknown> | null;
    if (!p || !hex(p.manifest) || !hex(p.intent) || !Array.isArray(p.removed))
      return '`previous` needs manifest, intent (sha256s) and removed';
    for (const r of p.removed as Record<string, unknown>[]) {
      if (!r || !str(r.id) || !str(r.dir) || !PLATFORMS.includes(r.platform as Platform))
        return '`previous.removed` lists devices with id, platform and dir';
    }
  }
  return undefined;
}

function fileEntry(f: Record<string, unknown> | null | undefined): boolean {
  return !!f && str(f.path) && hex(f.sha256) && !f.path.split('/').some((p) => p === '..' || p === '');
}

/** Every file a manifest lists for a device: its configuration files, then its delta files. */
export function deviceFiles(d: ManifestDevice): ManifestFile[] {
  return [...d.files, ...(d.delta?.files ?? [])];
}
