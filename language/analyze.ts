// The front end in one call: parse every file, resolve and check them as ONE intent (the files
// share one namespace), and build the CheckedIntent when there is no error. Pure and
// deterministic; it never throws on any input.

import type { ParseResult, SourceFile } from './ast.js';
import { checkAddresses } from './check-addresses.js';
import { checkNat } from './check-nat.js';
import { checkDevices } from './check-devices.js';
import { checkSecrets } from './check-secrets.js';
import { DiagnosticSink } from './check-common.js';
import { checkFamilies } from './check-families.js';
import { networkCheck, type CheckMemo } from './check-memo.js';
import { buildIntent } from './check-intent.js';
import { checkPlatforms } from './check-platforms.js';
import { checkProfiles } from './check-profiles.js';
import { checkStructure } from './check-structure.js';
import { checkUsage } from './check-usage.js';
import { checkValues } from './check-values.js';
import { compareDiagnostics, diagnostic, hasErrors, limitPerFile, type Diagnostic, type Span } from './diagnostic.js';
import { Codes, hasFlag } from './diagnostics/index.js';
import type { CheckedIntent } from './intent.js';
import { isLockPath, parseLock } from './lock.js';
import { MAX_DIAGNOSTICS_PER_FILE } from './limits.js';
import { checkedContracts, contractSummaries, joinContracts, resolveOffers, type Agreements, type ContractSummary } from './contracts.js';
import { linkModules, type ImportProblem } from './modules.js';
import { parse } from './parser.js';
import { resolve } from './resolve.js';
import type { ResolveMemo } from './resolve-memo.js';
import type { SymbolTable } from './symbols.js';

/**
 * One file of an intent: `imported` when the reader read it through an `import` (not given as
 * the intent), `importProblems` the imports of the file it could not follow, by their PATH.
 */
export interface IntentSource {
  path: string;
  text: string;
  imported?: boolean;
  importProblems?: Readonly<Record<string, ImportProblem>>;
}

export interface Analysis {
  files: SourceFile[];
  intent?: CheckedIntent;
  symbols: SymbolTable;
  diagnostics: Diagnostic[];
  /** Every contract of the intent and its modules, in file order (absent when there is none). */
  contracts?: ContractSummary[];
}

/**
 * Checks the intent's files as one intent. A source named `plumb.lock` is the allocation lock
 * (language/lock.ts), not intent text: its entries for the intent's network go into the
 * checked intent, and its malformed lines are errors like any other.
 */
/**
 * An unknown endpoint (or `PARTY.NAME`'s party) that may be the other party of a contract that
 * is unknown itself (P241 is the report): one with no near name, which a typo would have.
 */
function maybeTheParty(d: Diagnostic, agreements: Agreements): boolean {
  return agreements.partiesUnknown === true && d.fix === undefined && /^unknown (endpoint|group member|site) /.test(d.message);
}

export function analyze(sources: IntentSource[]): Analysis {
  const lock = sources.filter((s) => isLockPath(s.path));
  const texts = sources.filter((s) => !isLockPath(s.path));
  return analyzeParsed(
    texts.map((s) => parse(s.text, s.path)),
    lock,
    moduleReading(texts),
  );
}

/** What the reader said of the modules: the files given as the intent, and the imports it could not follow. */
export interface ModuleReading {
  roots?: ReadonlySet<string>;
  problems: ReadonlyMap<string, Readonly<Record<string, ImportProblem>>>;
}

/** What the caller wants besides the diagnostics. */
export interface AnalyzeOptions {
  /**
   * False when only the diagnostics are wanted (the language server's background check): the
   * checked intent, built from the resolution after every check, adds no diagnostic.
   */
  intent?: boolean;
  /**
   * What the last resolution of the same intent kept (the language server keeps one per
   * project, language/resolve-memo.ts): the same analysis, sooner after a small edit.
   */
  resolveMemo?: ResolveMemo;
  /**
   * What the last analysis's checks kept (language/check-memo.ts, the language server's): the
   * same diagnostics, sooner after a small edit.
   */
  checkMemo?: CheckMemo;
}

export function moduleReading(sources: readonly IntentSource[]): ModuleReading {
  const problems = new Map(sources.filter((s) => s.importProblems).map((s) => [s.path, s.importProblems!]));
  const read = sources.some((s) => s.imported !== undefined);
  return { problems, ...(read ? { roots: new Set(sources.filter((s) => !s.imported).map((s) => s.path)) } : {}) };
}

