// The PAN-OS backend: the law read(render(d)) = d on hand-built models and on every PAN-OS
// device of every example, byte-stable golden output, name limits, hand edits the reader
// accepts, and every reader diagnostic (R9xx) it emits.

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { RenderedFile } from '../../backends/backend.js';
import type { DeviceModel } from '../../compiler/model.js';
import { contextOf, firewall, networkOf } from './vendor-fixtures.js';
import { expectGolden } from '../golden.js';

function render(d: DeviceModel = firewall()): RenderedFile[] {
  return panos.render(d, networkOf([d]));
}

function readXml(xml: string, set?: string) {
  const files = [{ path: 'fw1.xml', content: xml }, ...(set !== undefined ? [{ path: 'fw1.set', content: set }] : [])];
  return panos.read(files, contextOf(firewall()));
}

const xmlOf = (d?: DeviceModel): string => render(d)[0]!.content;
const codes = (xml: string): string[] => readXml(xml).diagnostics.map((x) => x.code);

describe('paloalto-panos render and read', () => {
  it('reads back the hand-built firewall exactly, without diagnostics', () => {
    const d = firewall();
    const files = render(d);
    expect(files.map((f) => f.path)).toEqual(['fw1.xml', 'fw1.set']);
    const r = panos.read(files, contextOf(d));
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(d));
  });

  it('renders byte-identical output twice and matches the golden files', () => {
    const files = render();
    expect(render()).toEqual(files);
    for (const f of files) {
      const golden = `test/fixtures/backends/${f.path}`;
      expectGolden(golden, f.content);
    }
  });

  it('writes zones, objects and rules the way PAN-OS configs have them', () => {
    const [xml, set] = render().map((f) => f.content) as [string, string];
    expect(xml).toContain('<entry name="localhost.localdomain">');
    expect(xml).toContain('<entry name="vsys1">');
    expect(set).toContain('set zone dmz network layer3 ethernet1/3.20\n');
    expect(set).toContain('set network interface ethernet ethernet1/3 layer3 units ethernet1/3.20 tag 20\n');
    expect(set).toContain('set address n-10.10.1.0_24 ip-netmask 10.10.1.0/24\n');
    expect(set).toContain('set service tcp-80_8080-8090-from-1024-65535 protocol tcp port 80,8080-8090\n');
    expect(set).toContain('set rulebase security rules allow-office-web-http description "allow office -> web : http (acme.plumb:46)"\n');
    expect(set).toContain('set rulebase security rules default-deny action deny\n');
    expect(set).toContain('set network interface ethernet ethernet1/1 layer3 ipv6 interface-id 00:00:00:00:00:00:00:02\n');
    expect(set).toContain('set network virtual-router default routing-table ipv6 static-route default-ipv6 nexthop ipv6-address fe80::1\n');
    expect(set).toContain('set network virtual-router default routing-table ipv6 static-route default-ipv6 interface ethernet1/1\n');
    expect(set).toContain('set network virtual-router default protocol bgp policy import rules pg-edge-session-import-deny action deny\n');
    // the explicit default deny is the last rule
    const rules = [...xml.matchAll(/<rules>[\s\S]*?<\/rules>/g)].pop()![0];
    expect([...rules.matchAll(/^ {16}<entry name="([^"]+)">/gm)].map((m) => m[1]).pop()).toBe('default-deny');
  });

  it('keeps names within PAN-OS limits and unique', () => {
    const d = firewall();
    const long = 'allow a very long list of sources to a very long list of destinations for reasons (x.plumb:1)';
    d.securityRules = [0, 1, 2].map(() => ({ ...d.securityRules[0]!, description: long }));
    d.zones[0]!.name = 'a zone name that is far too long for pan-os';
    d.interfaces.filter((i) => i.zone === 'core').forEach((i) => (i.zone = d.zones[0]!.name));
    d.zones.sort((a, b) => (a.name < b.name ? -1 : 1));
    const files = render(d);
    const names = [...files[0]!.content.matchAll(/<entry name="([^"]+)">/g)].map((m) => m[1]!);
    for (const n of names.filter((x) => !x.includes('/') && !x.includes(':'))) {
      expect(n.length).toBeLessThanOrEqual(63);
      expect(n).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);
    }
    const ruleNames = names.filter((n) => n.startsWith('allow-a-very-long'));
    expect(new Set(ruleNames).size).toBe(3);
    expect(names).toContain('a-zone-name-that-is-far-too-lon');
    const r = panos.read(files, contextOf(d));
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(d));
  });

  it('accepts hand edits that do not change the meaning (whitespace, entry order, comments)', () => {
    const xml = xmlOf()
      .replace(/\n\s*/g, '\n')
      .replace('<!-- plumb device', '<!-- edited by hand -->\n<!-- plumb device');
    // swap two address objects (order of objects does not matter)
    const edited = xml.replace(/(<entry name="n-10.10.1.0_24">[\s\S]*?<\/entry>\n)(<entry name="[^"]+">\n<ip-netmask>[^<]+<\/ip-netmask>\n<\/entry>\n)/, '$2$1');
    expect(edited).not.toBe(xml);
    const r = readXml(edited);
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(firewall()));
  });
});

