// Hostile text and hostile file names through `plumb check` and `plumb verify` in every output
// format: the text never carries a raw control or bidi character to the terminal, JUnit is
// well-formed XML (xmllint), SARIF and JSON parse and carry the exact file name, and every
// GitHub workflow command is one line that decodes back to the original text.

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { renderEmulationText } from '../../cli/commands/emulate.js';
import { run } from '../../cli/program.js';
import type { EmulationReport } from '../../emulator/index.js';
import { skipWithout, TOOLS } from '../backends/tools.js';
import { sharedSolvers } from '../shared-solvers.js';

// One pool of Z3 workers for the file's runs (test/shared-solvers.ts): each command that proves
// would otherwise start and close workers of its own; every query starts from a clean solver.
const inPool = sharedSolvers();
const runInPool = (args: string[], c: Parameters<typeof run>[1]): Promise<number> => inPool(() => run(args, c));

const dir = mkdtempSync(join(tmpdir(), 'plumb-hostile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function io(isTTY = false): CliIo & { out: string; err: string } {
  const captured = {
    out: '',
    err: '',
    stdout: (s: string) => void (captured.out += s),
    stderr: (s: string) => void (captured.err += s),
    isTTY,
    cwd: dir,
    env: {},
  };
  return captured;
}

/** A file name with everything a report format must escape: line breaks, quotes, ESC, %, :, ',', bidi, XML's specials. */
const NAME = `a"b'c\nd\re\tf\u001b[31mred%0A%25:g,h\u202eevil&<i>.plumb`;
const BROKEN_NAME = `broken\u001b]0;title\u0007 %3A,\n.plumb`;

const INTENT = `network t
routing static
pool infra 10.255.0.0/16
# the hostile text is in BROKEN: control characters in a comment or a string are errors
site s {
  router r1 frr
  router r2 cisco-iosxe
  link r1 -- r2
}
segment a 10.1.0.0/24 at s.r1
segment b 10.2.0.0/24 at s.r2
policy {
  allow a -> b : https
}
assert reach a -> b : https
assert reach a -> b : ssh
assert isolate a -> b : https
`;
/** Errors whose messages and excerpts quote the hostile text. */
const BROKEN = `network t
site "\u001b[31mred\u001b[0m\u202e\u0085\u009b2J" {
}
site s {
  router r1 frr @ # \u001b]8;;http://x\u0007link\u001b]8;;\u0007 \u2067
}
segment a 10.1.0.0/24 at s.r9 "\u001b[2J"
`;
writeFileSync(join(dir, NAME), INTENT);
writeFileSync(join(dir, BROKEN_NAME), BROKEN);

// Anything a terminal would act on, or that reorders the text around it; \n ends lines and a
// tab is shown as it is.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]|[\ud800-\udfff]/;

/** GitHub's toolkit escapes reversed: the message, and a property (which adds `:` and `,`). */
const decodeData = (s: string): string => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
const decodeProperty = (s: string): string => decodeData(s.replace(/%3A/g, ':').replace(/%2C/g, ','));

interface Command {
  kind: string;
  props: Map<string, string>;
  message: string;
}

function githubCommands(out: string): Command[] {
  const lines = out.split('\n').filter((l) => l !== '');
  return lines
    .filter((l) => l.startsWith('::'))
    .map((l) => {
      const m = /^::(\w+) ([^:]*)::(.*)$/.exec(l);
      expect(m, l).not.toBeNull();
      const props = new Map(m![2]!.split(',').map((p) => [p.slice(0, p.indexOf('=')), decodeProperty(p.slice(p.indexOf('=') + 1))] as [string, string]));
      return { kind: m![1]!, props, message: decodeData(m![3]!) };
    });
}

function xmllint(xml: string): { status: number | null; stderr: string } {
  const r = spawnSync('xmllint', ['--noout', '-'], { input: xml, encoding: 'utf8' });
  return { status: r.status, stderr: `${r.stderr}${r.error ? String(r.error) : ''}` };
}

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => name === 'testcase' });

