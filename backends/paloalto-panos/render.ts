// DeviceModel → `<device>.xml` (the candidate config `load config partial` takes: devices/
// localhost.localdomain with network and vsys1, the structure of real PAN-OS 10.x configs) and
// `<device>.set` (the same as `set` commands). The local filter becomes the security rules at
// the top and the interface management profile on every addressed interface (local.ts), strict
// uRPF a zone protection profile; the zone policy becomes security rules (the
// firewall is stateful: no reply rules), ending with an explicit default deny; each rule's
// description is the model's, naming the intent line. `<!-- plumb … -->` comments keep what
// the config cannot say, for read(render(d)) = d; PAN-OS drops them on load.

import type { DeviceModel, InterfaceModel, NetworkModel } from '../../compiler/model.js';
import type { RenderedFile } from '../backend.js';
import { prefixOf } from '../../language/address.js';
import { renameInterfaces, subinterfaceNames } from '../interface-names.js';
import { formatOriginTag } from '../origin-tag.js';
import { interfaceIdOf } from './ipv6.js';
import { localFilterOf, managedInterface, managementProfile, PROFILE_SERVICES, STRICT_URPF_PROFILE, strictZone, type ManagementProfile } from './local.js';
import { annotation, cleanName } from './names.js';
import { renameNat } from './nat-rules.js';
import { vsysXml } from './render-policy.js';
import { protocolXml, staticRoutesXml } from './render-routing.js';
import { forEachSetLine } from './set.js';
import { LineText } from '../line-text.js';
import { requireWritableNames } from '../render-guard.js';
import { comment, el, entry, members, printXml, type XmlComment, type XmlElement, type XmlNode } from './xml.js';

export const VIRTUAL_ROUTER = 'default';
export const UNIT = /^(ethernet\d+\/\d+)\.(\d+)$/;
export const ETHERNET = /^ethernet\d+\/\d+$/;
export const LOOPBACK = /^loopback\.\d+$/;

const familyOf = (p: string): 4 | 6 => prefixOf(p).family;

function addressesXml(i: InterfaceModel, into: XmlNode[]): void {
  const v4 = i.addresses.filter((a) => familyOf(a) === 4);
  const v6 = i.addresses.filter((a) => familyOf(a) === 6);
  if (v4.length > 0) into.push(el('ip', v4.map((a) => entry(a))));
  // IPv6 with the model's link-local address (its interface ID) and/or global addresses; no
  // <neighbor-discovery>: PAN-OS sends router advertisements only where they are enabled
  if (v6.length > 0 || i.linkLocal !== undefined) {
    const ipv6: XmlNode[] = [el('enabled', 'yes')];
    if (i.linkLocal !== undefined) ipv6.push(el('interface-id', interfaceIdOf(i.linkLocal)));
    if (v6.length > 0) ipv6.push(el('address', v6.map((a) => entry(a))));
    into.push(el('ipv6', ipv6));
  }
}

/** Config name → model name of the interfaces configured as subinterfaces (see interface-names.ts). */
type ModelNames = Map<string, string>;

function interfaceAnnotation(i: InterfaceModel, modelNames: ModelNames): XmlNode {
  return comment(
    annotation('interface', [
      ['name', modelNames.get(i.name)],
      ['role', i.role],
      ['peer-device', i.peer?.device],
      ['peer-interface', i.peer?.interface],
      ['segment', i.segment],
      ['external', i.external],
      ['origin', formatOriginTag(i.origin)],
    ]),
  );
}

/** `<entry name="manage"><ping>yes</ping>…<permitted-ip><entry name="P"/>…` (local.ts). */
function profileXml(p: ManagementProfile): XmlElement {
  const body: XmlNode[] = PROFILE_SERVICES.filter((s) => p.services.includes(s.name)).map((s) => el(s.name, 'yes'));
  if (p.permitted.length > 0) body.push(el('permitted-ip', p.permitted.map((a) => entry(a))));
  return entry(p.name, body);
}

/** `<profiles>`: the interface management profile, and the zone protection profile for strict uRPF. */
function profilesXml(device: DeviceModel, profile: ManagementProfile | undefined): XmlElement[] {
  const profiles: XmlElement[] = [];
  if (profile) profiles.push(el('interface-management-profile', [profileXml(profile)]));
  if (device.zones.some((z) => strictZone(device, z.interfaces))) {
    profiles.push(el('zone-protection-profile', [entry(STRICT_URPF_PROFILE, [el('discard-ip-spoof', 'yes')])]));
  }
  return profiles.length > 0 ? [el('profiles', profiles)] : [];
}

