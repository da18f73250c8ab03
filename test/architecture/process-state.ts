// What a test file does to state that would outlive it in a process shared with other files
// (vitest.config.ts runs most files with isolation off: one worker's modules and process kept
// from one file to the next). Read with TypeScript's parser, so that a hook script written into
// a string for a child process (`process.on('exit', ...)` in a template) is not mistaken for the
// test's own code. Pure: files come in as text, so the scan can be shown to fail on invented
// files.

import ts from 'typescript';
import { resolveSpecifier } from './source-facts.js';

/** One use of process-wide or module-wide state, where it is and what it is. */
export interface StateUse {
  file: string;
  line: number;
  /** What the use is, in words (`process.on`, `process.env written`, ...). */
  what: string;
}

/**
 * Calls that change what a later file would see (listeners, the working folder, V8's flags,
 * vitest's module registry, fake timers, globals) or that read the whole process's figures
 * (CPU time and memory count every file sharing the process, not the file's own).
 */
const CALLS = new Map<string, string>([
  ['vi.mock', 'vi.mock (module registry)'],
  ['vi.doMock', 'vi.doMock (module registry)'],
  ['vi.unmock', 'vi.unmock (module registry)'],
  ['vi.doUnmock', 'vi.doUnmock (module registry)'],
  ['vi.resetModules', 'vi.resetModules (module registry)'],
  ['vi.stubGlobal', 'vi.stubGlobal'],
  ['vi.stubEnv', 'vi.stubEnv'],
  ['vi.useFakeTimers', 'vi.useFakeTimers'],
  ['vi.setSystemTime', 'vi.setSystemTime'],
  ['vi.setConfig', 'vi.setConfig'],
  ['process.chdir', 'process.chdir'],
  ['process.on', 'process.on'],
  ['process.once', 'process.once'],
  ['process.addListener', 'process.addListener'],
  ['process.prependListener', 'process.prependListener'],
  ['process.prependOnceListener', 'process.prependOnceListener'],
  ['process.removeAllListeners', 'process.removeAllListeners'],
  ['process.setMaxListeners', 'process.setMaxListeners'],
  ['process.exit', 'process.exit'],
  ['process.umask', 'process.umask'],
  ['process.cpuUsage', 'process.cpuUsage (the whole process)'],
  ['process.memoryUsage', 'process.memoryUsage (the whole process)'],
  ['process.resourceUsage', 'process.resourceUsage (the whole process)'],
  ['setFlagsFromString', "V8's flags"],
  ['v8.setFlagsFromString', "V8's flags"],
]);

/** Assignments to these (or below them) change what a later file sees. */
const WRITTEN = ['process.env', 'process.exitCode', 'process.argv', 'process.stdout', 'process.stderr', 'process.title', 'globalThis', 'global', 'Error.stackTraceLimit'];

/** A module's kept entries (`keptOriginTagCount`): the count depends on what ran before in the process. */
const KEPT_COUNT = /^kept[A-Z]\w*Count$/;

/**
 * Whether a kept*Count name stands as a value of the counts given to test/kept-store.ts's
 * keptCounts (`keptCounts({ texts: keptOriginTagCount })`), whose tests read them as bounds, as
 * differences, or after emptying the store; anywhere else it is a use of outliving state.
 */
function givenToKeptCounts(node: ts.Identifier): boolean {
  const property = node.parent;
  const value = (ts.isPropertyAssignment(property) && property.initializer === node) || ts.isShorthandPropertyAssignment(property);
  if (!value || !ts.isObjectLiteralExpression(property.parent)) return false;
  const call = property.parent.parent;
  return ts.isCallExpression(call) && call.arguments[0] === property.parent && ts.isIdentifier(call.expression) && call.expression.text === 'keptCounts';
}

const ASSIGNMENTS = new Set([
  ts.SyntaxKind.EqualsToken,
  ts.SyntaxKind.PlusEqualsToken,
  ts.SyntaxKind.MinusEqualsToken,
  ts.SyntaxKind.BarBarEqualsToken,
  ts.SyntaxKind.QuestionQuestionEqualsToken,
  ts.SyntaxKind.AmpersandAmpersandEqualsToken,
]);

