// Named announcements of a contract (docs/language.md, "Contracts"): `PARTY announces NAME PREFIX`
// names part of a party's addresses, an offer's `at`/`to` may use the name, and the other party's
// intent names that part as `PARTY.NAME`, an endpoint of its own attached where the party is.
// Files are read by the real reader from real folders, as `plumb check` reads them.
import { describe, expect, it } from 'vitest';
import { compileIntent } from '../../compiler/build.js';
import { formatText } from '../../language/format.js';
import { folderChecker } from './folder-check.js';

const check = folderChecker('plumb-contract-parts-', 'main.plumb');

const CONTRACT = (announces: string, offers: string): string => `export service ingest = tcp 8443
export service callbacks = https
export contract fra {
  party acme asn 65010
  party datahub asn 64700
  meet acme 169.254.10.1/30, datahub 169.254.10.2
  acme announces app 10.20.1.0/24, 10.20.2.0/24
  ${announces}
  ${offers}
}
`;
const NAMED = 'datahub announces api 198.51.100.0/26, batch 198.51.100.64/26, 198.51.100.128/25';

const ACME = (body: string): string => `network acme
pool infra 10.255.0.0/16
import "shared.plumb" as shared
site fra1 {
  router edge1 frr asn 65010
  router core1 frr
  link edge1 -- core1
}
segment app 10.20.1.0/24 at fra1.core1
segment billing 10.20.2.0/24 at fra1.core1
implements shared.fra as acme {
  attach fra1.edge1
  announce app, billing
}
${body}
`;

const contractOnly = (text: string) => check({ 'main.plumb': text });
const implementing = (body: string, offers = 'datahub offers ingest at api to app') => check({ 'main.plumb': ACME(body), 'shared.plumb': CONTRACT(NAMED, offers) });

describe('named announcements in a contract', () => {
  it('a prefix may carry a name, and an offer may name it in `at` (its own) and `to` (the other\'s)', () => {
    const a = contractOnly(CONTRACT(NAMED, 'datahub offers ingest at api, batch to app'));
    expect(a.text).toBe('');
    expect(a.contracts?.[0]).toMatchObject({ announced: 5, offers: 1 });
  });

  it('an unknown name is P246, with the nearest name or whose name it is', () => {
    const near = contractOnly(CONTRACT(NAMED, 'datahub offers ingest at apl'));
    expect(near.codes).toEqual(['P246']);
    expect(near.text).toContain('`datahub` announces nothing named `apl`');
    expect(near.diagnostics[0]!.hint).toBe('did you mean `api`?');
    const theirs = contractOnly(CONTRACT(NAMED, 'datahub offers ingest at app'));
    expect(theirs.codes).toEqual(['P246']);
    expect(theirs.diagnostics[0]!.hint).toContain("`app` is acme's");
    const wrongSide = contractOnly(CONTRACT(NAMED, 'datahub offers ingest to api'));
    expect(wrongSide.codes).toEqual(['P246']);
    expect(wrongSide.text).toContain('`acme` announces nothing named `api`');
  });

  it('a name given twice, or a party\'s name, is P247', () => {
    const twice = contractOnly(CONTRACT('datahub announces api 198.51.100.0/26, api 198.51.100.64/26', ''));
    expect(twice.codes).toEqual(['P247']);
    expect(twice.text).toContain('`api` already names 198.51.100.0/26');
    expect(contractOnly(CONTRACT('datahub announces acme 198.51.100.0/26', '')).codes).toEqual(['P247']);
  });

  it('a name needs its prefix, and entries are separated by commas', () => {
    expect(contractOnly(CONTRACT('datahub announces api', '')).codes).toEqual(['P104']);
    expect(contractOnly(CONTRACT('datahub announces api 198.51.100.0/26 198.51.100.64/26', '')).codes).not.toEqual([]);
  });

  it('plumb fmt keeps the names', () => {
    const text = CONTRACT('datahub announces  api 198.51.100.0/26,batch   198.51.100.64/26', 'datahub offers ingest at  api,batch to app');
    const once = formatText(text, 'x.plumb').text!;
    expect(once).toContain('  datahub announces api 198.51.100.0/26, batch 198.51.100.64/26\n  datahub offers ingest at api, batch to app\n');
    expect(formatText(once, 'x.plumb').text).toBe(once);
  });
});

