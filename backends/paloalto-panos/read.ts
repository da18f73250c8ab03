// `<device>.xml` (+ `<device>.set`) of the subset render.ts writes → DeviceModel with `fib: []`
// (the NAT rulebase: nat-read.ts).
// Strict: an element outside the subset, a value that does not parse, or a reference to a
// zone, address, service, application or interface that is not defined is an R95x diagnostic
// at the element's line and column. Entry order does not matter except in the rulebase.
// When the `.set` file is present it must say the same as the XML (R958).

import type { DeviceModel, FilterModel, FilterRule, InterfaceModel, InterfaceRole, NatModel, ZoneModel } from '../../compiler/model.js';
import type { ReadContext, ReadResult, RenderedFile } from '../backend.js';
import { canonicalDevice } from '../canonical.js';
import { diagnostic, fileSpan } from '../../language/diagnostic.js';
import { Codes } from '../../language/diagnostics/index.js';
import { Reporter } from '../reporter.js';
import { renameInterfaces } from '../interface-names.js';
import { ETHERNET, LOOPBACK, UNIT, VIRTUAL_ROUTER } from './render.js';
import { linkLocalOf } from './ipv6.js';
import { setLines } from './set.js';
import { isNormalSetText, isSetOf } from './set-match.js';
import { PROFILE_TAGS, readBgp, readOspf, readStaticRoutes } from './read-routing.js';
import { readSecurityRules, readZones } from './read-policy.js';
import { readNat } from './nat-read.js';
import { renameNat } from './nat-rules.js';
import { checkProfiles, readProfiles, readZoneProtection } from './read-profile.js';
import { cmp, XmlReading } from './read-xml.js';
import { readPanosRunning } from './read-running.js';
import { elements, parseXml, type XmlElement } from './xml.js';

export class PanosReader extends XmlReading {
  /** Interface (config name) → the interface management profile it names. */
  readonly profileOf = new Map<string, { name: string; e: XmlElement }>();

  iface(e: XmlElement, name: string, allowed: string[], l3: XmlElement | undefined): InterfaceModel {
    this.checkKids(e, allowed);
    const profile = this.child(l3, 'interface-management-profile');
    const profileName = this.text(profile);
    if (profile && profileName !== undefined) {
      this.profileOf.set(name, { name: profileName, e: profile });
      this.refs.reference('interface-management-profile', profileName, this.span(profile), `interface ${name}`);
    }
    const a = this.annotation(e, 'interface');
    if (!a && !this.running) this.reporter.warning(Codes.readerBadAnnotation, this.span(e), `interface ${name} has no \`plumb interface\` comment`, 'Its role and intent line are guessed.');
    const v4: string[] = [];
    const v6: string[] = [];
    let linkLocal: string | undefined;
    if (l3) {
      this.addresses(this.child(l3, 'ip'), v4, 4);
      const ipv6 = this.child(l3, 'ipv6');
      if (ipv6) linkLocal = this.ipv6(ipv6, name, v6);
    }
    const role = a?.get('role') ?? this.running?.role(name);
    const i: InterfaceModel = {
      name,
      description: this.text(this.child(e, 'comment')) ?? '',
      role: role && ['link', 'segment', 'external', 'loopback'].includes(role) ? (role as InterfaceRole) : name.startsWith('loopback') ? 'loopback' : 'link',
      addresses: [...v4, ...v6],
      origin: this.origin(a, e),
    };
    if (linkLocal !== undefined) i.linkLocal = linkLocal;
    const modelName = a?.get('name') ?? this.running?.modelName(name);
    if (modelName !== undefined) this.modelNames.set(name, modelName);
    const pd = a?.get('peer-device');
    const pi = a?.get('peer-interface');
    if (pd !== undefined && pi !== undefined) i.peer = { device: pd, interface: pi };
    if (a?.has('segment')) i.segment = a.get('segment')!;
    if (a?.has('external')) i.external = a.get('external')!;
    return i;
  }

