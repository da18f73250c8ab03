// Reading a compile output folder back, for the drift check `plumb verify --configs DIR`: the
// manifest (backends/manifest.ts) names each device's platform and files; every file is read
// (bounded: pipeline/read-file.ts), compared with the hash the compiler wrote (hand edits), and
// every device is read through its backend. The DeviceModels go to the verifier
// (verifier/from-configs.ts), which builds the deployed network from them and the intent's
// endpoints, policy and assertions. The readers and the verifier meet here (and in
// pipeline/validate.ts): the verifier never imports a backend.
//
// A folder without a readable, valid manifest is a `problem` (the CLI: unreadable input, exit
// 2); a device whose files are missing or that its reader rejects, or a device the intent and
// the manifest disagree on, is an error diagnostic with the file and line, and the deployed
// network has no model then: nothing is proven on an incomplete network. The keys the files hold
// are compared with the intent's secrets' values (pipeline/key-drift.ts) when they can be read.

import { isLockPath } from '../language/lock.js';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DeviceModel, NetworkModel } from '../compiler/model.js';
import { backendFor } from '../backends/index.js';
import { deviceFiles, MANIFEST_FILE, readManifest, sha256, type Manifest, type ManifestDevice } from '../backends/output.js';
import type { ConfigLineRef, ReadSecret, RenderedFile } from '../backends/backend.js';
import type { Diagnostic } from '../language/diagnostic.js';
import { deployedModel, driftCheck, type ConfigDevice, type ConfigFolder, type DriftSummary } from '../verifier/from-configs.js';
import { ruleLines } from './config-lines.js';
import { checkKeys, maskKeys, unresolvedSecrets, type DeviceKeys, type KeyCheck } from './key-drift.js';
import { readRegularFile } from './read-file.js';
import { deviceFolders, foreignFolders, readRunningDevice, regularFiles, type RunningDevice } from './running.js';
import { resolveSecrets, usedSecrets, type SecretSources } from './secrets.js';
import { displayPath, type SourceText } from './sources.js';

/** Largest configuration file read back: ten times the largest the benchmark's network renders. */
export const MAX_CONFIG_FILE_BYTES = 64 * 1024 * 1024;

/**
 * One configuration file of an output folder as text, or undefined when it cannot be read: not
 * a regular file, over MAX_CONFIG_FILE_BYTES, or gone.
 */
export function readConfigFile(path: string): string | undefined {
  const read = readRegularFile(path, MAX_CONFIG_FILE_BYTES);
  return 'bytes' in read ? read.bytes.toString('utf8') : undefined;
}

export interface CompiledDevice {
  entry: ManifestDevice;
  /** The files as read; paths are `DIR/<site>/<device>/<file>` as shown (what diagnostics show). */
  files: RenderedFile[];
  /** Files whose content no longer has the manifest's hash (edited by hand), or missing. */
  changed: string[];
  missing: string[];
  /** Files in the device's folder that the manifest does not list (added by hand). */
  extra: string[];
  /** What the platform's backend reads from the files (absent: unreadable, or no backend). */
  device?: DeviceModel;
  diagnostics: Diagnostic[];
  /** The keys the files hold. */
  secrets: ReadSecret[];
}

/** Reads every device of an output folder through its backend; `shown` turns a path into the one reports show. */
export function readCompiledDevices(dir: string, manifest: Manifest, shown: (path: string) => string = (path) => path): CompiledDevice[] {
  return manifest.devices.map((entry) => {
    const files: RenderedFile[] = [];
    const changed: string[] = [];
    const missing: string[] = [];
    for (const f of entry.files) {
      const path = shown(join(dir, entry.dir, f.path));
      const content = readConfigFile(join(dir, entry.dir, f.path));
      if (content === undefined) {
        missing.push(path);
        continue;
      }
      if (sha256(content) !== f.sha256) changed.push(path);
      files.push({ path, content });
    }
    // Delta files (`compile --previous`) are Plumb's too, but not the device's configuration.
    const listed = new Set(deviceFiles(entry).map((f) => f.path));
    const extra = listFiles(join(dir, entry.dir))
      .filter((p) => !listed.has(p))
      .map((p) => shown(join(dir, entry.dir, p)));
    const backend = backendFor(entry.platform);
    if (!backend) return { entry, files, changed, missing, extra, diagnostics: [], secrets: [] };
    const result = backend.read(files, readContext(entry));
    return { entry, files, changed, missing, extra, ...(result.device ? { device: result.device } : {}), diagnostics: result.diagnostics, secrets: result.secrets ?? [] };
  });
}