function interfacesXml(device: DeviceModel, modelNames: ModelNames, profile: string | undefined): XmlElement {
  const addressElements = (i: InterfaceModel, into: XmlNode[]): void => {
    addressesXml(i, into);
    if (profile !== undefined && managedInterface(i)) into.push(el('interface-management-profile', profile));
  };
  const parents = new Map<string, { own?: InterfaceModel; units: InterfaceModel[] }>();
  const loopbacks: InterfaceModel[] = [];
  for (const i of device.interfaces) {
    const unit = UNIT.exec(i.name);
    if (unit) {
      if (i.vlan === undefined) throw new Error(`internal: ${device.id} ${i.name}: a subinterface needs its VLAN tag`);
      const p = parents.get(unit[1]!) ?? { units: [] };
      p.units.push(i);
      parents.set(unit[1]!, p);
    } else if (ETHERNET.test(i.name)) {
      if (i.vlan !== undefined) throw new Error(`internal: ${device.id} ${i.name}: a tagged interface must be a unit (ethernetX/Y.TAG)`);
      const p = parents.get(i.name) ?? { units: [] };
      p.own = i;
      parents.set(i.name, p);
    } else if (LOOPBACK.test(i.name)) loopbacks.push(i);
    else throw new Error(`internal: ${device.id}: ${i.name} is not a PAN-OS interface name (ethernetX/Y[.N], loopback.N)`);
  }
  const ethernet = [...parents.keys()].sort().map((name) => {
    const p = parents.get(name)!;
    const layer3: XmlNode[] = [];
    if (p.own) addressElements(p.own, layer3);
    if (p.units.length > 0) {
      layer3.push(
        el(
          'units',
          p.units.map((u) => {
            const body: XmlNode[] = [interfaceAnnotation(u, modelNames), el('tag', String(u.vlan))];
            addressElements(u, body);
            if (u.description !== '') body.push(el('comment', u.description));
            return entry(u.name, body);
          }),
        ),
      );
    }
    const body: XmlNode[] = [];
    if (p.own) body.push(interfaceAnnotation(p.own, modelNames));
    body.push(el('layer3', layer3));
    if (p.own && p.own.description !== '') body.push(el('comment', p.own.description));
    return entry(name, body);
  });
  const children: XmlNode[] = [el('ethernet', ethernet)];
  if (loopbacks.length > 0) {
    const units = loopbacks.map((i) => {
      const body: XmlNode[] = [interfaceAnnotation(i, modelNames)];
      addressElements(i, body);
      if (i.description !== '') body.push(el('comment', i.description));
      return entry(i.name, body);
    });
    children.push(el('loopback', [el('units', units)]));
  }
  return el('interface', children);
}

/** The config as a tree, and the comment printed above it. */
function panosConfig(modelDevice: DeviceModel, model: NetworkModel): { root: XmlElement; header: XmlComment } {
  requireWritableNames(modelDevice, { bareWords: false });
  const renames = subinterfaceNames(modelDevice);
  const modelNames: ModelNames = new Map([...renames].map(([m, c]) => [c, m]));
  const renamed = renameInterfaces(modelDevice, renames);
  const device = renamed.nat ? { ...renamed, nat: renameNat(renamed.nat, renames) } : renamed;
  if (device.filters.some((f) => f.name !== device.localFilter) || device.interfaces.some((i) => i.filterIn !== undefined || i.filterOut !== undefined)) {
    throw new Error(`internal: ${device.id}: PAN-OS has no interface ACLs; its policy is the zone rulebase`);
  }
  const profile = managementProfile(localFilterOf(device));
  const vr: XmlNode[] = [members('interface', device.interfaces.map((i) => i.name))];
  const routes = staticRoutesXml(device);
  if (routes) vr.push(routes);
  const protocol = protocolXml(device);
  if (protocol) vr.push(protocol);
  const root = el(
    'config',
    [
      comment(annotation('device', [['origin', formatOriginTag(device.origin)], ['router-id', device.routerId]])),
      el('devices', [
        entry('localhost.localdomain', [
          el('network', [
            interfacesXml(device, modelNames, profile?.name),
            ...profilesXml(device, profile),
            el('virtual-router', [entry(VIRTUAL_ROUTER, vr)]),
          ]),
          el('vsys', [vsysXml(device)]),
        ]),
      ]),
    ],
    { version: '10.1.0', urldb: 'paloaltonetworks' },
  );
  const header = comment(`${device.id}: PAN-OS 10.x candidate configuration of network ${cleanName(model.name)}, generated by Plumb`);
  return { root, header };
}

export function renderPanos(device: DeviceModel, model: NetworkModel): RenderedFile[] {
  const { root, header } = panosConfig(device, model);
  const xml = printXml(root, [header]);
  // The set form is flattened from the same tree printXml wrote (set.ts reads a built tree's
  // text as printXml escapes it), not from the printed XML parsed again: the read-back
  // validation parses the XML and compares the set file with it.
  // The lines are joined a chunk at a time as they are made (LineText), so the text is one flat
  // string: appended line by line it was a tree of a million strings, which its first reader (the
  // secret scan) had to walk and copy after the pieces had aged into the old generation.
  const setText = new LineText();
  forEachSetLine(root, (line) => setText.push(line));
  setText.push(''); // the text ends with a line break (and is empty without lines)
  const set = setText.text();
  return [
    { path: `${device.name}.xml`, content: xml },
    { path: `${device.name}.set`, content: set },
  ];
}
