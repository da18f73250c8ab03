import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Declaration } from '../../language/ast.js';
import type { Diagnostic, Span } from '../../language/diagnostic.js';
import { parse, stringValue } from '../../language/parser.js';
import { lex } from '../../language/tokens.js';

/** Parses text that must have no syntax error. */
function ok(text: string): Declaration[] {
  const r = parse(text, 'test.plumb');
  expect(r.diagnostics.map(show)).toEqual([]);
  return r.file.declarations;
}

/** The tree without spans: what the AST says, not where. */
function shape(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value, (k, v) => (k === 'span' ? undefined : v)));
}

function at(span: Span): string {
  return `${span.start.line}:${span.start.column}-${span.end.line}:${span.end.column}`;
}

function show(d: Diagnostic): string {
  return `${at(d.span)} ${d.code} ${d.message}`;
}

function errors(text: string): Diagnostic[] {
  return parse(text, 'test.plumb').diagnostics;
}

function codes(text: string): string[] {
  return errors(text).map((d) => `${d.span.start.line}:${d.span.start.column} ${d.code}`);
}

const tok = (text: string) => ({ text });

describe('lexer', () => {
  const kinds = (text: string) => lex(text).tokens.map((t) => `${t.kind}:${t.text}`);

  it('lexes IPv6 strictly, and never a device with a pinned interface or a rule colon', () => {
    expect(kinds('2001:db8::/32 ::/0 fe80::1 ::ffff:10.0.0.1 2001:db8:10:1::/64')).toEqual([
      'IPv6:2001:db8::/32',
      'IPv6:::/0',
      'IPv6:fe80::1',
      'IPv6:::ffff:10.0.0.1',
      'IPv6:2001:db8:10:1::/64',
      'EOF:',
    ]);
    expect(kinds('fw1:ethernet1/1 db:https cafe:1 a :b')).toEqual([
      'Name:fw1',
      'IfPin::ethernet1/1',
      'Name:db',
      'IfPin::https',
      'Name:cafe',
      'IfPin::1',
      'Name:a',
      'Colon::',
      'Name:b',
      'EOF:',
    ]);
  });

  it('ends a name before `--` and `->`, keeps single hyphens inside it', () => {
    expect(kinds('a--b c->d pg-primary e-f-')).toEqual([
      'Name:a',
      'DashDash:--',
      'Name:b',
      'Name:c',
      'Arrow:->',
      'Name:d',
      'Name:pg-primary',
      'Name:e-f-',
      'EOF:',
    ]);
  });

  it('lexes numbers, port ranges, IPv4 literals, strings and comments', () => {
    const r = lex('80 8000-8080 10.0.0.1 10.0.0.0/8 "a \\" b" # note\n');
    expect(r.tokens.map((t) => `${t.kind}:${t.text}`)).toEqual([
      'Int:80',
      'PortRange:8000-8080',
      'IPv4:10.0.0.1',
      'IPv4:10.0.0.0/8',
      'String:"a \\" b"',
      'Newline:\n',
      'EOF:',
    ]);
    expect(r.comments.map((c) => c.text)).toEqual(['# note']);
    expect(stringValue('"a \\" b \\\\ c"')).toBe('a " b \\ c');
  });
});

