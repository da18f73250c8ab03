// Contracts (docs/language.md, "Contracts"): a contract checked on its own, and `implements`,
// which makes the other party an external of the implementing intent. Files are read by the real
// reader from real folders, as `plumb check` reads them.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { formatText } from '../../language/format.js';
import { readSources } from '../../pipeline/sources.js';
import { folderChecker } from './folder-check.js';

/** Writes the files under a fresh folder and checks `root` (a path in it). */
const check = folderChecker('plumb-contracts-', 'main.plumb');

/** A contract whose lines can be replaced one by one. */
function contract(lines: Partial<Record<'a' | 'b' | 'meet' | 'aAnn' | 'bAnn' | 'offers', string>> = {}, header = 'export contract fra'): string {
  const body = {
    a: 'party acme asn 65010',
    b: 'party datahub asn 64700',
    meet: 'meet acme 169.254.10.1/30, datahub 169.254.10.2 vlan 100',
    aAnn: 'acme announces 10.20.1.0/24, 10.20.2.0/24',
    bAnn: 'datahub announces 198.51.100.0/24',
    offers: 'datahub offers ingest at 198.51.100.0/26 to 10.20.1.0/24\n  acme offers callbacks at 10.20.2.10',
    ...lines,
  };
  const text = Object.values(body).filter((l) => l !== '').map((l) => `  ${l}`).join('\n');
  return `export service ingest = tcp 8443\nexport service callbacks = https\n${header} {\n${text}\n}\n`;
}

const ACME = `network acme
pool infra 10.255.0.0/16
import "shared.plumb" as shared
site fra1 {
  router edge1 frr asn 65010
  router core1 frr
  link edge1 -- core1
}
segment app 10.20.1.0/24 at fra1.core1
segment billing 10.20.2.0/24 at fra1.core1
policy {
  allow app -> datahub : shared.ingest
  allow datahub -> billing : shared.callbacks
}
`;
const IMPLEMENTS = 'implements shared.fra as acme {\n  attach fra1.edge1\n  announce app, billing\n}\n';

/** A contract module alone, checked as `plumb contract check` does. */
const contractOnly = (text: string) => check({ 'main.plumb': text });
/** Acme's intent implementing the contract of shared.plumb. */
const implementing = (shared: string, implementsText = IMPLEMENTS, extra = '') => check({ 'main.plumb': `${ACME}${implementsText}${extra}`, 'shared.plumb': shared });

