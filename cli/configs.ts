// `plumb verify --configs DIR`: the drift check. Reads the compile output folder DIR (its
// manifest names each device's platform and files), reads every device through its backend,
// and hands the DeviceModels to the verifier (verifier/from-configs.ts), which builds the
// deployed network from them and the intent's endpoints, policy and assertions. This is the
// only place where the readers and the verifier meet: the verifier never imports a backend.
//
// Exit codes (docs/cli.md): a folder without a readable, valid manifest is unreadable input
// (exit 2, thrown as a UsageError); a device whose files are missing or that its reader
// rejects, or a device the intent and the manifest disagree on, is an error diagnostic with the
// file and line (exit 1), and no assertion is proven on the incomplete network.

import { join, resolve } from 'node:path';
import type { NetworkModel } from '../compiler/model.js';
import { backendFor } from '../backends/index.js';
import { MANIFEST_FILE, readManifest, sha256, type Manifest } from '../backends/output.js';
import { readConfigFile } from '../backends/manifest.js';
import type { RenderedFile } from '../backends/backend.js';
import type { Diagnostic } from '../language/diagnostic.js';
import { deployedModel, driftDiagnostics, type ConfigDevice, type ConfigFolder } from '../verifier/from-configs.js';
import { UsageError } from './io.js';
import type { CommandContext } from './program.js';
import { displayPath, type SourceText } from '../pipeline/sources.js';
import { ruleLines } from './config-lines.js';

export interface DeployedNetwork {
  /** Absent when a device is missing or unreadable (the diagnostics say which, where). */
  model?: NetworkModel;
  diagnostics: Diagnostic[];
  /** The configuration files, for showing the lines that diagnostics point at. */
  sources: SourceText[];
}

/** Reads DIR and builds the deployed network for the intent's model; throws UsageError (exit 2) for a bad manifest. */
export async function deployedNetwork(intent: NetworkModel, dirArg: string, sources: readonly SourceText[], ctx: CommandContext): Promise<DeployedNetwork> {
  const dir = resolve(ctx.io.cwd, dirArg);
  const read = readManifest(dir);
  if ('error' in read) {
    throw new UsageError(read.error.split(dir).join(dirArg), `give the folder that \`plumb compile -o DIR\` wrote (it has ${MANIFEST_FILE})`);
  }
  const shown = (abs: string): string => displayPath(abs, ctx.io.cwd);
  const folder = readFolder(dir, read.manifest, shown);
  folder.config.otherIntent = !sameTexts(read.manifest, sources);
  const deployed = deployedModel(intent, folder.config);
  const diagnostics = [...deployed.diagnostics];
  if (deployed.model) diagnostics.push(...(await driftDiagnostics(intent, deployed.model, folder.config, { workers: 2 })));
  return { ...(deployed.model ? { model: deployed.model } : {}), diagnostics, sources: folder.sources };
}

/** The intent's files have the contents the manifest recorded (paths may differ with the working folder). */
function sameTexts(manifest: Manifest, sources: readonly SourceText[]): boolean {
  const recorded = manifest.intent.sources.map((s) => s.sha256).sort();
  const now = sources.map((s) => sha256(s.text)).sort();
  return recorded.length === now.length && recorded.every((h, i) => h === now[i]);
}

function readFolder(dir: string, manifest: Manifest, shown: (abs: string) => string): { config: ConfigFolder; sources: SourceText[] } {
  const sources: SourceText[] = [];
  const devices = manifest.devices.map((entry): ConfigDevice => {
    const files: RenderedFile[] = [];
    const missing: string[] = [];
    const changed: string[] = [];
    for (const f of entry.files) {
      const path = shown(join(dir, entry.dir, f.path));
      const content = readConfigFile(join(dir, entry.dir, f.path));
      if (content === undefined) {
        missing.push(path);
        continue;
      }
      if (sha256(content) !== f.sha256) changed.push(path);
      files.push({ path, content });
      sources.push({ path, text: content });
    }
    const backend = backendFor(entry.platform);
    const base = { id: entry.id, files: entry.files.map((f) => shown(join(dir, entry.dir, f.path))), missing, changed };
    if (!backend) return { ...base, diagnostics: [] };
    const context = { id: entry.id, site: entry.site, name: entry.name, role: entry.role };
    const result = backend.read(files, context);
    if (!result.device) return { ...base, diagnostics: result.diagnostics };
    return { ...base, device: result.device, diagnostics: result.diagnostics, ruleLines: ruleLines(backend, files, context, result.device) };
  });
  return { config: { manifest: shown(join(dir, MANIFEST_FILE)), otherIntent: false, devices }, sources };
}
