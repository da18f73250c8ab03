// The NAT rulebase read back into `DeviceModel.nat`: each rule parsed into the data of
// nat-rules.ts (zones by their model names, addresses as prefixes, the service by its port);
// the zones of the rules give the inside and outside interfaces (R916), the rules that stand
// for one translation each give the translations in order (R917 for what the model cannot
// say), and the rules the translations need, generated again by nat-rules.ts, must be exactly
// the file's, in order (R918): the combined rules, the split per destination zone, the
// `bi-directional` flags.

import type { InterfaceModel, NatModel, NatTranslation, ZoneModel } from '../../compiler/model.js';
import { formatPrefix, network, parsePrefix } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import { hostOf } from './local.js';
import { natRules, ruleKey, ruleText, type DestinationTranslation, type NatRule, type NatService, type SourceTranslation } from './nat-rules.js';
import type { VsysObjectsRead } from './read-policy.js';
import { cmp, sortPrefixes, type XmlReading } from './read-xml.js';
import { elements, type XmlElement } from './xml.js';

interface ReadRule {
  rule: Omit<NatRule, 'translations'>;
  e: XmlElement;
  /** The interfaces of its from zones and of its to zone (loopbacks aside), sorted. */
  fromSide: string[];
  toSide: string[];
}

const ANY = 'any';

class NatRuleParser {
  constructor(
    readonly reader: XmlReading,
    readonly zoneNames: Map<string, string>,
    readonly zones: ZoneModel[],
    readonly interfaces: InterfaceModel[],
    readonly objects: VsysObjectsRead,
  ) {}

  /** The rule being parsed (for messages about its parts). */
  rule?: XmlElement;

  inexpressible(at: XmlElement, message: string, hint?: string): undefined {
    this.reader.reporter.error(Codes.readerPanosNatInexpressible, this.reader.span(at), `NAT rule ${(this.rule ?? at).attrs.name}: ${message}`, hint);
    return undefined;
  }

  zoneSide(e: XmlElement, names: string[], what: string): { zones: string[]; side: string[] } | undefined {
    if (names.length === 0 || names.includes(ANY)) {
      this.reader.reporter.error(Codes.readerNatZones, this.reader.span(e), `NAT rule ${e.attrs.name} is ${what} ${names.length === 0 ? 'no zone' : '`any` zone'}`, 'Plumb writes the zones of the NAT inside and outside interfaces, so that the rule holds between those interfaces only.');
      return undefined;
    }
    const zones: string[] = [];
    const side = new Set<string>();
    for (const n of names) {
      this.reader.refs.reference('zone', n, this.reader.span(e), `NAT rule ${e.attrs.name}`);
      const model = this.zoneNames.get(n) ?? n;
      zones.push(model);
      for (const i of this.zones.find((z) => z.name === model)?.interfaces ?? []) {
        if (this.interfaces.find((x) => x.name === i)?.role !== 'loopback') side.add(i);
      }
    }
    return { zones: [...new Set(zones)].sort(cmp), side: [...side].sort(cmp) };
  }

  /** Members that are prefixes, address objects or groups of them; `any` is undefined. */
  prefixes(e: XmlElement, names: string[]): string[] | undefined {
    if (names.length === 1 && names[0] === ANY) return undefined;
    const out: string[] = [];
    for (const name of names) {
      const literal = parsePrefix(name) ?? (parsePrefix(`${name}/32`)?.family === 4 ? parsePrefix(`${name}/32`) : undefined);
      if (literal) {
        out.push(formatPrefix(network(literal)));
        continue;
      }
      for (const member of this.objects.groups.get(name) ?? [name]) {
        this.reader.refs.reference('address', member, this.reader.span(e), `NAT rule ${e.attrs.name}`);
        const p = this.objects.addresses.get(member);
        if (p !== undefined) out.push(p);
      }
    }
    return sortPrefixes(out);
  }

