// Semantic tokens: names coloured by what they resolve to (a site, a device, an endpoint, a
// service), declarations marked, built-ins marked as the default library, platforms as types.
// Keywords, literals and comments are the TextMate grammar's job.

import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import { match } from 'ts-pattern';
import type { SourceFile } from '../language/ast.js';
import type { Span } from '../language/diagnostic.js';
import type { SymbolKind } from '../language/symbols.js';
import type { ProjectAnalysis, ProjectFile } from './workspace.js';

const TOKEN_TYPES = ['namespace', 'class', 'variable', 'struct', 'function', 'type', 'enumMember', 'property'] as const;
type TokenType = (typeof TOKEN_TYPES)[number];
const TOKEN_MODIFIERS = ['declaration', 'defaultLibrary'] as const;

export const SEMANTIC_TOKENS_LEGEND: SemanticTokensLegend = {
  tokenTypes: [...TOKEN_TYPES],
  tokenModifiers: [...TOKEN_MODIFIERS],
};

function tokenType(kind: SymbolKind): TokenType {
  return match(kind)
    .with('network', 'site', 'policy', () => 'namespace' as const)
    .with('device', () => 'class' as const)
    .with('segment', 'host', 'external', 'builtin-endpoint', () => 'variable' as const)
    .with('group', () => 'struct' as const)
    .with('service', 'builtin-service', () => 'function' as const)
    .with('pool', () => 'enumMember' as const)
    .exhaustive();
}

interface RawToken {
  span: Span;
  type: TokenType;
  modifiers: number;
}

export function semanticTokens(file: ProjectFile, analysis: ProjectAnalysis): SemanticTokens {
  const raw: RawToken[] = [];
  for (const o of analysis.index.occurrencesIn(file.name)) {
    const def = analysis.index.definition(o.key);
    if (!def) continue;
    const builtin = def.kind === 'builtin-service' || def.kind === 'builtin-endpoint';
    raw.push({ span: o.span, type: tokenType(def.kind), modifiers: (o.declaration ? 1 : 0) | (builtin ? 2 : 0) });
  }
  const tree: SourceFile | undefined = analysis.result.files.find((f) => f.path === file.name);
  for (const decl of tree?.declarations ?? []) {
    if (decl.kind !== 'site') continue;
    for (const m of decl.members) if (m.kind === 'device') raw.push({ span: m.platform.span, type: 'type', modifiers: 0 });
  }
  raw.sort((a, b) => a.span.start.offset - b.span.start.offset);
  const builder = new SemanticTokensBuilder();
  let lastEnd = -1;
  for (const t of raw) {
    if (t.span.start.offset < lastEnd || t.span.end.offset <= t.span.start.offset) continue; // no overlaps
    const start = file.lines.positionAt(t.span.start.offset);
    const end = file.lines.positionAt(t.span.end.offset);
    if (end.line !== start.line) continue;
    builder.push(start.line, start.character, end.character - start.character, TOKEN_TYPES.indexOf(t.type), t.modifiers);
    lastEnd = t.span.end.offset;
  }
  return builder.build();
}
