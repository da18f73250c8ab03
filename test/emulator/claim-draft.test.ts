// A claim under way (emulator/teardown.ts's claimRun makes its draft folder, then its owner file,
// then writes its pid into it) is not removed by another process's cleanStaleRuns while its owner
// file is still empty: removing it failed the claim's rename (ENOENT) in a full emulator run,
// with labs starting in the other worker. A draft whose owner file stayed empty past
// CLAIM_WRITE_MS, or whose owner is gone, is removed. Needs root (the folder is under /run).

import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLAIM_WRITE_MS, RUN_ROOT, cleanStaleRuns } from '../../emulator/teardown.js';

const canClaim = process.getuid?.() === 0;
if (!canClaim && !process.env.CI) console.warn(`\n*** SKIPPING the claim draft test: it writes under ${RUN_ROOT} and needs root (CI runs it as root) ***\n`);
const rootIt = canClaim || process.env.CI ? it : it.skip;

/** A draft as claimRun makes it, its owner file holding `owner`, last written `ageMs` ago. */
function draft(owner: string, ageMs = 0): string {
  mkdirSync(RUN_ROOT, { recursive: true });
  const dir = mkdtempSync(join(RUN_ROOT, '.claim-'));
  writeFileSync(join(dir, 'owner'), owner);
  if (ageMs > 0) {
    const at = (Date.now() - ageMs) / 1000;
    utimesSync(join(dir, 'owner'), at, at);
  }
  return dir;
}

describe("another process's cleanup and a claim under way", () => {
  rootIt('leaves a draft whose owner file is still empty, removes one left empty or owned by no live process', () => {
    const writing = draft('');
    const abandoned = draft('', CLAIM_WRITE_MS + 5_000);
    const orphan = draft('999999999\n');
    const live = draft(`${process.pid}\n`);
    try {
      cleanStaleRuns();
      expect(existsSync(writing), 'a claim being written').toBe(true);
      expect(existsSync(abandoned), 'a claim left empty').toBe(false);
      expect(existsSync(orphan), 'a claim whose owner is gone').toBe(false);
      expect(existsSync(live), 'a claim whose owner lives').toBe(true);
    } finally {
      for (const d of [writing, abandoned, orphan, live]) rmSync(d, { recursive: true, force: true });
    }
  });
});