describe('parser: every construct', () => {
  it('network, with and without a description', () => {
    const [a, b] = ok('network acme "ACME edge"\nnetwork x\n');
    expect(shape(a)).toEqual({ kind: 'network', name: tok('acme'), description: tok('"ACME edge"') });
    expect(shape(b)).toEqual({ kind: 'network', name: tok('x') });
    expect(at(a!.span)).toBe('1:1-1:25');
    const n = a as Extract<Declaration, { kind: 'network' }>;
    expect(at(n.name.span)).toBe('1:9-1:13');
    expect(at(n.description!.span)).toBe('1:14-1:25');
  });

  it('routing', () => {
    const [d] = ok('routing ospf');
    expect(shape(d)).toEqual({ kind: 'routing', mode: tok('ospf') });
    expect(at(d!.span)).toBe('1:1-1:13');
  });

  it('pool, IPv4 and IPv6', () => {
    const [a, b] = ok('pool infra 10.255.0.0/16\npool v6 2001:db8:ff::/48');
    expect(shape(a)).toEqual({ kind: 'pool', name: tok('infra'), prefix: tok('10.255.0.0/16') });
    expect(shape(b)).toEqual({ kind: 'pool', name: tok('v6'), prefix: tok('2001:db8:ff::/48') });
    expect(at(b!.span)).toBe('2:1-2:25');
  });

  it('site with devices (every clause) and links', () => {
    const [site] = ok(
      [
        'site fra1 "Frankfurt" {',
        '  router edge1 cisco-iosxe asn 65010 loopback 10.255.255.1',
        '  firewall fw1 paloalto-panos',
        '  router r2 frr loopback 2001:db8::1 asn 65011',
        '  link edge1:GigabitEthernet2 -- fw1:ethernet1/1.100 10.0.0.0/31 cost 5',
        '}',
      ].join('\n'),
    );
    expect(shape(site)).toEqual({
      kind: 'site',
      name: tok('fra1'),
      description: tok('"Frankfurt"'),
      members: [
        {
          kind: 'device',
          role: tok('router'),
          name: tok('edge1'),
          platform: tok('cisco-iosxe'),
          asn: tok('65010'),
          loopback: tok('10.255.255.1'),
        },
        { kind: 'device', role: tok('firewall'), name: tok('fw1'), platform: tok('paloalto-panos') },
        { kind: 'device', role: tok('router'), name: tok('r2'), platform: tok('frr'), asn: tok('65011'), loopback: tok('2001:db8::1') },
        {
          kind: 'link',
          a: { device: { device: tok('edge1') }, ifname: tok('GigabitEthernet2') },
          b: { device: { device: tok('fw1') }, ifname: tok('ethernet1/1.100') },
          prefix: tok('10.0.0.0/31'),
          cost: tok('5'),
        },
      ],
    });
    expect(at(site!.span)).toBe('1:1-6:2');
    const s = site as Extract<Declaration, { kind: 'site' }>;
    expect(at(s.members[0]!.span)).toBe('2:3-2:59');
    const link = s.members[3] as Extract<(typeof s.members)[number], { kind: 'link' }>;
    expect(at(link.a.span)).toBe('5:8-5:30');
    expect(at(link.a.ifname!.span)).toBe('5:14-5:30');
    expect(at(link.b.device.span)).toBe('5:34-5:37');
  });

  it('a one-line site and an empty site', () => {
    const [a, b] = ok('site a { router r frr }\nsite b {}\n');
    expect(shape(a)).toEqual({
      kind: 'site',
      name: tok('a'),
      members: [{ kind: 'device', role: tok('router'), name: tok('r'), platform: tok('frr') }],
    });
    expect(shape(b)).toEqual({ kind: 'site', name: tok('b'), members: [] });
  });

  it('top-level link between qualified devices, pinned interfaces', () => {
    const [d] = ok('link fra1.core1:eth1 -- ams1.core2 cost 10');
    expect(shape(d)).toEqual({
      kind: 'link',
      a: { device: { site: tok('fra1'), device: tok('core1') }, ifname: tok('eth1') },
      b: { device: { site: tok('ams1'), device: tok('core2') } },
      cost: tok('10'),
    });
    const l = d as Extract<Declaration, { kind: 'link' }>;
    expect(at(l.a.device.span)).toBe('1:6-1:16');
    expect(at(l.a.device.site!.span)).toBe('1:6-1:10');
  });

  it('segment with every clause, in any order', () => {
    const [a, b] = ok(
      'segment web 10.10.1.0/24, 2001:db8:10:1::/64 at fra1.fw1 zone dmz vlan 10 "public web"\n' +
        'segment db 10.10.2.0/24 "databases" vlan 20 at core1',
    );
    expect(shape(a)).toEqual({
      kind: 'segment',
      name: tok('web'),
      prefixes: [tok('10.10.1.0/24'), tok('2001:db8:10:1::/64')],
      at: { site: tok('fra1'), device: tok('fw1') },
      zone: tok('dmz'),
      vlan: tok('10'),
      description: tok('"public web"'),
    });
    expect(shape(b)).toEqual({
      kind: 'segment',
      name: tok('db'),
      prefixes: [tok('10.10.2.0/24')],
      at: { device: tok('core1') },
      vlan: tok('20'),
      description: tok('"databases"'),
    });
    expect(at(a!.span)).toBe('1:1-1:87');
  });

  it('host and group', () => {
    const [h, g] = ok('host pg-primary 10.10.2.10 in db\ngroup internal = web, db, office');
    expect(shape(h)).toEqual({ kind: 'host', name: tok('pg-primary'), address: tok('10.10.2.10'), segment: tok('db') });
    expect(shape(g)).toEqual({ kind: 'group', name: tok('internal'), members: [tok('web'), tok('db'), tok('office')] });
    expect(at(g!.span)).toBe('2:1-2:33');
  });

  it('external with every item', () => {
    const [e] = ok(
      [
        'external snowflake "Snowflake" {',
        '  asn 64600',
        '  prefixes 198.51.100.0/24, 2001:db8:5::/48',
        '  attach fra1.edge1 address 169.254.10.1/30 peer 169.254.10.2 vlan 100',
        '  attach edge2 address 203.0.113.2/30 gateway 203.0.113.1',
        '  announce db, web',
        '}',
      ].join('\n'),
    );
    expect(shape(e)).toEqual({
      kind: 'external',
      name: tok('snowflake'),
      description: tok('"Snowflake"'),
      items: [
        { kind: 'asn', asn: tok('64600') },
        { kind: 'prefixes', prefixes: [tok('198.51.100.0/24'), tok('2001:db8:5::/48')] },
        {
          kind: 'attach',
          device: { site: tok('fra1'), device: tok('edge1') },
          address: tok('169.254.10.1/30'),
          peer: tok('169.254.10.2'),
          vlan: tok('100'),
        },
        { kind: 'attach', device: { device: tok('edge2') }, address: tok('203.0.113.2/30'), gateway: tok('203.0.113.1') },
        { kind: 'announce', refs: [tok('db'), tok('web')] },
      ],
    });
    const x = e as Extract<Declaration, { kind: 'external' }>;
    expect(at(x.items[2]!.span)).toBe('4:3-4:71');
  });

  it('service items: ports and ranges, icmp types, protocol numbers, other services', () => {
    const [s] = ok('service mix = tcp 80 443 8000-8080, udp 53, icmp echo, icmp 8, icmp, 47, http, tcp');
    expect(shape(s)).toEqual({
      kind: 'service',
      name: tok('mix'),
      items: [
        { protocol: tok('tcp'), ports: [tok('80'), tok('443'), tok('8000-8080')] },
        { protocol: tok('udp'), ports: [tok('53')] },
        { protocol: tok('icmp'), ports: [], icmpType: tok('echo') },
        { protocol: tok('icmp'), ports: [], icmpType: tok('8') },
        { protocol: tok('icmp'), ports: [] },
        { protocol: tok('47'), ports: [] },
        { protocol: tok('http'), ports: [] },
        { protocol: tok('tcp'), ports: [] },
      ],
    });
    const d = s as Extract<Declaration, { kind: 'service' }>;
    expect(at(d.items[0]!.span)).toBe('1:15-1:35');
  });

  it('policy, named and unnamed, with every rule form', () => {
    const [p, q] = ok(
      [
        'policy {',
        '  allow any -> web : https',
        '  deny guest -> internal',
        '  allow internal, guest -> internet, partner : http, https, dns',
        '  allow a -> b:http',
        '}',
        'policy edge {',
        '}',
      ].join('\n'),
    );
    expect(shape(p)).toEqual({
      kind: 'policy',
      rules: [
        { kind: 'rule', action: tok('allow'), sources: [tok('any')], destinations: [tok('web')], services: [tok('https')] },
        { kind: 'rule', action: tok('deny'), sources: [tok('guest')], destinations: [tok('internal')], services: [] },
        {
          kind: 'rule',
          action: tok('allow'),
          sources: [tok('internal'), tok('guest')],
          destinations: [tok('internet'), tok('partner')],
          services: [tok('http'), tok('https'), tok('dns')],
        },
        { kind: 'rule', action: tok('allow'), sources: [tok('a')], destinations: [tok('b')], services: [tok('http')] },
      ],
    });
    expect(shape(q)).toEqual({ kind: 'policy', name: tok('edge'), rules: [] });
    const r = (p as Extract<Declaration, { kind: 'policy' }>).rules;
    expect(at(r[0]!.span)).toBe('2:3-2:27');
    expect(at(r[3]!.services[0]!.span)).toBe('5:16-5:20');
  });

  it('assertions: reach and isolate, services, via', () => {
    const [a, b] = ok('assert reach internet -> web : https via fra1.fw1\nassert isolate guest, iot -> internal, db');
    expect(shape(a)).toEqual({
      kind: 'assert',
      property: tok('reach'),
      sources: [tok('internet')],
      destinations: [tok('web')],
      services: [tok('https')],
      via: { site: tok('fra1'), device: tok('fw1') },
    });
    expect(shape(b)).toEqual({
      kind: 'assert',
      property: tok('isolate'),
      sources: [tok('guest'), tok('iot')],
      destinations: [tok('internal'), tok('db')],
      services: [],
    });
    expect(at(a!.span)).toBe('1:1-1:50');
    expect(shape(ok('assert reach a -> b via fw1')[0])).toMatchObject({ services: [], via: { device: tok('fw1') } });
  });

  it('continues a line after a trailing `,` `->` `:` or `=`', () => {
    const [g, s, r] = ok('group g =\n  a,\n  b\nservice s = tcp 80,\n  udp 53\nassert reach a ->\n  b :\n  http');
    expect(shape(g)).toEqual({ kind: 'group', name: tok('g'), members: [tok('a'), tok('b')] });
    expect(at(g!.span)).toBe('1:1-3:4');
    expect(shape(s)).toMatchObject({ items: [{ protocol: tok('tcp') }, { protocol: tok('udp') }] });
    expect(shape(r)).toMatchObject({ destinations: [tok('b')], services: [tok('http')] });
  });

  it('keeps every comment with its span; keywords stay usable as names', () => {
    const r = parse('# top\nsegment zone 10.0.0.0/24 at via zone at # trailing\n', 'c.plumb');
    expect(r.diagnostics).toEqual([]);
    expect(r.file.comments.map((c) => `${at(c.span)} ${c.text}`)).toEqual(['1:1-1:6 # top', '2:41-2:51 # trailing']);
    expect(shape(r.file.declarations[0])).toMatchObject({ name: tok('zone'), at: { device: tok('via') }, zone: tok('at') });
    expect(r.file.path).toBe('c.plumb');
  });

  it('parses the bundled examples without a syntax error', () => {
    for (const path of ['examples/acme/acme.plumb']) {
      const r = parse(readFileSync(path, 'utf8'), path);
      expect(r.diagnostics.map(show)).toEqual([]);
      expect(r.file.declarations.length).toBeGreaterThan(10);
    }
  });

  it('accepts CRLF line ends, tabs and a byte-order mark', () => {
    const d = ok('\uFEFFnetwork a\r\nsite s {\r\n\trouter r frr\r\n}\r\n');
    expect(d.map((x) => x.kind)).toEqual(['network', 'site']);
  });
});