export interface DeployedNetwork {
  /** Absent when a device is missing or unreadable (the diagnostics say which, where). */
  model?: NetworkModel;
  diagnostics: Diagnostic[];
  /** The configuration files, for showing the lines that diagnostics point at. */
  sources: SourceText[];
  /** What was compared (absent when no model was built): devices read back, differences found, and how many of them from running configurations. */
  summary?: DriftSummary & { running: number; keys?: KeyCheck };
  /** Per device read from running configuration, the lines outside Plumb's scope (devices with none left out). */
  unmanaged: { device: string; lines: ConfigLineRef[] }[];
}

/** Where the drift check reads the secrets' values; `required`: a secret that cannot be read is an error (C721–C723), not only a key left uncompared. */
export interface KeySources extends SecretSources {
  required?: boolean;
}

/** Why a folder cannot be read as a compile output at all, and what to give instead. */
export interface DeployedFolderProblem {
  message: string;
  hint: string;
}

/**
 * Reads the output folder `dirArg` (as the user wrote it, relative to `cwd`) and builds the
 * deployed network for the intent's model, with the drift diagnostics (V880–V889). `secrets`:
 * where the secrets' values are read from (absent: keys are compared by name only).
 */
export async function readDeployedNetwork(
  intent: NetworkModel,
  dirArg: string,
  intentSources: readonly SourceText[],
  cwd: string,
  secrets?: KeySources,
): Promise<DeployedNetwork | { problem: DeployedFolderProblem }> {
  const dir = resolve(cwd, dirArg);
  const shown = (abs: string): string => displayPath(abs, cwd);
  // No manifest, but site folders: what the devices print (pipeline/running.ts).
  if (isFolder(dir) && !existsSync(join(dir, MANIFEST_FILE)) && deviceFolders(dir).length > 0) return readRunningNetwork(intent, dir, shown, secrets);
  const read = readManifest(dir);
  if ('error' in read) {
    return {
      problem: {
        message: read.error.split(dir).join(dirArg),
        hint: `give the folder that \`plumb compile -o DIR\` wrote (it has ${MANIFEST_FILE}), or a folder of the devices' running configurations (DIR/<site>/<device>/)`,
      },
    };
  }
  const compiled = readCompiledDevices(dir, read.manifest, shown);
  // A device folder without the compiled files but with others holds the device's running configuration.
  const running = compiled.flatMap((d) => {
    const planned = intent.devices.find((x) => x.id === d.entry.id);
    const folder = join(dir, d.entry.dir);
    return planned && d.files.length === 0 && (regularFiles(folder) ?? []).length > 0 ? [readRunningDevice(planned, folder, shown)] : [];
  });
  const runningIds = new Set(running.map((r) => r.id));
  const folder: ConfigFolder = {
    manifest: shown(join(dir, MANIFEST_FILE)),
    otherIntent: !sameTexts(read.manifest, intentSources),
    devices: [...compiled.filter((d) => !runningIds.has(d.entry.id)).map((d) => configDevice(d, dir, shown)), ...running.map(runningConfigDevice)],
  };
  const sources = [...compiled.flatMap((d) => d.files), ...running.flatMap((r) => r.files)].map((f) => ({ path: f.path, text: f.content }));
  const keys = [...compiled.filter((d) => !runningIds.has(d.entry.id)).map((d) => ({ id: d.entry.id, secrets: d.secrets })), ...running];
  return compare(intent, folder, sources, running, [], deviceKeys(intent, keys), secrets);
}

/** `--configs DIR` where DIR has no manifest: every device's running configuration in `DIR/<site>/<device>/`. */
async function readRunningNetwork(intent: NetworkModel, dir: string, shown: (abs: string) => string, secrets: KeySources | undefined): Promise<DeployedNetwork> {
  const running = intent.devices.map((d) => readRunningDevice(d, join(dir, d.site, d.name), shown));
  const folder: ConfigFolder = { manifest: shown(dir), otherIntent: false, devices: running.map(runningConfigDevice) };
  const sources = running.flatMap((r) => r.files).map((f) => ({ path: f.path, text: f.content }));
  return compare(intent, folder, sources, running, foreignFolders(dir, intent, shown), deviceKeys(intent, running), secrets);
}

