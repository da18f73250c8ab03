// PAN-OS authentication (backends/paloalto-panos/auth.ts): a BGP password is an auth profile of
// `protocol bgp` named by the peer's `connection-options authentication`, OSPFv2 MD5 an auth
// profile of `protocol ospf` (key id 1) named by each adjacency-forming interface; each key after
// the comment naming its secret, read back by that name (read(render(d)) = d), in both forms the
// firewall prints (keys encrypted `-AQ==…`, no comments: the names from the intent, the values
// not compared); the XML is well formed and passes the pan-os-codegen specs, the set file is its
// set form; a changed key is one `set` line of the delta; OSPFv3 authentication stays C720.

import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import type { ReadContext, RenderedFile } from '../../backends/backend.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { fillSecrets } from '../../backends/secret-text.js';
import { printXml } from '../../backends/paloalto-panos/xml.js';
import { setLines } from '../../backends/paloalto-panos/set.js';
import { parseXml } from '../../backends/paloalto-panos/xml.js';
import { fillFromIntent } from '../../pipeline/running.js';
import { Codes } from '../../language/diagnostics/index.js';
import { PLATFORM_TRAITS } from '../../language/platforms.js';
import { compileText, device } from '../compiler/helpers.js';
import { applyPanosSet, canonicalPanos } from './panos-apply.js';
import { runningTree } from './panos-running-form.js';
import { panosCodegenCheck, panosXmlToSet, runOnFile, SHARED, skipWithout, SPECS } from './tools.js';

const panos = backendFor('paloalto-panos')!;
const ctx = (source?: 'running'): ReadContext => ({ id: 's1.fw1', site: 's1', name: 'fw1', role: 'firewall', ...(source ? { source } : {}) });

const intent = (opts: { password?: boolean; ipv6?: boolean } = {}): string => `network lab
routing ospf authentication ospf-core
pool infra 10.255.0.0/16
secret ospf-core from file "keys/ospf.key"
secret partner-bgp from env PLUMB_PARTNER_BGP

site s1 {
  firewall fw1 paloalto-panos asn 65001
  router r2 frr
  link fw1 -- r2
}
segment lan 10.1.0.0/24${opts.ipv6 ? ', 2001:db8:1::/64' : ''} at s1.r2
external partner {
  asn 64600
  ${opts.password === false ? '' : 'password partner-bgp'}
  prefixes 198.51.100.0/24
  attach s1.fw1 address 169.254.1.1/30 peer 169.254.1.2
  announce lan
}
policy { allow lan -> partner : https }
`;

function fw1(opts: { password?: boolean } = {}) {
  const { model, diagnostics } = compileText(intent(opts));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const d = device(model, 's1.fw1');
  return { d, files: panos.render(d, model) };
}

const BGP_KEY = 'bgp-K3y+partner/1';
const OSPF_KEY = 'ospf=Key_42';
const KEYS = new Map([
  ['partner-bgp', BGP_KEY],
  ['ospf-core', OSPF_KEY],
]);
const xmlOf = (files: RenderedFile[]): string => files.find((f) => f.path.endsWith('.xml'))!.content;
const setOf = (files: RenderedFile[]): string => files.find((f) => f.path.endsWith('.set'))!.content;

/** What the firewall prints: comments gone, every key encrypted with its master key. */
const ENCRYPTED = (n: number): string => `-AQ==${'k'.repeat(20)}${n}=`;
function runningXml(files: RenderedFile[]): string {
  let n = 0;
  return printXml(runningTree(xmlOf(fillSecrets(files, KEYS)))).replace(/<(secret|key)>[^<]*</g, (_, tag: string) => `<${tag}>${ENCRYPTED(++n)}<`);
}

