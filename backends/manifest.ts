// manifest.json of a compile output folder: its format, and reading a folder back (for the
// drift check `plumb verify --configs DIR`): the manifest, each device's files, whether they
// still have the hashes the compiler wrote, and the DeviceModels its backend reads from them.

import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync, readSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../language/diagnostic.js';
import { PLATFORMS } from '../language/intent.js';
import type { DeviceModel, Platform } from '../compiler/model.js';
import type { RenderedFile } from './backend.js';
import { backendFor } from './index.js';

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
}

export interface Manifest {
  format: typeof MANIFEST_FORMAT;
  intent: {
    name: string;
    /** sha256 of the lines `<sha256 of the source>  <path>` (sha256sum's format), in order. */
    sha256: string;
    sources: { path: string; sha256: string }[];
  };
  /** Sorted by id. */
  devices: ManifestDevice[];
}

export type ManifestRead = { manifest: Manifest } | { error: string };

/** Largest manifest read (one of 400 devices is about 100 KB): a bigger one is refused, not parsed. */
export const MAX_MANIFEST_BYTES = 64 * 1024 * 1024;

/** Reads and validates `DIR/manifest.json`; `error` says what is wrong in one sentence. */
export function readManifest(dir: string): ManifestRead {
  const path = join(dir, MANIFEST_FILE);
  let data: unknown;
  try {
    const st = statSync(path);
    // A device or a FIFO would never end (or never start): only a regular file is read.
    if (!st.isFile()) return { error: `${path} is not a regular file` };
    if (st.size > MAX_MANIFEST_BYTES) return { error: `${path} is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB` };
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { error: code ? `cannot read ${path}: ${code}` : `${path} is not valid JSON` };
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
      if (!f || !str(f.path) || !hex(f.sha256) || f.path.split('/').some((p) => p === '..' || p === ''))
        return `device ${d.id}: a file needs a relative path and a sha256`;
    }
  }
  return undefined;
}

export interface CompiledDevice {
  entry: ManifestDevice;
  /** The files as read; paths are `DIR/<site>/<device>/<file>` (what diagnostics show). */
  files: RenderedFile[];
  /** Files whose content no longer has the manifest's hash (edited by hand), or missing. */
  changed: string[];
  missing: string[];
  /** Files in the device's folder that the manifest does not list (added by hand). */
  extra: string[];
  /** What the platform's backend reads from the files (absent: unreadable, or no backend). */
  device?: DeviceModel;
  diagnostics: Diagnostic[];
}

/** Largest configuration file read back: ten times the largest the benchmark's network renders. */
export const MAX_CONFIG_FILE_BYTES = 64 * 1024 * 1024;

/**
 * One configuration file of an output folder as text, or undefined when it cannot be read: not
 * a regular file (a FIFO or a device would block or never end, so it is never waited on), over
 * MAX_CONFIG_FILE_BYTES, or gone. The size the file system claims is not trusted.
 */
export function readConfigFile(path: string): string | undefined {
  let fd: number;
  try {
    if (!statSync(path).isFile()) return undefined;
    // O_NONBLOCK: should the path have become a FIFO since the stat, opening it does not wait.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch {
    return undefined;
  }
  try {
    if (!fstatSync(fd).isFile()) return undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(1024 * 1024);
      const n = readSync(fd, chunk, 0, chunk.length, null);
      if (n === 0) break;
      total += n;
      if (total > MAX_CONFIG_FILE_BYTES) return undefined;
      chunks.push(chunk.subarray(0, n));
    }
    return Buffer.concat(chunks, total).toString('utf8');
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** Reads every device of an output folder through its backend. */
export function readCompiledDevices(dir: string, manifest: Manifest): CompiledDevice[] {
  return manifest.devices.map((entry) => {
    const files: RenderedFile[] = [];
    const changed: string[] = [];
    const missing: string[] = [];
    for (const f of entry.files) {
      const path = join(dir, entry.dir, f.path);
      const content = readConfigFile(path);
      if (content === undefined) {
        missing.push(path);
        continue;
      }
      if (createHash('sha256').update(content, 'utf8').digest('hex') !== f.sha256) changed.push(path);
      files.push({ path, content });
    }
    const listed = new Set(entry.files.map((f) => f.path));
    const extra = listFiles(join(dir, entry.dir))
      .filter((p) => !listed.has(p))
      .map((p) => join(dir, entry.dir, p));
    const backend = backendFor(entry.platform);
    if (!backend) return { entry, files, changed, missing, extra, diagnostics: [] };
    const result = backend.read(files, {
      id: entry.id,
      site: entry.site,
      name: entry.name,
      role: entry.role,
    });
    return {
      entry,
      files,
      changed,
      missing,
      extra,
      ...(result.device ? { device: result.device } : {}),
      diagnostics: result.diagnostics,
    };
  });
}

/** Files under `dir`, relative to it, sorted; none when it cannot be read. */
function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string): void => {
    let entries;
    try {
      entries = readdirSync(d, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (e.isDirectory()) walk(join(d, e.name), `${rel}${e.name}/`);
      else out.push(`${rel}${e.name}`);
    }
  };
  walk(dir, '');
  return out.sort();
}
