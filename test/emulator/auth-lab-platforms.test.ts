// Authentication on the emulated platforms in a lab: `plumb emulate` of an IOS-XE router and of a
// PAN-OS firewall (each standing in as FRR, the firewall with the emulator's filters, as every
// such device does in the lab) with an authenticated BGP session to a partner and an OSPFv2 MD5
// link to an FRR router converges, and the assertion across both holds in packets. The compiler
// must accept the intent (no C724 for either platform any more). Root only: skipped loudly
// elsewhere.

import { describe, expect } from 'vitest';
import { inIntentFolder, plumb, rootOnly, SIGNED_PARTNER } from '../intent-runs.js';

// The file's two labs run at once.
const rootIt = rootOnly('the IOS-XE and PAN-OS authentication labs', { concurrent: true });

const intent = (network: string, device: string): string => `network ${network}
routing ospf authentication ospf-core
pool infra 10.255.0.0/16
secret ospf-core from env PLUMB_OSPF_KEY
secret partner-bgp from env PLUMB_PARTNER_BGP
site s1 {
  ${device}
  router r2 frr
  link r1 -- r2
}
segment a 10.1.0.0/24 at s1.r2
${SIGNED_PARTNER}`;

const LABS = [
  { name: 'IOS-XE', network: 'authx', device: 'router r1 cisco-iosxe asn 65001', platform: 'cisco-iosxe', what: 'an IOS-XE router' },
  { name: 'PAN-OS', network: 'authp', device: 'firewall r1 paloalto-panos asn 65001', platform: 'paloalto-panos', what: 'a PAN-OS firewall' },
];

describe('authentication on the emulated platforms in a lab', () => {
  for (const lab of LABS) {
    rootIt(`${lab.name}: ${lab.what} with a signed BGP session and an MD5 OSPF link to FRR converges, and the assertion holds in packets`, async () => {
      await inIntentFolder(`plumb-auth-lab-${lab.platform}-`, { 'lab.plumb': intent(lab.network, lab.device) }, async (dir) => {
        const { code, out, err } = await plumb(dir, ['emulate', 'lab.plumb']);
        expect(code, out + err).toBe(0);
        expect(out).toMatch(/routing converged/);
        expect(out).toContain(`s1.r1 (${lab.platform}) as frr`);
        expect(out).toMatch(/agree\s+proof proven\s+packets holds\s+assert reach partner -> a : https/);
        expect(out).not.toMatch(/DISAGREE/);
      });
    }, 600_000);
  }
});