describe('a contract on its own', () => {
  it('a valid contract module has no diagnostics, and its summary counts parties, prefixes and offers', () => {
    const a = contractOnly(contract());
    expect(a.text).toBe('');
    expect(a.contracts).toEqual([expect.objectContaining({ name: 'fra', parties: ['acme', 'datahub'], announced: 3, offers: 2 })]);
  });

  it('reads the one-line form and a `{` on the next line', () => {
    const a = contractOnly('contract c\n{\n  party a asn 1\n  party b asn 2\n  meet a 10.0.0.1/31, b 10.0.0.0\n  a announces 10.1.0.0/24\n  b announces 10.2.0.0/24\n}\ncontract d { party a asn 1 }\n');
    expect(a.contracts?.map((c) => [c.name, c.parties])).toEqual([['c', ['a', 'b']], ['d', undefined]]);
    expect(a.codes).toEqual(['P454', 'P454', 'P454']);
  });

  it('parties: exactly two, distinct names, AS numbers in range and different', () => {
    expect(contractOnly(contract({ b: '' })).codes).toContain('P454');
    expect(contractOnly(contract({ b: 'party datahub asn 64700\n  party carrier asn 64701' })).codes).toContain('P454');
    expect(contractOnly(contract({ b: 'party acme asn 64700' })).codes).toContain('P240');
    expect(contractOnly(contract({ b: 'party datahub asn 0' })).codes).toContain('P450');
    expect(contractOnly(contract({ b: 'party datahub asn 4294967296' })).codes).toContain('P450');
    expect(contractOnly(contract({ b: 'party datahub asn 4294967295' })).codes).toEqual([]);
    const same = contractOnly(contract({ b: 'party datahub asn 65010' }));
    expect(same.codes).toEqual(['P450']);
    expect(same.text).toContain('`datahub` has the AS number of `acme`');
  });

  it('meet: exactly one, naming both parties', () => {
    expect(contractOnly(contract({ meet: '' })).codes).toEqual(['P454']);
    expect(contractOnly(contract({ meet: 'meet acme 169.254.10.1/30, datahub 169.254.10.2\n  meet acme 169.254.10.1/30, datahub 169.254.10.2' })).codes).toEqual(['P454']);
    expect(contractOnly(contract({ meet: 'meet acme 169.254.10.1/30, carrier 169.254.10.2' })).codes).toEqual(['P242']);
    expect(contractOnly(contract({ meet: 'meet acme 169.254.10.1/30, acme 169.254.10.2' })).codes).toEqual(['P454']);
    // In either order, the first with the subnet's length.
    expect(contractOnly(contract({ meet: 'meet datahub 169.254.10.2/30, acme 169.254.10.1' })).codes).toEqual([]);
  });

  it('meet: one family, one subnet, two distinct addresses, neither network nor broadcast, VLAN in range', () => {
    const codes = (meet: string) => contractOnly(contract({ meet })).codes;
    expect(codes('meet acme 169.254.10.1/30, datahub 2001:db8::2')).toEqual(['P451']);
    expect(codes('meet acme 169.254.10.1/30, datahub 169.254.10.5')).toEqual(['P451']);
    expect(codes('meet acme 169.254.10.1/30, datahub 169.254.10.1')).toEqual(['P451']);
    expect(codes('meet acme 169.254.10.0/30, datahub 169.254.10.1')).toEqual(['P451']);
    expect(codes('meet acme 169.254.10.1/30, datahub 169.254.10.3')).toEqual(['P451']);
    expect(codes('meet acme 169.254.10.1/30, datahub 169.254.10.2 vlan 4095')).toEqual(['P451']);
    expect(codes('meet acme 169.254.10.1/30, datahub 169.254.10.2 vlan 0')).toEqual(['P451']);
    // A /31 and IPv6 have no network or broadcast address to avoid.
    expect(codes('meet acme 169.254.10.0/31, datahub 169.254.10.1')).toEqual([]);
    expect(codes('meet acme 2001:db8::/127, datahub 2001:db8::1 vlan 4094')).toEqual([]);
    // The shape of the line is syntax.
    expect(codes('meet acme 169.254.10.1, datahub 169.254.10.2')).toEqual(['P104']);
    expect(codes('meet acme 169.254.10.1/30 datahub 169.254.10.2')).toEqual(['P104']);
  });

  it('announces: one line per party, canonical prefixes, disjoint between the parties', () => {
    expect(contractOnly(contract({ bAnn: '' })).codes).toEqual(['P454']);
    expect(contractOnly(contract({ bAnn: 'datahub announces 198.51.100.0/24\n  datahub announces 203.0.113.0/24' })).codes).toEqual(['P454']);
    const bits = contractOnly(contract({ bAnn: 'datahub announces 198.51.100.1/24' }));
    expect(bits.codes).toContain('P302');
    expect(bits.text).toContain('did you mean `198.51.100.0/24`');
    const overlap = contractOnly(contract({ bAnn: 'datahub announces 198.51.100.0/24, 10.20.0.0/16' }));
    expect(overlap.codes).toEqual(['P452']);
    expect(overlap.text).toContain('`10.20.0.0/16` of `datahub` overlaps `10.20.1.0/24` of `acme`');
    expect(contractOnly(contract({ aAnn: 'carrier announces 10.20.1.0/24' })).codes).toEqual(expect.arrayContaining(['P242', 'P454']));
  });

  it('offers: a party, services of the contract\'s module, `at` within its own announcements, `to` within the other\'s', () => {
    const codes = (offers: string) => contractOnly(contract({ offers })).codes;
    expect(codes('datahub offers ingest, https, callbacks')).toEqual([]);
    expect(codes('carrier offers ingest')).toEqual(['P242']);
    expect(codes('datahub offers ingest at 10.20.1.0/24')).toEqual(['P453']);
    expect(codes('datahub offers ingest to 198.51.100.0/25')).toEqual(['P453']);
    expect(codes('acme offers callbacks at 10.20.2.10, 10.20.1.0/25 to 198.51.100.7')).toEqual([]);
    expect(codes('datahub offers ingest at 198.51.100.1/26')).toEqual(['P302']);
    expect(codes('datahub offers nothing-here')).toEqual(['P244']);
    expect(codes('datahub offers ingest at')).toEqual(['P104']);
    expect(codes('datahub offers ingest at 198.51.100.0/26 at 198.51.100.64/26')).toEqual(['P107']);
  });

  it('an offer\'s service resolves in the contract\'s module, through its own imports', () => {
    const a = check({
      'main.plumb': `${ACME.replace(/shared\.ingest/g, 'shared.tls')}${IMPLEMENTS}`,
      'shared.plumb': contract({ offers: 'datahub offers ports.api' }).replace('export service ingest', 'import "ports.plumb"\nexport service tls = tcp 443\nservice ingest').replace(/shared\.callbacks/g, 'shared.tls'),
      'ports.plumb': 'export service api = tcp 9443\nservice hidden = tcp 1\n',
    });
    expect(a.codes).toEqual([]);
    expect(a.intent?.contracts?.[0]?.them.offers[0]).toMatchObject({ services: ['shared.ports.api'], serviceNames: ['ports.api'], clauses: [{ protocol: 6, ports: [{ from: 9443, to: 9443 }] }] });
    const privateOne = check({ 'main.plumb': contract({ offers: 'datahub offers ports.hidden' }).replace('export service ingest', 'import "ports.plumb"\nservice ingest'), 'ports.plumb': 'service hidden = tcp 1\n' });
    expect(privateOne.codes).toEqual(['P236']);
  });

  it('`contract` and `implements` stand at the top level only', () => {
    expect(contractOnly(`site s {\n  contract x\n}\n`).codes).toContain('P131');
    expect(contractOnly(`${contract()}site s {\n  implements fra as acme\n}\n`).codes).toContain('P131');
  });

  it('a second contract of the same name is an error', () => {
    expect(contractOnly(`${contract()}${contract({}, 'contract fra').replace(/^export service.*\n/gm, '')}`).codes).toEqual(['P240']);
  });
});

