// Shared by the front-end tests that are code, not cases: a small clean intent and analyze on a
// snippet. Cases (test/language/cases/) write their intents out whole.

import { analyze, type Analysis } from '../../language/analyze.js';

/** A small clean intent that tests extend with the lines under test. */
export const BASE = `pool infra 10.255.0.0/16
site fra1 {
  router   edge1 cisco-iosxe asn 65010
  firewall fw1   paloalto-panos
  router   core1 frr
  router   gw1   linux
  link edge1 -- fw1
  link fw1 -- core1
  link core1 -- gw1
}
segment web 10.10.1.0/24 at fra1.fw1 zone dmz
segment db  10.10.2.0/24 at fra1.core1
policy {
  allow web -> db : postgres
}
`;

export function run(text: string, path = 'test.plumb'): Analysis {
  return analyze([{ path, text }]);
}