describe('`PARTY.NAME` in the implementing intent', () => {
  const body = 'policy {\n  allow app -> datahub.api : shared.ingest\n}\nassert reach app -> datahub.api : shared.ingest\ngroup partners = datahub.batch';

  it('is the part of the other party\'s external with the named prefix, attached where it is', () => {
    const a = implementing(body);
    expect(a.codes).toEqual([]);
    const datahub = a.intent!.externals.find((x) => x.name === 'datahub')!;
    expect(datahub.parts?.map((p) => [p.name, p.prefixes])).toEqual([
      ['datahub.api', ['198.51.100.0/26']],
      ['datahub.batch', ['198.51.100.64/26']],
    ]);
    expect(a.intent!.rules[0]!.destinationsExpanded).toEqual(['datahub.api']);
    const { model } = compileIntent(a.intent!);
    const part = model.endpoints.find((e) => e.name === 'datahub.api')!;
    expect(part).toMatchObject({ kind: 'external', include: ['198.51.100.0/26'], attachments: [], partOf: 'datahub' });
    expect(model.endpoints.find((e) => e.name === 'datahub')!.attachments).not.toEqual([]);
    // The rule's filter admits the part only, not the whole party.
    const rules = model.devices.flatMap((d) => d.filters.flatMap((f) => f.rules)).filter((r) => r.match.destinations?.some((p) => p.startsWith('198.51.100.')));
    expect(rules.length).toBeGreaterThan(0);
    expect([...new Set(rules.flatMap((r) => r.match.destinations ?? []))]).toEqual(['198.51.100.0/26']);
  });

  it('an unknown part is P246 with the nearest name, and only that', () => {
    const a = implementing('assert reach app -> datahub.apx : shared.ingest');
    expect(a.codes).toEqual(['P246']);
    expect(a.text).toContain('`datahub` has no part `apx`');
    expect(a.diagnostics[0]!.hint).toBe('did you mean `datahub.api`?');
  });

  it('our own named announcements are not names of the intent', () => {
    // (`acme` is the network's name here: no part, no external)
    const a = implementing('assert isolate datahub -> acme.app');
    expect(a.codes).toEqual(['P203']);
    expect(a.text).not.toContain('part');
  });

  it('is no device: `manage` cannot name it', () => {
    expect(implementing('manage datahub.api from app : ssh').codes).toContain('P203');
  });

  it('the language server\'s symbols: the part\'s definition is the name in the contract, and each use refers to it', () => {
    const a = implementing(body);
    const def = a.symbols.definitions.find((d) => d.key === 'datahub.api')!;
    expect(def).toMatchObject({ name: 'api', kind: 'external' });
    expect(def.nameSpan!.file).toMatch(/shared\.plumb$/);
    expect(def.nameSpan!.start.line).toBe(8);
    const uses = a.symbols.references.filter((r) => r.key === 'datahub.api');
    expect(uses.map((r) => `${r.span.file.replace(/.*\//, '')}:${r.span.start.line}:${r.span.start.column}`).sort()).toEqual(['main.plumb:16:24', 'main.plumb:18:29', 'shared.plumb:9:28']);
    expect(a.symbols.references.some((r) => r.key === 'datahub' && r.span.start.line === 16)).toBe(true);
  });
});

describe('an unknown contract', () => {
  it('is reported once (P241): the other party it would have made is not an unknown name too, a typo still is', () => {
    const unknown = check({ 'main.plumb': ACME('policy {\n  allow app -> datahub.api : shared.ingest\n  allow datahub -> billing : shared.callbacks\n  allow app -> billng : https\n}').replace('shared.fra as', 'shared.frankfurt as'), 'shared.plumb': CONTRACT(NAMED, '') });
    expect(unknown.codes).toEqual(['P241', 'P201']);
    expect(unknown.text).toContain('unknown endpoint `billng`');
  });
});
