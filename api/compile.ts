// `compile` and `render`: the intent's network model and every device's configuration files, in
// memory. `compile` also reads every device's files back and proves them equal to the model
// (pipeline/validate.ts), as `plumb compile -o` does before it writes; `render` gives the files
// of one device or all, unchecked. Secrets (`secret NAME from env VAR | file "PATH"`) are read as
// `compile -o` reads them (pipeline/secrets.ts); one that cannot be read is an error diagnostic.
// Writing the files to a folder is `writeOutput` (api/write.ts).

import type { NetworkModel } from '../compiler/model.js';
import { hasErrors, type Diagnostic } from '../language/diagnostic.js';
import { renderOutputFilled, type Manifest, type RenderedOutput } from '../backends/output.js';
import { compileIntent, type Compiled } from '../pipeline/compile.js';
import { lockUpdate, type LockUpdate } from '../pipeline/lock.js';
import { resolveSecrets } from '../pipeline/secrets.js';
import type { SourceText } from '../pipeline/sources.js';
import { validateRendered, type ValidationOutcome } from '../pipeline/validate.js';
import { readIntent, type InputOptions, type InputProblem, type IntentInput } from './input.js';
import { asJson, jsonDiagnostics, type JsonDiagnostic } from './reports.js';

export type { Manifest } from '../backends/output.js';
export type { NetworkModel, DeviceModel } from '../compiler/model.js';
export type { ValidationFailure, ValidationSummary, ValidationOutcome } from '../pipeline/validate.js';