describe('implements', () => {
  it('the other party becomes an external of the intent, as if written out', () => {
    const a = implementing(contract(), IMPLEMENTS.replace('}', '  password dh-key\n}'), 'secret dh-key from env DH_KEY\n');
    expect(a.text).toBe('');
    const ext = a.intent!.externals.find((x) => x.name === 'datahub')!;
    expect(ext).toMatchObject({ asn: 64700, prefixes: ['198.51.100.0/24'], announce: ['app', 'billing'] });
    expect(ext.attachments).toEqual([expect.objectContaining({ device: 'fra1.edge1', address: '169.254.10.1/30', peer: '169.254.10.2', vlan: 100 })]);
    expect(ext.password?.secret).toBe('dh-key');
  });

  it('the model\'s contract: our party, theirs, the meeting point and the offers, each with its line', () => {
    const c = implementing(contract()).intent!.contracts![0]!;
    expect(c).toMatchObject({
      name: 'shared.fra',
      external: 'datahub',
      meet: { ours: '169.254.10.1', theirs: '169.254.10.2', prefixLength: 30, vlan: 100 },
      us: { name: 'acme', asn: 65010, announces: ['10.20.1.0/24', '10.20.2.0/24'] },
      them: { name: 'datahub', asn: 64700, announces: ['198.51.100.0/24'] },
    });
    expect(c.us.offers).toEqual([expect.objectContaining({ serviceNames: ['callbacks'], at: ['10.20.2.10/32'], to: ['198.51.100.0/24'], text: 'acme offers callbacks at 10.20.2.10' })]);
    expect(c.them.offers[0]).toMatchObject({ at: ['198.51.100.0/26'], to: ['10.20.1.0/24'] });
    expect(c.span).toMatchObject({ start: { line: 3, column: 1 }, end: { line: 3, column: 20 } });
    expect(c.span.file).toMatch(/shared\.plumb$/);
    expect(c.implementsSpan.file).toMatch(/main\.plumb$/);
    expect(c.meet.span.start.line).toBe(6);
  });

  it('the second party of `meet` takes the subnet\'s length for its own address', () => {
    const a = check({
      'main.plumb': `${ACME.replace('asn 65010', 'asn 64700').replace(/datahub/g, 'acme').replace('network acme', 'network dh')}implements shared.fra as datahub {\n  attach fra1.edge1\n  announce app, billing\n}\n`,
      'shared.plumb': contract({ aAnn: 'acme announces 10.99.0.0/24', bAnn: 'datahub announces 10.20.0.0/16', offers: '' }),
    });
    expect(a.text).toBe('');
    expect(a.intent!.externals.find((x) => x.name === 'acme')!.attachments[0]).toMatchObject({ address: '169.254.10.2/30', peer: '169.254.10.1' });
  });

  it('a contract in the intent itself is implemented by its bare name', () => {
    const a = check({ 'main.plumb': `${ACME.replace('import "shared.plumb" as shared\n', '').replace(/shared\./g, '')}${contract()}${IMPLEMENTS.replace('shared.fra', 'fra')}` });
    expect(a.text).toBe('');
    expect(a.intent!.contracts![0]!.name).toBe('fra');
  });

  it('names an existing, exported contract and one of its parties', () => {
    expect(implementing(contract(), IMPLEMENTS.replace('shared.fra', 'shared.frankfurt')).codes).toContain('P241');
    expect(implementing(contract(), IMPLEMENTS.replace('shared.fra', 'fra')).codes).toContain('P241');
    expect(implementing(contract({}, 'contract fra')).codes).toContain('P236');
    const party = implementing(contract(), IMPLEMENTS.replace('as acme', 'as carrier'));
    expect(party.codes).toContain('P242');
    expect(party.diagnostics.find((d) => d.code === 'P242')?.hint).toBe('its parties are `acme` and `datahub`');
  });

  it('the other party\'s name may not be declared in the intent', () => {
    const a = implementing(contract(), IMPLEMENTS, 'segment datahub 10.30.0.0/24 at fra1.core1\n');
    expect(a.codes).toContain('P243');
    expect(a.text).toMatch(/P243 \S*main\.plumb:\d+:\d+ the other party `datahub`/);
  });

  it('each contract once; one `attach`, one `announce`, at most one `password`', () => {
    expect(implementing(contract(), `${IMPLEMENTS}${IMPLEMENTS}`).codes).toContain('P245');
    expect(implementing(contract(), 'implements shared.fra as acme {\n  announce app\n}\n').codes).toContain('P455');
    expect(implementing(contract(), 'implements shared.fra as acme {\n  attach fra1.edge1\n}\n').codes).toContain('P455');
    expect(implementing(contract(), 'implements shared.fra as acme {\n  attach fra1.edge1\n  attach fra1.core1\n  announce app\n}\n').codes).toContain('P455');
    expect(implementing(contract(), 'implements shared.fra as acme {\n  attach fra1.edge1 address 169.254.10.1/30\n  announce app\n}\n').codes).toContain('P104');
    expect(implementing(contract(), 'implements shared.fra as acme {\n  attach fra1.edge1\n  announce app\n  asn 1\n}\n').codes).toContain('P103');
  });

  it('the checks of an external apply, at the implementation\'s lines', () => {
    const device = implementing(contract(), IMPLEMENTS.replace('fra1.edge1', 'fra1.edge9'));
    expect(device.codes).toContain('P201');
    const announce = implementing(contract(), IMPLEMENTS.replace('app, billing', 'app, nothing'));
    expect(announce.codes).toContain('P201');
    expect(implementing(contract(), IMPLEMENTS.replace('}', '  password nokey\n}')).codes).toContain('P201');
  });

  it('the attached device speaks BGP as our party', () => {
    const a = implementing(contract(), IMPLEMENTS, '').codes;
    expect(a).toEqual([]);
    const other = check({ 'main.plumb': `${ACME.replace('router edge1 frr asn 65010', 'router edge1 frr asn 65099')}${IMPLEMENTS}`, 'shared.plumb': contract() });
    expect(other.codes).toEqual(['P456']);
    expect(other.text).toContain('`fra1.edge1` has AS number 65099, and our party `acme` has 65010');
  });

  it('is refused in an imported module', () => {
    const a = check({ 'main.plumb': `${ACME}${IMPLEMENTS}`, 'shared.plumb': `${contract()}implements fra as datahub {\n  attach x.y\n  announce z\n}\n` });
    expect(a.codes).toEqual(['P131']);
  });

  it('a broken contract makes no external, and reports only the contract', () => {
    const a = implementing(contract({ b: 'party datahub asn 65010' }));
    expect(a.codes).toEqual(['P450']);
  });
});

