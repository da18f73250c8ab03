// Workspace symbols: the declarations of every intent the server knows (the folders of the open
// documents, each with all its `*.plumb` files), matched fuzzily against the editor's query. A
// device is matched by its `site.device` key, so `core1` and `fra1.co` both find `fra1.core1`.
// The answer is ordered by how well each name matches, then by name and place, and capped.

import { SymbolKind, type SymbolInformation } from 'vscode-languageserver';
import { match } from 'ts-pattern';
import type { SymbolDef, SymbolKind as PlumbSymbolKind } from '../language/symbols.js';
import { spanLocation } from './convert.js';
import { MAX_WORKSPACE_SYMBOLS } from './limits.js';
import type { Project, ProjectAnalysis } from './workspace.js';

/**
 * How well `query` matches `name`, lower is better, or undefined when it does not: equal, then a
 * prefix, then a substring, then the query's characters in order (a subsequence). Case is ignored.
 */
export function fuzzyScore(query: string, name: string): number | undefined {
  const q = query.toLowerCase();
  const n = name.toLowerCase();
  if (q === '' || n === q) return 0;
  if (n.startsWith(q)) return 1;
  const at = n.indexOf(q);
  if (at > 0) return 2;
  let i = 0;
  for (let j = 0; j < n.length && i < q.length; j++) if (n[j] === q[i]) i++;
  return i === q.length ? 3 : undefined;
}

export function workspaceSymbols(
  query: string,
  projects: readonly { project: Project; analysis: ProjectAnalysis }[],
  limit = MAX_WORKSPACE_SYMBOLS,
): SymbolInformation[] {
  const found: { score: number; def: SymbolDef; symbol: SymbolInformation }[] = [];
  for (const { project, analysis } of projects) {
    for (const def of analysis.index.allDefinitions()) {
      if (!def.nameSpan) continue; // built-ins are declared nowhere
      const score = fuzzyScore(query, def.key);
      if (score === undefined) continue;
      const location = spanLocation(def.nameSpan, project);
      if (!location) continue;
      const site = def.kind === 'device' ? def.key.slice(0, def.key.lastIndexOf('.')) : undefined;
      found.push({
        score,
        def,
        symbol: { name: def.name, kind: lspSymbolKind(def.kind), location, ...(site ? { containerName: site } : {}) },
      });
    }
  }
  found.sort(
    (a, b) =>
      a.score - b.score ||
      compare(a.def.key, b.def.key) ||
      compare(a.symbol.location.uri, b.symbol.location.uri) ||
      a.symbol.location.range.start.line - b.symbol.location.range.start.line,
  );
  return found.slice(0, limit).map((f) => f.symbol);
}

const compare = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** The same kinds the outline gives each declaration (outline.ts). */
export function lspSymbolKind(kind: PlumbSymbolKind): SymbolKind {
  return match(kind)
    .with('network', () => SymbolKind.Package)
    .with('site', () => SymbolKind.Namespace)
    .with('device', () => SymbolKind.Class)
    .with('segment', 'host', 'builtin-endpoint', () => SymbolKind.Variable)
    .with('external', () => SymbolKind.Interface)
    .with('group', () => SymbolKind.Struct)
    .with('service', 'builtin-service', () => SymbolKind.Function)
    .with('policy', 'contract', () => SymbolKind.Module)
    .with('pool', () => SymbolKind.Constant)
    .with('secret', () => SymbolKind.Key)
    .exhaustive();
}
