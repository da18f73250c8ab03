// `plumb compile -o DIR`, device by device: each device is rendered, put down in DIR's pending
// folder (backends/output-pending.ts) and read back and proven (validate.ts: at once, unless a
// list needs the solver, whose devices wait for a batch); then its text is dropped, and only its
// files' paths and hashes stay for the manifest. So memory never holds the whole output (230 MB
// of text at 400 devices), only the model and a batch of devices. Nothing is written to DIR itself until every device is
// proven: then the locked write (backends/output-write.ts) renames the pending files into place,
// all or nothing, exactly as a write of the output held in memory would.

import type { DeviceModel, NetworkModel } from '../compiler/model.js';
import {
  devicesInOrder,
  manifestDevice,
  manifestIntent,
  manifestText,
  MANIFEST_FORMAT,
  outputFiles,
  renderDeviceFilled,
  sha256,
  type Manifest,
  type ManifestDevice,
  type SourceFile,
  type WriteOptions,
  type WriteReport,
} from '../backends/output.js';
import { deltasOver, manifestPrevious, withManifestDelta, type DeviceDelta, type PreviousOutput } from '../backends/output-delta.js';
import { PendingOutput, writePending } from '../backends/output-write.js';
import { DeviceValidator, type ValidationOutcome, type ValidationSummary } from './validate.js';

export interface FolderWriteOptions {
  /** The output folder (absolute, where the files go) and as the user wrote it (in messages). */
  dir: string;
  shown: string;
  /** The secrets' values to fill in (pipeline/secrets.ts). */
  secrets: ReadonlyMap<string, string>;
  /** Read every device back and prove it (false: `--no-validate`). */
  validate: boolean;
  /** `--previous OLD_DIR`: each device also gets its delta over this output (backends/output-delta.ts). */
  previous?: PreviousOutput;
}

/** A device as it goes into the folder: its files' paths, and its delta's. */
export interface FolderDevice {
  id: string;
  platform: DeviceModel['platform'];
  /** `<site>/<device>`. */
  dir: string;
  files: string[];
  delta?: { status: DeviceDelta['status']; files: string[] };
}

export type FolderOutput =
  /** A device did not come back as its model: nothing is left in DIR. */
  | { ok: false; validation: Extract<ValidationOutcome, { ok: false }> }
  | {
      ok: true;
      /** Absent when validation was skipped. */
      validation?: ValidationSummary;
      manifest: Manifest;
      devices: FolderDevice[];
      /** The locked write into DIR (throws as writeFolder does); the pending files are gone after it either way. */
      write(opts?: Omit<WriteOptions, 'shown'>): WriteReport;
      /** Gives the output up without writing it. */
      discard(): void;
    };

/**
 * Renders every device of `model` into DIR's pending folder, validating as it goes. Every
 * device's platform must have a backend (the caller reports the others first). An error on the
 * way (a file that cannot be put down) removes what was put down and is thrown.
 */
export async function renderIntoFolder(model: NetworkModel, sources: readonly SourceFile[], opts: FolderWriteOptions): Promise<FolderOutput> {
  const pending = PendingOutput.open(opts.dir, opts.shown);
  const validator = opts.validate ? new DeviceValidator(opts.shown) : undefined;
  const deltaOf = opts.previous ? deltasOver(opts.previous) : undefined;
  const devices: FolderDevice[] = [];
  const entries: ManifestDevice[] = [];
  let handedOver = false;
  try {
    for (const d of devicesInOrder(model)) {
      const filled = renderDeviceFilled(d, model, opts.secrets);
      if (!filled) throw new Error(`internal: no backend renders platform ${d.platform} (device ${d.id})`);
      const r = filled.rendered;
      if (filled.unfilled) {
        throw new Error('internal: a configuration still holds a secret placeholder after the secrets were filled in');
      }
      const delta = deltaOf?.(r);
      if (delta) r.delta = delta;
      // Once a device has failed nothing will be written: the rest are only validated, for the report.
      if (validator?.ok !== false) {
        const hashes = new Map(outputFiles(r).map(({ file, mode }) => [file, putDown(pending, `${r.dir}/${file.path}`, file.content, mode)]));
        const entry = manifestDevice(r, r.files.map((f) => hashes.get(f)!));
        entries.push(delta ? withManifestDelta(entry, delta) : entry);
        devices.push({
          id: d.id,
          platform: d.platform,
          dir: r.dir,
          files: r.files.map((f) => f.path),
          ...(delta ? { delta: { status: delta.status, files: delta.files.map((f) => f.path) } } : {}),
        });
      }
      await validator?.add(r);
    }
    const outcome = await validator?.finish();
    if (outcome && !outcome.ok) return { ok: false, validation: outcome };
    const manifest: Manifest = {
      format: MANIFEST_FORMAT,
      intent: manifestIntent(model.name, sources),
      ...(opts.previous ? { previous: manifestPrevious(opts.previous, new Set(devices.map((d) => d.id))) } : {}),
      devices: entries,
    };
    handedOver = true;
    return {
      ok: true,
      ...(outcome ? { validation: outcome.summary } : {}),
      manifest,
      devices,
      write: (writeOpts = {}) => writePending(pending, manifestText(manifest), writeOpts),
      discard: () => pending.discard(),
    };
  } finally {
    releaseScratch();
    await validator?.close();
    if (!handedOver) pending.discard();
  }
}

/**
 * Puts one file down (unless DIR holds it as it is already: a recompile's unchanged files are
 * only listed, output-pending.ts `addUnlessInPlace`) and returns its sha256 (computed once, for
 * the manifest and the write). The
 * text is encoded to UTF-8 once, for the hash, the write and the size, into one buffer reused
 * for every file: a new Buffer per file is memory outside V8's heap that V8 counts towards its
 * next full collection (246 MB of it at 400 devices), and it is freed only by one.
 */
function putDown(pending: PendingOutput, path: string, content: string, mode: number): string {
  const bytes = encodeScratch(content);
  const hash = sha256(bytes);
  pending.addUnlessInPlace(path, bytes, mode, hash);
  return hash;
}

let scratch = Buffer.allocUnsafeSlow(0);

/** The most UTF-8 bytes one UTF-16 code unit takes (a lone surrogate becomes U+FFFD, 3 bytes). */
const UTF8_BYTES_PER_UNIT = 3;

/** Gives the scratch buffer (room for the largest file, or twice that) back once the files are down. */
function releaseScratch(): void {
  scratch = Buffer.allocUnsafeSlow(0);
}

/**
 * `text` as UTF-8 in the scratch buffer (grown to room for the largest file), valid until the
 * next call. UTF-8 takes at most 3 bytes for each UTF-16 code unit (a surrogate pair 4 for its
 * two), so with that room the text is written whole, and the write's count is its size: measuring
 * it first (`Buffer.byteLength`) was a pass over every file's text of its own, more than half of
 * the encoding's time (246 MB at 400 devices).
 */
export function encodeScratch(text: string): Buffer {
  const room = text.length * UTF8_BYTES_PER_UNIT;
  if (room > scratch.length) scratch = Buffer.allocUnsafeSlow(Math.max(room, scratch.length * 2, 64 * 1024));
  const written = scratch.write(text, 0, 'utf8');
  return scratch.subarray(0, written);
}
