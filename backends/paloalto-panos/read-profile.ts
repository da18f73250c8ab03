// The interface management profiles read back and checked against the local filter read from
// the rulebase: the profile the local filter implies (local.ts), on every addressed interface,
// and no other. The model has no field for them: a profile that opens more (another service, a
// wider permitted-ip) or less than the rules is R940, at the profile or the interface.

import type { DeviceModel } from '../../compiler/model.js';
import { formatPrefix, network, parseAddress, parsePrefix } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import { localFilterOf, managedInterface, managementProfile, PROFILE_SERVICES } from './local.js';
import { sortPrefixes, type XmlReading } from './read-xml.js';
import type { XmlElement } from './xml.js';

export interface ReadProfile {
  services: string[];
  permitted: string[];
  e: XmlElement;
}

/** `<network><profiles><interface-management-profile>`: the profiles by name. */
export function readProfiles(reader: XmlReading, net: XmlElement | undefined): Map<string, ReadProfile> {
  const out = new Map<string, ReadProfile>();
  const profiles = reader.child(net, 'profiles');
  if (profiles) reader.checkKids(profiles, ['interface-management-profile', 'zone-protection-profile']);
  const services = PROFILE_SERVICES.map((s) => s.name);
  for (const p of reader.entries(reader.child(profiles, 'interface-management-profile'))) {
    const kids = reader.kids(p, [...services, 'permitted-ip']);
    const on: string[] = [];
    for (const k of kids) {
      if (k.name === 'permitted-ip') continue;
      const v = reader.text(k);
      if (v === 'yes') on.push(k.name);
      else if (v !== 'no') reader.bad(k, `<${k.name}> must be yes or no`);
    }
    const permitted: string[] = [];
    for (const a of reader.entries(reader.child(p, 'permitted-ip'))) {
      reader.checkKids(a, []);
      const text = a.attrs.name!;
      const address = parseAddress(text);
      const prefix = address ? { ...address, length: address.family === 4 ? 32 : 128 } : parsePrefix(text);
      if (!prefix) reader.bad(a, `\`${text}\` is not an address or prefix`);
      else permitted.push(formatPrefix(network(prefix)));
    }
    reader.refs.define('interface-management-profile', p.attrs.name!, reader.span(p));
    out.set(p.attrs.name!, { services: services.filter((s) => on.includes(s)), permitted: sortPrefixes(permitted), e: p });
  }
  return out;
}

const list = (xs: string[], none: string): string => (xs.length === 0 ? none : xs.join(', '));

/**
 * The profiles must be exactly what the device's local filter implies: that profile with the
 * same services and permitted sources on every addressed interface, none elsewhere, no other.
 */
export function checkProfiles(
  reader: XmlReading,
  device: DeviceModel,
  profiles: Map<string, ReadProfile>,
  attached: Map<string, { name: string; e: XmlElement }>,
  anchor: XmlElement,
): void {
  const want = managementProfile(device.localFilter !== undefined ? localFilterOf(device) : undefined);
  const error = (e: XmlElement, message: string): void =>
    reader.reporter.error(Codes.readerProfileMismatch, reader.span(e), message, 'Plumb derives the profile from the rules above local-default-deny (docs/backends/paloalto-panos.md); change both, or regenerate.');
  for (const [name, p] of profiles) {
    if (!want || name !== want.name) {
      error(p.e, `interface management profile ${name} opens ${list(p.services, 'nothing')}, which the rules for the firewall itself do not imply${want ? ` (they imply profile ${want.name})` : ''}`);
      continue;
    }
    const services = want.services.join(', ');
    if (p.services.join(', ') !== services) error(p.e, `interface management profile ${name} opens ${list(p.services, 'nothing')}, but the rules for the firewall itself admit ${services}`);
    if (p.permitted.join(' ') !== want.permitted.join(' ')) {
      error(p.e, `interface management profile ${name} permits ${list(p.permitted, 'any source')}, but the rules for the firewall itself admit ${want.services.join(', ')} from ${list(want.permitted, 'any source')}`);
    }
  }
  if (want && !profiles.has(want.name)) error(anchor, `the rules for the firewall itself admit ${want.services.join(', ')}, which PAN-OS answers only on interfaces with an interface management profile, and there is none named ${want.name}`);
  for (const i of device.interfaces) {
    const a = attached.get(i.name);
    const expected = want && managedInterface(i) ? want.name : undefined;
    if (a?.name === expected) continue;
    if (a === undefined) error(anchor, `interface ${i.name} has no interface management profile, so it does not answer ${want!.services.join(', ')}, which the rules for the firewall itself admit`);
    else if (expected === undefined) error(a.e, `interface ${i.name} has interface management profile ${a.name}, which the rules for the firewall itself do not imply`);
    else error(a.e, `interface ${i.name} has interface management profile ${a.name}, not ${expected}`);
  }
}

/**
 * `<profiles><zone-protection-profile>`: the names of those that discard spoofed sources (the
 * strict uRPF of every interface of a zone that names one, local.ts); `discard-ip-spoof` is the
 * only setting read.
 */
export function readZoneProtection(reader: XmlReading, net: XmlElement | undefined): Map<string, boolean> {
  const out = new Map<string, boolean>();
  for (const p of reader.entries(reader.child(reader.child(net, 'profiles'), 'zone-protection-profile'))) {
    reader.checkKids(p, ['discard-ip-spoof']);
    const flag = reader.child(p, 'discard-ip-spoof');
    const v = reader.text(flag);
    if (flag && v !== 'yes' && v !== 'no') reader.bad(flag, '<discard-ip-spoof> must be yes or no');
    reader.refs.define('zone-protection-profile', p.attrs.name!, reader.span(p));
    out.set(p.attrs.name!, v === 'yes');
  }
  return out;
}
