// What every backend provides: render a DeviceModel to the platform's files, and read those
// files (or hand-edited files of the same dialect subset) back into a DeviceModel.
// The law every backend is tested against: read(render(d)) equals d, except `fib`, which
// readers leave empty (it is derived by compiler/routing from all devices' configuration).

import type { Diagnostic } from '../language/diagnostic.js';
import type { DeviceModel, NetworkModel, Platform } from '../compiler/model.js';

/** What a backend writes in place of a secret's value (secret-text.ts); the lab uses it as the key. */
export { secretPlaceholder } from './secret-text.js';

export interface RenderedFile {
  /** Path relative to the device's output folder, e.g. `frr.conf`, `edge1.cfg`. */
  path: string;
  content: string;
  /** The file holds a key (a secret's value, backends/secret-text.ts): written with mode 0600. */
  holdsSecret?: boolean;
}

export interface ReadContext {
  /** Identity from the manifest: the configs do not always carry it. */
  id: string;
  site: string;
  name: string;
  role: 'router' | 'firewall';
  /**
   * What the files are. 'output' (the default): Plumb's own output, `! plumb` lines and all.
   * 'running': what the device prints of its running configuration (each backend documents
   * which commands, and the file names it expects, in docs/backends/<platform>.md): no `! plumb`
   * lines, the platform's defaults and ordering, and lines Plumb does not manage. A reader of
   * running files does not warn about missing annotations (the pipeline fills what they would
   * have carried from the intent: pipeline/running.ts), reads what Plumb manages exactly as it
   * reads its own output (a hand edit there is read, and so becomes drift), skips the defaults
   * the platform prints, and lists every other line in `ReadResult.unmanaged`.
   */
  source?: 'output' | 'running';
}

/** One line of a configuration file, for reports: the file as shown, 1-based line, its text. */
export interface ConfigLineRef {
  file: string;
  line: number;
  text: string;
}

export interface ReadResult {
  /** Absent when the files could not be understood at all. */
  device?: DeviceModel;
  /** R9xx diagnostics with spans into the config files (file = the config's path). */
  diagnostics: Diagnostic[];
  /**
   * Running files only: the lines outside Plumb's scope (not the platform's defaults, not what
   * Plumb manages), in file order. A block the reader skips is listed by its first line.
   */
  unmanaged?: ConfigLineRef[];
  /**
   * Every key the files hold (a BGP password, an OSPF key), with the secret its comment names
   * ('' when no comment names one). The device's model names the secrets only; this is what
   * `verify --configs` compares with the keys `compile` would write (pipeline/secrets.ts), by
   * equality, and never prints.
   */
  secrets?: ReadSecret[];
}

/** A key read from a configuration: which secret, its value, and where (file and line). */
export interface ReadSecret {
  secret: string;
  /** The key as configured ('' when `encrypted` says it cannot be decoded). */
  value: string;
  file: string;
  line: number;
  /**
   * What the key authenticates, in the device model's names: a running configuration names no
   * secret (IOS drops comments), so the drift check finds the intent's secret by this.
   */
  owner?: KeyOwner;
  /** The form of a key that cannot be decoded (e.g. `type 6`, an AES-encrypted IOS key): not compared. */
  encrypted?: string;
}

/** The session or interface a key authenticates. */
export type KeyOwner = { kind: 'bgp'; neighbor: string } | { kind: 'ospf'; interface: string };

export interface Backend {
  platform: Platform;
  /** The device's configuration files; deterministic (same model, same bytes). */
  render(device: DeviceModel, model: NetworkModel): RenderedFile[];
  read(files: RenderedFile[], context: ReadContext): ReadResult;
  /**
   * What turns the device's previous files into `next` when applied on the device, as
   * extra files (e.g. `edge1.delta.cfg`); [] when nothing changes. Pure, deterministic.
   * `previous` and `next` are the device's files as `render` writes them (paths relative to
   * the device's output folder); `device` is the new version's device.
   */
  delta?(previous: RenderedFile[], next: RenderedFile[], device: DeviceModel): RenderedFile[];
}
