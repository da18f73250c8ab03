// A parser entry for some lines of a block's body, read as parser.ts's parseBody reads them
// between the block's `{` line and its `}` line. The language server (lsp/incremental-parse.ts)
// parses a long policy block in pieces with it, so that an edit inside one rule re-parses a few
// lines, not the whole block.
//
// The lines must be whole statements of the body: they start where a whole parse starts a
// statement of the block (the statement before ended at its line break) and hold no brace. Then
// each statement reads exactly the tokens it reads in a whole parse: a member statement stops at
// its line break unless it continues after `,`, `->`, `:` or `=`, and its recovery skips to the
// line break. The one statement parseBody reads otherwise is a top-level declaration standing in
// the block (a misplaced line, read at the top level into the file's declarations): there the
// lines are refused (undefined), and the caller parses the block whole.

import type { Comment, Token } from './ast.js';
import { compareDiagnostics, limitPerFile, type Diagnostic } from './diagnostic.js';
import { TOP_LEVEL_KEYWORDS } from './grammar-tokens.js';
import { lexicalDiagnostics } from './lexical-checks.js';
import { MAX_DIAGNOSTICS_PER_FILE } from './limits.js';
import { BLOCK_KEYWORDS, fileGrammar, guarded, parseMember, type BlockItem, type BlockKind } from './parser.js';
import { LineIndex } from './positions.js';
import { lex } from './tokens.js';

const TOP = new Set<string>(TOP_LEVEL_KEYWORDS);

/** The statements of some lines of a block, with what a whole parse records of those lines. */
export interface BlockMembers {
  items: BlockItem[];
  comments: Comment[];
  /** The names of the statements that failed after their name was read (SourceFile.incompleteNames). */
  incompleteNames: Token[];
  diagnostics: Diagnostic[];
}

/**
 * Parses `text`, lines of a `kind` block's body (offsets and lines from the text's start), or
 * returns undefined when a whole parse would read one of its statements otherwise than as a
 * member of the block (see the header).
 */
export function parseBlockMembers(text: string, path: string, kind: BlockKind): BlockMembers | undefined {
  const grammar = fileGrammar();
  const index = new LineIndex(path, text);
  const lexed = lex(text);
  grammar.begin(lexed.tokens, index);
  try {
    const members = BLOCK_KEYWORDS[kind];
    const items: BlockItem[] = [];
    while (true) {
      grammar.skipNewlines();
      const t = grammar.peek();
      if (t.kind === 'EOF') break;
      if (t.kind === 'LBrace' || t.kind === 'RBrace' || (t.kind === 'Name' && TOP.has(t.text) && !members.includes(t.text))) return undefined;
      guarded(grammar, true, () => items.push(parseMember(grammar, kind)));
    }
    const merged = [...lexicalDiagnostics(lexed, index), ...grammar.diagnostics.all()].sort(compareDiagnostics);
    return {
      items,
      comments: lexed.comments.map((c) => ({ text: c.text, span: index.span(c.start, c.end) })),
      incompleteNames: grammar.incompleteNames,
      diagnostics: limitPerFile(merged, MAX_DIAGNOSTICS_PER_FILE),
    };
  } finally {
    grammar.begin([{ kind: 'EOF', text: '', start: 0, end: 0 }], index);
  }
}
