// IOS-XE address translation (backends/cisco-iosxe/nat-render.ts, nat-read.ts): hand-built NAT
// models render and read back to themselves; every edit of the rendered text that changes what
// the router translates is a difference translation validation reports (and an edit of the
// order between static and dynamic entries, which IOS fixes itself, is none); what the model
// cannot say is refused at its line; a running configuration reads the same NAT.

import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { ReadResult } from '../../backends/backend.js';
import { poolLength } from '../../backends/cisco-iosxe/nat-render.js';
import type { DeviceModel, SourcePat } from '../../compiler/model.js';
import { parseIPv4 } from '../../language/address.js';
import { compareConfiguration } from '../../verifier/equivalence-config.js';
import { checkEquivalence } from '../../verifier/equivalence.js';
import { fillFromIntent } from '../../pipeline/running.js';
import { NAT_CASES, overlappingPartner, poolAndHosts, publishedWithPat, type NatCase } from './cisco-iosxe-nat-models.js';

const iosxe = backendFor('cisco-iosxe')!;
const ctx = (d: DeviceModel, source?: 'running') => ({ id: d.id, site: d.site, name: d.name, role: d.role, ...(source ? { source } : {}) });

function rendered(c: NatCase): string {
  return iosxe.render(c.device, c.model)[0]!.content;
}

function read(c: NatCase, content: string, source?: 'running'): ReadResult {
  return iosxe.read([{ path: source ? 'running-config.txt' : 'e1.cfg', content }], ctx(c.device, source));
}

/** The text with `from` replaced by `to` (which must change it). */
function edited(text: string, from: string | RegExp, to: string): string {
  const out = text.replace(from, to);
  expect(out, `no ${String(from)} in the text`).not.toBe(text);
  return out;
}

/** The NAT items translation validation finds between the model and the edited text read back. */
function natDifferences(c: NatCase, content: string): { item: string; expected?: string; actual?: string }[] {
  const r = read(c, content);
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return compareConfiguration(c.device, r.device!)
    .filter((d) => d.item.startsWith('NAT'))
    .map(({ item, expected, actual }) => ({ item, ...(expected !== undefined ? { expected } : {}), ...(actual !== undefined ? { actual } : {}) }));
}

/** The codes and messages the reader reports for a text. */
function said(c: NatCase, content: string): string[] {
  return read(c, content).diagnostics.map((d) => `${d.code} ${d.span.start.line} ${d.message}`);
}

const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('IOS-XE NAT: written and read back', () => {
  for (const [name, make] of Object.entries(NAT_CASES)) {
    it(`${name}: read(render(d)) = d, and translation validation finds no difference`, async () => {
      const c = make();
      const r = read(c, rendered(c));
      expect(r.diagnostics).toEqual([]);
      expect(r.device).toEqual(canonicalDevice(c.device));
      expect(compareConfiguration(c.device, r.device!)).toEqual([]);
      const v = await checkEquivalence(c.device, r.device!);
      expect(v.differences).toEqual([]);
      expect(v.equivalent).toBe(true);
    }, 120_000);
  }

  it('writes the forms of docs/backends/cisco-iosxe.md', () => {
    const overlap = rendered(overlappingPartner());
    expect(overlap).toContain('\nip nat inside source static network 10.20.0.0 100.64.20.0 /24\n');
    expect(overlap).toContain('\nip nat outside source static network 10.20.0.0 198.18.20.0 /24\n');
    expect(overlap).not.toContain('add-route');
    const published = rendered(publishedWithPat());
    expect(published).toContain('\nip nat inside source static tcp 10.30.0.10 8443 203.0.113.10 443 extendable\n');
    expect(published).toMatch(/\nip nat inside source list (NAT-[0-9A-F]{8}) interface GigabitEthernet3 overload\n[^]*\nip access-list standard \1\n 10 permit 10\.30\.0\.0 0\.0\.0\.255\n/);
    const pool = rendered(poolAndHosts());
    expect(pool).toContain('\nip nat pool NAT-POOL-203.0.113.8 203.0.113.8 203.0.113.8 prefix-length 28\n');
    expect(pool).toContain('\nip nat inside source static 192.168.1.20 203.0.113.20\n');
    expect(pool).toContain('\nip nat outside source static udp 172.16.0.53 53 10.99.0.53 53\n');
    // static entries before the dynamic one, as the model orders them; NAT before the static routes and lists
    expect(pool.indexOf('source static')).toBeLessThan(pool.indexOf('source list'));
    for (const [i, side] of [['GigabitEthernet2', 'inside'], ['GigabitEthernet3', 'outside'], ['GigabitEthernet4', 'inside']]) {
      expect(pool).toMatch(new RegExp(`\\ninterface ${i}\\n(?: [^\\n]*\\n)* ip nat ${side}\\n`));
    }
  });

  it('a pool address is written with the longest prefix length (at most 30) at which it is a host address', () => {
    const len = (a: string): number => poolLength(parseIPv4(a)!);
    expect(len('203.0.113.9')).toBe(30);
    expect(len('203.0.113.10')).toBe(30);
    expect(len('203.0.113.8')).toBe(28);
    expect(len('203.0.113.11')).toBe(29);
    expect(len('10.0.0.0')).toBe(6);
  });

  it('refuses to write an order IOS would not keep', () => {
    const c = publishedWithPat();
    const dynamicFirst: DeviceModel = { ...c.device, nat: { ...c.device.nat!, translations: [...c.device.nat!.translations].reverse() } };
    expect(() => iosxe.render(dynamicFirst, c.model)).toThrow(/static translation after a dynamic one/);
    const p = c.device.nat!.translations[1]! as SourcePat;
    const twoPats: DeviceModel = { ...c.device, nat: { ...c.device.nat!, translations: [...c.device.nat!.translations, { ...p, address: '198.51.100.9' }] } };
    expect(() => iosxe.render(twoPats, c.model)).toThrow(/two source translations overlap/);
  });
});

