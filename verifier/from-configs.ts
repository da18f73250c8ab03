// The network as deployed: a NetworkModel whose devices are the DeviceModels read back from
// configuration files, and whose endpoints, policy and assertions are the intent's. The fibs are
// rebuilt from the read configuration alone (compiler/routing.ts: converge), so the assertions
// are proven on what the files say, not on what the compiler meant. Every device of the intent
// must be there and readable: a device that is missing or unreadable is an error, never
// skipped. Who reads the files (pipeline/deployed.ts, through the backends) is not this module's business:
// the verifier never imports a backend.

import { converge, convergeContextOf } from '../compiler/routing.js';
import type { DeviceModel, NetworkModel } from '../compiler/model.js';
import { diagnostic, fileSpan, type Diagnostic, type Span } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import { checkEquivalences, differenceText, scopeText, withConfigLine, type Difference, type EquivalenceOptions, type RuleLines } from './equivalence.js';

export type { RuleLines } from './equivalence.js';

/** One device of a configuration folder, as the caller read it. */
export interface ConfigDevice {
  id: string;
  /** Its files as shown in reports, in the manifest's order. */
  files: string[];
  /** Files the manifest lists that could not be read. */
  missing: string[];
  /** Files whose content is not what the compiler wrote (edited since). */
  changed: string[];
  /** The model its backend read; absent when the files could not be understood. */
  device?: DeviceModel;
  /** The reader's diagnostics (R9xx, spans into the files). */
  diagnostics: Diagnostic[];
  /** The config line of each rule, where the caller could tell (a tagged rule's origin is the intent line). */
  ruleLines?: RuleLines;
}

export interface ConfigFolder {
  /** The manifest's path as shown in reports. */
  manifest: string;
  /** True when the manifest's intent hash is not the hash of the intent given now. */
  otherIntent: boolean;
  devices: ConfigDevice[];
}

export interface DeployedModel {
  /** Absent when a device is missing or unreadable: nothing is proven on a partial network. */
  model?: NetworkModel;
  diagnostics: Diagnostic[];
}

/** The intent's model with its devices replaced by the folder's, converged; or the errors why not. */
export function deployedModel(intent: NetworkModel, folder: ConfigFolder): DeployedModel {
  const diagnostics: Diagnostic[] = [];
  const manifestSpan = fileSpan(folder.manifest);
  if (folder.otherIntent) {
    diagnostics.push(
      diagnostic(Codes.otherIntentVersion, manifestSpan, 'the configurations were compiled from another version of the intent', {
        hint: 'compile the intent again, or verify the intent the configurations were compiled from',
      }),
    );
  }
  const byId = new Map(folder.devices.map((d) => [d.id, d]));
  const devices: DeviceModel[] = [];
  let complete = true;
  for (const planned of intent.devices) {
    const c = byId.get(planned.id);
    if (!c) {
      complete = false;
      diagnostics.push(diagnostic(Codes.deviceNotConfigured, planned.origin, `device ${planned.id} has no configuration in ${folder.manifest}`, { hint: 'compile the intent into the folder again, or remove the device from the intent' }));
      continue;
    }
    for (const path of c.missing) {
      diagnostics.push(diagnostic(Codes.configFileMissing, fileSpan(path), `${path} (device ${c.id}) is missing or cannot be read`, { hint: 'restore the file, or compile the intent again' }));
    }
    for (const path of c.changed) {
      diagnostics.push(diagnostic(Codes.configFileEdited, fileSpan(path), `${path} (device ${c.id}) was changed after Plumb wrote it`));
    }
    diagnostics.push(...c.diagnostics);
    const readErrors = c.diagnostics.some((d) => d.severity === 'error');
    if (!c.device || c.missing.length > 0 || readErrors) {
      complete = false;
      if (!readErrors && c.missing.length === 0) {
        diagnostics.push(diagnostic(Codes.deviceUnreadable, fileSpan(c.files[0] ?? folder.manifest), `the configuration of device ${c.id} could not be read`));
      }
      continue;
    }
    devices.push(c.device);
  }
  const planned = new Set(intent.devices.map((d) => d.id));
  for (const c of folder.devices) {
    if (!planned.has(c.id)) {
      complete = false;
      diagnostics.push(diagnostic(Codes.deviceNotInIntent, manifestSpan, `device ${c.id} is in ${folder.manifest} but not in the intent`, { hint: 'verify the configurations with the intent they were compiled from' }));
    }
  }
  if (!complete) return { diagnostics };
  const converged = converge(devices, convergeContextOf(intent));
  return { model: { ...intent, devices: converged }, diagnostics };
}

/**
 * One error per device whose configuration does not behave as the intent compiles it, with the
 * first difference as a concrete packet or item: the deployed network no longer says what the
 * intent says, even where every assertion still holds (a filter elsewhere may still stop it).
 */
export async function driftDiagnostics(intent: NetworkModel, deployed: NetworkModel, folder: ConfigFolder, opts: EquivalenceOptions = {}): Promise<Diagnostic[]> {
  return (await driftCheck(intent, deployed, folder, opts)).diagnostics;
}

/** What the drift check compared: the devices read back, the differences found (all of them, not only each device's first). */
export interface DriftSummary {
  devices: number;
  differences: number;
}

/** `driftDiagnostics` with the summary of what was compared. */
export async function driftCheck(intent: NetworkModel, deployed: NetworkModel, folder: ConfigFolder, opts: EquivalenceOptions = {}): Promise<{ diagnostics: Diagnostic[]; summary: DriftSummary }> {
  const actual = new Map(deployed.devices.map((d) => [d.id, d]));
  const pairs = intent.devices.flatMap((expected) => {
    const a = actual.get(expected.id);
    return a ? [{ expected, actual: a }] : [];
  });
  const results = await checkEquivalences(pairs, opts);
  const summary: DriftSummary = { devices: pairs.length, differences: results.reduce((n, r) => n + r.differences.length + r.undecided.length, 0) };
  const out: Diagnostic[] = [];
  const labels = { expected: 'the intent', actual: 'the config' };
  for (const r of results) {
    if (r.equivalent) continue;
    const config = folder.devices.find((d) => d.id === r.device);
    const first = r.differences[0] && withConfigLine(r.differences[0], config?.ruleLines);
    const files = config?.files ?? [];
    const span = (first && spanInFiles(first, files)) ?? fileSpan(files[0] ?? folder.manifest);
    const more = r.differences.length + r.undecided.length - 1;
    const text = first ? differenceText(first, labels) : `${scopeText(r.undecided[0]!.scope)} could not be decided: ${r.undecided[0]!.reason}`;
    out.push(
      diagnostic(
        Codes.deviceDrift,
        span,
        `device ${r.device} does not behave as the intent compiles it: ${text}${more > 0 ? ` (and ${more} more difference${more === 1 ? '' : 's'})` : ''}`,
        { hint: 'compile the intent again and deploy the result, or put the change into the intent' },
      ),
    );
  }
  return { diagnostics: out, summary };
}

/** The config line behind a difference, when the actual side's rule or item has one. */
function spanInFiles(d: Difference, files: readonly string[]): Span | undefined {
  if (d.kind === 'packet' && d.actual.configLine) return d.actual.configLine;
  const origin = d.kind === 'packet' ? d.actual.origin : d.actualOrigin;
  return origin && files.includes(origin.file) ? origin : undefined;
}