  /**
   * An interface's `<ipv6>`: on (`<enabled>yes`) with global addresses and/or the interface ID
   * of its link-local address (returned); never router advertisements, which the model has none
   * of; never on with only the automatic link-local address, which the model cannot say.
   */
  ipv6(ipv6: XmlElement, name: string, into: string[]): string | undefined {
    this.checkKids(ipv6, ['enabled', 'interface-id', 'address', 'neighbor-discovery']);
    this.addresses(this.child(ipv6, 'address'), into, 6);
    const enabled = this.child(ipv6, 'enabled');
    if (this.text(enabled) !== 'yes') {
      this.reporter.error(Codes.readerContradiction, this.span(enabled ?? ipv6), `interface ${name} has IPv6 settings but IPv6 is not enabled`, 'Plumb writes <enabled>yes</enabled> on every interface with IPv6, and no <ipv6> on the others.');
    }
    const nd = this.child(ipv6, 'neighbor-discovery');
    if (nd) {
      this.checkKids(nd, ['router-advertisement']);
      const ra = this.child(nd, 'router-advertisement');
      if (ra) {
        this.checkKids(ra, ['enable']);
        const on = this.child(ra, 'enable');
        if (this.text(on) === 'yes') this.reporter.error(Codes.readerInexpressible, this.span(on!), `interface ${name} sends router advertisements, which the model has none of`, 'Remove <router-advertisement> or set <enable>no</enable>.');
      }
    }
    const idEl = this.child(ipv6, 'interface-id');
    const id = this.text(idEl);
    const linkLocal = id === undefined || id === 'EUI-64' ? undefined : linkLocalOf(id);
    if (id !== undefined && id !== 'EUI-64' && linkLocal === undefined) this.bad(idEl!, `\`${id}\` is not an interface ID (eight hexadecimal bytes, 00:00:00:00:00:00:00:01)`);
    else if (linkLocal === undefined && into.length === 0) {
      this.reporter.error(Codes.readerInexpressible, this.span(ipv6), `interface ${name} has IPv6 on with only the link-local address PAN-OS derives from its MAC address`, 'Give it the <interface-id> of its link-local address, or remove <ipv6>.');
    }
    return linkLocal;
  }

  interfaces(e: XmlElement | undefined, vrMembers: Set<string>): InterfaceModel[] {
    const out: InterfaceModel[] = [];
    if (!e) return out;
    for (const group of this.kids(e, ['ethernet', 'loopback'])) {
      if (group.name === 'ethernet') {
        for (const eth of this.entries(group)) {
          const name = eth.attrs.name!;
          if (!ETHERNET.test(name)) this.bad(eth, `\`${name}\` is not an ethernet interface name (ethernetX/Y)`);
          const l3 = this.child(eth, 'layer3');
          if (l3) this.checkKids(l3, ['ip', 'ipv6', 'units', 'interface-management-profile']);
          else this.reporter.error(Codes.readerMissingPart, this.span(eth), `interface ${name} is not a layer3 interface`);
          // A parent that only carries units is structure, not one of the device's interfaces.
          if (vrMembers.has(name)) out.push(this.iface(eth, name, ['layer3', 'comment'], l3));
          else this.kids(eth, ['layer3']);
          for (const unit of this.entries(this.child(l3, 'units'))) {
            const uname = unit.attrs.name!;
            const m = UNIT.exec(uname);
            if (!m || m[1] !== name) this.bad(unit, `\`${uname}\` is not a unit of ${name} (${name}.N)`);
            const i = this.iface(unit, uname, ['tag', 'ip', 'ipv6', 'interface-management-profile', 'comment'], unit);
            const tagEl = this.child(unit, 'tag');
            const tag = Number(this.text(tagEl) ?? 'x');
            if (!tagEl) this.reporter.error(Codes.readerMissingPart, this.span(unit), `unit ${uname} has no <tag>`);
            else if (!Number.isInteger(tag) || tag < 1 || tag > 4094) this.bad(tagEl, `\`${this.text(tagEl)}\` is not a VLAN tag (1-4094)`);
            else i.vlan = tag;
            out.push(i);
          }
        }
      } else {
        const units = this.kids(group, ['units']);
        for (const u of units) {
          for (const lo of this.entries(u)) {
            if (!LOOPBACK.test(lo.attrs.name!)) this.bad(lo, `\`${lo.attrs.name}\` is not a loopback unit name (loopback.N)`);
            out.push(this.iface(lo, lo.attrs.name!, ['ip', 'ipv6', 'interface-management-profile', 'comment'], lo));
          }
        }
      }
    }
    return out;
  }