export interface RenderOptions extends InputOptions {
  /** Where secrets named `from env` are read (default: process.env); `from file` paths are relative to `cwd`. */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface CompileOptions extends RenderOptions {
  /** Read every device's files back and prove them equal to the model (default true; `--no-validate` of the CLI). */
  validate?: boolean;
}

export interface ConfigFile {
  /** Relative to the device's folder, e.g. `frr.conf`. */
  path: string;
  content: string;
  /** The file holds a key: `writeOutput` gives it mode 0600. */
  holdsSecret?: boolean;
}

export interface DeviceConfig {
  /** `site.device`. */
  id: string;
  platform: string;
  /** The device's folder in an output folder: `<site>/<device>`. */
  dir: string;
  files: ConfigFile[];
}

export interface CompileResult {
  /** No error: the model, the files and (when asked for) their validation are all there and good. */
  ok: boolean;
  /** The front end's, the compiler's and the secrets' diagnostics, in that order. */
  diagnostics: JsonDiagnostic[];
  /** What `plumb compile --emit model` prints; present when the intent compiled. */
  model?: NetworkModel;
  /** Every device's files, sorted by id; present when the model and its secrets were there. */
  devices?: DeviceConfig[];
  /** What `manifest.json` of an output folder would hold. */
  manifest?: Manifest;
  /** The files read back and compared with the model; a failure is a bug in Plumb. */
  validation?: ValidationOutcome;
  /** Devices of a platform no backend renders. */
  unsupported?: { id: string; platform: string }[];
  /** The allocation lock (plumb.lock) these addresses call for; `writeLock` writes it. */
  lock?: LockUpdate;
  inputProblem?: InputProblem;
}

/** The configuration files of a compiled model, with the secrets' values filled in. */
export interface Rendered {
  /** The secrets' problems (errors stop the rendering). */
  diagnostics: Diagnostic[];
  output?: RenderedOutput;
}

/** Where secrets are read: `from env` in `env`, `from file` paths relative to `cwd`. */
export interface SecretSources {
  env: Readonly<Record<string, string | undefined>>;
  cwd: string;
}

/**
 * The values of the secrets the model uses (pipeline/secrets.ts) with their diagnostics; no
 * values when one cannot be read (an error). Shared with `plumb compile -o`, which renders the
 * devices one by one as it writes them.
 */
export function secretValues(model: NetworkModel, secretSources: SecretSources): { values?: ReadonlyMap<string, string>; diagnostics: Diagnostic[] } {
  const { values, diagnostics } = resolveSecrets(model, secretSources);
  return hasErrors(diagnostics) ? { diagnostics } : { values, diagnostics };
}

/** Reads the secrets the model uses and renders every device. */
export function renderConfigs(model: NetworkModel, sources: readonly SourceText[], secretSources: SecretSources): Rendered {
  const { values, diagnostics } = secretValues(model, secretSources);
  if (!values) return { diagnostics };
  const { output, unfilled } = renderOutputFilled(model, sources, values);
  if (unfilled) {
    throw new Error('internal: a configuration still holds a secret placeholder after the secrets were filled in');
  }
  return { diagnostics, output };
}

export async function compile(input: IntentInput, options: CompileOptions = {}): Promise<CompileResult> {
  const built = build(input, options);
  if ('result' in built) return built.result;
  const { compiled, rendered } = built;
  const output = rendered.output;
  const result = { ...resultOf(compiled, rendered), lock: lockUpdate(built.sources, compiled.intent!, compiled.allocations!, built.lockPath) };
  if (!output || options.validate === false || output.unsupported.length > 0) return result;
  const validation = await validateRendered(output, 'out');
  return { ...result, ok: validation.ok, validation: asJson(validation) };
}

export interface RenderDeviceOptions extends RenderOptions {
  /** Only this device (`site.device`); every device when absent. */
  device?: string;
}

export interface RenderResult {
  ok: boolean;
  diagnostics: JsonDiagnostic[];
  /** The devices' files; absent when the intent has errors. */
  devices?: DeviceConfig[];
  /** Every file of those devices, each under a `==> <dir>/<file> <==` line (as `head` heads files), as one text. */
  text?: string;
  inputProblem?: InputProblem;
}

export function render(input: IntentInput, options: RenderDeviceOptions = {}): RenderResult {
  if (options.device !== undefined && typeof options.device !== 'string') throw new TypeError('options.device must be a string (site.device)');
  const built = build(input, options);
  if ('result' in built) return { ok: false, diagnostics: built.result.diagnostics, ...(built.result.inputProblem ? { inputProblem: built.result.inputProblem } : {}) };
  const result = resultOf(built.compiled, built.rendered);
  if (!result.devices) return { ok: false, diagnostics: result.diagnostics };
  const devices = options.device === undefined ? result.devices : result.devices.filter((d) => d.id === options.device);
  if (devices.length === 0) {
    const known = result.devices.map((d) => d.id).join(', ');
    return { ok: false, diagnostics: result.diagnostics, inputProblem: { message: `no device ${options.device} in the intent`, hint: `name one of: ${known}` } };
  }
  const text = devices.flatMap((d) => d.files.map((f) => `==> ${d.dir}/${f.path} <==\n${f.content.endsWith('\n') ? f.content : `${f.content}\n`}`)).join('\n');
  return { ok: result.ok, diagnostics: result.diagnostics, devices, text };
}

type Built = { result: CompileResult } | { compiled: Compiled & { model: NetworkModel }; rendered: Rendered; sources: SourceText[]; lockPath: string };

function build(input: IntentInput, options: RenderOptions): Built {
  const read = readIntent(input, options);
  if ('inputProblem' in read) return { result: { ok: false, diagnostics: [], inputProblem: read.inputProblem } };
  const compiled = compileIntent(read.sources);
  if (!compiled.model) return { result: { ok: false, diagnostics: jsonDiagnostics(compiled.diagnostics) } };
  const rendered = renderConfigs(compiled.model, read.sources, { env: options.env ?? process.env, cwd: options.cwd ?? process.cwd() });
  return { compiled: { ...compiled, model: compiled.model }, rendered, sources: read.sources, lockPath: read.lockPath };
}

function resultOf(compiled: Compiled & { model: NetworkModel }, rendered: Rendered): CompileResult {
  const diagnostics = jsonDiagnostics([...compiled.diagnostics, ...rendered.diagnostics]);
  const output = rendered.output;
  const model = asJson(compiled.model);
  if (!output) return { ok: false, diagnostics, model };
  const devices = output.devices.map((d) => ({
    id: d.device.id,
    platform: d.device.platform,
    dir: d.dir,
    files: d.files.map((f) => ({ path: f.path, content: f.content, ...(f.holdsSecret ? { holdsSecret: true } : {}) })),
  }));
  const unsupported = output.unsupported.map((d) => ({ id: d.id, platform: d.platform }));
  return {
    ok: unsupported.length === 0,
    diagnostics,
    model,
    devices,
    manifest: asJson(output.manifest),
    ...(unsupported.length > 0 ? { unsupported } : {}),
  };
}
