// The front end's data-driven cases: every test/language/cases/<area>/<name>.plumb (or a folder
// <name>/ of .plumb files, checked as one intent) is analyzed once, and its diagnostics, as
// `plumb check` prints them without colour, must equal <name>.diagnostics.txt beside it. Some
// areas record more (BASELINES below): the syntax tree, the checked intent, the symbol table, or
// the file as `plumb fmt` writes it. A missing or different baseline fails, and so does a
// baseline whose case is gone; UPDATE_GOLDEN=1 writes them (test/golden.ts).
// docs/architecture.md, "Tests as data", says how to add a case.

import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, type Analysis } from '../../language/analyze.js';
import { compareDiagnostics, hasErrors, type Span } from '../../language/diagnostic.js';
import { CATALOGUE } from '../../language/diagnostics/index.js';
import { formatText } from '../../language/format.js';
import { renderText } from '../../language/render.js';
import { expectGolden, UPDATING_GOLDEN } from '../golden.js';
import { outline, positionsOnly, withFile, type SpanPrinter } from './case-outline.js';

const CASES = join(import.meta.dirname, 'cases');

interface Case {
  area: string;
  name: string;
  /** The sources, with paths relative to the area's folder (as the diagnostics show them). */
  sources: { path: string; text: string }[];
}

/** A baseline: the file suffix and what it records of a case's analysis. */
interface Baseline {
  suffix: string;
  render(analysis: Analysis, source: Case, printSpan: SpanPrinter): string;
}

const DIAGNOSTICS: Baseline = {
  suffix: '.diagnostics.txt',
  render: (analysis, source) => renderText(analysis.diagnostics, source.sources, { color: false }),
};

const SYNTAX_TREE: Baseline = {
  suffix: '.ast.txt',
  render: (analysis, _source, printSpan) =>
    analysis.files
      .map((file) =>
        outline(
          `file ${file.path}`,
          { declarations: file.declarations, comments: file.comments, incompleteNames: file.incompleteNames },
          printSpan,
        ),
      )
      .join(''),
};

const CHECKED_INTENT: Baseline = {
  suffix: '.intent.txt',
  render: (analysis, _source, printSpan) => outline('intent', analysis.intent ?? 'none (the intent has errors)', printSpan),
};

// A reference shows the text it stands on, so that the baseline reads `fw1 -> fra1.fw1`.
const SYMBOLS: Baseline = {
  suffix: '.symbols.txt',
  render: (analysis, source, printSpan) => {
    const textAt = (span: Span): string =>
      source.sources.find((s) => s.path === span.file)?.text.slice(span.start.offset, span.end.offset) ?? '?';
    const references = analysis.symbols.references.map((ref) => `  - ${printSpan(ref.span)} ${textAt(ref.span)} -> ${ref.key}\n`);
    return outline('definitions', analysis.symbols.definitions, printSpan) + `references:\n${references.join('')}`;
  },
};

// What `plumb fmt` writes for the case's one file; nothing when the file has a syntax error.
const FORMATTED: Baseline = {
  suffix: '.formatted.txt',
  render: (_analysis, source) =>
    source.sources.map((file) => formatText(file.text, file.path).text ?? '(not formatted: the file has syntax errors)\n').join(''),
};

/** Every area records the diagnostics; these areas record more. */
const BASELINES: Record<string, Baseline[]> = {
  format: [DIAGNOSTICS, FORMATTED],
  trees: [DIAGNOSTICS, SYNTAX_TREE],
  intent: [DIAGNOSTICS, CHECKED_INTENT],
  symbols: [DIAGNOSTICS, SYMBOLS],
};

const baselinesOf = (area: string): Baseline[] => BASELINES[area] ?? [DIAGNOSTICS];

function plumbFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.plumb'))
    .sort();
}

function readCases(): Case[] {
  const cases: Case[] = [];
  for (const area of readdirSync(CASES).sort()) {
    const areaDir = join(CASES, area);
    for (const entry of readdirSync(areaDir).sort()) {
      const path = join(areaDir, entry);
      if (statSync(path).isDirectory()) {
        const sources = plumbFiles(path).map((f) => ({ path: `${entry}/${f}`, text: readFileSync(join(path, f), 'utf8') }));
        cases.push({ area, name: entry, sources });
      } else if (entry.endsWith('.plumb')) {
        cases.push({ area, name: entry.slice(0, -'.plumb'.length), sources: [{ path: entry, text: readFileSync(path, 'utf8') }] });
      }
    }
  }
  return cases;
}

/** Baseline files whose case is gone, or that their area does not record. */
function strayBaselines(cases: readonly Case[]): string[] {
  const expected = new Set(cases.flatMap((c) => baselinesOf(c.area).map((b) => join(c.area, c.name + b.suffix))));
  const stray: string[] = [];
  for (const area of readdirSync(CASES).sort()) {
    for (const entry of readdirSync(join(CASES, area)).sort()) {
      const path = join(area, entry);
      if (entry.endsWith('.txt') && !expected.has(path)) stray.push(path);
    }
  }
  return stray;
}

/** Files that are neither a case's .plumb file nor a baseline (a misspelt suffix, say). */
function strangers(): string[] {
  const found: string[] = [];
  for (const area of readdirSync(CASES).sort()) {
    for (const entry of readdirSync(join(CASES, area)).sort()) {
      const path = join(CASES, area, entry);
      const inside = statSync(path).isDirectory() ? readdirSync(path).map((f) => join(entry, f)) : [entry];
      for (const file of inside) if (!file.endsWith('.plumb') && !file.endsWith('.txt')) found.push(join(area, file));
    }
  }
  return found;
}

