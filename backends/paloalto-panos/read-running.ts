// The PAN-OS reader of what a firewall prints (ReadContext.source 'running'): `show config
// running` as XML (the `<response><result><config>` the CLI and the XML API wrap it in, or a bare
// `<config>`), or the same after `set cli config-output-format set` as `set` lines
// (read-running-set.ts turns them into the same tree). The tree is read by the reader of Plumb's
// own files, with three differences: no `plumb` comment is expected; the elements PAN-OS adds by
// default (IPv6 neighbour discovery, LLDP, NDP proxy, TCP MSS adjustment off on every interface,
// disabled routing protocols, a rule's `negate-source no`, empty object lists …) are skipped
// silently; and the elements outside Plumb's scope (management, `shared`, `deviceconfig`,
// rulebases it does not write that move no packet, tags, other interface kinds …) are listed as
// unmanaged. NAT rules are read (nat-read.ts). Anything else outside the subset is still R901:
// an element that changes what the firewall forwards or admits (a PBF rule, `negate-source
// yes`, a schedule) is never skipped.

import type { ConfigLineRef, ReadContext, ReadResult, RenderedFile } from '../backend.js';
import type { DeviceModel } from '../../compiler/model.js';
import { canonicalDevice } from '../canonical.js';
import { diagnostic, fileSpan } from '../../language/diagnostic.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { XmlReading } from './read-xml.js';
import { Running, type RunningScope } from './read-running-scope.js';
import { setToXml } from './read-running-set.js';
import { elements, parseXml, type XmlElement } from './xml.js';

/**
 * The running tree made readable: ethernet ports that are not layer3 interfaces of the virtual
 * router (a spare port, a virtual wire) are unmanaged; the `<ipv6>` PAN-OS prints on every
 * interface with IPv6 off and no address is a default; a protocol switched off is a default.
 */
function prune(config: XmlElement, running: Running): void {
  const dev = elements(elements(config).find((e) => e.name === 'devices') ?? config).find((e) => e.name === 'entry');
  const net = dev && elements(dev).find((e) => e.name === 'network');
  if (!dev || !net) return;
  const child = (e: XmlElement | undefined, name: string): XmlElement | undefined => (e ? elements(e).find((k) => k.name === name) : undefined);
  const drop = (parent: XmlElement, k: XmlElement): void => {
    parent.children = parent.children.filter((c) => c !== k);
  };
  const vr = elements(child(net, 'virtual-router') ?? net).filter((e) => e.name === 'entry');
  const members = new Set(vr.flatMap((v) => elements(child(v, 'interface') ?? v).filter((m) => m.name === 'member').map((m) => m.text ?? '')));
  const ethernet = child(child(net, 'interface'), 'ethernet');
  for (const eth of ethernet ? elements(ethernet) : []) {
    if (!ethernet) break;
    const l3 = child(eth, 'layer3');
    const units = elements(child(l3, 'units') ?? eth).filter((u) => u.name === 'entry');
    if (l3 && units.length === 1 && !members.has(eth.attrs.name ?? '') && child(units[0], 'tag')?.text === units[0]!.attrs.name?.split('.')[1]) {
      running.ports.set(units[0]!.attrs.name!, eth.attrs.name ?? '');
    }
    if (!l3 || (!members.has(eth.attrs.name ?? '') && units.length === 0 && elements(child(l3, 'ip') ?? l3).every((x) => x.name !== 'entry'))) {
      drop(ethernet, eth);
      running.unmanaged.push(eth);
    }
  }
  const ipv6Off = (holder: XmlElement): void => {
    const ipv6 = child(holder, 'ipv6');
    if (!ipv6) return;
    const enabled = child(ipv6, 'enabled')?.text;
    const addresses = elements(child(ipv6, 'address') ?? ipv6).filter((a) => a.name === 'entry');
    if (enabled !== 'yes' && addresses.length === 0) drop(holder, ipv6);
  };
  const walk = (e: XmlElement): void => {
    if (e.name === 'layer3' || (e.name === 'entry' && child(e, 'ipv6'))) ipv6Off(e);
    for (const k of elements(e)) walk(k);
  };
  walk(child(net, 'interface') ?? net);
  for (const v of vr) {
    const protocol = child(v, 'protocol');
    for (const ospf of ['ospf', 'ospfv3']) {
      for (const area of elements(child(child(protocol, ospf), 'area') ?? v).filter((e) => e.name === 'entry')) {
        for (const i of elements(child(area, 'interface') ?? area).filter((e) => e.name === 'entry')) {
          if (child(child(i, 'link-type'), 'p2p')) running.p2p.add(i.attrs.name ?? '');
        }
      }
    }
    for (const p of protocol ? elements(protocol) : []) {
      if (['bgp', 'ospf', 'ospfv3', 'rip'].includes(p.name) && child(p, 'enable')?.text === 'no') drop(protocol!, p);
    }
  }
}