  read(root: XmlElement, ctx: ReadContext): DeviceModel | undefined {
    if (root.name !== 'config') {
      this.reporter.error(Codes.readerUnknownCommand, this.span(root), `the root element is <${root.name}>, not <config>`);
      return undefined;
    }
    const deviceAnn = this.annotation(root, 'device');
    this.checkKids(root, ['devices', 'mgt-config', 'shared']);
    const devices = this.child(root, 'devices');
    const dev = this.entries(devices).find((e) => e.attrs.name === 'localhost.localdomain');
    if (!dev) {
      this.reporter.error(Codes.readerMissingPart, this.span(devices ?? root), 'no <devices><entry name="localhost.localdomain">');
      return undefined;
    }
    this.checkKids(dev, ['network', 'vsys', 'deviceconfig']);
    const net = this.child(dev, 'network');
    if (net) this.checkKids(net, ['interface', 'profiles', 'virtual-router']);
    const profiles = readProfiles(this, net);
    const vrs = this.entries(this.child(net, 'virtual-router'));
    const vr = vrs.find((v) => v.attrs.name === VIRTUAL_ROUTER);
    for (const v of vrs) if (v !== vr) this.reporter.error(Codes.readerUnknownCommand, this.span(v), `Plumb uses one virtual router, \`${VIRTUAL_ROUTER}\``);
    if (vr) this.checkKids(vr, ['interface', 'routing-table', 'protocol']);
    const vrMembers = new Set(this.members(this.child(vr, 'interface')));
    const interfaces = this.interfaces(this.child(net, 'interface'), vrMembers).sort((a, b) => cmp(a.name, b.name));
    const known = new Set(interfaces.map((i) => i.name));
    for (const name of known) this.refs.define('interface', name, this.span(vr ?? dev));
    for (const m of vrMembers) this.refs.reference('interface', m, this.span(this.child(vr, 'interface')!), 'the virtual router');
    for (const i of interfaces) if (!vrMembers.has(i.name)) this.reporter.error(Codes.readerContradiction, i.origin.file === this.file ? i.origin : this.span(vr ?? dev), `interface ${i.name} is not in virtual router ${VIRTUAL_ROUTER}`);
    const protocol = this.child(vr, 'protocol');
    if (protocol) this.checkKids(protocol, ['redist-profile', 'redist-profile-ipv6', 'ospf', 'ospfv3', 'bgp']);
    // Both OSPF and BGP name the profiles: defined once here (without reporting their elements again).
    for (const tag of Object.values(PROFILE_TAGS)) {
      const list = this.child(protocol, tag);
      for (const p of list ? elements(list) : []) if (p.name === 'entry' && p.attrs.name !== undefined) this.refs.define(tag, p.attrs.name, this.span(p));
    }
    const vsysList = this.entries(this.child(dev, 'vsys'));
    const vsys = vsysList.find((v) => v.attrs.name === 'vsys1');
    for (const v of vsysList) if (v !== vsys) this.reporter.error(Codes.readerUnknownCommand, this.span(v), 'Plumb configures one virtual system, vsys1');
    let zones: ZoneModel[] = [];
    let securityRules: FilterRule[] = [];
    let local: FilterModel | undefined;
    let logForwarding: string | undefined;
    let nat: NatModel | undefined;
    if (vsys) {
      this.checkKids(vsys, ['zone', 'address', 'address-group', 'service', 'application', 'rulebase', 'import']);
      const z = readZones(this, vsys);
      zones = z.zones;
      const read = readSecurityRules(this, vsys, z.names, { interfaces });
      securityRules = read.securityRules;
      local = read.local;
      logForwarding = read.logForwarding;
      const spoofCheck = readZoneProtection(this, net);
      for (const i of interfaces) {
        const zone = zones.find((x) => x.interfaces.includes(i.name));
        if (zone) i.zone = zone.name;
        const profile = zone && z.protection.get(zone.name);
        if (profile && spoofCheck.get(profile.name) === true) i.urpf = 'strict';
      }
      nat = readNat(this, this.child(vsys, 'rulebase'), z.names, zones, interfaces, read.objects, ctx.id);
    } else this.reporter.error(Codes.readerMissingPart, this.span(dev), 'no <vsys><entry name="vsys1">');
    const routerId = deviceAnn?.get('router-id');
    let device: DeviceModel = {
      id: ctx.id,
      site: ctx.site,
      name: ctx.name,
      role: ctx.role,
      platform: 'paloalto-panos',
      stateful: true,
      ...(routerId !== undefined ? { routerId } : {}),
      interfaces,
      filters: local ? [local] : [],
      zones,
      securityRules,
      ...(local ? { localFilter: local.name } : {}),
      ...(logForwarding !== undefined ? { logForwarding } : {}),
      staticRoutes: readStaticRoutes(this, this.child(vr, 'routing-table')),
      ...(nat ? { nat } : {}),
      fib: [],
      origin: deviceAnn ? this.origin(deviceAnn, root) : fileSpan(this.file),
    };
    const ospf = readOspf(this, protocol, interfaces);
    if (ospf) device.ospf = ospf;
    const bgp = readBgp(this, protocol);
    if (bgp) device.bgp = bgp;
    checkProfiles(this, device, profiles, this.profileOf, net ?? dev);
    if (this.modelNames.size > 0) {
      device = renameInterfaces(device, this.modelNames);
      if (device.nat) device.nat = renameNat(device.nat, this.modelNames);
    }
    this.refs.report(this.reporter);
    return device;
  }
}