describe('IOS-XE NAT: an edit of the configuration is a difference', () => {
  it('a mapped range changed', () => {
    const c = overlappingPartner();
    expect(natDifferences(c, edited(rendered(c), '100.64.20.0 /24', '100.64.21.0 /24'))).toEqual([
      { item: 'NAT translation 1', expected: 'static inside 10.20.0.0/24 as 100.64.20.0/24', actual: 'static inside 10.20.0.0/24 as 100.64.21.0/24' },
    ]);
  });

  it('a pool address changed', () => {
    const c = poolAndHosts();
    const text = edited(rendered(c), /203\.0\.113\.8 203\.0\.113\.8 prefix-length 28/, '203.0.113.9 203.0.113.9 prefix-length 28');
    expect(natDifferences(c, text)).toEqual([
      { item: 'NAT translation 3', expected: 'source 192.168.1.0/24, 192.168.2.0/24 overload to 203.0.113.8', actual: 'source 192.168.1.0/24, 192.168.2.0/24 overload to 203.0.113.9' },
    ]);
  });

  it('`ip nat inside` removed from an interface', () => {
    const c = poolAndHosts();
    const text = edited(rendered(c), /(interface GigabitEthernet4\n(?: [^\n]*\n)*?) ip nat inside\n/, '$1');
    expect(natDifferences(c, text)).toEqual([{ item: 'NAT inside interfaces', expected: 'GigabitEthernet2, GigabitEthernet4', actual: 'GigabitEthernet2' }]);
  });

  it("a published server's port changed", () => {
    const c = publishedWithPat();
    expect(natDifferences(c, edited(rendered(c), '203.0.113.10 443 extendable', '203.0.113.10 444 extendable'))).toEqual([
      { item: 'NAT translation 1', expected: 'static inside 10.30.0.10/32 as 203.0.113.10/32 for tcp 443 (port 8443 on the inside)', actual: 'static inside 10.30.0.10/32 as 203.0.113.10/32 for tcp 444 (port 8443 on the inside)' },
    ]);
  });

  it('a static line removed', () => {
    const c = poolAndHosts();
    const text = edited(rendered(c), /\nip nat inside source static 192\.168\.1\.20 203\.0\.113\.20\n/, '\n');
    expect(natDifferences(c, text).map((d) => d.item)).toEqual(['NAT translation 1', 'NAT translation 2', 'NAT translation 3']);
  });

  it('two static entries exchanged', () => {
    const c = overlappingPartner();
    const text = rendered(c);
    const inside = text.match(/! plumb nat description [^\n]*\n! plumb nat origin [^\n]*\nip nat inside source static [^\n]*\n/)![0];
    const swapped = edited(text, inside, '').replace(/(ip nat outside source static [^\n]*\n)/, `$1${inside}`);
    expect(natDifferences(c, swapped).map((d) => d.item)).toEqual(['NAT translation 1', 'NAT translation 2']);
  });

  it('the sources of a PAT changed, and its interface', () => {
    const c = publishedWithPat();
    expect(natDifferences(c, edited(rendered(c), ' 10 permit 10.30.0.0 0.0.0.255', ' 10 permit 10.30.0.0 0.0.1.255'))).toEqual([
      { item: 'NAT translation 2', expected: 'source 10.30.0.0/24 overload to 198.51.100.1', actual: 'source 10.30.0.0/23 overload to 198.51.100.1' },
    ]);
    expect(natDifferences(c, edited(rendered(c), 'interface GigabitEthernet3 overload', 'interface GigabitEthernet2 overload'))).toEqual([
      { item: 'NAT translation 2', expected: 'source 10.30.0.0/24 overload to 198.51.100.1', actual: 'source 10.30.0.0/24 overload to 10.30.0.1' },
    ]);
  });

  it('a dynamic entry above a static one is no difference: IOS applies static entries first', () => {
    const c = publishedWithPat();
    const text = rendered(c);
    const pat = text.match(/! plumb nat description [^\n]*\n! plumb nat origin [^\n]*\nip nat inside source list [^\n]*\n/)![0];
    const moved = edited(text, pat, '').replace(/(\n! plumb nat description [^\n]*\n! plumb nat origin [^\n]*\nip nat inside source static)/, `\n${pat.trimEnd()}$1`);
    expect(moved.indexOf('source list')).toBeLessThan(moved.indexOf('source static'));
    expect(natDifferences(c, moved)).toEqual([]);
  });
});