/** Each device's keys with the intent's device they belong to. */
function deviceKeys(intent: NetworkModel, devices: readonly { id: string; secrets: ReadSecret[] }[]): DeviceKeys[] {
  const byId = new Map(intent.devices.map((d) => [d.id, d]));
  return devices.flatMap((d) => {
    const compiled = byId.get(d.id);
    return compiled && d.secrets.length > 0 ? [{ compiled, secrets: d.secrets }] : [];
  });
}

/**
 * The deployed network, the drift check (models, then keys) and what was compared; `extra`
 * errors leave no model. The configuration lines returned for showing have their keys masked.
 */
async function compare(
  intent: NetworkModel,
  folder: ConfigFolder,
  sources: SourceText[],
  running: readonly RunningDevice[],
  extra: Diagnostic[],
  keys: readonly DeviceKeys[],
  secrets: KeySources | undefined,
): Promise<DeployedNetwork> {
  const deployed = deployedModel(intent, folder);
  const diagnostics = [...deployed.diagnostics, ...extra];
  const unmanaged = running.filter((r) => r.unmanaged.length > 0).map((r) => ({ device: r.id, lines: r.unmanaged }));
  const shown = maskKeys(sources, keys.flatMap((k) => k.secrets));
  if (!deployed.model || extra.length > 0) return { diagnostics, sources: shown, unmanaged };
  const drift = await driftCheck(intent, deployed.model, folder, { workers: 2 });
  diagnostics.push(...drift.diagnostics);
  const summary = { ...drift.summary, running: running.length };
  // An intent without secrets has no keys to compare, and its summary says nothing of them.
  if (usedSecrets(intent).size === 0) return { model: deployed.model, diagnostics, sources: shown, summary, unmanaged };
  const resolved = secrets ? resolveSecrets(intent, secrets) : undefined;
  if (secrets?.required) diagnostics.push(...(resolved?.diagnostics ?? []));
  const unresolved = resolved ? unresolvedSecrets(intent, resolved.diagnostics) : [...usedSecrets(intent).keys()].sort().map((secret) => ({ secret, reason: 'no source of secret values was given' }));
  const key = checkKeys(keys, resolved?.values ?? new Map(), unresolved, sources);
  diagnostics.push(...key.diagnostics);
  return { model: deployed.model, diagnostics, sources: shown, summary: { ...summary, differences: summary.differences + key.check.differing, keys: key.check }, unmanaged };
}

/** A device read from running configuration, for the verifier: no manifest, so nothing missing or changed. */
function runningConfigDevice(r: RunningDevice): ConfigDevice {
  const base = { id: r.id, files: r.files.map((f) => f.path), missing: [], changed: [], diagnostics: r.diagnostics };
  const backend = r.device && backendFor(r.device.platform);
  if (!r.device || !r.read || !backend) return base;
  return { ...base, device: r.device, ruleLines: ruleLines(backend, r.files, r.context, r.read) };
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** What the verifier needs of a device read back: its files as shown, and each rule's config line. */
function configDevice(read: CompiledDevice, dir: string, shown: (abs: string) => string): ConfigDevice {
  const { entry } = read;
  const base = {
    id: entry.id,
    files: entry.files.map((f) => shown(join(dir, entry.dir, f.path))),
    missing: read.missing,
    changed: read.changed,
    diagnostics: read.diagnostics,
  };
  const backend = backendFor(entry.platform);
  if (!read.device || !backend) return base;
  return { ...base, device: read.device, ruleLines: ruleLines(backend, read.files, readContext(entry), read.device) };
}

function readContext(entry: ManifestDevice): { id: string; site: string; name: string; role: ManifestDevice['role'] } {
  return { id: entry.id, site: entry.site, name: entry.name, role: entry.role };
}

/** The intent's files (plumb.lock aside, as the manifest lists them) have the contents the manifest recorded (paths may differ with the working folder). */
function sameTexts(manifest: Manifest, sources: readonly SourceText[]): boolean {
  const recorded = manifest.intent.sources.map((s) => s.sha256).sort();
  const now = sources.filter((s) => !isLockPath(s.path)).map((s) => sha256(s.text)).sort();
  return recorded.length === now.length && recorded.every((h, i) => h === now[i]);
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