function compareSet(setFile: RenderedFile, root: XmlElement, reporter: Reporter): void {
  // the file exactly as the renderer writes it, which the comparison below finds equal
  if (isSetOf(setFile.content, root)) return;
  const expected = setLines(root);
  const actual: { text: string; line: number; offset: number }[] = [];
  let offset = 0;
  setFile.content.split('\n').forEach((raw, i) => {
    const text = isNormalSetText(raw, 0, raw.length) ? raw : raw.trim().replace(/\s+/g, ' ');
    if (text !== '' && !text.startsWith('#')) actual.push({ text, line: i + 1, offset });
    offset += raw.length + 1;
  });
  // The renderer writes the set file in the XML's order: the same lines in the same order are
  // the same lines, without counting each (tens of thousands of long lines at a large policy).
  if (actual.length === expected.length && actual.every((a, i) => a.text === expected[i])) return;
  const want = new Map<string, number>();
  for (const l of expected) want.set(l, (want.get(l) ?? 0) + 1);
  for (const a of actual) {
    const n = want.get(a.text) ?? 0;
    if (n === 0) {
      const span = { file: setFile.path, start: { line: a.line, column: 1, offset: a.offset }, end: { line: a.line, column: a.text.length + 1, offset: a.offset + a.text.length } };
      reporter.error(Codes.readerSetMismatch, span, 'this set command is not in the XML configuration', 'Regenerate both files, or make the same edit in both.');
    } else want.set(a.text, n - 1);
  }
  const missing = [...want.entries()].filter(([, n]) => n > 0).map(([l]) => l).sort();
  if (missing.length > 0) {
    reporter.error(Codes.readerSetMismatch, fileSpan(setFile.path), `${missing.length} command(s) of the XML are missing from the set file, e.g. \`${missing[0]}\``, 'Regenerate both files, or make the same edit in both.');
  }
}

export function readPanos(files: RenderedFile[], ctx: ReadContext): ReadResult {
  if (ctx.source === 'running') return readPanosRunning(files, ctx, (file) => new PanosReader(file));
  const xml = files.find((f) => f.path.endsWith('.xml'));
  if (!xml) {
    return { diagnostics: [diagnostic(Codes.readerFileMissing, fileSpan(`${ctx.name}.xml`), `no PAN-OS configuration (${ctx.name}.xml) for ${ctx.id}`)] };
  }
  const reader = new PanosReader(xml.path);
  const parsed = parseXml(xml.path, xml.content);
  if (!parsed.root) {
    const e = parsed.error!;
    const p = { line: e.line, column: e.column, offset: 0 };
    reader.reporter.error(Codes.readerMalformedXml, { file: xml.path, start: p, end: p }, `the XML is not well formed: ${e.message}`);
    return { diagnostics: reader.reporter.diagnostics };
  }
  const device = reader.read(parsed.root, ctx);
  const set = files.find((f) => f.path.endsWith('.set'));
  if (set) compareSet(set, parsed.root, reader.reporter);
  return { ...(device ? { device: canonicalDevice(device) } : {}), diagnostics: reader.reporter.diagnostics, ...(reader.secrets.length > 0 ? { secrets: reader.secrets } : {}) };
}