describe('PAN-OS authentication', () => {
  it('is no longer C724 on PAN-OS: the model names the secrets on the session and the OSPF link', () => {
    const { d } = fw1();
    expect(compileText(intent()).diagnostics.map((x) => x.code)).not.toContain(Codes.authenticationNotWritten);
    expect(PLATFORM_TRAITS['paloalto-panos'].writesAuthentication).toBe(true);
    expect(d.bgp!.neighbors[0]!.password).toEqual({ secret: 'partner-bgp' });
    expect(d.ospf!.interfaces.filter((i) => i.authentication).map((i) => [i.name, i.authentication!.secret])).toEqual([['ethernet1/1', 'ospf-core']]);
  });

  it('writes one profile per secret, each key after its secret comment, placeholders until compile fills them', () => {
    const { files } = fw1();
    const xml = xmlOf(files);
    expect(xml).toMatch(/<auth-profile>\n\s+<entry name="partner-bgp">\n\s+<!-- secret partner-bgp -->\n\s+<secret>plumb-secret\.partner-bgp<\/secret>\n/);
    expect(xml).toMatch(/<connection-options>\n\s+<authentication>partner-bgp<\/authentication>\n\s+<\/connection-options>/);
    expect(xml).toMatch(/<md5>\n\s+<entry name="1">\n\s+<!-- secret ospf-core -->\n\s+<key>plumb-secret\.ospf-core<\/key>\n\s+<preferred>yes<\/preferred>/);
    const set = setOf(files).split('\n');
    expect(set).toContain('set network virtual-router default protocol bgp auth-profile partner-bgp secret plumb-secret.partner-bgp');
    expect(set).toContain('set network virtual-router default protocol bgp peer-group pg-partner peer partner connection-options authentication partner-bgp');
    expect(set).toContain('set network virtual-router default protocol ospf auth-profile ospf-core md5 1 key plumb-secret.ospf-core');
    expect(set).toContain('set network virtual-router default protocol ospf auth-profile ospf-core md5 1 preferred yes');
    expect(set).toContain('set network virtual-router default protocol ospf area 0.0.0.0 interface ethernet1/1 authentication ospf-core');
    // the passive loopback forms no adjacency: no authentication there
    expect(set.filter((l) => / interface \S+ authentication /.test(l))).toHaveLength(1);
    // each key only on its own line, in both files
    for (const f of fillSecrets(files, KEYS)) {
      const lines = f.content.split('\n');
      expect(lines.filter((l) => l.includes(BGP_KEY)).map((l) => l.trim().replace(BGP_KEY, 'K')), f.path).toEqual([f.path.endsWith('.xml') ? '<secret>K</secret>' : 'set network virtual-router default protocol bgp auth-profile partner-bgp secret K']);
      expect(lines.filter((l) => l.includes(OSPF_KEY)), f.path).toHaveLength(1);
    }
  });

  it('reads back to the device it was written from, the keys listed by secret and owner (read(render(d)) = d)', () => {
    const { d, files } = fw1();
    for (const f of [files, fillSecrets(files, KEYS)]) {
      const read = panos.read(f, ctx());
      expect(read.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      expect(read.device).toEqual(canonicalDevice({ ...d, fib: [] }));
    }
    const filled = panos.read(fillSecrets(files, KEYS), ctx());
    expect(filled.secrets?.map((s) => [s.secret, s.value, s.owner])).toEqual([
      ['ospf-core', OSPF_KEY, { kind: 'ospf', interface: 'ethernet1/1' }],
      ['partner-bgp', BGP_KEY, { kind: 'bgp', neighbor: '169.254.1.2' }],
    ]);
    // the set file must be the XML's set form, keys included
    const otherKey = fillSecrets(files, KEYS).map((f) => (f.path.endsWith('.set') ? { ...f, content: f.content.replace(BGP_KEY, 'other') } : f));
    expect(panos.read(otherKey, ctx()).diagnostics.map((x) => x.code)).toContain(Codes.readerSetMismatch);
  });

  it('refuses a missing profile, a simple password, a second key id and authentication on a passive interface', () => {
    const xml = xmlOf(fillSecrets(fw1().files, KEYS));
    const errors = (content: string): string[] =>
      panos
        .read([{ path: 'fw1.xml', content }], ctx())
        .diagnostics.filter((x) => x.severity === 'error')
        .map((x) => `${x.code} ${x.message}`);
    expect(errors(xml.replace('<authentication>partner-bgp</authentication>', '<authentication>nope</authentication>')).join('\n')).toMatch(/R\d+ .*nope/);
    expect(errors(xml.replace(/<md5>[\s\S]*?<\/md5>/, '<password>abc</password>'))).toContain(`${Codes.readerInexpressible} OSPF auth profile ospf-core uses a simple password`);
    expect(errors(xml.replace('<entry name="1">\n', '<entry name="2">\n'))).toContain(`${Codes.readerInexpressible} OSPF auth profile ospf-core must hold one MD5 key, key id 1`);
    const passive = xml.replace(/(<entry name="loopback\.1">\n\s+<enable>yes<\/enable>\n\s+<passive>yes<\/passive>\n\s+<metric>1<\/metric>)/, '$1\n<authentication>ospf-core</authentication>');
    expect(passive).not.toBe(xml);
    expect(errors(passive)).toContain(`${Codes.readerInexpressible} interface loopback.1 has OSPF authentication but is passive`);
  });

  it('reads what the firewall prints, XML and set form: keys encrypted (not compared), the names from the intent', () => {
    const { files } = fw1();
    const own = panos.read(fillSecrets(files, KEYS), ctx());
    const xml = runningXml(files);
    expect(xml).not.toContain(BGP_KEY);
    expect(xml).not.toContain('secret partner-bgp');
    const root = parseXml('running.xml', xml).root!;
    for (const running of [
      { path: 'running.xml', content: xml },
      { path: 'running.set', content: `${setLines(root).join('\n')}\n` },
    ]) {
      const r = panos.read([running], ctx('running'));
      // a peer without its `plumb neighbor` comment is a warning (R909), as for any peer PAN-OS prints
      expect(r.diagnostics.map((x) => `${x.code} ${x.message}`), running.path).toEqual([`${Codes.readerBadAnnotation} peer partner has no \`plumb neighbor\` comment`]);
      expect(r.device!.bgp!.neighbors[0]!.password).toEqual({ secret: '' });
      // the names from the intent (what PAN-OS drops with the comments besides: the peer's description)
      const filled = fillFromIntent(r.device!, own.device!);
      expect(filled.bgp!.neighbors.map((n) => n.password)).toEqual(own.device!.bgp!.neighbors.map((n) => n.password));
      expect(filled.ospf).toEqual(own.device!.ospf);
      expect(r.secrets?.map((s) => [s.secret, s.value, s.encrypted, s.owner?.kind])).toEqual([
        ['', '', '-AQ==', 'ospf'],
        ['', '', '-AQ==', 'bgp'],
      ]);
    }
  });

  it('a changed key is the one set line of the delta, which applies; a removed password deletes its profile', () => {
    const before = fillSecrets(fw1().files, KEYS);
    const after = fillSecrets(fw1().files, new Map([...KEYS, ['partner-bgp', 'new-Key-2']]));
    const { d } = fw1();
    const delta = panos.delta!(before, after, d);
    const deltaSet = delta.find((f) => f.path.endsWith('.delta.set'))!.content;
    expect(deltaSet.split('\n').filter((l) => l.startsWith('set ') || l.startsWith('delete '))).toEqual(['set network virtual-router default protocol bgp auth-profile partner-bgp secret new-Key-2']);
    expect(delta.map((f) => f.content).join('\n')).not.toContain(BGP_KEY);
    const prev = parseXml('prev.xml', xmlOf(before)).root!;
    const next = parseXml('next.xml', xmlOf(after)).root!;
    const applied = applyPanosSet(prev, deltaSet, [next]);
    expect(applied.errors).toEqual([]);
    expect(canonicalPanos(applied.root)).toEqual(canonicalPanos(next));

    const without = fillSecrets(fw1({ password: false }).files, KEYS);
    const removed = panos.delta!(before, without, device(compileText(intent({ password: false })).model, 's1.fw1'));
    const removedSet = removed.find((f) => f.path.endsWith('.delta.set'))!.content;
    expect(removedSet).toContain('delete network virtual-router default protocol bgp auth-profile');
    expect(removedSet).not.toContain(BGP_KEY);
    const gone = applyPanosSet(prev, removedSet, [parseXml('w.xml', xmlOf(without)).root!]);
    expect(gone.errors).toEqual([]);
    expect(canonicalPanos(gone.root)).toEqual(canonicalPanos(parseXml('w.xml', xmlOf(without)).root!));
  });

  it('refuses authentication on a platform without it (C724): the guard, with the trait taken off the PAN-OS row', () => {
    const row = PLATFORM_TRAITS['paloalto-panos'] as { writesAuthentication?: true };
    delete row.writesAuthentication;
    try {
      const c724 = compileText(intent()).diagnostics.filter((x) => x.code === Codes.authenticationNotWritten);
      expect(c724.map((x) => x.message)).toEqual(['a BGP password on s1.fw1: Plumb does not write it for PAN-OS yet']);
      expect(c724[0]!.hint).toBe('Plumb authenticates FRR and IOS-XE devices only so far; leave s1.fw1 out of the authenticated sessions and links, or remove the line');
    } finally {
      row.writesAuthentication = true;
    }
  });

  it('keeps OSPFv3 authentication refused on PAN-OS (C720): its profiles are IPsec, not the RFC 7166 trailer', () => {
    const v6 = compileText(intent({ ipv6: true })).diagnostics;
    expect(v6.map((x) => x.code)).toContain(Codes.ospfv3AuthenticationUnsupported);
    expect(v6.find((x) => x.code === Codes.ospfv3AuthenticationUnsupported)!.message).toContain('s1.fw1');
  });
});

describe.skipIf(skipWithout('xmllint', 'xmllint (Debian libxml2-utils)'))('PAN-OS authentication: xmllint', () => {
  it('the XML with keys is well formed', async () => {
    const r = await runOnFile('fw1.xml', xmlOf(fillSecrets(fw1().files, KEYS)), 'xmllint', (p) => ['--noout', p]);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});

describe.skipIf(skipWithout('xmlToSet', `python3 or ${SHARED}/panos_xml_to_set.py`))('PAN-OS authentication: panos_xml_to_set.py', () => {
  it('the .set file is the XML set form, keys included', async () => {
    const files = fillSecrets(fw1().files, KEYS);
    const r = await panosXmlToSet('fw1.xml', xmlOf(files));
    expect(r.status).toBe(0);
    const sorted = (t: string): string[] => t.split('\n').filter((l) => l !== '').sort();
    expect(sorted(setOf(files))).toEqual(sorted(r.stdout));
  });
});

describe.skipIf(skipWithout('codegen', `python3 with python3-yaml, ${SHARED}/panos_codegen_check.py or ${SPECS}`))('PAN-OS authentication: pan-os-codegen specs', () => {
  it(
    'auth profiles, the peer and interface authentication, the default-route switches: no unknown element',
    async () => {
      const r = await panosCodegenCheck('fw1.xml', xmlOf(fillSecrets(fw1().files, KEYS)));
      expect(r.stdout.split('\n').filter((l) => l.startsWith('ERROR'))).toEqual([]);
      expect(r.stdout).toMatch(/\d+ elements checked/);
      expect(r.status).toBe(0);
      // the check can fail: an element the specs do not know
      const bad = await panosCodegenCheck('bad.xml', xmlOf(fillSecrets(fw1().files, KEYS)).replace('<preferred>yes</preferred>', '<prefered>yes</prefered>'));
      expect(bad.status).toBe(1);
    },
    180_000,
  );
});
