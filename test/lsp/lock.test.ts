// The editor reads the folder's plumb.lock with the intent, as the CLI does: a malformed lock is
// an error shown in the open file (naming the lock's line), and a lock rewritten on disk is read
// again at the next check.

import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, ensureBuilt, startServer, workspaceDir, type TestServer } from './harness.js';

const INTENT = 'network lab\npool infra 10.255.0.0/24\nsite s {\n  router a frr\n}\nsegment web 10.1.0.0/24 at s.a\nassert reach web -> web\n';

describe('plumb.lock in the editor', () => {
  let server: TestServer;
  let ws: ReturnType<typeof workspaceDir>;

  beforeAll(async () => {
    await ensureBuilt();
    ws = workspaceDir({ 'lab.plumb': INTENT, 'plumb.lock': 'network lab\nloopback s.a 10.255.0.1\n' });
    server = await startServer({ verifyOnSave: false });
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await server?.stop();
    ws?.cleanup();
  });

  it('shows a malformed lock line as an error in the intent, then forgets it once the lock is fixed', async () => {
    server.open(ws.uri('lab.plumb'), INTENT);
    const broken = await server.waitForDiagnostics(ws.uri('lab.plumb'), (p) => p.diagnostics.length > 0, 60_000);
    const p320 = broken.diagnostics.find((d) => d.code === 'P320');
    expect(p320?.severity).toBe(1);
    expect(p320?.message.startsWith('plumb.lock:2: `10.255.0.1` is not an address with its length')).toBe(true);
    writeFileSync(join(ws.dir, 'plumb.lock'), 'network lab\nloopback s.a 10.255.0.9/32\n');
    server.change(ws.uri('lab.plumb'), `${INTENT}\n`, 2);
    const fixed = await server.waitForDiagnostics(ws.uri('lab.plumb'), (p) => !p.diagnostics.some((d) => d.code === 'P320'), 60_000);
    expect(fixed.diagnostics.filter((d) => d.severity === 1)).toEqual([]);
  }, 120_000);
});