describe('IOS-XE NAT: what the model cannot say is refused at its line', () => {
  const c = poolAndHosts();
  const text = rendered(c);
  const cases: [string, (t: string) => string, string, RegExp][] = [
    ['a route-map NAT', (t) => edited(t, /source list \S+ pool/, 'source route-map OFFICE pool'), 'R913', /a route-map chooses what this translation translates/],
    ['a pool of several addresses', (t) => edited(t, '203.0.113.8 203.0.113.8 prefix-length 28', '203.0.113.8 203.0.113.14 prefix-length 28'), 'R913', /pool NAT-POOL-203\.0\.113\.8 has several addresses/],
    ['dynamic translation without overload', (t) => edited(t, / overload\n/, '\n'), 'R913', /without `overload`/],
    ['add-route', (t) => edited(t, 'source static udp 172.16.0.53 53 10.99.0.53 53', 'source static 172.16.0.53 10.99.0.53 add-route'), 'R913', /`add-route` adds a route/],
    ['a deny among the sources', (t) => edited(t, ' 20 permit 192.168.2.0 0.0.0.255', ' 20 deny 192.168.2.0 0.0.0.255'), 'R913', /a `deny` in NAT-/],
    ['a destination translation', (t) => edited(t, 'ip nat inside source static 192.168.1.20', 'ip nat inside destination static 192.168.1.20'), 'R913', /`ip nat inside destination`/],
    ['a pool address IOS never allocates', (t) => edited(t, 'prefix-length 28', 'prefix-length 30'), 'R914', /203\.0\.113\.8 is the network address of 203\.0\.113\.8\/30/],
    ['overlapping static entries', (t) => edited(t, 'ip nat inside source static 192.168.1.20 203.0.113.20', 'ip nat inside source static 192.168.1.20 203.0.113.20\nip nat inside source static 192.168.1.21 203.0.113.20'), 'R915', /static translations of 203\.0\.113\.20\/32 and 203\.0\.113\.20\/32 overlap/],
    ['an undefined pool', (t) => edited(t, /pool NAT-POOL-203\.0\.113\.8 overload/, 'pool ELSEWHERE overload'), 'R903', /a source translation uses ip nat pool ELSEWHERE, which is not defined/],
  ];
  for (const [what, edit, code, message] of cases) {
    it(`${what}: ${code}`, () => {
      const t = edit(text);
      const r = read(c, t);
      const d = r.diagnostics.find((x) => x.code === code);
      expect(d, said(c, t).join('\n')).toBeDefined();
      expect(d!.message).toMatch(message);
      expect(d!.severity).toBe('error');
    });
  }

  it('an interface on both sides is a contradiction at its second line', () => {
    const t = edited(text, /(interface GigabitEthernet4\n(?: [^\n]*\n)*? ip nat inside\n)/, '$1 ip nat outside\n');
    const d = read(c, t).diagnostics.find((x) => x.code === 'R908')!;
    expect(d.message).toBe('interface GigabitEthernet4 is on both sides of the address translation');
    expect(d.span.start.line).toBe(lineOf(t, ' ip nat outside') + t.split('\n').slice(lineOf(t, ' ip nat outside')).findIndex((l) => l === ' ip nat outside') + 1);
  });

  it('two dynamic translations with overlapping sources', () => {
    const p = publishedWithPat();
    const t = edited(rendered(p), /(ip nat inside source list (\S+) interface GigabitEthernet3 overload\n)/, '$1ip nat inside source list $2 interface GigabitEthernet2 overload\n');
    expect(said(p, t)).toContain(`R915 ${lineOf(t, 'interface GigabitEthernet2 overload')} the sources of two dynamic translations overlap (10.30.0.0/24)`);
  });
});