describe('hostile text and file names in plumb check', () => {
  it('text: no raw control or bidi character, the file name shown escaped', async () => {
    for (const tty of [false, true]) {
      const c = io(tty);
      expect(await runInPool(['check', BROKEN_NAME], c)).toBe(1);
      // eslint-disable-next-line no-control-regex
      const plain = c.out.replace(/\u001b\[[0-9;]*m/g, '');
      expect(plain).not.toMatch(UNSAFE);
      expect(plain).toContain('--> broken\\x1b]0;title\\x07 %3A,\\n.plumb:2:6');
      expect(plain).toContain('site "\\x1b[31mred\\x1b[0m\\u202e\\x85\\x9b2J" {');
      expect(plain).toContain('router r1 frr @ # \\x1b]8;;http://x\\x07link\\x1b]8;;\\x07 \\u2067');
    }
  });

  it('JSON: parses and carries the exact file name and message text', async () => {
    const c = io();
    expect(await runInPool(['check', BROKEN_NAME, '--format', 'json'], c)).toBe(1);
    const report = JSON.parse(c.out);
    expect(report.diagnostics.length).toBeGreaterThan(2);
    for (const d of report.diagnostics) expect(d.file).toBe(BROKEN_NAME);
    expect(report.diagnostics.map((d: { message: string }) => d.message)).toContain('expected the site name after `site`, found the string "\u001b[31mred\u001b[0m\u202e\u0085\u009b2J"');
  });

  it('usage errors quote paths escaped', async () => {
    const c = io();
    expect(await runInPool(['check', 'missing\u001b[2J.plumb'], c)).toBe(2);
    expect(c.err).toContain('missing\\x1b[2J.plumb');
    expect(c.err).not.toMatch(UNSAFE);
    const bad = io();
    expect(await runInPool(['check', '--\u001b[31mflag', NAME], bad)).toBe(2);
    expect(bad.err).not.toMatch(UNSAFE);
  });
});

describe('hostile text and file names in plumb verify', () => {
  it('text: no raw control or bidi character in verdicts, counterexamples or diagnostics', async () => {
    const c = io();
    expect(await runInPool(['verify', NAME], c)).toBe(1);
    expect(c.out).not.toMatch(UNSAFE);
    const shown = 'a"b\'c\\nd\\re\tf\\x1b[31mred%0A%25:g,h\\u202eevil&<i>.plumb';
    expect(c.out).toContain(`REFUTED  assert reach a -> b : ssh`);
    expect(c.out).toContain(`${shown}:16`);
    expect(c.out).toMatch(new RegExp(`allow a -> b : https +\\(${shown.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}:13\\)`));
    const broken = io();
    expect(await runInPool(['verify', BROKEN_NAME], broken)).toBe(1);
    expect(broken.out).not.toMatch(UNSAFE);
  });

  it('JSON: the exact file name in verdicts, counterexample origins and diagnostics', async () => {
    const c = await verifyOnce(NAME, 'json');
    expect(c.exit).toBe(1);
    const report = JSON.parse(c.out);
    for (const v of report.verdicts) expect(v.assertion.origin.file).toBe(NAME);
    // The isolate is refuted by a packet the policy line allows: its trace names that line.
    const refuted = report.verdicts.find((v: { assertion: { text: string } }) => v.assertion.text.startsWith('assert isolate'));
    expect(refuted.status).toBe('refuted');
    expect(JSON.stringify(refuted.counterexample)).toContain(JSON.stringify(NAME).slice(1, -1));
    const broken = await verifyOnce(BROKEN_NAME, 'json');
    expect(broken.exit).toBe(1);
    const diagnostics = JSON.parse(broken.out).diagnostics as { span: { file: string } }[];
    expect(diagnostics.length).toBeGreaterThan(2);
    for (const d of diagnostics) expect(d.span.file).toBe(BROKEN_NAME);
  });

  it('SARIF: parses; every location is a URI reference that decodes to the exact file name', async () => {
    for (const [name, exit] of [
      [NAME, 1],
      [BROKEN_NAME, 1],
    ] as const) {
      const c = await verifyOnce(name, 'sarif');
      expect(c.exit).toBe(exit);
      const sarif = JSON.parse(c.out);
      const results = sarif.runs[0].results as { message: { text: string }; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[];
      expect(results.length).toBeGreaterThan(0);
      for (const r of results) {
        const uri = r.locations[0]!.physicalLocation.artifactLocation.uri;
        expect(uri).toMatch(/^[A-Za-z0-9\-._~!$&'()*+,;=:@%/]+$/);
        expect(decodeURIComponent(uri)).toBe(name);
      }
    }
  });

  it.skipIf(skipWithout('xmllint', 'xmllint (Debian libxml2-utils)'))('JUnit: xmllint accepts it; names and messages survive', async () => {
    expect(TOOLS.xmllint || process.env.CI).toBeTruthy();
    for (const name of [NAME, BROKEN_NAME]) {
      const c = await verifyOnce(name, 'junit');
      expect(c.exit).toBe(1);
      const lint = xmllint(c.out);
      expect(lint.stderr).toBe('');
      expect(lint.status).toBe(0);
      const cases = xml.parse(c.out).testsuites.testsuite.testcase as { classname: string; name: string; failure?: { message: string } }[];
      expect(cases.length).toBeGreaterThan(0);
      // XML 1.0 cannot carry C0 controls but tab, LF and CR: they are shown as escapes.
      // eslint-disable-next-line no-control-regex
      const expected = name.replace(/\u001b/g, '\\x1b').replace(/\u0007/g, '\\x07');
      for (const tc of cases) expect(tc.classname).toBe(expected);
    }
  });

  it('GitHub: each command is one line and decodes back to the original file name and message', async () => {
    const sarif = await verifyOnce(NAME, 'sarif');
    const messages = (JSON.parse(sarif.out).runs[0].results as { ruleId: string; message: { text: string } }[])
      .filter((r) => r.ruleId !== 'assertion-proven')
      .map((r) => r.message.text);
    const c = await verifyOnce(NAME, 'github');
    expect(c.exit).toBe(1);
    const lines = c.out.split('\n').filter((l) => l !== '');
    // Every line is a command but the summary; no line break or CR survives inside one.
    expect(lines.filter((l) => !l.startsWith('::'))).toEqual([expect.stringMatching(/^\d+ assertions?: /)]);
    expect(c.out).not.toMatch(/\r/);
    const commands = githubCommands(c.out);
    expect(commands.length).toBe(messages.length);
    for (const cmd of commands) expect(cmd.props.get('file')).toBe(NAME);
    expect(commands.map((cmd) => cmd.message)).toEqual(messages);
    const broken = await verifyOnce(BROKEN_NAME, 'github');
    expect(broken.exit).toBe(1);
    const diagnostics = JSON.parse((await verifyOnce(BROKEN_NAME, 'json')).out).diagnostics as { message: string; hint?: string; code: string }[];
    const decoded = githubCommands(broken.out);
    expect(decoded.map((cmd) => [cmd.props.get('file'), cmd.props.get('title'), cmd.message])).toEqual(
      diagnostics.map((d) => [BROKEN_NAME, d.code, d.hint ? `${d.message} (${d.hint})` : d.message]),
    );
  });
});

describe('hostile text in plumb emulate', () => {
  it('text: tools\' output and lab errors quoted in the report are shown escaped', () => {
    // A lab that could not be built: the report quotes what the tools said.
    const report: EmulationReport = {
      runId: 'pl000000',
      network: 't',
      namespaces: ['pl000000-s-r1'],
      devices: [],
      buildMillis: 10,
      convergeMillis: 0,
      converged: false,
      notConverged: ['s.r1: 10.2.0.0/24 \u001b[2J(missing)\u202e'],
      probeMillis: 0,
      teardownMillis: 5,
      fixes: [],
      importChecks: [],
      results: [],
      cleanedStale: [],
      kept: false,
      error: 'vtysh said: \u001b]0;owned\u0007 line one\nline two\u009b31m',
    };
    const out = renderEmulationText(report);
    expect(out).not.toMatch(UNSAFE);
    expect(out).toContain('    missing: s.r1: 10.2.0.0/24 \\x1b[2J(missing)\\u202e');
    expect(out).toContain('  error: vtysh said: \\x1b]0;owned\\x07 line one\\nline two\\x9b31m');
  });
});

const verifyRuns = new Map<string, Promise<{ exit: number; out: string }>>();

/** `plumb verify NAME --format FORMAT`, run once per file and format (each run starts Z3). */
function verifyOnce(name: string, format: string): Promise<{ exit: number; out: string }> {
  const key = `${format}\u0000${name}`;
  if (!verifyRuns.has(key)) {
    const c = io();
    verifyRuns.set(key, run(['verify', name, '--format', format], c).then((exit) => ({ exit, out: c.out })));
  }
  return verifyRuns.get(key)!;
}

describe('hostile file and folder names in plumb fmt and plumb compile -o', () => {
  it('fmt prints the path of a file it rewrote with visible escapes', async () => {
    const sub = mkdtempSync(join(dir, 'fmt-'));
    writeFileSync(join(sub, NAME), 'network   t\n');
    const c = io();
    c.cwd = sub;
    expect(await runInPool(['fmt', NAME], c)).toBe(0);
    expect(c.out).not.toMatch(UNSAFE);
    expect(c.out).toContain('\\x1b[31mred');
    expect(c.out.trimEnd().split('\n')).toHaveLength(1);
  });

  it('compile -o to a folder with a hostile name says where it wrote with visible escapes', async () => {
    const sub = mkdtempSync(join(dir, 'compile-'));
    writeFileSync(join(sub, 'x.plumb'), INTENT);
    const out = `out\u001b[2J\n\u202e`;
    const c = io();
    c.cwd = sub;
    expect(await runInPool(['compile', 'x.plumb', '-o', out], c)).toBe(0);
    expect(c.out + c.err).not.toMatch(UNSAFE);
    expect(c.out).toContain('out\\x1b[2J\\n\\u202e/manifest.json');
  });
});
