// Modules (docs/language.md, "Modules"): files read through imports by the real reader from real
// folders, linked by the front end into one intent of qualified names.
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { formatText } from '../../language/format.js';
import { InputError, readSources, SOURCE_LIMITS } from '../../pipeline/sources.js';
import { folderChecker } from './folder-check.js';

const base = mkdtempSync(join(tmpdir(), 'plumb-modules-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
/** Writes the files under a fresh folder and checks `root` (a path in it) as the intent. */
const check = folderChecker('plumb-modules-', 'main');

const NETWORK = `network n
pool infra 10.255.0.0/16
site fra {
  router r1 frr
}
segment web 10.0.1.0/24 at fra.r1
`;
const SERVICES = 'export service app = tcp 8443\nservice hidden = tcp 9000\n';
const PARTNER = 'export external dp {\n  asn 64700\n  prefixes 198.51.100.0/24\n}\n';

describe('import resolution', () => {
  it('links a file and a folder under their names, qualified in the checked intent', () => {
    const a = check({
      'main/n.plumb': `import "../shared/services.plumb" as svc\nimport "../partners"\n${NETWORK}policy {\n  allow web -> partners.dp : svc.app\n}\n`,
      'shared/services.plumb': SERVICES,
      'partners/dp.plumb': PARTNER,
    });
    expect(a.codes).toEqual([]);
    expect(a.intent?.externals.map((e) => e.name)).toEqual(['partners.dp']);
    // The module's private service is its own to use: unused, it is warned about in its file.
    expect(a.text).toContain('P601 shared/services.plumb:2:9 service `svc.hidden` is not used');
    expect(a.text).not.toContain('svc.app` is not used');
  });

  it('names a module by its base name without `as`, and asks for `as` when that is no name', () => {
    const ok = check({ 'main/n.plumb': `import "lib/web-services.plumb"\n${NETWORK}policy {\n  allow web -> web : web-services.app\n}\n`, 'main/lib/web-services.plumb': SERVICES }, 'main/n.plumb');
    expect(ok.codes).toEqual([]);
    const bad = check({ 'main/n.plumb': `import "lib/2nd.plumb"\n${NETWORK}`, 'main/lib/2nd.plumb': SERVICES }, 'main/n.plumb');
    expect(bad.codes).toEqual(['P234']);
    expect(bad.text).toContain('`2nd` is not a name: the import needs `as NAME`');
  });

  it('keeps a module closed: its names resolve in it, never in the importer', () => {
    const a = check({
      'main/n.plumb': `import "../lib.plumb" as lib\n${NETWORK}service local = tcp 1\npolicy {\n  allow web -> web : lib.both, local\n}\n`,
      'lib.plumb': 'export service both = local, tcp 2\n',
    });
    expect(a.codes).toEqual(['P201']);
    expect(a.text).toContain('lib.plumb:1:23 unknown service `lib.local`');
  });
});

describe('reading modules', () => {
  it('reads a folder module without its subfolders or other files, and a module two importers share once', () => {
    const a = check({
      'main/n.plumb': `import "../lib"\nimport "../other.plumb" as other\n${NETWORK}policy {\n  allow web -> web : lib.app, other.app2\n}\n`,
      'lib/a.plumb': 'import "../common.plumb" as common\nexport service app = common.base\n',
      'lib/notes.txt': 'not read\n',
      'lib/deeper/b.plumb': 'this is not read either\n',
      'other.plumb': 'import "common.plumb" as c\nexport service app2 = c.base\n',
      'common.plumb': 'export service base = tcp 7000\n',
    });
    expect(a.codes).toEqual([]);
    expect(a.files.map((f) => f.path)).toEqual(['main/n.plumb', 'lib/a.plumb', 'other.plumb', 'common.plumb']);
  });

  it("counts the modules in the intent's byte budget and number of files", () => {
    const dir = join(base, 'budget');
    mkdirSync(join(dir, 'main'), { recursive: true });
    writeFileSync(join(dir, 'main/n.plumb'), `import "../big.plumb" as big\n${NETWORK}`);
    writeFileSync(join(dir, 'big.plumb'), `# ${'x'.repeat(2000)}\n`);
    expect(() => readSources(['main'], dir, { ...SOURCE_LIMITS, totalBytes: 1000 })).toThrow(InputError);
    expect(() => readSources(['main'], dir, { ...SOURCE_LIMITS, files: 1 })).toThrow(/the intent has 2 files; the limit is 1/);
    expect(readSources(['main'], dir).map((s) => [s.path, s.imported ?? false])).toEqual([
      ['main/n.plumb', false],
      ['big.plumb', true],
    ]);
  });
});

describe('visibility', () => {
  it('refuses a private declaration, naming it and where it is declared', () => {
    const a = check({ 'main/n.plumb': `import "../s.plumb" as s\n${NETWORK}policy {\n  allow web -> web : s.hidden\n}\n`, 's.plumb': SERVICES });
    expect(a.codes).toEqual(['P236']);
    const d = a.diagnostics.find((x) => x.code === 'P236')!;
    expect(d.message).toBe('`hidden` is private to the module `s` (s.plumb)');
    expect(d.hint).toContain('mark it `export`');
    expect(d.related?.[0]?.span.file).toBe('s.plumb');
  });

  it('export in the root intent changes nothing and silences the unused warning', () => {
    const a = check({ 'main/n.plumb': `${NETWORK}export service spare = tcp 1\n` });
    expect(a.codes).toEqual([]);
    expect(a.text).not.toContain('spare');
  });
});

describe('errors at the import', () => {
  it('a missing file or folder, with the resolved path', () => {
    const a = check({ 'main/n.plumb': `import "../nowhere.plumb" as x\n${NETWORK}` });
    expect(a.text).toContain('P230 main/n.plumb:1:8 no .plumb file or folder nowhere.plumb');
    expect(a.diagnostics[0]!.hint).toContain("importing file's folder");
  });

  it('reports the uses of an import that did not link only through the import, and misspelt names of one that did', () => {
    const uses = `${NETWORK}segment db 10.0.2.0/24 at fra.r1\npolicy {\n  allow web -> db : x.app\n  allow web -> x.dp : https\n}\n`;
    const missing = check({ 'main/n.plumb': `import "../nowhere.plumb" as x\n${uses}` });
    expect(missing.codes).toEqual(['P230']);
    // The import that closes a cycle does not link: b's use of `a.app` is not unknown as well.
    const cycle = check({
      'main/n.plumb': `import "../a.plumb" as x\n${NETWORK}policy {\n  allow web -> web : x.app\n}\n`,
      'a.plumb': 'import "b.plumb" as b\nexport service app = b.svc\n',
      'b.plumb': 'import "a.plumb" as a\nexport service svc = a.app\n',
    });
    expect(cycle.codes).toEqual(['P233']);
    // A module that links: a name it does not declare is an unknown name, as ever.
    const typo = check({ 'main/n.plumb': `import "../x.plumb"\n${uses.replace('x.app', 'x.ap')}`, 'x.plumb': `${SERVICES}${PARTNER}` });
    expect(typo.codes).toEqual(['P201']);
    expect(typo.text).toContain('unknown service `x.ap`');
  });

  it('a file that is not .plumb, also through a symbolic link; its text is never read', () => {
    const a = check({ 'main/n.plumb': `import "../key.pem" as k\nimport "../link.plumb" as l\n${NETWORK}`, 'key.pem': 'SECRET-KEY-MATERIAL\n' });
    symlinkSync(join(a.dir, 'key.pem'), join(a.dir, 'link.plumb'));
    const again = analyze(readSources(['main'], a.dir));
    const codes = again.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.span.start.line}`);
    expect(codes).toEqual(['P231 1', 'P231 2']);
    expect(a.codes).toContain('P231');
    expect(JSON.stringify(again)).not.toContain('SECRET-KEY-MATERIAL');
  });

  it('an absolute path', () => {
    const a = check({ 'main/n.plumb': `import "/etc/services.plumb" as s\n${NETWORK}` });
    expect(a.codes).toEqual(['P232']);
    expect(a.text).toContain('the import path "/etc/services.plumb" is absolute');
  });

  it('cycles of two and three modules, and a file importing its own folder', () => {
    const two = check({ 'main/n.plumb': `import "../a.plumb" as a\n${NETWORK}`, 'a.plumb': 'import "b.plumb" as b\n', 'b.plumb': 'import "a.plumb" as a\n' });
    expect(two.codes).toEqual(['P233']);
    expect(two.text).toContain('b.plumb:1:8 import cycle: a.plumb → b.plumb → a.plumb');
    const three = check({
      'main/n.plumb': `import "../a.plumb" as a\n${NETWORK}`,
      'a.plumb': 'import "b.plumb" as b\n',
      'b.plumb': 'import "c.plumb" as c\n',
      'c.plumb': 'import "a.plumb" as a\n',
    });
    expect(three.text).toContain('c.plumb:1:8 import cycle: a.plumb → b.plumb → c.plumb → a.plumb');
    const self = check({ 'main/n.plumb': `import "." as me\n${NETWORK}` });
    expect(self.codes).toEqual(['P233']);
    expect(self.text).toContain('import cycle: main/n.plumb → main/n.plumb');
    const lib = check({ 'main/n.plumb': `import "../lib" as lib\n${NETWORK}`, 'lib/a.plumb': 'import "." as again\n' });
    expect(lib.text).toContain('lib/a.plumb:1:8 import cycle: lib → lib');
  });

  it('an import named like a site', () => {
    const a = check({ 'main/n.plumb': `import "../fra.plumb"\n${NETWORK}`, 'fra.plumb': SERVICES });
    expect(a.codes).toEqual(['P235']);
    expect(a.text).toContain('the import name `fra` is also a site');
  });

  it('declarations a module may not hold, each at its keyword', () => {
    const a = check({
      'main/n.plumb': `import "../m.plumb" as m\n${NETWORK}`,
      'm.plumb': 'segment x 10.9.0.0/24 at fra.r1\nsecret k from env K\nexport external e {\n  prefixes 192.0.2.0/24\n  attach fra.r1 address 10.1.1.1/30 peer 10.1.1.2\n}\n',
    });
    expect(a.diagnostics.filter((d) => d.code === 'P237').map((d) => `${d.span.start.line}:${d.span.start.column} ${d.message}`)).toEqual([
      '1:1 `segment` in an imported module: a module imported by another holds only services, groups, externals and contracts',
      '2:1 `secret` in an imported module: a secret stays with the intent that uses it, never in a module',
      '5:3 `attach` in an external of an imported module: a module\'s external gives only its `asn` and `prefixes`',
    ]);
  });
});

describe('imported externals', () => {
  it('are attached by the importing intent, which alone names its devices', () => {
    const a = check({
      'main/n.plumb': `import "../partners"\n${NETWORK.replace('router r1 frr', 'router r1 frr asn 65001')}external partners.dp {\n  attach fra.r1 address 169.254.1.1/30 peer 169.254.1.2\n}\npolicy {\n  allow web -> partners.dp : https\n}\n`,
      'partners/dp.plumb': PARTNER,
    });
    expect(a.codes).toEqual([]);
    expect(a.intent?.externals[0]?.attachments).toHaveLength(1);
  });

  it('only what the module exports, and without its asn or prefixes', () => {
    const a = check({
      'main/n.plumb': `import "../partners"\n${NETWORK}external partners.dp {\n  prefixes 192.0.2.0/24\n}\nexternal nowhere.x {\n  prefixes 192.0.2.0/24\n}\n`,
      'partners/dp.plumb': PARTNER,
    });
    expect(a.codes).toEqual(['P238', 'P239']);
  });
});

describe('plumb fmt', () => {
  it('puts imports first, in their order, and keeps `export`', () => {
    const text = 'network n\nimport "b.plumb" as b\nexport service   web =  tcp 443\nimport "a.plumb"\n';
    const out = formatText(text, 'x.plumb').text!;
    expect(out).toBe('import "b.plumb" as b\nimport "a.plumb"\nnetwork n\nexport service web = tcp 443\n');
    expect(formatText(out, 'x.plumb').text).toBe(out);
  });

  it('refuses import inside a block and export before anything but a service, group or external', () => {
    const r = formatText('site s {\n  import "x.plumb"\n}\nexport segment x 10.0.0.0/24 at s.r\n', 'x.plumb');
    expect(r.diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([
      'P103 unknown statement `import` in a site',
      'P130 `export` comes only before a service, group, external or contract, not `segment`',
    ]);
  });
});
