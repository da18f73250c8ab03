// The previous output of `plumb compile -o DIR --previous OLD_DIR`: OLD_DIR's manifest.json and
// every device file it lists, read (bounded, pipeline/read-file.ts) and checked against the
// manifest's sha256s. A delta applies over exactly the files it was computed from, so a file that
// is missing or was edited since the compile refuses the run (the CLI: exit 2), naming the files.
// Everything is read before anything is written: OLD_DIR may be DIR itself.

import { createHash } from 'node:crypto';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import type { RenderedFile } from '../backends/backend.js';
import { MANIFEST_FILE, MAX_MANIFEST_BYTES, parseManifest } from '../backends/manifest.js';
import type { PreviousOutput } from '../backends/output-delta.js';
import { sha256 } from '../backends/output.js';
import { readConfigFile } from './deployed.js';
import { readRegularFile } from './read-file.js';

export type { PreviousOutput } from '../backends/output-delta.js';

export type PreviousRead = { previous: PreviousOutput } | { problem: { message: string; hint: string } };

/** How many bad files a refusal names before it counts the rest. */
const NAMED = 5;

/**
 * Reads OLD_DIR (`dir`; `shown` as the user wrote it, for messages) and checks every device
 * file against its manifest.
 */
export function readPreviousOutput(dir: string, shown: string): PreviousRead {
  const notOutput = `give the folder an earlier \`plumb compile -o\` wrote (with its ${MANIFEST_FILE})`;
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    return { problem: { message: `cannot read the previous output ${shown}: ${code}`, hint: notOutput } };
  }
  if (!isDir) return { problem: { message: `the previous output ${shown} is not a folder`, hint: notOutput } };
  const path = join(dir, MANIFEST_FILE);
  const shownManifest = join(shown, MANIFEST_FILE);
  const read = readRegularFile(path, MAX_MANIFEST_BYTES);
  if (!('bytes' in read)) {
    const why =
      'notRegular' in read
        ? 'is not a regular file'
        : 'tooLarge' in read
          ? `is larger than ${MAX_MANIFEST_BYTES / 1024 / 1024} MiB`
          : `cannot be read (${(read.error as NodeJS.ErrnoException).code ?? String(read.error)})`;
    return { problem: { message: `${shownManifest} ${why}`, hint: notOutput } };
  }
  const parsed = parseManifest(read.bytes.toString('utf8'), shownManifest);
  if ('error' in parsed) return { problem: { message: parsed.error, hint: notOutput } };
  const manifest = parsed.manifest;
  const files = new Map<string, RenderedFile[]>();
  const missing: string[] = [];
  const edited: string[] = [];
  for (const d of manifest.devices) {
    const own: RenderedFile[] = [];
    for (const f of d.files) {
      const content = readConfigFile(join(dir, d.dir, f.path));
      if (content === undefined) missing.push(`${d.dir}/${f.path}`);
      else if (sha256(content) !== f.sha256) edited.push(`${d.dir}/${f.path}`);
      else own.push({ path: f.path, content });
    }
    files.set(d.id, own);
  }
  if (missing.length + edited.length > 0) {
    const bad = [...missing.map((p) => `${p} is missing`), ...edited.map((p) => `${p} was changed since it was written`)];
    const more = bad.length > NAMED ? `, and ${bad.length - NAMED} more` : '';
    return {
      problem: {
        message: `the previous output ${shown} is not what its ${MANIFEST_FILE} lists: ${bad.slice(0, NAMED).join(', ')}${more}`,
        hint:
          'a delta applies over exactly the files it was computed from: restore the previous output as it was compiled ' +
          '(from version control or a copy), or compile without --previous and apply the full configurations',
      },
    };
  }
  return { previous: { manifest, manifestSha256: createHash('sha256').update(read.bytes).digest('hex'), files } };
}