// Front-end codes that no case shows, each tested in code for the reason given; an entry that a
// case comes to show fails the test, so the list only shrinks.
const CODES_TESTED_IN_CODE: Record<string, string> = {
  P110: 'control and bidi characters: limits.test.ts (files of the repository hold none)',
  P111: 'tokens over their length: limits.test.ts, at the limits of language/limits.ts',
  P112: 'lines over their length: limits.test.ts',
  P113: 'nesting deeper than the limit: limits.test.ts',
  P119: 'more diagnostics than a file keeps: limits.test.ts',
  P130: 'modules: test/language/modules.test.ts, over files in real folders read by the reader of pipeline/sources.ts',
  P131: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P454: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P456: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P455: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P240: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P241: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P242: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P243: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P244: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P245: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P246: 'named announcements: test/language/contract-parts.test.ts, over a contract module and the intent that implements it, read by the reader of pipeline/sources.ts',
  P247: 'named announcements: test/language/contract-parts.test.ts, over a contract module and the intent that implements it, read by the reader of pipeline/sources.ts',
  P450: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P451: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P452: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P453: 'contracts: test/language/contracts.test.ts, over a contract module and the intents that implement it, read by the reader of pipeline/sources.ts',
  P230: 'modules: test/language/modules.test.ts, over files in real folders read by the reader of pipeline/sources.ts',
  P231: 'modules: test/language/modules.test.ts, over files in real folders read by the reader of pipeline/sources.ts',
  P232: 'modules: test/language/modules.test.ts, over files in real folders read by the reader of pipeline/sources.ts',
  P233: 'modules: test/language/modules.test.ts, over files in real folders read by the reader of pipeline/sources.ts',
  P234: 'modules: test/language/modules.test.ts, over files in real folders read by the reader of pipeline/sources.ts',
  P235: 'modules: test/language/modules.test.ts, over files in real folders read by the reader of pipeline/sources.ts',
  P236: 'modules: test/language/modules.test.ts, over files in real folders read by the reader of pipeline/sources.ts',
  P237: 'modules: test/language/modules.test.ts, over files in real folders read by the reader of pipeline/sources.ts',
  P238: 'modules: test/language/modules.test.ts, over files in real folders read by the reader of pipeline/sources.ts',
  P239: 'modules: test/language/modules.test.ts, over files in real folders read by the reader of pipeline/sources.ts',
  P320: 'a malformed plumb.lock, which is not a .plumb file: lock.test.ts, every message at its line and column',
};

/** The codes the diagnostics baselines show. */
function codesInBaselines(): Set<string> {
  const shown = new Set<string>();
  for (const area of readdirSync(CASES)) {
    for (const entry of readdirSync(join(CASES, area))) {
      if (!entry.endsWith(DIAGNOSTICS.suffix)) continue;
      for (const m of readFileSync(join(CASES, area, entry), 'utf8').matchAll(/^(?:error|warning|info)\[([A-Z]\d+)\]/gm)) shown.add(m[1]!);
    }
  }
  return shown;
}

const cases = readCases();

describe('front-end cases (test/language/cases/)', () => {
  it('has cases in every area, each with at least one .plumb file', () => {
    expect(cases.length).toBeGreaterThan(100);
    for (const c of cases) expect(c.sources.length, `${c.area}/${c.name}`).toBeGreaterThan(0);
  });

  it('has no baseline without its case', () => {
    const stray = strayBaselines(cases);
    // With the switch the baselines follow the cases, so a case's removal removes its baselines.
    if (UPDATING_GOLDEN) for (const path of stray) rmSync(join(CASES, path));
    else expect(stray, 'UPDATE_GOLDEN=1 removes them').toEqual([]);
  });

  it('shows every code of the front end (P) in a baseline, but those tested in code', () => {
    const shown = codesInBaselines();
    const frontEnd = CATALOGUE.map((entry) => entry.code).filter((code) => code.startsWith('P'));
    expect(frontEnd.filter((code) => !shown.has(code) && !(code in CODES_TESTED_IN_CODE)), 'codes without a case').toEqual([]);
    expect(Object.keys(CODES_TESTED_IN_CODE).filter((code) => shown.has(code)), 'listed, but a case shows them').toEqual([]);
  });

  it('holds nothing but cases and baselines', () => {
    expect(strangers()).toEqual([]);
  });

  for (const c of cases) {
    it(`${c.area}/${c.name}`, () => {
      const analysis = analyze(c.sources);
      // What analyze promises of every input, checked on every case.
      expect(analysis.diagnostics, 'sorted by file and position').toEqual([...analysis.diagnostics].sort(compareDiagnostics));
      expect(analysis.intent !== undefined, 'an intent exactly when there is no error').toBe(!hasErrors(analysis.diagnostics));
      const keys = analysis.symbols.definitions.map((d) => d.key);
      expect(new Set(keys).size, 'one definition per name').toBe(keys.length);
      const printSpan = c.sources.length > 1 ? withFile : positionsOnly;
      for (const baseline of baselinesOf(c.area)) {
        const file = join(CASES, c.area, c.name + baseline.suffix);
        expectGolden(file, baseline.render(analysis, c, printSpan));
      }
    });
  }
});
