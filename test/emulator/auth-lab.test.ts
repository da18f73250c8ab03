// Authentication in real FRR daemons, the four labs of it at once (each with its own run id;
// most of a lab's time is waiting for routing, which the others' proofs, builds and packets fill):
// - `plumb emulate` of two FRR routers with `routing ospf authentication` (OSPFv2 MD5 and
//   OSPFv3's HMAC-SHA-256 trailer on their link, the secret's placeholder as the lab's key on both
//   ends) converges, proves and probes the assertion across the authenticated link;
// - an FRR router's BGP session signed with TCP-MD5 comes up, and the sweep finds the session
//   port closed to unsigned probes as the model says;
// - on the emulated platforms, an IOS-XE router and a PAN-OS firewall (each standing in as FRR,
//   the firewall with the emulator's filters, as every such device does in the lab) with an
//   authenticated BGP session to a partner and an OSPFv2 MD5 link to an FRR router converge, and
//   the assertion across both holds in packets. The compiler must accept the intent (no C724 for
//   either platform any more).
// The two describes are concurrent too, so that all four start together. Root only: skipped
// loudly elsewhere.

import { describe, expect } from 'vitest';
import { inIntentFolder, plumb, rootOnly, SIGNED_PARTNER } from '../intent-runs.js';

const rootIt = rootOnly('the authentication labs', { concurrent: true });

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

describe.concurrent('OSPF authentication in a lab', () => {
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

const platformIntent = (network: string, device: string): string => `network ${network}
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

const PLATFORM_LABS = [
  { name: 'IOS-XE', network: 'authx', device: 'router r1 cisco-iosxe asn 65001', platform: 'cisco-iosxe', what: 'an IOS-XE router' },
  { name: 'PAN-OS', network: 'authp', device: 'firewall r1 paloalto-panos asn 65001', platform: 'paloalto-panos', what: 'a PAN-OS firewall' },
];

describe.concurrent('authentication on the emulated platforms in a lab', () => {
  for (const lab of PLATFORM_LABS) {
    rootIt(`${lab.name}: ${lab.what} with a signed BGP session and an MD5 OSPF link to FRR converges, and the assertion holds in packets`, async () => {
      await inIntentFolder(`plumb-auth-lab-${lab.platform}-`, { 'lab.plumb': platformIntent(lab.network, lab.device) }, async (dir) => {
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
