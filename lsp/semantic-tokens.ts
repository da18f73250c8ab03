// Semantic tokens: names coloured by what they resolve to (a site, a device, an endpoint, a
// service), declarations marked, built-ins marked as the default library, platforms as types.
// Keywords, literals and comments are the TextMate grammar's job. At most MAX_SEMANTIC_TOKENS
// tokens per document (the first ones): names after them keep the grammar's colours.

import { SemanticTokensBuilder, type SemanticTokens, type SemanticTokensLegend } from 'vscode-languageserver';
import { match } from 'ts-pattern';
import type { SourceFile } from '../language/ast.js';
import type { Span } from '../language/diagnostic.js';
import type { SymbolKind } from '../language/symbols.js';
import { MAX_SEMANTIC_TOKENS } from './limits.js';
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
    .with('network', 'site', 'policy', 'contract', () => 'namespace' as const)
    .with('device', () => 'class' as const)
    .with('segment', 'host', 'external', 'builtin-endpoint', () => 'variable' as const)
    .with('group', () => 'struct' as const)
    .with('service', 'builtin-service', () => 'function' as const)
    .with('pool', 'secret', () => 'enumMember' as const)
    .exhaustive();
}

interface RawToken {
  span: Span;
  type: TokenType;
  modifiers: number;
}

export function semanticTokens(file: ProjectFile, analysis: ProjectAnalysis, limit = MAX_SEMANTIC_TOKENS): SemanticTokens {
  // Both lists are in source order: merging them reads only as far as the limit.
  const occurrences = analysis.index.occurrencesIn(file.name);
  const tree: SourceFile | undefined = analysis.result.files.find((f) => f.path === file.name);
  const platforms: Span[] = [];
  for (const decl of tree?.declarations ?? []) {
    if (decl.kind !== 'site') continue;
    for (const m of decl.members) if (m.kind === 'device') platforms.push(m.platform.span);
  }
  const builder = new SemanticTokensBuilder();
  let lastEnd = -1;
  let count = 0;
  const push = (t: RawToken): void => {
    if (t.span.start.offset < lastEnd || t.span.end.offset <= t.span.start.offset) return; // no overlaps
    const start = file.lines.positionAt(t.span.start.offset);
    const end = file.lines.positionAt(t.span.end.offset);
    if (end.line !== start.line) return;
    builder.push(start.line, start.character, end.character - start.character, TOKEN_TYPES.indexOf(t.type), t.modifiers);
    lastEnd = t.span.end.offset;
    count++;
  };
  let i = 0;
  let j = 0;
  while (count < limit && (i < occurrences.length || j < platforms.length)) {
    const o = occurrences[i];
    if (o && (j >= platforms.length || o.span.start.offset <= platforms[j]!.start.offset)) {
      i++;
      const def = analysis.index.definition(o.key);
      if (!def) continue;
      const builtin = def.kind === 'builtin-service' || def.kind === 'builtin-endpoint';
      push({ span: o.span, type: tokenType(def.kind), modifiers: (o.declaration ? 1 : 0) | (builtin ? 2 : 0) });
    } else {
      push({ span: platforms[j++]!, type: 'type', modifiers: 0 });
    }
  }
  return builder.build();
}