  /** One address or prefix (a translated address): literal or an address object. */
  address(e: XmlElement, at: XmlElement | undefined, what: string): string | undefined {
    const text = this.reader.text(at);
    if (text === undefined) {
      this.reader.reporter.error(Codes.readerMissingPart, this.reader.span(at ?? e), `NAT rule ${e.attrs.name}: ${what} has no address`);
      return undefined;
    }
    const list = this.prefixes(at!, [text]);
    if (!list || list.length !== 1) return this.inexpressible(at!, `${what} is \`${text}\`, not one prefix or address`, 'A range or a group of addresses is a pool, which the model does not have.');
    return list[0];
  }

  service(e: XmlElement): NatService | undefined | false {
    const el = this.reader.child(e, 'service');
    // a leaf in XML; the set form's reader makes one member of it (`service tcp-443`)
    const name = el && elements(el).length > 0 ? this.reader.members(el).join(' ') : this.reader.text(el);
    if (name === undefined || name === ANY) return undefined;
    this.reader.refs.reference('service', name, this.reader.span(el!), `NAT rule ${e.attrs.name}`);
    const s = this.objects.services.get(name);
    if (!s) return false;
    const single = (r: { from: number; to: number }[] | undefined): number | undefined | false => (r === undefined ? undefined : r.length === 1 && r[0]!.from === r[0]!.to ? r[0]!.from : false);
    const port = single(s.ports);
    const sourcePort = single(s.sourcePorts);
    if (port === false || sourcePort === false || (port !== undefined && sourcePort !== undefined) || (s.protocol !== 6 && s.protocol !== 17)) {
      this.inexpressible(el!, `service ${name} is not one TCP or UDP port, or one source port`, 'A published server is translated for one service port.');
      return false;
    }
    return { protocol: s.protocol, ...(port !== undefined ? { port } : {}), ...(sourcePort !== undefined ? { sourcePort } : {}) };
  }

  sourceTranslation(e: XmlElement): SourceTranslation | undefined | false {
    const st = this.reader.child(e, 'source-translation');
    if (!st) return undefined;
    const kinds = this.reader.kids(st, ['static-ip', 'dynamic-ip-and-port', 'dynamic-ip']);
    const k = kinds[0];
    if (!k || kinds.length !== 1) {
      this.reader.reporter.error(Codes.readerMissingPart, this.reader.span(st), `NAT rule ${e.attrs.name}: <source-translation> needs one kind of translation`);
      return false;
    }
    if (k.name === 'dynamic-ip') {
      this.inexpressible(k, 'dynamic IP translation (a pool without ports) is not in the model', 'Use dynamic-ip-and-port to one address.');
      return false;
    }
    if (k.name === 'static-ip') {
      this.reader.kids(k, ['translated-address', 'bi-directional']);
      const address = this.address(e, this.reader.child(k, 'translated-address'), 'the static source translation');
      const bidi = this.reader.child(k, 'bi-directional');
      const flag = this.reader.text(bidi) ?? 'no';
      if (flag !== 'yes' && flag !== 'no') this.reader.bad(bidi!, `NAT rule ${e.attrs.name}: <bi-directional> must be yes or no`);
      return address === undefined ? false : { kind: 'static', address, bidirectional: flag === 'yes' };
    }
    const [how] = this.reader.kids(k, ['interface-address', 'translated-address']);
    if (!how) {
      this.reader.reporter.error(Codes.readerMissingPart, this.reader.span(k), `NAT rule ${e.attrs.name}: dynamic-ip-and-port needs an interface address or a translated address`);
      return false;
    }
    if (how.name === 'translated-address') {
      // one member reads as a leaf from the set form (`translated-address 203.0.113.20`)
      const names = elements(how).length > 0 ? this.reader.members(how) : [this.reader.text(how) ?? ''];
      const list = names.length === 1 ? this.prefixes(how, names) : undefined;
      if (!list || list.length !== 1 || !list[0]!.endsWith('/32')) {
        this.inexpressible(how, `dynamic-ip-and-port translates to ${names.join(', ')}, not one address`, 'The model has PAT to one address; pools of several are not modelled yet.');
        return false;
      }
      return { kind: 'pat', address: list[0]!.slice(0, -3) };
    }
    this.reader.kids(how, ['interface', 'ip']);
    const ifName = this.reader.text(this.reader.child(how, 'interface'));
    const ipEl = this.reader.child(how, 'ip');
    const ip = this.reader.text(ipEl);
    if (ifName === undefined) {
      this.reader.reporter.error(Codes.readerMissingPart, this.reader.span(how), `NAT rule ${e.attrs.name}: <interface-address> needs an <interface>`);
      return false;
    }
    this.reader.refs.reference('interface', ifName, this.reader.span(how), `NAT rule ${e.attrs.name}`);
    const own = this.interfaces.find((i) => i.name === ifName)?.addresses.filter((a) => a.includes('.')) ?? [];
    const chosen = ip === undefined ? (own.length === 1 ? own[0] : undefined) : own.find((a) => a === ip || hostOf(a) === hostOf(ip));
    if (chosen === undefined) {
      this.inexpressible(ipEl ?? how, `the interface address ${ip ?? '(none given)'} is not one address of ${ifName}`, 'Name the interface\'s IPv4 address in <ip>.');
      return false;
    }
    return { kind: 'pat', address: hostOf(chosen).slice(0, -3), interface: ifName };
  }