describe('paloalto-panos reader diagnostics', () => {
  it('R901: an element outside the subset, with its line and column', () => {
    const xml = xmlOf().replace('<source-user>', '<hip-profiles><member>any</member></hip-profiles>\n<source-user>');
    const d = readXml(xml).diagnostics.find((x) => x.code === 'R901')!;
    expect(d.message).toContain('hip-profiles');
    expect(d.span.file).toBe('fw1.xml');
    expect(xml.split('\n')[d.span.start.line - 1]).toContain('<hip-profiles>');
  });
  it('R903: an address object, zone or service used but not defined', () => {
    const xml = xmlOf();
    expect(codes(xml.replace('<entry name="n-10.10.1.0_24">', '<entry name="renamed">'))).toContain('R903');
    expect(codes(xml.replace('<member>untrust</member>\n                  </to>', '<member>nowhere</member>\n                  </to>'))).toContain('R903');
    expect(codes(xml.replace(/<entry name="tcp-443">/, '<entry name="tcp-444">'))).toContain('R903');
  });
  it('R902: an invalid value', () => {
    expect(codes(xmlOf().replace('<tag>20</tag>', '<tag>5000</tag>'))).toContain('R902');
    expect(codes(xmlOf().replace('<port>443</port>', '<port>44x3</port>'))).toContain('R902');
  });
  it('R905 and R907: no XML file, or a required element missing', () => {
    expect(panos.read([], contextOf(firewall())).diagnostics.map((x) => x.code)).toEqual(['R905']);
    expect(codes(xmlOf().replace(/<destination>10\.20\.0\.0\/16<\/destination>/, ''))).toContain('R907');
  });
  it('R908: the default deny is not last', () => {
    const xml = xmlOf();
    const open = xml.indexOf('\n              <rules>\n') + '\n              <rules>\n'.length;
    const start = xml.indexOf('                <entry name="default-deny">');
    const end = xml.indexOf('              </rules>', start);
    const moved = xml.slice(0, open) + xml.slice(start, end) + xml.slice(open, start) + xml.slice(end);
    expect(codes(moved)).toContain('R908');
  });
  it('R908: a control-plane rule that would admit forwarded traffic', () => {
    const xml = xmlOf();
    expect(xml).toContain('<entry name="control-plane-bgp">');
    const widened = xml.replace(/(<entry name="control-plane-bgp">[\s\S]*?<destination>\n\s*<member>)control-plane-bgp-dst(<\/member>)/, '$1any$2');
    expect(widened).not.toBe(xml);
    const d = readXml(widened).diagnostics.filter((x) => x.code === 'R908');
    expect(d.map((x) => x.message)).toEqual([expect.stringContaining('control-plane-bgp may only allow BGP')]);
  });
  it('R904 (warning): a prefix exported to a neighbour that BGP does not originate', () => {
    const xml = xmlOf().replace(/<redist-rules>[\s\S]*?<\/redist-rules>\n/, '');
    const d = readXml(xml).diagnostics;
    expect(d.map((x) => [x.code, x.severity])).toEqual([
      ['R904', 'warning'],
      ['R904', 'warning'],
    ]);
    expect(d[0]!.message).toContain('10.10.1.0/24 is exported');
  });
  it('R909: an annotation that cannot be read (a warning)', () => {
    const r = readXml(xmlOf().replace(/<!-- plumb route origin=[^>]*-->/, '<!-- plumb route origin=nowhere -->'));
    expect(r.diagnostics.map((x) => [x.code, x.severity])).toContainEqual(['R909', 'warning']);
  });
  it('R911: XML that is not well formed, with its position', () => {
    const r = readXml('<config>\n  <devices>\n</config>\n');
    expect(r.device).toBeUndefined();
    expect(r.diagnostics.map((x) => x.code)).toEqual(['R911']);
    expect(r.diagnostics[0]!.span.start.line).toBeGreaterThan(1);
  });
  it('R912: a set file that says something else than the XML', () => {
    const [xml, set] = render().map((f) => f.content);
    expect(readXml(xml!, set).diagnostics).toEqual([]);
    const edited = set!.replace('set rulebase security rules default-deny action deny', 'set rulebase security rules default-deny action allow');
    const d = readXml(xml!, edited).diagnostics;
    expect(d.map((x) => x.code)).toEqual(['R912', 'R912']);
    expect(d[0]!.span.file).toBe('fw1.set');
  });
});
