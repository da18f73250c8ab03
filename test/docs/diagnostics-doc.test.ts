// docs/diagnostics.md and the catalogue (language/diagnostics/) say the same: every catalogued
// code has one entry whose heading is made from its catalogue entry, the doc documents no code
// the catalogue lacks, every code written in the source is catalogued, the headings' anchors
// (as GitHub makes them) are the ones SARIF links to, and every example really triggers its
// code through its stage: the front end (P), the compiler (C), the verifier's lint (V80x) and
// the IOS-XE and PAN-OS readers (```ios, ```xml and ```set examples).

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ciscoIosxeBackend } from '../../backends/cisco-iosxe/index.js';
import { paloaltoPanosBackend } from '../../backends/paloalto-panos/index.js';
import { compile } from '../../compiler/index.js';
import { analyze } from '../../language/analyze.js';
import type { Diagnostic } from '../../language/diagnostic.js';
import { CATALOGUE, Codes, diagnosticAnchor, diagnosticHeading, diagnosticInfo } from '../../language/diagnostics/index.js';
import { parse } from '../../language/parser.js';
import { lintModel } from '../../verifier/lint.js';
import { contextOf, edgeRouter, firewall, networkOf } from '../backends/vendor-fixtures.js';
import { expectGolden, UPDATING_GOLDEN } from '../golden.js';
import { githubAnchors } from '../markdown-anchors.js';
import { ModelBuilder } from '../verifier/builder.js';

const ROOT = join(import.meta.dirname, '..', '..');
const DOC = readFileSync(join(ROOT, 'docs/diagnostics.md'), 'utf8');

interface Entry {
  code: string;
  heading: string;
  line: number;
  /** The fenced examples, by language (`plumb`, `ios`, `xml`, `set`). */
  examples: { fence: string; text: string }[];
}

function entries(markdown: string): Entry[] {
  const out: Entry[] = [];
  const lines = markdown.split('\n');
  let fence: string | undefined;
  let block: string[] = [];
  let inEntry = false;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (fence !== undefined) {
      if (line.startsWith('```')) {
        if (inEntry) out.at(-1)!.examples.push({ fence, text: `${block.join('\n')}\n` });
        fence = undefined;
      } else block.push(line);
      continue;
    }
    if (line.startsWith('```')) {
      fence = line.slice(3).trim();
      block = [];
      continue;
    }
    if (!line.startsWith('### ')) continue;
    const code = /^### ([A-Z][0-9]{3}) /.exec(line);
    inEntry = code !== null;
    if (code) out.push({ code: code[1]!, heading: line, line: i + 1, examples: [] });
  }
  return out;
}

const ENTRIES = entries(DOC);
const entry = (code: string): Entry | undefined => ENTRIES.find((e) => e.code === code);
const plumbExamples = (e: Entry): string[] => e.examples.filter((x) => x.fence === 'plumb').map((x) => x.text);
/** An example intent with the entry's ```lock example (its plumb.lock), when it has one. */
const withLock = (e: Entry, text: string) => [...exampleFiles(text), ...e.examples.filter((x) => x.fence === 'lock').map((x) => ({ path: 'plumb.lock', text: x.text }))];