  destinationTranslation(e: XmlElement): DestinationTranslation | undefined | false {
    const dt = this.reader.child(e, 'destination-translation');
    if (!dt) return undefined;
    this.reader.kids(dt, ['translated-address', 'translated-port']);
    const address = this.address(e, this.reader.child(dt, 'translated-address'), 'the destination translation');
    const portEl = this.reader.child(dt, 'translated-port');
    const port = portEl ? Number(this.reader.text(portEl)) : undefined;
    if (port !== undefined && !(Number.isInteger(port) && port >= 1 && port <= 65535)) {
      this.reader.bad(portEl!, `NAT rule ${e.attrs.name}: \`${this.reader.text(portEl)}\` is not a port`);
      return false;
    }
    return address === undefined ? false : { address, ...(port !== undefined ? { port } : {}) };
  }

  parse(e: XmlElement): ReadRule | undefined {
    this.rule = e;
    const r = this.reader;
    r.checkKids(e, ['source-translation', 'destination-translation', 'to', 'from', 'source', 'destination', 'service', 'nat-type', 'to-interface', 'description', 'disabled']);
    const natType = r.text(r.child(e, 'nat-type'));
    if (natType !== undefined && natType !== 'ipv4') return this.inexpressible(r.child(e, 'nat-type')!, `<nat-type>${natType}</nat-type> is not IPv4 translation`);
    const toIf = r.text(r.child(e, 'to-interface'));
    if (toIf !== undefined && toIf !== ANY) return this.inexpressible(r.child(e, 'to-interface')!, `the rule is limited to the egress interface ${toIf}`, 'Plumb writes NAT rules by zones; the model translates between the inside and outside interfaces.');
    const from = this.zoneSide(e, r.members(r.child(e, 'from')), 'from');
    const toNames = r.members(r.child(e, 'to'));
    if (toNames.length > 1) {
      r.reporter.error(Codes.readerNatZones, r.span(e), `NAT rule ${e.attrs.name} names ${toNames.length} destination zones`, 'PAN-OS takes one destination zone per NAT rule: one rule per zone.');
      return undefined;
    }
    const to = this.zoneSide(e, toNames, 'to');
    const sources = this.prefixes(e, r.members(r.child(e, 'source')));
    const destinations = this.prefixes(e, r.members(r.child(e, 'destination')));
    const service = this.service(e);
    const source = this.sourceTranslation(e);
    const destination = this.destinationTranslation(e);
    if (!from || !to || service === false || source === false || destination === false) return undefined;
    if (!source && !destination) return this.inexpressible(e, 'the rule translates nothing (a rule that exempts packets from translation is not in the model)');
    const rule: Omit<NatRule, 'translations'> = {
      from: from.zones,
      to: to.zones[0]!,
      ...(sources ? { sources } : {}),
      ...(destinations ? { destinations } : {}),
      ...(service ? { service } : {}),
      ...(source ? { source } : {}),
      ...(destination ? { destination } : {}),
    };
    return { rule, e, fromSide: from.side, toSide: to.side };
  }
}

