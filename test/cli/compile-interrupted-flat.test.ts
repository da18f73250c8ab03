// `plumb compile -o DIR` killed with SIGKILL at each step of a first write into a new folder of
// several sites and devices, with the pending folder's flat layout (backends/output-pending.ts:
// files by number in new/, DIR's folders made by the write). Before the lock, the pending
// folder holds only numbered files; after a kill at any step, recovery leaves DIR with no
// output file and none of Plumb's working entries (or the whole output, once committed), and
// the next compile writes exactly what an uninterrupted one writes.

import { existsSync, lstatSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recoverFolder } from '../../backends/output-write.js';
import { snapshot } from '../folder-snapshot.js';
import { plumb, startPaused, workEntries, workspaces } from './compile-output-cli.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-out-kill-flat-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** Two sites, three routers of two platforms: files in three device folders of two site folders. */
const INTENT = `network t
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 linux
  link r1 -- r2
}
site u {
  router r3 frr
}
link s.r1 -- u.r3
segment lan 10.1.0.0/24 at s.r1
segment lab 10.2.0.0/24 at u.r3
`;

const workspace = workspaces(tmp);
function withIntent(): string {
  const w = workspace();
  writeFileSync(join(w, 'c.plumb'), INTENT);
  return w;
}

let golden: Record<string, string> = {};
let fileCount = 0;
beforeAll(async () => {
  const w = withIntent();
  const r = await plumb(['compile', 'c.plumb', '-o', 'out'], w);
  if (r.status !== 0) throw new Error(r.stderr);
  golden = snapshot(join(w, 'out'));
  fileCount = Object.keys(golden).length - 1; // manifest.json is renamed in by the commit, not an install step
}, 120_000);

describe('kill -9 during a first plumb compile -o, flat pending folder', () => {
  it('the output spans several site and device folders', () => {
    const folders = new Set(Object.keys(golden).filter((p) => p !== 'manifest.json').map((p) => p.split('/').slice(0, 2).join('/')));
    expect([...folders].sort()).toEqual(['s/r1', 's/r2', 'u/r3']);
    expect(fileCount).toBeGreaterThan(4);
  });

  for (const step of ['rendered', 'staged', 'journal', 'install:1', 'install:2', 'install:last', 'commit']) {
    it(`at ${step}: recovery leaves no output file (or all of them) and no working entry; the next compile writes the whole output`, async () => {
      const w = withIntent();
      const out = join(w, 'out');
      const at = step === 'install:last' ? `install:${fileCount}` : step;
      const run = await startPaused(['compile', 'c.plumb', '-o', 'out'], w, at);
      if (step === 'rendered' || step === 'staged') {
        const news = join(out, `.plumb-${step === 'rendered' ? 'pending' : 'staging'}-${run.pid}`, 'new');
        const names = readdirSync(news).sort();
        const numbered = names.filter((n) => n !== 'manifest.json');
        expect(numbered.sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: fileCount }, (_, i) => String(i)));
        expect(names.includes('manifest.json')).toBe(step === 'staged');
        for (const n of names) expect(lstatSync(join(news, n)).isFile()).toBe(true);
      }
      run.child.kill('SIGKILL');
      expect(await run.exited).toBe(null);
      recoverFolder(out);
      expect(workEntries(out)).toEqual([]);
      if (step === 'commit') expect(snapshot(out)).toEqual(golden);
      else expect(snapshot(out)).toEqual({});
      const again = await plumb(['compile', 'c.plumb', '-o', 'out'], w);
      expect(again.status, again.stderr).toBe(0);
      expect(snapshot(out)).toEqual(golden);
      expect(existsSync(join(out, '.plumb-write.json'))).toBe(false);
    }, 60_000);
  }
});