describe('parser: one diagnostic code each', () => {
  const only = (text: string, code: string, where: string, message: RegExp, hint?: RegExp): void => {
    const ds = errors(text);
    expect(ds.map(show)).toHaveLength(1);
    const d = ds[0]!;
    expect(d.code).toBe(code);
    expect(d.severity).toBe('error');
    expect(at(d.span)).toBe(where);
    expect(d.message).toMatch(message);
    if (hint) expect(d.hint).toMatch(hint);
  };

  it('P100 unexpected character', () => {
    only('group g = a; b', 'P100', '1:12-1:13', /unexpected character `;`/, /no `;` is needed/);
    only('policy {\n  allow a => b\n}', 'P100', '2:11-2:13', /unexpected characters `=>`/, /SRC -> DST/);
    only('link a - b', 'P100', '1:8-1:9', /unexpected character `-`/, /A -- B/);
    only('group g = a\u00e9', 'P100', '1:12-1:13', /unexpected character/, /ASCII/);
  });

  it('P101 unterminated string', () => {
    only('network acme "ACME', 'P101', '1:14-1:19', /no closing `"`/);
  });

  it('P102 unknown escape', () => {
    only('network acme "a\\tb"', 'P102', '1:16-1:18', /unknown escape `\\t`/);
  });

  it('P103 unknown statement, with a did-you-mean', () => {
    only('sgement web 10.0.0.0/24 at r', 'P103', '1:1-1:8', /unknown statement `sgement`/, /did you mean `segment`/);
    only('site s {\n  rooter r frr\n}', 'P103', '2:3-2:9', /unknown statement `rooter` in a site/, /did you mean `router`/);
    only('subnet web 10.0.0.0/24', 'P103', '1:1-1:7', /unknown statement `subnet`/, /segment NAME PREFIX at DEVICE/);
    only('policy {\n  permit a -> b\n}', 'P103', '2:3-2:9', /unknown statement `permit` in a policy/, /allow SRC -> DST/);
    only('42 things', 'P103', '1:1-1:3', /expected a declaration, found the number `42`/);
  });

  it('P104 expected something else, naming what was found', () => {
    only('segment web 10.0.0.0/24 fra1.fw1', 'P104', '1:25-1:29', /^expected `at` before the gateway device, found `fra1`$/, /write `at fra1.fw1`/);
    only('segment web 10.0.0.0/24 at fw1:eth0', 'P104', '1:31-1:36', /found `:eth0`/, /pinned only on the ends of a link/);
    only('pool infra 10.255.0.0', 'P104', '1:12-1:22', /expected the pool's prefix .* found the address `10.255.0.0`/, /10.255.0.0\/24/);
    only('host h 10.0.0.1/32 in web', 'P104', '1:8-1:19', /found the prefix `10.0.0.1\/32`/, /write `10.0.0.1`/);
    only('routing bgp', 'P104', '1:9-1:12', /expected `static` or `ospf` after `routing`, found `bgp`/);
    only('policy {\n  allow a b -> c\n}', 'P104', '2:11-2:12', /expected `,` or `->` after the source `a`, found `b`/, /commas/);
    only('policy {\n  allow a -> b : tcp 80\n}', 'P104', '2:22-2:24', /after the service `tcp`/, /service NAME = tcp 8080/);
    only('policy {\n  allow a -> b : http https\n}', 'P104', '2:23-2:28', /after the service `http`, found `https`/, /commas/);
    only('group g = a,', 'P104', '1:13-1:13', /^expected another member name \(a segment, host, external or group\) after `,`, found the end of the file$/);
    only('service s = sctp 9', 'P104', '1:18-1:19', /found the number `9`/, /only `tcp` and `udp` take ports/);
    only('site s {\n  firewall fw1\n}', 'P104', '2:15-2:15', /expected the platform of `fw1`, found the end of the line/);
    only('assert maybe a -> b', 'P104', '1:8-1:13', /expected `reach` or `isolate`/);
    only('link a -- ', 'P104', '1:11-1:11', /expected the second device of the link, found the end of the file/);
  });

  it('P105 text after a complete statement', () => {
    only('assert reach a -> b : http via fw1 extra', 'P105', '1:36-1:41', /unexpected `extra` after the end of the assertion/);
    only('policy {\n  allow a -> b : http via fw1\n}', 'P105', '2:23-2:26', /unexpected `via` after the end of the rule/, /assert reach SRC -> DST via DEVICE/);
    only('site s {\n} trailing', 'P105', '2:3-2:11', /after the end of the site block/);
  });

  it('P106 statement in the wrong place', () => {
    only('router r frr', 'P106', '1:1-1:7', /`router` cannot stand at the top level/, /inside its site/);
    only('site s {\n  allow a -> b\n}', 'P106', '2:3-2:8', /`allow` cannot stand inside a site/, /policy/);
    const ds = errors('site s {\n  segment web 10.0.0.0/24 at r\n}');
    expect(ds.map(show)).toEqual(['2:3-2:10 P106 `segment` cannot stand inside a site']);
  });

  it('P107 a clause given twice', () => {
    only('site s {\n  router r frr asn 1 asn 2\n}', 'P107', '2:22-2:25', /`asn` is given twice in this device/);
    only('segment w 10.0.0.0/24 at r zone a zone b', 'P107', '1:35-1:39', /`zone` is given twice/);
    only(
      'external e {\n  attach r address 10.0.0.1/30 peer 10.0.0.2 gateway 10.0.0.2\n}',
      'P107',
      '2:46-2:53',
      /`peer` \(eBGP\) or `gateway` \(static\), not both/,
    );
  });

  it('P108 a block never closed', () => {
    only('site s {\n  router r frr\n', 'P108', '1:8-1:9', /this `\{` of the site is never closed/);
    const d = errors('site s {\n  router r frr\nsegment w 10.0.0.0/24 at r\n');
    expect(d.map(show)).toEqual(['1:8-1:9 P108 this `{` of the site is never closed']);
    expect(d[0]!.hint).toBe('add `}` before line 3');
    expect(at(d[0]!.related[0]!.span)).toBe('3:1-3:8');
  });

  it('P109 a `}` that closes nothing', () => {
    only('site s {\n}\n}\n', 'P109', '3:1-3:2', /closes no block/);
  });
});

describe('parser: recovery', () => {
  it('reports every error of a file, each at its exact place, and keeps the good statements', () => {
    const text = [
      'network acme',
      'routing bgp', // 2
      'pool infra 10.255.0.0/16',
      'site fra1 {',
      '  router edge1 cisco-iosxe asn', // 5
      '  firewall fw1 paloalto-panos',
      '  rooter core1 frr', // 7
      '}',
      'segment web 10.0.0.0/24 fra1.fw1', // 9
      'segment db 10.0.2.0/24 at fra1.core1',
      'host h 10.0.0.1/32 in web', // 11
      'policy {',
      '  allow a b -> c', // 13
      '  allow web -> db : https',
      '}',
      'assert reach web -> db : https via', // 16
      'group g = a; b', // 17
    ].join('\n');
    const r = parse(text, 'many.plumb');
    expect(codes(text)).toEqual(['2:9 P104', '5:31 P104', '7:3 P103', '9:25 P104', '11:8 P104', '13:11 P104', '16:35 P104', '17:12 P100']);
    expect(r.file.declarations.map((d) => d.kind)).toEqual(['network', 'pool', 'site', 'segment', 'policy', 'group']);
    const site = r.file.declarations[2] as Extract<Declaration, { kind: 'site' }>;
    expect(site.members.map((m) => (m.kind === 'device' ? m.name.text : m.kind))).toEqual(['fw1']);
    const policy = r.file.declarations[4] as Extract<Declaration, { kind: 'policy' }>;
    expect(policy.rules).toHaveLength(1);
    for (const d of r.diagnostics) expect(d.span.file).toBe('many.plumb');
  });

  it('lists the names of declarations that failed, for the later stages', () => {
    const r = parse('segment web 10.0.0.0/24 fw1\nhost h 10.0.0.1 web\ngroup g = a b\nservice s = tcp 80 udp\nsegment\nsegment ok 10.0.1.0/24 at r\n', 't.plumb');
    expect(r.file.incompleteNames?.map((t) => `${at(t.span)} ${t.text}`)).toEqual(['1:9-1:12 web', '2:6-2:7 h', '3:7-3:8 g', '4:9-4:10 s']);
    expect(r.file.declarations.map((d) => d.kind)).toEqual(['segment']);
    expect(parse('segment ok 10.0.1.0/24 at r\n', 't.plumb').file.incompleteNames).toBeUndefined();
  });

  it('reads the body of a block whose header is broken', () => {
    const text = 'site fra1 "Frankfurt" extra {\n  router r1 frr\n  rooter r2 frr\n}\nnetwork n';
    expect(codes(text)).toEqual(['1:23 P104', '3:3 P103']);
    const r = parse(text, 't.plumb');
    expect(shape(r.file.declarations[0])).toMatchObject({ kind: 'site', members: [{ name: tok('r1') }] });
    expect(r.file.declarations[1]!.kind).toBe('network');
  });

  it('reads the lines after a forgotten `{` as the block body', () => {
    expect(codes('site fra1\n  router r1 frr\n}\n')).toEqual(['1:10 P104']);
    expect(codes('site fra1 "Frankfurt {\n  router r1 frr\n}\n')).toEqual(['1:11 P101']);
  });

  it('skips an unknown block without reading its lines as statements', () => {
    expect(codes('sight fra1 {\n  router r1 frr\n}\nnetwork n\n')).toEqual(['1:1 P103']);
  });

  it('reports misplaced declarations inside a block and still reads them', () => {
    const r = parse('site s {\n  segment w 10.0.0.0/24 at r\n  router r frr\n}\n', 't.plumb');
    expect(r.diagnostics.map((d) => d.code)).toEqual(['P106']);
    expect(r.file.declarations.map((d) => d.kind)).toEqual(['segment', 'site']);
  });

  it('never throws and always returns a tree with valid spans, on any input', () => {
    const inputs = [
      '',
      '\n\n\n',
      '{'.repeat(20_000),
      '}'.repeat(1_000),
      'site a {'.repeat(5_000),
      '"'.repeat(1001),
      ':'.repeat(10_000),
      '1:'.repeat(10_000),
      'a'.repeat(100_000),
      '\u0000\u0001\uffff\ud800',
      Array.from({ length: 4096 }, (_, i) => String.fromCharCode((i * 7919) % 65536)).join(''),
      'allow -> : , = -- -> via',
      'link a:b:c -- d',
      'assert reach a -> b : c via',
    ];
    for (const text of inputs) {
      const r = parse(text, 'x.plumb');
      expect(r.file.kind).toBe('file');
      for (const d of r.diagnostics) {
        expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
        expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
        expect(d.span.start.line).toBeGreaterThanOrEqual(1);
        expect(d.code).toMatch(/^P1\d\d$/);
      }
    }
  });
});

describe('parser: seeded robustness properties', () => {
  const acme = readFileSync('examples/acme/acme.plumb', 'utf8');
  const check = (text: string): void => {
    const r = parse(text, 'f.plumb');
    expect(r.file.kind).toBe('file');
    for (const d of r.diagnostics) {
      expect(d.span.file).toBe('f.plumb');
      expect(d.span.start.offset).toBeLessThanOrEqual(d.span.end.offset);
      expect(d.span.end.offset).toBeLessThanOrEqual(text.length);
      const lineStart = text.lastIndexOf('\n', d.span.start.offset - 1) + 1;
      expect(d.span.start.column).toBe(d.span.start.offset - lineStart + 1);
      expect(d.message.length).toBeGreaterThan(0);
    }
  };

  it('never throws on arbitrary text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 300 }), check), { seed: 42, numRuns: 400 });
  });

  it('never throws on the example with random edits', () => {
    const piece = fc.constantFrom('{', '}', '"', ',', '->', '--', ':', '=', '\n', '#', ' ', 'at', '10.0.0.0/8', '::', '@', 'site', 'x');
    const edit = fc.tuple(fc.nat(acme.length), fc.nat(8), piece);
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 6 }), (edits) => {
        let text = acme;
        for (const [at, cut, insert] of edits) {
          const p = Math.min(at, text.length);
          text = text.slice(0, p) + insert + text.slice(p + cut);
        }
        check(text);
      }),
      { seed: 42, numRuns: 400 },
    );
  });

  it('parses every prefix of the example without throwing', () => {
    for (let n = 0; n <= acme.length; n += 7) check(acme.slice(0, n));
  });
});

describe('docs/diagnostics.md, P100 section', () => {
  const doc = readFileSync('docs/diagnostics.md', 'utf8');
  const entries = [...doc.matchAll(/^### (P1\d\d) — [^\n]*\n([\s\S]*?)(?=^### |^<!-- )/gm)].map((m) => ({
    code: m[1]!,
    example: /```plumb\n([\s\S]*?)```/.exec(m[2]!)?.[1],
  }));

  it('documents every code the parser emits, P100 to P119, each with an example', () => {
    expect(entries.map((e) => e.code)).toEqual(['P100', 'P101', 'P102', 'P103', 'P104', 'P105', 'P106', 'P107', 'P108', 'P109', 'P110', 'P111', 'P112', 'P113', 'P119']);
  });

  it.each(entries.map((e) => [e.code, e.example] as const))('the example of %s triggers it', (code, example) => {
    expect(example).toBeDefined();
    expect(parse(example!, 'doc.plumb').diagnostics.map((d) => d.code)).toContain(code);
  });
});