describe('plumb fmt', () => {
  it('lays out contract and implements blocks canonically, and formatting again changes nothing', () => {
    const messy = 'export   contract fra "FR5"\n{\n party acme asn 65010   # us\n  party datahub asn 64700\n    meet acme 169.254.10.1/30 ,datahub 169.254.10.2   vlan 100\n  acme announces 10.20.1.0/24,\n    10.20.2.0/24\n\n\n  datahub announces 198.51.100.0/24\n  datahub offers ingest,https   to 10.20.1.0/24 at 198.51.100.0/26\n}\nimplements   fra as acme { attach fra1.edge1 }\n';
    const once = formatText(messy, 'x.plumb').text!;
    expect(once).toBe(
      'export contract fra "FR5" {\n  party acme asn 65010  # us\n  party datahub asn 64700\n  meet acme 169.254.10.1/30, datahub 169.254.10.2 vlan 100\n  acme announces 10.20.1.0/24, 10.20.2.0/24\n\n  datahub announces 198.51.100.0/24\n  datahub offers ingest, https at 198.51.100.0/26 to 10.20.1.0/24\n}\nimplements fra as acme {\n  attach fra1.edge1\n}\n',
    );
    expect(formatText(once, 'x.plumb').text).toBe(once);
  });
});

describe('the two-party fixture (test/fixtures/contracts)', () => {
  const root = join(import.meta.dirname, '..', 'fixtures', 'contracts');
  const party = (name: string) => analyze(readSources([`${name}/main.plumb`], root));

  it('each party checks clean, and the attach addresses mirror each other', () => {
    const acme = party('acme');
    const datahub = party('datahub');
    expect(acme.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(datahub.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const a = acme.intent!.externals.find((x) => x.name === 'datahub')!.attachments[0]!;
    const d = datahub.intent!.externals.find((x) => x.name === 'acme')!.attachments[0]!;
    expect(a.address.split('/')[0]).toBe(d.peer);
    expect(d.address.split('/')[0]).toBe(a.peer);
    expect(a.vlan).toBe(d.vlan);
  });

  it('formats canonically: formatting the fixture changes nothing', () => {
    for (const path of ['contracts/frankfurt.plumb', 'acme/main.plumb', 'datahub/main.plumb']) {
      const text = readFileSync(join(root, path), 'utf8');
      expect(formatText(text, path).text, path).toBe(text);
    }
  });
});
