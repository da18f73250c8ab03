// The NAT rulebase of the vsys (`rulebase nat rules`): the rules nat-rules.ts derives from the
// device's `nat`, written in their order. Each rule that stands for one model translation is
// named after it and carries its description and a `plumb nat` annotation with its origin; a
// rule that does two translations at once is named after both.

import type { DeviceModel } from '../../compiler/model.js';
import { formatOriginTag } from '../origin-tag.js';
import { annotation, NameTable } from './names.js';
import { natRules, type NatRule, type NatService } from './nat-rules.js';
import { comment, el, entry, members, type XmlElement, type XmlNode } from './xml.js';

/** The name of the service object of a NAT rule's service (render-policy.ts makes it). */
export type ServiceObject = (service: NatService) => string;

/** A host without its `/32`, as PAN-OS shows one address. */
const addressText = (p: string): string => (p.endsWith('/32') ? p.slice(0, -3) : p);

function sourceTranslationXml(r: NatRule, device: DeviceModel): XmlElement[] {
  const s = r.source;
  if (!s) return [];
  if (s.kind === 'static') {
    return [el('source-translation', [el('static-ip', [el('translated-address', addressText(s.address)), el('bi-directional', s.bidirectional ? 'yes' : 'no')])])];
  }
  if (s.interface !== undefined) {
    const owned = device.interfaces.find((i) => i.name === s.interface)!.addresses.find((a) => a.startsWith(`${s.address}/`))!;
    return [el('source-translation', [el('dynamic-ip-and-port', [el('interface-address', [el('interface', s.interface), el('ip', owned)])])])];
  }
  return [el('source-translation', [el('dynamic-ip-and-port', [members('translated-address', [s.address])])])];
}

function destinationTranslationXml(r: NatRule): XmlElement[] {
  const d = r.destination;
  if (!d) return [];
  const body: XmlNode[] = [el('translated-address', addressText(d.address))];
  if (d.port !== undefined) body.push(el('translated-port', String(d.port)));
  return [el('destination-translation', body)];
}

/** `<nat><rules>…` for the device (renamed to its config interface names), or nothing without NAT. */
export function natRulebaseXml(device: DeviceModel, zoneName: (z: string) => string, service: ServiceObject): XmlElement[] {
  const rules = natRules(device);
  if (!Array.isArray(rules)) throw new Error(`internal: ${device.id}: ${rules.message}`);
  if (rules.length === 0) return [];
  const ts = device.nat!.translations;
  const names = new NameTable();
  const split = (r: NatRule, k: number): boolean => rules.some((o, m) => m !== k && o.to !== r.to && o.translations.join() === r.translations.join() && o.outbound === r.outbound);
  const entries = rules.map((r, k) => {
    const [first, second] = r.translations.map((i) => ts[i]!);
    const label = (i: number): string => ts[i]!.description || `nat-${i + 1}`;
    const base = second ? `${label(r.translations[0]!)} and ${label(r.translations[1]!)}` : r.outbound ? `${label(r.translations[0]!)} outbound` : label(r.translations[0]!);
    const name = names.take(split(r, k) ? `${base} to ${r.to}` : base);
    const body: XmlNode[] = [];
    if (!second) body.push(comment(annotation('nat', [['origin', formatOriginTag(first!.origin)]])));
    body.push(
      ...sourceTranslationXml(r, device),
      ...destinationTranslationXml(r),
      members('to', [zoneName(r.to)]),
      members('from', r.from.map(zoneName)),
      members('source', r.sources ?? ['any']),
      members('destination', r.destinations ?? ['any']),
      el('service', r.service ? service(r.service) : 'any'),
      el('nat-type', 'ipv4'),
      el('description', second ? `${first!.description}; ${second.description}` : first!.description),
    );
    return entry(name, body);
  });
  return [el('nat', [el('rules', entries)])];
}
