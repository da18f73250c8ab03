// The process exits by itself after verification: the Z3 workers (and their threads) end.

import { describe, expect, it } from 'vitest';
import { runChildToExit } from '../child-exit.js';

describe('shut-down', () => {
  it('a child process that verified exits by itself, promptly', async () => {
    const { code, signal, out, err, afterDoneMs } = await runChildToExit('test/verifier/child/verify-and-exit.ts');
    expect(signal, `the child did not exit by itself; stderr: ${err}`).toBeNull();
    expect(code, err).toBe(0);
    expect(out).toContain('verdicts refuted proven');
    // After the last line, only the runner's own clean-up remains: no worker keeps it alive.
    expect(afterDoneMs).toBeLessThan(5_000);
  });
});
