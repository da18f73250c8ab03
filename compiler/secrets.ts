// Authentication from the intent's secrets, by name only: an external's `password` on each of its
// BGP sessions, `routing ospf authentication` on every OSPF interface that forms adjacencies. The
// model never holds a value; `plumb compile` reads the values (pipeline/secrets.ts) and the
// backends write them in place of the names.

import type { Diagnostic } from '../language/diagnostic.js';
import { diagnostic } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import type { CheckedIntent, IntentSecret } from '../language/intent.js';
import { PLATFORM_TRAITS } from '../language/platforms.js';
import type { DeviceModel, SecretModel } from './model.js';

/** The intent's `secret` lines as the model carries them: where each value is read. */
export function secretModels(secrets: readonly IntentSecret[]): SecretModel[] {
  return secrets.map((s) => ({ name: s.name, source: s.source, location: s.location, origin: s.span }));
}

/**
 * Puts the secrets' names on the BGP sessions and OSPF interfaces they authenticate; returns
 * C720 for a device that would run OSPFv3 authenticated on a platform Plumb cannot say it for.
 */
export function putAuthentication(intent: CheckedIntent, devices: DeviceModel[]): Diagnostic[] {
  const passwords = new Map(intent.externals.flatMap((x) => (x.password ? [[x.name, x.password.secret] as const] : [])));
  const ospf = intent.ospfAuthentication;
  const diagnostics: Diagnostic[] = [];
  for (const device of devices) {
    for (const n of device.bgp?.neighbors ?? []) {
      const secret = passwords.get(n.external);
      if (secret !== undefined) n.password = { secret };
    }
    if (!ospf || !device.ospf) continue;
    const byName = new Map(device.interfaces.map((i) => [i.name, i]));
    let v3 = false;
    for (const o of device.ospf.interfaces) {
      if (o.passive) continue;
      o.authentication = { secret: ospf.secret };
      const i = byName.get(o.name);
      if (i && (i.linkLocal !== undefined || i.addresses.some((a) => a.includes(':')))) v3 = true;
    }
    const traits = PLATFORM_TRAITS[device.platform];
    if (v3 && traits.ospfv3Authentication === undefined) {
      diagnostics.push(
        diagnostic(Codes.ospfv3AuthenticationUnsupported, ospf.span, `OSPFv3 authentication on ${device.id}: Plumb cannot configure it on ${traits.displayName}`, {
          hint: `the network carries IPv6, so ${device.id} runs OSPFv3 on its links; authenticate OSPF only where every router runs FRR, or route IPv6 statically (\`routing static\`)`,
        }),
      );
    }
  }
  return diagnostics;
}