/** An example's files: one, or several (for imports), each after a line `# file: PATH`. */
function exampleFiles(text: string): { path: string; text: string }[] {
  const parts = text.split(/^# file: (\S+)\n/m);
  if (parts.length === 1) return [{ path: 'example.plumb', text }];
  const files: { path: string; text: string }[] = [];
  for (let i = 1; i < parts.length; i += 2) files.push({ path: parts[i]!, text: parts[i + 1]! });
  return files;
}

/** Every quoted diagnostic code in the source folders. */
function codesInSource(): Set<string> {
  const codes = new Set<string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(join(ROOT, dir))) {
      const path = `${dir}/${name}`;
      if (statSync(join(ROOT, path)).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) {
        for (const m of readFileSync(join(ROOT, path), 'utf8').matchAll(/['"`]([PCVR][0-9]{3})['"`]/g)) codes.add(m[1]!);
      }
    }
  };
  ['language', 'compiler', 'verifier', 'backends', 'emulator', 'cli', 'lsp'].forEach(walk);
  return codes;
}

describe('the catalogue and docs/diagnostics.md', () => {
  it('the catalogue gives each code one entry and one constant name', () => {
    const codes = CATALOGUE.map((e) => e.code);
    expect(new Set(codes).size).toBe(codes.length);
    // A constant name given twice would leave one entry without a constant.
    expect(Object.values(Codes).sort()).toEqual([...codes].sort());
    for (const e of CATALOGUE) {
      expect(e.code, e.code).toMatch(/^[PCVR][0-9]{3}$/);
      expect(e.help, e.code).toMatch(/^\S.*\.$/);
      expect(e.title, e.code).not.toMatch(/[()]/);
    }
  });

  it('documents each code once', () => {
    expect(ENTRIES.length).toBeGreaterThan(40);
    const seen = new Map<string, number>();
    for (const e of ENTRIES) {
      expect(seen.has(e.code), `${e.code} at line ${e.line} repeats line ${seen.get(e.code)}`).toBe(false);
      seen.set(e.code, e.line);
    }
  });

  it('the doc and the catalogue list the same codes', () => {
    const documented = ENTRIES.map((e) => e.code);
    const catalogued = CATALOGUE.map((e) => e.code);
    expect(documented.filter((c) => !catalogued.includes(c)), 'documented but not catalogued').toEqual([]);
    expect(catalogued.filter((c) => !documented.includes(c)), 'catalogued but not documented').toEqual([]);
  });

  it('every heading is made from its catalogue entry (UPDATE_GOLDEN=1 rewrites them)', () => {
    if (!UPDATING_GOLDEN) for (const info of CATALOGUE) expect(entry(info.code)?.heading, info.code).toBe(diagnosticHeading(info));
    const rewritten = DOC.replace(/^### ([A-Z][0-9]{3}) .*$/gm, (heading, code: string) => {
      const info = diagnosticInfo(code);
      return info ? diagnosticHeading(info) : heading;
    });
    expectGolden(join(ROOT, 'docs/diagnostics.md'), rewritten);
  });

  it('every code written in the source is catalogued', () => {
    const catalogued = new Set(CATALOGUE.map((e) => e.code));
    expect([...codesInSource()].filter((c) => !catalogued.has(c)).sort()).toEqual([]);
  });

  it("each entry's anchor, as SARIF links to it, is one GitHub makes for its heading", () => {
    const anchors = githubAnchors(DOC);
    expect(diagnosticAnchor(CATALOGUE.find((e) => e.code === 'P101')!)).toBe('p101--unterminated-string-error');
    for (const info of CATALOGUE) expect(anchors, info.code).toContain(diagnosticAnchor(info));
  });
});

/**
 * The codes of `diagnostics`, after checking that each has its catalogue entry's severity (a
 * code whose severity varies, `severities`, may have either).
 */
function codesOf(diagnostics: readonly Diagnostic[]): string[] {
  for (const d of diagnostics) {
    const info = diagnosticInfo(d.code);
    expect(info, `${d.code} is catalogued`).toBeDefined();
    if (info!.severities === undefined) expect(d.severity, `${d.code}: ${d.message}`).toBe(info!.severity);
  }
  return diagnostics.map((d) => d.code);
}

describe('every example of docs/diagnostics.md triggers its code, with its severity', () => {
  const frontEnd = ENTRIES.filter((e) => /^P[1-6]/.test(e.code));
  it.each(frontEnd.map((e) => [e.code, e] as const))('%s, through the front end', (code, e) => {
    expect(plumbExamples(e).length, `${code} has no \`\`\`plumb example`).toBeGreaterThan(0);
    for (const text of plumbExamples(e)) {
      const got = codesOf(analyze(withLock(e, text)).diagnostics);
      expect(got, `example of ${code} (line ${e.line})`).toContain(code);
    }
  });

  // The size limits' examples would be thousands of lines: size-guard.test.ts triggers them.
  const GENERATED = new Set<string>([Codes.tooManyDevices, Codes.tooManySegments, Codes.forwardingTablesTooLarge, Codes.policyExpandsTooFar]);
  // Reading secrets' values is compile -o's, after the compiler: test/pipeline/secrets.test.ts triggers them.
  const SECRETS = new Set<string>([Codes.secretUnreadable, Codes.secretFileShared, Codes.secretValueUnusable]);
  // No intent meets C724 while every platform with a routing daemon writes authentication:
  // test/backends/panos-auth.test.ts triggers it on a platform table row without the trait.
  const GUARDS = new Set<string>([Codes.authenticationNotWritten]);
  const compiler = ENTRIES.filter((e) => e.code.startsWith('C') && !GENERATED.has(e.code) && !SECRETS.has(e.code) && !GUARDS.has(e.code));
  it.each(compiler.map((e) => [e.code, e] as const))('%s, through the compiler', (code, e) => {
    expect(plumbExamples(e).length).toBeGreaterThan(0);
    for (const text of plumbExamples(e)) {
      const analysis = analyze(withLock(e, text));
      expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(codesOf(compile(analysis.intent!).diagnostics)).toContain(code);
    }
  });

  const lint = ENTRIES.filter((e) => /^V80/.test(e.code) && plumbExamples(e).length > 0);
  it.each(lint.map((e) => [e.code, e] as const))("%s, through the verifier's lint", (code, e) => {
    for (const text of plumbExamples(e)) {
      const analysis = analyze([{ path: 'example.plumb', text }]);
      expect(analysis.intent, JSON.stringify(analysis.diagnostics.filter((d) => d.severity === 'error'))).toBeDefined();
      expect(codesOf(lintModel(compile(analysis.intent!).model))).toContain(code);
    }
  });

  it('V804 and V805 on a hand-built model (a clean intent never compiles to a forwarding loop)', () => {
    const model = new ModelBuilder('loop')
      .device('s.a')
      .device('s.b')
      .link('s.a', 'e1', '10.255.0.0/31', 's.b', 'e1', '10.255.0.1/31')
      .segment('left', ['10.1.0.0/24'], 's.a', 'e0', ['10.1.0.1/24'])
      .segment('far', ['10.3.0.0/24'], 's.b', 'e3', ['10.3.0.1/24'])
      .route('s.b', { prefix: '10.3.0.128/25', protocol: 'static', nextHops: [{ interface: 'e1', address: '10.255.0.0', device: 's.a' }], metric: 1 })
      .build();
    model.devices[0]!.fib = model.devices[0]!.fib.filter((r) => r.prefix !== '10.255.0.0/31');
    const diags = lintModel(model);
    const loop = diags.find((d) => d.code === Codes.forwardingLoop)!;
    expect(loop.message).toBe('forwarding loop for internal prefix 10.3.0.0/24 through s.a, s.b');
    expect(loop.severity).toBe('error');
    expect(diags.some((d) => d.code === Codes.blackHole && d.message === 'black hole for internal prefix 10.255.0.0/31: s.a has no route')).toBe(true);
  });

  /** What the IOS-XE or PAN-OS reader says of an example: a `<device>.cfg`, `.xml`, or `.set` beside the firewall's XML. */
  const readerCodes = (fence: string, text: string): string[] => {
    if (fence === 'ios') return codesOf(ciscoIosxeBackend.read([{ path: 'edge1.cfg', content: text }], contextOf(edgeRouter())).diagnostics);
    if (fence === 'xml') return codesOf(paloaltoPanosBackend.read([{ path: 'fw1.xml', content: text }], contextOf(firewall())).diagnostics);
    const xml = paloaltoPanosBackend.render(firewall(), networkOf([firewall()]))[0]!;
    return codesOf(paloaltoPanosBackend.read([xml, { path: 'fw1.set', content: text }], contextOf(firewall())).diagnostics);
  };
  const READER_FENCES = ['ios', 'xml', 'set'];
  const readers = ENTRIES.flatMap((e) =>
    e.examples.filter((x) => READER_FENCES.includes(x.fence)).map((x, i) => [`${e.code} (${x.fence} example ${i + 1})`, e.code, x] as const),
  );
  it('the readers have examples', () => expect(readers.length).toBeGreaterThan(8));
  it.each(readers)('%s, through its reader', (_, code, example) => {
    expect(readerCodes(example.fence, example.text)).toContain(code);
  });

  // Other stages' examples (drift, the Linux and FRR readers) are triggered by those stages'
  // tests; here an intent among them must at least parse.
  it('C7xx, V8xx and R9xx intents parse', () => {
    for (const e of ENTRIES.filter((x) => !/^P/.test(x.code))) {
      for (const text of plumbExamples(e)) {
        const errors = parse(text, 'example.plumb').diagnostics.filter((d) => d.severity === 'error');
        expect(errors.map((d) => d.message), `example of ${e.code} (line ${e.line})`).toEqual([]);
      }
    }
  });
});
