// OSPF authentication in real FRR daemons: `plumb emulate` of two FRR routers with `routing ospf
// authentication` (OSPFv2 MD5 and OSPFv3's HMAC-SHA-256 trailer on their link, the secret's
// placeholder as the lab's key on both ends) converges, proves and probes the assertion across
// the authenticated link. Root only: skipped loudly elsewhere.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';

const root = process.getuid?.() === 0;
if (!root && !process.env.CI) console.warn('\n*** SKIPPING the OSPF authentication lab: not root (it runs in CI as root) ***\n');
const rootIt = root || process.env.CI ? it : it.skip;

const INTENT = `network authlab
routing ospf authentication ospf-core
pool infra 10.255.0.0/16
secret ospf-core from env PLUMB_OSPF_KEY
site s1 {
  router r1 frr
  router r2 frr
  link r1 -- r2
}
segment a 10.1.0.0/24, 2001:db8:1::/64 at s1.r1
segment b 10.2.0.0/24, 2001:db8:2::/64 at s1.r2
policy { allow a -> b : https }
assert reach a -> b : https
`;

describe('OSPF authentication in a lab', () => {
  rootIt('converges over an authenticated link, OSPFv2 and OSPFv3, and the assertion holds in packets', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-auth-lab-'));
    try {
      writeFileSync(join(dir, 'lab.plumb'), INTENT);
      let out = '';
      let err = '';
      const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, cwd: dir, env: {} };
      const code = await run(['emulate', 'lab.plumb'], io);
      expect(code, out + err).toBe(0);
      expect(out).toMatch(/routing converged/);
      expect(out).toMatch(/agree\s+proof proven\s+packets holds\s+assert reach a -> b : https/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);

  rootIt('brings up a BGP session signed with TCP-MD5, and the sweep finds the session port closed to unsigned probes as the model says', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-auth-lab-'));
    try {
      writeFileSync(join(dir, 'lab.plumb'), BGP_INTENT);
      let out = '';
      let err = '';
      const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, cwd: dir, env: {} };
      const code = await run(['emulate', 'lab.plumb'], io);
      expect(code, out + err).toBe(0);
      expect(out).toMatch(/agree\s+proof proven\s+packets holds\s+assert reach partner -> a : https/);
      expect(out).not.toMatch(/DISAGREE/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 240_000);
});

const BGP_INTENT = `network bgpauth
pool infra 10.255.0.0/16
secret partner-bgp from env PLUMB_PARTNER_BGP
site s1 {
  router r1 frr asn 65001
}
segment a 10.1.0.0/24 at s1.r1
external partner {
  asn 64600
  prefixes 198.51.100.0/24
  attach s1.r1 address 169.254.10.1/30 peer 169.254.10.2
  announce a
  password partner-bgp
}
policy { allow partner -> a : https }
assert reach partner -> a : https
`;
