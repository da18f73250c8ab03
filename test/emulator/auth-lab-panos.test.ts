// Authentication on a PAN-OS firewall in a lab: `plumb emulate` of a PAN-OS firewall (standing
// in as FRR with the emulator's filters, as every PAN-OS device does in the lab) with an
// authenticated BGP session to a partner and an OSPFv2 MD5 link to an FRR router converges, and
// the assertion across both holds in packets. The compiler must accept the intent (no C724 for
// PAN-OS any more). Root only: skipped loudly elsewhere.

import { describe, expect } from 'vitest';
import { inIntentFolder, plumb, rootOnly } from '../intent-runs.js';

const rootIt = rootOnly('the PAN-OS authentication lab');

const INTENT = `network authp
routing ospf authentication ospf-core
pool infra 10.255.0.0/16
secret ospf-core from env PLUMB_OSPF_KEY
secret partner-bgp from env PLUMB_PARTNER_BGP
site s1 {
  firewall r1 paloalto-panos asn 65001
  router r2 frr
  link r1 -- r2
}
segment a 10.1.0.0/24 at s1.r2
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

describe('PAN-OS authentication in a lab', () => {
  rootIt('a PAN-OS firewall with a signed BGP session and an MD5 OSPF link to FRR converges, and the assertion holds in packets', async () => {
    await inIntentFolder('plumb-auth-lab-panos-', { 'lab.plumb': INTENT }, async (dir) => {
      const { code, out, err } = await plumb(dir, ['emulate', 'lab.plumb']);
      expect(code, out + err).toBe(0);
      expect(out).toMatch(/routing converged/);
      expect(out).toMatch(/s1\.r1 \(paloalto-panos\) as frr/);
      expect(out).toMatch(/agree\s+proof proven\s+packets holds\s+assert reach partner -> a : https/);
      expect(out).not.toMatch(/DISAGREE/);
    });
  }, 600_000);
});