/** A rule of one translation, as that translation (realSide `inside`/`outside` filled in by the caller's sides). */
function translationOf(p: ReadRule, parser: NatRuleParser, fromInside: boolean): NatTranslation | 'outbound' | undefined {
  const r = p.rule;
  const reader = parser.reader;
  const description = reader.text(reader.child(p.e, 'description')) ?? '';
  const origin = reader.origin(reader.annotation(p.e, 'nat'), p.e);
  const sameLength = (a: string, b: string): boolean => a.split('/')[1] === b.split('/')[1];
  if (r.source?.kind === 'pat' && !r.destination && !r.destinations && !r.service) {
    if (!r.sources) return parser.inexpressible(p.e, 'dynamic-ip-and-port from any source', 'Name the sources that are translated.');
    return { kind: 'pat', sources: r.sources, address: r.source.address, description, origin };
  }
  if (r.source?.kind === 'static' && !r.destination && !r.destinations) {
    const real = r.sources?.length === 1 ? r.sources[0]! : undefined;
    if (real === undefined || !sameLength(real, r.source.address)) return parser.inexpressible(p.e, `static-ip translates ${r.sources?.join(', ') ?? 'any'} to ${r.source.address}, not one prefix to one of the same length`);
    if (r.source.bidirectional && !r.service) return { kind: 'static', realSide: fromInside ? 'inside' : 'outside', real, mapped: r.source.address, description, origin };
    if (!r.source.bidirectional && r.service?.sourcePort !== undefined) return 'outbound';
    return parser.inexpressible(p.e, 'a static translation one way only', 'The model\'s static translations work both ways: set <bi-directional>yes</bi-directional>.');
  }
  if (r.destination?.port !== undefined && r.service?.port !== undefined && r.destination.port !== r.service.port) {
    return parser.inexpressible(p.e, `the published port ${r.service.port} is translated to ${r.destination.port}`, 'The outbound rule of a published server keeps its port (static-ip), so PAN-OS can only publish a server on its own port.');
  }
  if (r.destination && !r.source && !r.sources && r.destinations?.length === 1 && r.destinations[0]!.endsWith('/32') && r.destination.address.endsWith('/32') && r.service?.port !== undefined) {
    return { kind: 'static', realSide: 'inside', real: r.destination.address, mapped: r.destinations[0]!, service: { protocol: r.service.protocol, port: r.service.port, realPort: r.destination.port ?? r.service.port }, description, origin };
  }
  if (r.destination && !r.source) return parser.inexpressible(p.e, 'a destination translation of other than one published address and one service port');
  return parser.inexpressible(p.e, 'a rule that is neither a static translation, a PAT nor a published server');
}

/**
 * `rulebase nat rules` → the device's NAT (undefined when the rulebase has none). `zones` and
 * `interfaces` are by config names, as read.
 */