export type { RunningScope } from './read-running-scope.js';

export interface RunningReader extends XmlReading {
  running?: RunningScope;
  read(root: XmlElement, ctx: ReadContext): DeviceModel | undefined;
}

/** One ConfigLineRef per unmanaged element (set form: every line it took), in file order. */
function lineRefs(file: RenderedFile, found: XmlElement[], linesOf: (e: XmlElement) => number[]): ConfigLineRef[] {
  const text = file.content.split('\n');
  const lines = [...new Set(found.flatMap(linesOf))].sort((a, b) => a - b);
  return lines.map((line) => ({ file: file.path, line, text: (text[line - 1] ?? '').trim() }));
}

const isXml = (f: RenderedFile): boolean => f.content.trimStart().startsWith('<');
const isSet = (f: RenderedFile): boolean => /^\s*set\s/m.test(f.content);

export function readPanosRunning(files: RenderedFile[], ctx: ReadContext, makeReader: (file: string) => RunningReader): ReadResult {
  const xml = files.find(isXml);
  const set = xml ? undefined : files.find(isSet);
  const file = xml ?? set;
  if (!file) {
    return {
      diagnostics: [
        diagnostic(Codes.readerFileMissing, fileSpan(`${ctx.name}.xml`), `no PAN-OS running configuration for ${ctx.id}`, {
          hint: 'Capture `show config running` (XML), or the same after `set cli config-output-format set` (docs/backends/paloalto-panos.md).',
        }),
      ],
    };
  }
  const reader = makeReader(file.path);
  const running = new Running();
  reader.running = running;
  let config: XmlElement | undefined;
  let linesOf: (e: XmlElement) => number[] = (e) => (e.span ? [e.span.start.line] : []);
  if (xml) {
    const parsed = parseXml(xml.path, xml.content);
    if (!parsed.root) {
      const e = parsed.error!;
      const p = { line: e.line, column: e.column, offset: 0 };
      reader.reporter.error(Codes.readerMalformedXml, { file: xml.path, start: p, end: p }, `the XML is not well formed: ${e.message}`);
      return { diagnostics: reader.reporter.diagnostics };
    }
    config = unwrap(parsed.root, reader);
  } else {
    const tree = setToXml(set!.path, set!.content, reader.reporter);
    config = tree.root;
    linesOf = (e) => tree.lines.get(e) ?? [];
  }
  if (!config) return { diagnostics: reader.reporter.diagnostics };
  running.all(elements(config).find((e) => e.name === 'mgt-config'));
  running.all(elements(config).find((e) => e.name === 'shared'));
  const dev = elements(elements(config).find((e) => e.name === 'devices') ?? config).find((e) => e.name === 'entry');
  running.all(dev && elements(dev).find((e) => e.name === 'deviceconfig'));
  prune(config, running);
  const device = reader.read(config, ctx);
  return {
    ...(device ? { device: canonicalDevice(device) } : {}),
    diagnostics: reader.reporter.diagnostics,
    unmanaged: lineRefs(file, running.unmanaged, linesOf),
    ...(reader.secrets.length > 0 ? { secrets: reader.secrets } : {}),
  };
}

/** `<response status="success"><result><config>` → `<config>`; a bare `<config>` as it is. */
function unwrap(root: XmlElement, reader: XmlReading): XmlElement | undefined {
  if (root.name === 'config') return root;
  if (root.name === 'response') {
    if (root.attrs.status !== undefined && root.attrs.status !== 'success') {
      reader.reporter.error(Codes.readerMissingPart, reader.span(root), `the device answered status="${root.attrs.status}", not a configuration`);
      return undefined;
    }
    const config = elements(elements(root).find((e) => e.name === 'result') ?? root).find((e) => e.name === 'config');
    if (config) return config;
  }
  reader.reporter.error(Codes.readerUnknownCommand, reader.span(root), `the root element is <${root.name}>, not <config> or <response><result><config>`, 'Capture `show config running` (docs/backends/paloalto-panos.md).');
  return undefined;
}
