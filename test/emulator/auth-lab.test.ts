// OSPF authentication in real FRR daemons: `plumb emulate` of two FRR routers with `routing ospf
// authentication` (OSPFv2 MD5 and OSPFv3's HMAC-SHA-256 trailer on their link, the secret's
// placeholder as the lab's key on both ends) converges, proves and probes the assertion across
// the authenticated link. Root only: skipped loudly elsewhere.

import { describe, expect } from 'vitest';
import { inIntentFolder, plumb, rootOnly, SIGNED_PARTNER } from '../intent-runs.js';

// The file's two labs run at once.
const rootIt = rootOnly('the OSPF authentication lab', { concurrent: true });

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
    await inIntentFolder('plumb-auth-lab-', { 'lab.plumb': INTENT }, async (dir) => {
      const { code, out, err } = await plumb(dir, ['emulate', 'lab.plumb']);
      expect(code, out + err).toBe(0);
      expect(out).toMatch(/routing converged/);
      expect(out).toMatch(/agree\s+proof proven\s+packets holds\s+assert reach a -> b : https/);
    });
  }, 240_000);

  rootIt('brings up a BGP session signed with TCP-MD5, and the sweep finds the session port closed to unsigned probes as the model says', async () => {
    await inIntentFolder('plumb-auth-lab-', { 'lab.plumb': BGP_INTENT }, async (dir) => {
      const { code, out, err } = await plumb(dir, ['emulate', 'lab.plumb']);
      expect(code, out + err).toBe(0);
      expect(out).toMatch(/agree\s+proof proven\s+packets holds\s+assert reach partner -> a : https/);
      expect(out).not.toMatch(/DISAGREE/);
    });
  }, 240_000);
});

const BGP_INTENT = `network bgpauth
pool infra 10.255.0.0/16
secret partner-bgp from env PLUMB_PARTNER_BGP
site s1 {
  router r1 frr asn 65001
}
segment a 10.1.0.0/24 at s1.r1
${SIGNED_PARTNER}`;
