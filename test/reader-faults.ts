// Faults planted in a backend's reader, for the tests of translation validation (compile -o reads
// every rendered file back and must refuse to write what does not read back as its model).

import { vi } from 'vitest';
import type { Backend } from '../backends/backend.js';

/**
 * Runs `body` while `backend`'s reader has a bug: every rule it reads back is a permit, so every
 * `drop` it rendered is misread. The real reader is back when `body` ends, however it ends.
 */
export async function whileDropsReadAsPermits<T>(backend: Backend, body: () => Promise<T>): Promise<T> {
  const real = backend.read;
  const spy = vi.spyOn(backend, 'read').mockImplementation((files, ctx) => {
    const r = real(files, ctx);
    r.device?.filters.forEach((f) => f.rules.forEach((rule) => (rule.action = 'permit')));
    return r;
  });
  try {
    return await body();
  } finally {
    spy.mockRestore();
  }
}
