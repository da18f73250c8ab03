// Shared by the front-end tests: analyze a snippet and look at its diagnostics.

import { analyze, type Analysis } from '../../language/analyze.js';
import type { Diagnostic } from '../../language/diagnostic.js';

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

export function codes(text: string): string[] {
  return run(text).diagnostics.map((d) => d.code);
}

/** The diagnostics with `code`; fails the test when there is none. */
export function find(text: string, code: string): Diagnostic[] {
  const a = run(text);
  const found = a.diagnostics.filter((d) => d.code === code);
  if (found.length === 0) {
    throw new Error(`expected ${code}, got: ${a.diagnostics.map((d) => `${d.code} ${d.message}`).join(' | ') || 'nothing'}`);
  }
  return found;
}

/** The text a diagnostic's span covers. */
export function spanText(text: string, d: Diagnostic): string {
  return text.slice(d.span.start.offset, d.span.end.offset);
}