/** The same as `analyze`, for files already parsed (the language server keeps parse results). */
export function analyzeParsed(
  parsed: ParseResult[],
  lockSources: readonly { path: string; text: string }[] = [],
  modules: ModuleReading = { problems: new Map() },
  options: AnalyzeOptions = {},
): Analysis {
  const files = parsed.map((p) => p.file);
  const locks = lockSources.map((s) => ({ path: s.path, ...parseLock(s.text, s.path) }));
  const syntax = [...parsed.flatMap((p) => p.diagnostics), ...locks.flatMap((l) => l.diagnostics), ...extraLocks(locks)];
  const sink = new DiagnosticSink();
  let symbols: SymbolTable = { definitions: [], references: [] };
  let intent: CheckedIntent | undefined;
  let agreements: Agreements = { contracts: [], implementations: [], unbuilt: new Set() };
  // Uses of an import that did not link: its error is the report (see Linked.unlinked).
  const unlinked = new Set<string>();
  try {
    const linked = linkModules(files, modules.problems, sink, modules.roots);
    for (const span of linked.unlinked ?? []) unlinked.add(spanKey(span));
    const joined = joinContracts(linked.files, sink);
    agreements = joined.agreements;
    const resolution = resolve(joined.files, sink, options.resolveMemo);
    resolution.symbols.references.push(...linked.references);
    resolveOffers(agreements, resolution, sink);
    symbols = resolution.symbols;
    const memo = options.checkMemo;
    memo?.begin(resolution);
    const structure = checkStructure(resolution, sink);
    checkDevices(resolution, structure, sink, memo);
    networkCheck(memo, 'secrets', sink, () => checkSecrets(resolution, sink));
    networkCheck(memo, 'values', sink, () => checkValues(resolution, sink));
    networkCheck(memo, 'addresses', sink, () => checkAddresses(resolution, sink));
    networkCheck(memo, 'nat', sink, () => checkNat(resolution, sink));
    networkCheck(memo, 'platforms', sink, () => checkPlatforms(resolution, structure, sink));
    checkProfiles(resolution, structure, sink);
    checkUsage(resolution, sink, memo);
    checkFamilies(resolution, structure, sink, memo);
    memo?.end();
    if (options.intent !== false && !hasErrors(syntax) && !hasErrors(sink.items)) {
      intent = buildIntent(resolution, structure);
      if (agreements.implementations.length > 0) {
        const texts = new Map(joined.files.map((f) => [f.path, f.text]));
        intent.contracts = checkedContracts(agreements, intent.services, texts);
      }
    }
  } catch (err) {
    // After a syntax error the parser's recovered tree may lack parts the checks rely on; the
    // syntax errors are then the report. Without one, a throw here is a bug and must surface.
    if (!hasErrors(syntax)) throw err;
  }
  // A line the parser could not read leaves something missing (an attach, a pool, the rule that
  // used a segment); reports of absence would then be noise that hides the real error.
  // Likewise a name that did not resolve leaves its declaration looking unused. The catalogue's
  // flags say which codes are which.
  // The pools' reports (P307, P308) come from the statements that parsed: a dropped line can
  // only ask less of the pools, unless it is a pool itself.
  const syntaxFailed = hasErrors(syntax);
  const poolMayBeMissing = syntaxFailed && droppedPoolLine(files, syntax);
  const unresolved = sink.items.some((d) => hasFlag(d.code, 'name-unresolved')) || unlinked.size > 0;
  const semantic = sink.items.filter(
    (d) =>
      !(d.code === Codes.unknownName && (unlinked.has(spanKey(d.span)) || agreements.unbuilt.has(textAt(files, d.span)) || maybeTheParty(d, agreements))) &&
      !(syntaxFailed && hasFlag(d.code, 'hidden-after-syntax-error')) &&
      !(poolMayBeMissing && hasFlag(d.code, 'hidden-when-a-pool-may-be-missing')) &&
      !(unresolved && hasFlag(d.code, 'hidden-when-names-unresolved')),
  );
  // At most MAX_DIAGNOSTICS_PER_FILE per file, the rest counted in one P119: a report stays
  // readable, and its size bounded, whatever the input.
  const diagnostics = limitPerFile([...syntax, ...semantic].sort(compareDiagnostics), MAX_DIAGNOSTICS_PER_FILE);
  const result: Analysis = { files, symbols, diagnostics, ...(agreements.contracts.length > 0 ? { contracts: contractSummaries(agreements) } : {}) };
  if (intent && !hasErrors(diagnostics)) {
    const entries = locks[0]?.sections.find((s) => s.network === intent.name)?.entries;
    result.intent = entries ? { ...intent, lock: entries } : intent;
  }
  return result;
}

const textAt = (files: readonly SourceFile[], span: Span): string => files.find((f) => f.path === span.file)?.text.slice(span.start.offset, span.end.offset) ?? '';

const spanKey = (span: Span): string => `${span.file}\u0000${span.start.offset}`;

/** An intent has one lock: a second one (given in memory, say) is an error at its first line. */
function extraLocks(locks: readonly { path: string }[]): Diagnostic[] {
  return locks.slice(1).map((l) =>
    diagnostic(Codes.malformedLock, { file: l.path, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } }, `a second lock file: the intent's lock is ${locks[0]!.path}`, {
      hint: 'give one plumb.lock, in the intent\'s folder',
    }),
  );
}

/**
 * Whether a syntax error may have cost the intent a pool: a line that starts with `pool` but
 * begins no parsed pool declaration (a broken pool line, or one that a broken statement before it
 * swallowed), or a line of no known statement (a misspelt `pool`, perhaps).
 */
function droppedPoolLine(files: readonly SourceFile[], syntax: readonly Diagnostic[]): boolean {
  if (syntax.some((d) => d.code === Codes.unknownStatement)) return true;
  return files.some((file) => {
    const parsed = new Set(file.declarations.filter((d) => d.kind === 'pool').map((d) => d.span.start.line));
    return file.text.split('\n').some((line, i) => POOL_LINE.test(line) && !parsed.has(i + 1));
  });
}

const POOL_LINE = /^[ \t]*pool(?![^ \t#])/;
