// The backends' defence against a model no `plumb check` has seen (a model can be built by code):
// every name a config file writes as a bare word (device, interface, segment, external, zone,
// filter, peer names) must be one word of printable ASCII that no config language reads as
// anything else, and every interface name one the platform has (language/platform-text.ts, the
// rules `plumb check` reports as P510-P512). A name that is not is refused with an error before
// anything is written; descriptions and paths are never refused, they are escaped
// (text-escape.ts).

import type { DeviceModel } from '../compiler/model.js';
import { interfaceNameProblem } from '../language/platform-text.js';
import type { Platform } from '../language/intent.js';

/** A model a backend cannot write without changing what it says. */
export class UnrenderableModelError extends Error {
  override name = 'UnrenderableModelError';
}

/** Letters, digits and the punctuation names use; no quote, comment, separator or `%`. */
const WORD = /^[A-Za-z0-9_][A-Za-z0-9_./:@+=-]*$/;
/** A device's and a site's name are the language's names: they also name output files. */
const NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;

export interface NameRules {
  /** The platform whose grammar interface names must follow (default: the device's). */
  interfacesOf?: Platform;
  /**
   * Whether the other names (segment, external, zone, filter, peer) are written as bare words.
   * False for a backend that maps them itself (PAN-OS: zone names are shortened, the rest are
   * escaped annotation values).
   */
  bareWords: boolean;
}

/** Throws UnrenderableModelError when a name of `device` cannot be written as it is. */
export function requireWritableNames(device: DeviceModel, rules: NameRules): void {
  const refuse = (what: string, name: string, why: string): never => {
    throw new UnrenderableModelError(`cannot render ${JSON.stringify(device.id)}: ${what} ${JSON.stringify(name)} ${why}`);
  };
  const word = (what: string, name: string | undefined): void => {
    if (rules.bareWords && name !== undefined && !WORD.test(name))
      refuse(what, name, 'is not one word of letters, digits and `_.-/:@+=`');
  };
  // A device names the same few interfaces in every static route (hundreds of thousands at 400
  // devices): each is checked once. Only names that passed are remembered, so a refused name is
  // still refused where it first appears.
  const writableInterfaces = new Set<string>();
  const iface = (what: string, name: string | undefined): void => {
    if (name === undefined || writableInterfaces.has(name)) return;
    const problem = interfaceNameProblem(rules.interfacesOf ?? device.platform, name);
    if (problem !== undefined) refuse(what, name, `is not a valid interface name: ${problem}`);
    writableInterfaces.add(name);
  };
  for (const [what, name] of [['site', device.site], ['device name', device.name]] as const) {
    if (!NAME.test(name)) refuse(what, name, 'is not a name (a letter, then letters, digits, `_` or `-`)');
  }
  if (device.id !== `${device.site}.${device.name}`) refuse('device id', device.id, `is not \`${device.site}.${device.name}\``);
  for (const i of device.interfaces) {
    iface('interface', i.name);
    word('peer device', i.peer?.device);
    word('peer interface', i.peer?.interface);
    word('segment', i.segment);
    word('external', i.external);
    word('zone', i.zone);
    word('filter', i.filterIn);
    word('filter', i.filterOut);
  }
  for (const f of device.filters) word('filter', f.name);
  for (const z of device.zones) {
    word('zone', z.name);
    for (const m of z.interfaces) iface('zone member', m);
  }
  for (const r of [...device.securityRules, ...device.filters.flatMap((f) => f.rules)]) {
    for (const z of [...(r.match.fromZones ?? []), ...(r.match.toZones ?? [])]) word('zone', z);
  }
  for (const r of device.staticRoutes) iface('route interface', r.interface);
  for (const o of device.ospf?.interfaces ?? []) iface('OSPF interface', o.name);
  for (const n of device.bgp?.neighbors ?? []) if (n.external !== '') word('BGP external', n.external);
}
