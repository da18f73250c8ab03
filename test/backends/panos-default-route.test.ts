// PAN-OS's virtual router refuses a default route a BGP peer announces (`reject-default-route
// yes`) and exports none (`allow-redist-default-route no`) unless told otherwise. The files say
// what the model assumes either way: a firewall whose peer offers 0.0.0.0/0 installs it in the
// model's FIB and the file says `reject-default-route no`, and OSPF originates it from the BGP
// route; otherwise the secure defaults are written out. The reader reads what the router does:
// a default the policy admits but the router rejects (or does not export) is off the session.

import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import type { ReadContext, RenderedFile } from '../../backends/backend.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { DeviceModel } from '../../compiler/model.js';
import { Codes } from '../../language/diagnostics/index.js';
import { printXml } from '../../backends/paloalto-panos/xml.js';
import { compileText, device } from '../compiler/helpers.js';
import { runningTree } from './panos-running-form.js';

const panos = backendFor('paloalto-panos')!;
const ctx = (source?: 'running'): ReadContext => ({ id: 's1.fw1', site: 's1', name: 'fw1', role: 'firewall', ...(source ? { source } : {}) });

const intent = (prefixes: string): string => `network lab
routing ospf
pool infra 10.255.0.0/16
site s1 {
  firewall fw1 paloalto-panos asn 65001
  router r2 frr
  link fw1 -- r2
}
segment lan 10.1.0.0/24 at s1.r2
external internet {
  asn 64600
  prefixes ${prefixes}
  attach s1.fw1 address 203.0.113.1/30 peer 203.0.113.2
  announce lan
}
policy { allow lan -> internet : https }
`;

function fw1(prefixes: string) {
  const { model, diagnostics } = compileText(intent(prefixes));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const d = device(model, 's1.fw1');
  return { d, model, files: panos.render(d, model) };
}

