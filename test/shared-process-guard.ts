// Run before every file of the shared set (vitest.config.ts, the `shared` project: one worker's
// modules and process kept from one file to the next). A file that leaves process-wide state
// behind (the working folder, an environment variable, an exit code, a listener on the
// process) fails here, in its own run, whichever file would have come after it. The static scan
// (test/shared-process.test.ts) catches the same uses in the source; this catches them when
// they happen in the modules a test calls.

import { afterAll, beforeAll, expect } from 'vitest';
import { processState, type ProcessState } from './process-state-snapshot.js';

let before: ProcessState | undefined;

beforeAll(() => {
  before = processState();
});

afterAll(() => {
  expect(processState(), 'a file of the shared set must leave the process as it found it (vitest.config.ts, OWN_PROCESS)').toEqual(before);
});