/** What a router prints for `show running-config` of Plumb's file: no comments, its own header and settings. */
function runningForm(text: string): string {
  const body = text
    .split('\n')
    .filter((l) => !/^\s*! plumb/.test(l) && !/^! \S+: Cisco/.test(l) && !l.startsWith('! Regenerate'))
    .join('\n');
  return ['Building configuration...', '', 'Current configuration : 1234 bytes', '!', 'version 17.9', 'ip nat translation timeout 300', 'ip nat log translations syslog', body].join('\n');
}

describe('IOS-XE NAT: the running configuration', () => {
  it('reads the same NAT; the translation settings are unmanaged lines', () => {
    const c = poolAndHosts();
    const run = runningForm(rendered(c));
    const r = read(c, run, 'running');
    expect(r.diagnostics).toEqual([]);
    // the comments are gone: what they carried comes from the intent, as `plumb verify --configs` fills it
    expect(compareConfiguration(c.device, fillFromIntent(r.device!, c.device))).toEqual([]);
    expect(r.unmanaged!.map((u) => u.text)).toEqual(['ip nat translation timeout 300', 'ip nat log translations syslog']);
  });

  it("IOS's other spellings of the same read the same: a netmask, a dotted mask, `extendable`, no sequence numbers; `host A` is A", () => {
    const c = poolAndHosts();
    const run = rendered(c)
      .replace('prefix-length 28', 'netmask 255.255.255.240')
      .replace('ip nat inside source static 192.168.1.20 203.0.113.20', 'ip nat inside source static 192.168.1.20 203.0.113.20 extendable')
      .replace(' 10 permit 192.168.1.0 0.0.0.255', ' permit 192.168.1.0 0.0.0.255')
      .replace(' 20 permit 192.168.2.0 0.0.0.255', ' permit 192.168.2.0 0.0.0.255');
    expect(natDifferences(c, run)).toEqual([]);
    const o = overlappingPartner();
    expect(natDifferences(o, edited(rendered(o), '100.64.20.0 /24', '100.64.20.0 255.255.255.0'))).toEqual([]);
    const p = publishedWithPat();
    expect(natDifferences(p, edited(rendered(p), ' 10 permit 10.30.0.0 0.0.0.255', ' 10 permit 10.30.0.0 0.0.0.255\n 20 permit host 10.31.0.10'))).toEqual([
      { item: 'NAT translation 2', expected: 'source 10.30.0.0/24 overload to 198.51.100.1', actual: 'source 10.30.0.0/24, 10.31.0.10/32 overload to 198.51.100.1' },
    ]);
  });

  it('a hand edit of a translation is drift, and one outside the subset an error at its line', () => {
    const c = publishedWithPat();
    const run = runningForm(rendered(c));
    const r = read(c, edited(run, '203.0.113.10 443', '203.0.113.11 443'), 'running');
    expect(compareConfiguration(c.device, fillFromIntent(r.device!, c.device)).map((d) => d.item)).toEqual(['NAT translation 1']);
    const bad = edited(run, 'interface GigabitEthernet3 overload', 'interface GigabitEthernet3 overload\nip nat inside source route-map EXTRA interface GigabitEthernet3 overload');
    expect(said(c, bad).filter((d) => d.startsWith('R913'))).toEqual([`R913 ${lineOf(bad, 'route-map EXTRA')} a route-map chooses what this translation translates`]);
  });
});