const xmlOf = (files: RenderedFile[]): string => files.find((f) => f.path.endsWith('.xml'))!.content;
const setOf = (files: RenderedFile[]): string[] => files.find((f) => f.path.endsWith('.set'))!.content.split('\n');
const BGP = 'set network virtual-router default protocol bgp';
const xmlOnly = (files: RenderedFile[], edit: (xml: string) => string): RenderedFile[] => {
  const xml = xmlOf(files);
  const edited = edit(xml);
  expect(edited).not.toBe(xml);
  return [{ path: 'fw1.xml', content: edited }];
};
const read = (files: RenderedFile[], source?: 'running') => panos.read(files, ctx(source));
const errors = (r: { diagnostics: { severity: string; code: string; message: string }[] }): string[] => r.diagnostics.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.message}`);

describe('PAN-OS: a default route from a BGP peer', () => {
  it('the model installs it, and the file tells the router to (reject-default-route no), in both forms', () => {
    const { d, files } = fw1('0.0.0.0/0');
    expect(d.bgp!.neighbors[0]!.importPrefixes).toEqual(['0.0.0.0/0']);
    expect(d.fib.find((r) => r.prefix === '0.0.0.0/0')).toMatchObject({ protocol: 'bgp', nextHops: [{ address: '203.0.113.2' }] });
    const set = setOf(files);
    expect(set).toContain(`${BGP} reject-default-route no`);
    expect(set).toContain(`${BGP} allow-redist-default-route no`);
    expect(set).toContain(`${BGP} policy import rules pg-internet-import match address-prefix 0.0.0.0/0 exact yes`);
    expect(xmlOf(files)).toMatch(/<install-route>yes<\/install-route>\n\s+<reject-default-route>no<\/reject-default-route>\n\s+<allow-redist-default-route>no<\/allow-redist-default-route>/);
  });

  it('OSPF originates it from the BGP route: the default-route profile redistributes type bgp', () => {
    const { d, files } = fw1('0.0.0.0/0');
    expect(d.ospf!.defaultOriginate.ipv4).toBe(true);
    const set = setOf(files);
    expect(set).toContain('set network virtual-router default protocol redist-profile default-route filter type bgp');
    expect(set).toContain('set network virtual-router default protocol ospf export-rules default-route new-path-type ext-2');
    expect(set).toContain('set network virtual-router default protocol ospf allow-redist-default-route yes');
  });

  it('reads back to the device it was written from (read(render(d)) = d)', () => {
    const { d, files } = fw1('0.0.0.0/0');
    const r = read(files);
    expect(r.diagnostics.filter((x) => x.severity !== 'info')).toEqual([]);
    expect(r.device).toEqual(canonicalDevice({ ...d, fib: [] }));
  });

  it('the router rejecting it (yes, or the element absent: PAN-OS default) takes it off the session, with a warning', () => {
    const { files } = fw1('0.0.0.0/0');
    for (const edit of [(x: string) => x.replace('<reject-default-route>no<', '<reject-default-route>yes<'), (x: string) => x.replace(/\n\s+<reject-default-route>no<\/reject-default-route>/, '')]) {
      const r = read(xmlOnly(files, edit));
      expect(errors(r)).toEqual([]);
      expect(r.device!.bgp!.neighbors[0]!.importPrefixes).toEqual([]);
      expect(r.diagnostics.find((x) => x.code === Codes.readerInexpressible)?.message).toMatch(/admits a default route, but the router rejects default routes from BGP peers/);
    }
    expect(errors(read(xmlOnly(files, (x) => x.replace('<reject-default-route>no<', '<reject-default-route>maybe<'))))).toEqual([`${Codes.readerMalformedValue} <reject-default-route> is yes or no, not \`maybe\``]);
  });

  it('reads the running form (PAN-OS prints both switches) to the same session', () => {
    const { d, files } = fw1('0.0.0.0/0');
    const running = printXml(runningTree(xmlOf(files)));
    expect(running.match(/<reject-default-route>/g)).toHaveLength(1);
    const r = read([{ path: 'running.xml', content: running }], 'running');
    expect(errors(r)).toEqual([]);
    expect(r.device!.bgp!.neighbors[0]!.importPrefixes).toEqual(d.bgp!.neighbors[0]!.importPrefixes);
  });
});

describe('PAN-OS: no default route from BGP', () => {
  it("writes PAN-OS's secure defaults out, so a reader of the file sees them", () => {
    const { d, files } = fw1('198.51.100.0/24');
    expect(d.fib.find((r) => r.prefix === '0.0.0.0/0')).toBeUndefined();
    const set = setOf(files);
    expect(set).toContain(`${BGP} reject-default-route yes`);
    expect(set).toContain(`${BGP} allow-redist-default-route no`);
    expect(read(files).device).toEqual(canonicalDevice({ ...d, fib: [] }));
  });

  it('a model that exports a default route writes allow-redist-default-route yes; without it the reader drops the export', () => {
    const { d, model } = fw1('198.51.100.0/24');
    const exporting: DeviceModel = structuredClone(d);
    exporting.bgp!.neighbors[0]!.exportPrefixes = ['0.0.0.0/0', '10.1.0.0/24'];
    const files = panos.render(exporting, model);
    const set = setOf(files);
    expect(set).toContain(`${BGP} allow-redist-default-route yes`);
    expect(set).toContain('set network virtual-router default protocol redist-profile bgp-announce filter destination [ 0.0.0.0/0 10.1.0.0/24 ]');
    expect(read(files).device).toEqual(canonicalDevice({ ...exporting, fib: [] }));
    const r = read(xmlOnly(files, (x) => x.replace('<allow-redist-default-route>yes</allow-redist-default-route>\n', '<allow-redist-default-route>no</allow-redist-default-route>\n')));
    expect(r.device!.bgp!.neighbors[0]!.exportPrefixes).toEqual(['10.1.0.0/24']);
    expect(r.diagnostics.find((x) => x.code === Codes.readerInexpressible)?.message).toMatch(/the router exports none/);
  });
});
