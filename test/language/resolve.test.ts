import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { BASE, codes, find, run, spanText } from './analyze-helpers.js';

describe('resolve', () => {
  it('the base intent is clean', () => {
    expect(run(BASE).diagnostics).toEqual([]);
  });

  it('records every definition and reference, with spans', () => {
    const a = run(BASE);
    const keys = a.symbols.definitions.map((d) => `${d.kind}:${d.key}`);
    expect(keys).toEqual(
      expect.arrayContaining([
        'pool:infra',
        'site:fra1',
        'device:fra1.edge1',
        'device:fra1.gw1',
        'segment:web',
        'segment:db',
        'builtin-service:postgres',
        'builtin-endpoint:any',
      ]),
    );
    const web = a.symbols.definitions.find((d) => d.key === 'web')!;
    expect(BASE.slice(web.nameSpan!.start.offset, web.nameSpan!.end.offset)).toBe('web');
    expect(web.detail).toBe('segment web 10.10.1.0/24 at fra1.fw1 zone dmz');
    const refs = a.symbols.references.map((r) => `${BASE.slice(r.span.start.offset, r.span.end.offset)}=>${r.key}`);
    // `link edge1 -- fw1` inside the site resolves bare names; `fra1.fw1` resolves both parts.
    expect(refs).toEqual(expect.arrayContaining(['edge1=>fra1.edge1', 'fw1=>fra1.fw1', 'fra1=>fra1', 'postgres=>postgres']));
    expect(refs.filter((r) => r === 'web=>web')).toHaveLength(1);
    const keysSet = new Set(a.symbols.definitions.map((d) => d.key));
    expect(keysSet.size).toBe(a.symbols.definitions.length);
  });

  it('shares one namespace across files and reports a duplicate in another file', () => {
    const a = analyze([
      { path: 'a.plumb', text: BASE },
      { path: 'b.plumb', text: 'host pg 10.10.2.10 in db\ngroup web = db\nassert reach web -> pg : postgres\n' },
    ]);
    const dup = a.diagnostics.find((d) => d.code === 'P202')!;
    expect(dup.span.file).toBe('b.plumb');
    expect(dup.related[0]!.span.file).toBe('a.plumb');
    expect(dup.related[0]!.message).toContain('segment');
    // `pg` in b.plumb resolves to a host declared in b, `db` to a.plumb's segment.
    expect(a.diagnostics.filter((d) => d.code === 'P201')).toEqual([]);
  });

  it('suggests the nearest name for an unknown one', () => {
    const text = `${BASE}host pg 10.10.2.10 in dbb\n`;
    const [d] = find(text, 'P201');
    expect(d!.message).toBe('unknown segment `dbb`');
    expect(d!.hint).toBe('did you mean `db`?');
    expect(spanText(text, d!)).toBe('dbb');
  });

  it('suggests services, including built-ins, where a service is expected', () => {
    const [d] = find(`${BASE}assert reach web -> db : postgress\n`, 'P201');
    expect(d!.message).toBe('unknown service `postgress`');
    expect(d!.hint).toBe('did you mean `postgres`?');
  });

  it('resolves `any` as an endpoint and as a service', () => {
    const text = `${BASE}assert isolate any -> db : any\n`;
    expect(codes(text)).toEqual([]);
  });

  it('reports a bare device name outside its site with the qualified form', () => {
    const text = BASE.replace('at fra1.core1', 'at core1');
    const [d] = find(text, 'P204');
    expect(d!.hint).toBe('write `fra1.core1`');
    expect(spanText(text, d!)).toBe('core1');
  });

  it('reports a device of another site named bare inside a site', () => {
    const text = `${BASE}site ams1 {\n  router core2 frr\n  link core2 -- edge1\n}\nlink fra1.core1 -- ams1.core2\n`;
    const [d] = find(text, 'P204');
    expect(d!.message).toBe('device `edge1` is not in site `ams1`');
    expect(d!.hint).toBe('write `fra1.edge1`');
  });

  it('suggests a device in the named site', () => {
    const [d] = find(BASE.replace('at fra1.core1', 'at fra1.coer1'), 'P201');
    expect(d!.message).toBe('unknown device `fra1.coer1`');
    expect(d!.hint).toBe('did you mean `fra1.core1`?');
  });

  it('reports an unknown site with a suggestion', () => {
    const [d] = find(BASE.replace('at fra1.core1', 'at fra2.core1'), 'P201');
    expect(d!.message).toBe('unknown site `fra2`');
    expect(d!.hint).toBe('did you mean `fra1`?');
  });

  it('reports a name of the wrong kind with where it is declared', () => {
    const text = `${BASE}service admin = tcp 8443\nassert reach admin -> db\n`;
    const [d] = find(text, 'P203');
    expect(d!.message).toBe('`admin` is a service, but an endpoint (a segment, host, group, external or `any`) is expected here');
    expect(spanText(text, { ...d!, span: d!.related[0]!.span })).toBe('admin');
  });

  it('reports a built-in service used as an endpoint', () => {
    const [d] = find(`${BASE}assert reach https -> db\n`, 'P203');
    expect(d!.message).toContain('built-in service');
  });

  it('reports a segment where a device is expected', () => {
    const [d] = find(`${BASE}segment lab 10.10.3.0/24 at web\n`, 'P203');
    expect(d!.message).toBe('`web` is a segment, but a device is expected here');
  });

  it('reports a device where a segment or an endpoint is expected', () => {
    const [d] = find(`${BASE}host h 10.10.2.5 in core1\n`, 'P203');
    expect(d!.message).toBe('`core1` is a device, but a segment is expected here');
    expect(d!.related[0]!.message).toBe('`fra1.core1` is declared here');
    expect(codes(`${BASE}assert reach edge1 -> db\n`)).toContain('P203');
  });

  it('reports duplicate devices within a site, not across sites', () => {
    const dup = `${BASE}site ams1 {\n  router core1 frr\n  router core1 frr\n}\n`;
    const found = find(dup, 'P202');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toBe('device `ams1.core1` is already declared');
  });

  it('reports `any`, `network` twice and `routing` twice', () => {
    expect(codes('segment any 10.0.0.0/24 at fra1.core1\n')).toContain('P205');
    expect(codes('network a\nnetwork b\n')).toContain('P206');
    expect(codes('routing ospf\nrouting static\n')).toContain('P207');
  });

  it('warns when a declaration shadows a prelude service, and the declaration wins', () => {
    const text = `${BASE}service https = tcp 8443\nassert reach web -> db : https\n`;
    const a = run(text);
    expect(a.diagnostics.map((d) => d.code)).toEqual(['P602']);
    expect(a.intent!.services.find((s) => s.name === 'https')).toMatchObject({ builtin: false, clauses: [{ protocol: 6, ports: [{ from: 8443, to: 8443 }] }] });
    expect(a.symbols.definitions.filter((d) => d.key === 'https')).toHaveLength(1);
  });
});