export function readNat(reader: XmlReading, rulebase: XmlElement | undefined, zoneNames: Map<string, string>, zones: ZoneModel[], interfaces: InterfaceModel[], objects: VsysObjectsRead, id: string): NatModel | undefined {
  const natEl = reader.child(rulebase, 'nat');
  if (!natEl) return undefined;
  reader.checkKids(natEl, ['rules']);
  const parser = new NatRuleParser(reader, zoneNames, zones, interfaces, objects);
  const read: ReadRule[] = [];
  let failed = false;
  for (const e of reader.entries(reader.child(natEl, 'rules'))) {
    const disabled = reader.child(e, 'disabled');
    if (disabled && reader.text(disabled) === 'yes') continue;
    const p = parser.parse(e);
    if (p) read.push(p);
    else failed = true;
  }
  parser.rule = undefined;
  if (read.length === 0 || failed) return undefined;
  // The two sides: every rule is from one and to the other (a published server's own rule from outside to outside).
  const key = (side: string[]): string => side.join(' ');
  const sides = [...new Set(read.map((p) => key(p.fromSide)))];
  const both = (a: string, b: string): boolean => a.split(' ').some((i) => b.split(' ').includes(i));
  if (sides.length > 2 || (sides.length === 2 && both(sides[0]!, sides[1]!))) {
    const odd = read.find((p) => key(p.fromSide) !== sides[0] && key(p.fromSide) !== sides[1]) ?? read[read.length - 1]!;
    reader.reporter.error(Codes.readerNatZones, reader.span(odd.e), `NAT rule ${odd.e.attrs.name} comes from the interfaces ${odd.fromSide.join(', ')}, which are not one of the two sides the other rules translate between`, 'Every NAT rule is from the zones of the inside interfaces or from those of the outside ones.');
    return undefined;
  }
  const single = (p: ReadRule): boolean => !(p.rule.source && p.rule.destination);
  const isPublished = (p: ReadRule): boolean => Boolean(p.rule.destination && !p.rule.source);
  // Which side is outside: the one a published server's rule comes from, not the one a PAT
  // comes from; else the one holding the external's interface; else the first rule's source side
  // is inside (static translations alone read the same either way round: see the docs).
  const external = (side: string): boolean => side.split(' ').some((i) => interfaces.find((x) => x.name === i)?.role === 'external');
  const pat = read.find((p) => single(p) && p.rule.source?.kind === 'pat');
  const published = read.find((p) => single(p) && isPublished(p));
  const [anchor, anchorInside] = published
    ? [key(published.fromSide), false]
    : pat
      ? [key(pat.fromSide), true]
      : sides.some(external)
        ? [sides.find(external)!, false]
        : [key((read.find(single) ?? read[0]!).fromSide), true];
  // The other side: the other rules' source side, or where the anchor's rules lead.
  const across = read.filter((p) => key(p.fromSide) === anchor && !p.toSide.every((i) => p.fromSide.includes(i))).flatMap((p) => p.toSide);
  const otherKey = sides.find((s) => s !== anchor) ?? key([...new Set(across)].sort(cmp));
  if (otherKey === '') {
    reader.reporter.error(Codes.readerNatZones, reader.span(read[0]!.e), `the NAT rules name no zone of the ${anchorInside ? 'outside' : 'inside'} interfaces`, 'A published server\'s rules include its outbound rule, from the inside zones.');
    return undefined;
  }
  const [insideKey, outsideKey] = anchorInside ? [anchor, otherKey] : [otherKey, anchor];
  const split = (s: string): string[] => (s === '' ? [] : s.split(' '));
  const nat: NatModel = { inside: split(insideKey), outside: split(outsideKey), translations: [] };
  // The translations, from the rules of one translation each (a rule split per destination zone once).
  let previous: string | undefined;
  for (const p of read) {
    if (!single(p)) continue;
    const k = ruleKey({ ...p.rule, to: '', translations: [] });
    if (k === previous) continue;
    previous = k;
    const t = translationOf(p, parser, key(p.fromSide) === insideKey);
    if (t === undefined) return undefined;
    if (t !== 'outbound') nat.translations.push(t);
  }
  // The rules those translations need must be the file's, in order.
  const want = natRules({ id, interfaces, zones, nat });
  if (!Array.isArray(want)) {
    if (want.kind === 'zones') reader.reporter.error(Codes.readerNatZones, reader.span(read[0]!.e), `the NAT rules cannot be read back to interfaces: ${want.message}`, 'Put the NAT inside and outside interfaces in zones of their own side.');
    else reader.reporter.error(Codes.readerPanosNatInexpressible, reader.span(read[0]!.e), want.message);
    return undefined;
  }
  const n = Math.max(want.length, read.length);
  for (let i = 0; i < n; i++) {
    const w = want[i];
    const got = read[i];
    if (w && got && ruleKey(w) === ruleKey({ ...got.rule, translations: [] })) continue;
    const at = got?.e ?? read[read.length - 1]!.e;
    const message = got
      ? w
        ? `NAT rule ${got.e.attrs.name} (${ruleText({ ...got.rule, translations: [] })}) is not the rule the translations need here: ${ruleText(w)}`
        : `NAT rule ${got.e.attrs.name} is one more than the translations need`
      : `the NAT rules lack one the translations need after the last: ${ruleText(w!)}`;
    reader.reporter.error(Codes.readerNatRulesDiffer, reader.span(at), message, 'Rules that translate both addresses come first, then one rule per translation in order, once per destination zone; static ones bi-directional (docs/backends/paloalto-panos.md).');
    return undefined;
  }
  return nat;
}
