// An IOS-XE zone-based firewall in real namespaces: the lab runs it as an FRR box with the
// emulator's stateful filters from the model's zones and zone policy (emulator/filters.ts), and
// every assertion of the fixture (test/fixtures/zbf) and the device exposure sweep agree with
// the proofs: the allows reach and come back, the deny before an allow and the zones that no
// rule opens hold. Root only: skipped loudly elsewhere.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { missingPrerequisites } from '../../emulator/index.js';

const missing = missingPrerequisites();
if (missing.length > 0 && !process.env.CI) console.warn(`\n*** SKIPPING the zone-based firewall lab: ${missing.join(', ')} ***\n`);
const labIt = missing.length === 0 || process.env.CI ? it : it.skip;

describe('an IOS-XE zone-based firewall in namespaces', () => {
  labIt(
    'every assertion and every sweep connection agrees with the proofs',
    async () => {
      const out: string[] = [];
      const err: string[] = [];
      const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void err.push(t), isTTY: false, cwd: join(import.meta.dirname, '../..'), env: {} };
      const code = await run(['emulate', 'test/fixtures/zbf/zbf.plumb'], io);
      const text = out.join('');
      expect(err.join(''), text).toBe('');
      expect(code, text).toBe(0);
      expect(text).toContain('a.fw (cisco-iosxe) as frr, filters: emulator-stateful');
      expect(text).toContain('7 assertions: 7 agree, 0 do not');
      expect(text).toMatch(/^agree +a\.fw: \d+ probes/m);
    },
    600_000,
  );
});
