// Authentication from the intent's secrets, by name only: an external's `password` on each of its
// BGP sessions, `routing ospf authentication` on every OSPF interface that forms adjacencies. The
// model never holds a value; `plumb compile` reads the values (pipeline/secrets.ts) and the
// backends write them in place of the names.

import type { Diagnostic } from '../language/diagnostic.js';
import { diagnostic } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import type { CheckedIntent, IntentSecret } from '../language/intent.js';
import { PLATFORM_TRAITS, platformsWhere } from '../language/platforms.js';
import type { DeviceModel, SecretModel } from './model.js';

/** The intent's `secret` lines as the model carries them: where each value is read. */
export function secretModels(secrets: readonly IntentSecret[]): SecretModel[] {
  return secrets.map((s) => ({ name: s.name, source: s.source, location: s.location, origin: s.span }));
}

/**
 * Puts the secrets' names on the BGP sessions and OSPF interfaces they authenticate; returns
 * C720 for a device that would run OSPFv3 authenticated on a platform Plumb cannot say it for,
 * and C724 for a device of a platform Plumb writes no authentication for (none that runs a
 * routing daemon today: the guard of a platform added without it).
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
    const traits = PLATFORM_TRAITS[device.platform];
    const ospfInterfaces = ospf ? (device.ospf?.interfaces ?? []).filter((o) => !o.passive) : [];
    const byName = new Map(device.interfaces.map((i) => [i.name, i]));
    const v3 = ospfInterfaces.some((o) => {
      const i = byName.get(o.name);
      return i !== undefined && (i.linkLocal !== undefined || i.addresses.some((a) => a.includes(':')));
    });
    if (ospf && v3 && traits.ospfv3Authentication === undefined) {
      diagnostics.push(
        diagnostic(Codes.ospfv3AuthenticationUnsupported, ospf.span, `OSPFv3 authentication on ${device.id}: Plumb cannot configure it on ${traits.displayName}`, {
          hint: `the network carries IPv6, so ${device.id} runs OSPFv3 on its links; authenticate OSPF only where every router runs FRR, or route IPv6 statically (\`routing static\`)`,
        }),
      );
      continue;
    }
    const bgpAuth = device.bgp?.neighbors.some((n) => n.password) === true;
    if (!traits.writesAuthentication && (bgpAuth || ospfInterfaces.length > 0)) {
      const what = bgpAuth ? 'a BGP password' : 'OSPF authentication';
      const at = bgpAuth ? intent.externals.find((x) => x.password && x.attachments.some((a) => a.device === device.id))?.password?.span : ospf?.span;
      if (!at) continue;
      const writers = platformsWhere((t) => t.writesAuthentication === true).map((p) => PLATFORM_TRAITS[p].displayName);
      const listed = writers.length > 1 ? `${writers.slice(0, -1).join(', ')} and ${writers.at(-1)}` : writers.join('');
      diagnostics.push(
        diagnostic(Codes.authenticationNotWritten, at, `${what} on ${device.id}: Plumb does not write it for ${traits.displayName} yet`, {
          hint: `Plumb authenticates ${listed} devices only so far; leave ${device.id} out of the authenticated sessions and links, or remove the line`,
        }),
      );
      continue;
    }
    for (const o of ospfInterfaces) o.authentication = { secret: ospf!.secret };
  }
  return diagnostics;
}
