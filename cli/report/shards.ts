// `plumb verify --shard K/N` and `plumb verify --merge REPORT...`: the option's text as a shard,
// and the shards' JSON report files read and joined (api/shards.ts) into the report and exit code
// of one unsharded run. Every problem is a usage error naming the file.

import { readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { visibleText } from '../../language/safe-text.js';
import type { VerificationReport } from '../../verifier/verdict.js';
import { isShard, MAX_SHARDS, mergeShards, shardReportOf, type Shard, type ShardReport } from '../../api/shards.js';
import { UsageError } from '../io.js';

/** `--shard K/N`: 1 <= K <= N <= MAX_SHARDS. */
export function parseShard(text: string): Shard {
  const m = /^([0-9]{1,4})\/([0-9]{1,4})$/.exec(text);
  const shard = { index: m ? Number(m[1]) : NaN, count: m ? Number(m[2]) : NaN };
  if (!isShard(shard)) {
    throw new UsageError(`invalid --shard \`${visibleText(text)}\``, `give K/N with 1 <= K <= N <= ${MAX_SHARDS}, e.g. --shard 2/4 for the second of four machines`);
  }
  return shard;
}

const MAX_REPORT_BYTES = 256 * 1024 * 1024;

/** Reads the shards' JSON reports. */
export function readShardReports(paths: readonly string[], cwd: string): ShardReport[] {
  return paths.map((p) => {
    const shown = visibleText(p);
    const abs = resolve(cwd, p);
    let data: unknown;
    try {
      const st = statSync(abs);
      if (!st.isFile()) throw new UsageError(`--merge: ${shown} is not a file`, 'give the JSON reports of `plumb verify --shard K/N --format json`');
      if (st.size > MAX_REPORT_BYTES) throw new UsageError(`--merge: ${shown} is larger than ${MAX_REPORT_BYTES / 1024 / 1024} MiB`, 'give the JSON reports of the shards');
      data = JSON.parse(readFileSync(abs, 'utf8'));
    } catch (err) {
      if (err instanceof UsageError) throw err;
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`--merge: cannot read ${shown}: ${code ?? 'not valid JSON'}`, 'give the JSON reports of `plumb verify --shard K/N --format json`');
    }
    const read = shardReportOf(p, data);
    if ('problem' in read) throw new UsageError(`--merge: ${read.problem.message}`, read.problem.hint);
    return read;
  });
}

/** The shards' reports as the report of one run. */
export function mergeShardFiles(shards: readonly ShardReport[]): VerificationReport {
  if (shards.length === 0) throw new UsageError('--merge needs the reports of the shards', 'e.g. plumb verify --merge shard-1.json shard-2.json');
  const merged = mergeShards(shards);
  if ('problem' in merged) throw new UsageError(`--merge: ${merged.problem.message}`, merged.problem.hint);
  return merged;
}