/** `a.b['c']` as `a.b.c`; undefined for anything that is not a chain of names. */
function dotted(node: ts.Expression): string | undefined {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) {
    const left = dotted(node.expression);
    return left === undefined ? undefined : `${left}.${node.name.text}`;
  }
  if (ts.isElementAccessExpression(node)) {
    const left = dotted(node.expression);
    if (left === undefined) return undefined;
    return ts.isStringLiteralLike(node.argumentExpression) ? `${left}.${node.argumentExpression.text}` : `${left}.*`;
  }
  if (ts.isParenthesizedExpression(node) || ts.isAsExpression(node) || ts.isNonNullExpression(node)) return dotted(node.expression);
  return undefined;
}

function isUnder(name: string, root: string): boolean {
  return name === root || name.startsWith(`${root}.`);
}

/** Every use of outliving state in one file's code (strings and comments are not code). */
export function stateUsesOf(file: string, text: string): StateUse[] {
  return scanOf(file, text).uses;
}

/** One file read once: its uses of outliving state, and the files its relative imports name. */
export function scanOf(file: string, text: string): { uses: StateUse[]; imports: string[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const uses: StateUse[] = [];
  const imports: string[] = [];
  const imported = (specifier: ts.Node | undefined): void => {
    const target = specifier !== undefined && ts.isStringLiteralLike(specifier) ? resolveSpecifier(file, specifier.text) : undefined;
    if (target !== undefined) imports.push(target);
  };
  const add = (node: ts.Node, what: string): void => {
    uses.push({ file, line: source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1, what });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) imported(node.moduleSpecifier);
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) imported(node.arguments[0]);
    if (ts.isCallExpression(node)) {
      const name = dotted(node.expression);
      const what = name === undefined ? undefined : CALLS.get(name);
      if (what !== undefined) add(node, what);
      if (name === 'Object.assign' || name === 'Object.defineProperty') {
        const target = node.arguments[0] && dotted(node.arguments[0]);
        if (target !== undefined && WRITTEN.some((w) => isUnder(target, w))) add(node, `${target} written`);
      }
    }
    if (ts.isBinaryExpression(node) && ASSIGNMENTS.has(node.operatorToken.kind)) {
      const target = dotted(node.left);
      if (target !== undefined && WRITTEN.some((w) => isUnder(target, w))) add(node, `${target} written`);
    }
    if (ts.isDeleteExpression(node)) {
      const target = dotted(node.expression);
      if (target !== undefined && WRITTEN.some((w) => isUnder(target, w))) add(node, `${target} deleted`);
    }
    if (ts.isIdentifier(node) && KEPT_COUNT.test(node.text) && !ts.isImportSpecifier(node.parent) && !givenToKeptCounts(node)) {
      add(node, `${node.text} (a module's kept entries)`);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return { uses, imports };
}

/** A test file and the uses of outliving state in it or in the test helpers it imports. */
export interface Violation {
  testFile: string;
  uses: StateUse[];
}

/**
 * The files of the shared set whose code (or a helper's under test/, followed through relative
 * imports) uses outliving state. `files` maps a path from the repository root to its text; an
 * import of a file not in it (the sources under test) is not followed.
 */
export function sharedSetViolations(sharedFiles: readonly string[], files: ReadonlyMap<string, string>): Violation[] {
  const scans = new Map<string, { uses: StateUse[]; imports: string[] }>();
  const scanned = (path: string): { uses: StateUse[]; imports: string[] } => {
    let scan = scans.get(path);
    if (scan === undefined) scan = scanOf(path, files.get(path) ?? '');
    scans.set(path, scan);
    return scan;
  };
  const violations: Violation[] = [];
  for (const testFile of sharedFiles) {
    const seen = new Set<string>([testFile]);
    const queue = [testFile];
    const uses: StateUse[] = [];
    while (queue.length > 0) {
      const scan = scanned(queue.shift()!);
      uses.push(...scan.uses);
      for (const next of scan.imports) {
        if (!seen.has(next) && files.has(next)) {
          seen.add(next);
          queue.push(next);
        }
      }
    }
    if (uses.length > 0) violations.push({ testFile, uses });
  }
  return violations;
}
