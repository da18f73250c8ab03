// The outline of one file (document symbols): every declaration, contract and `implements`, in
// file order, with a site's devices and links, an external's attachments, a policy's rules and a
// contract's or an implementation's lines as children. Bounded whatever the file:
// at most MAX_OUTLINE_SYMBOLS symbols (the last says how many more there are) and names and
// details of at most MAX_OUTLINE_TEXT characters, each read from at most that much source text.

import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { match } from 'ts-pattern';
import type { ContractDecl, Declaration, ImplementsDecl, SourceFile, Token } from '../language/ast.js';
import type { Span } from '../language/diagnostic.js';
import { spanRange } from './convert.js';
import { MAX_OUTLINE_SYMBOLS, MAX_OUTLINE_TEXT } from './limits.js';
import type { ProjectFile } from './workspace.js';

/** What the outline lists at the top level. */
type OutlineItem = Declaration | ContractDecl | ImplementsDecl;

export function outline(tree: SourceFile, file: ProjectFile, limit = MAX_OUTLINE_SYMBOLS): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  let budget = limit;
  let omitted = 0;
  let firstOmitted: Span | undefined;
  const items: OutlineItem[] =
    tree.contracts || tree.implements
      ? [...tree.declarations, ...(tree.contracts ?? []), ...(tree.implements ?? [])].sort((a, b) => a.span.start.offset - b.span.start.offset)
      : tree.declarations;
  for (const d of items) {
    const children = childCount(d);
    if (budget < 1) {
      omitted += 1 + children;
      firstOmitted ??= d.span;
      continue;
    }
    const kept = Math.min(children, budget - 1);
    budget -= 1 + kept;
    omitted += children - kept;
    if (kept < children) firstOmitted ??= d.span;
    out.push(declarationSymbol(d, file, kept));
  }
  if (omitted > 0 && out.length > 0) {
    // Where the first left-out symbol is (or its parent's declaration), to the end of the file.
    const last = items[items.length - 1]!;
    const start = spanRange(firstOmitted ?? last.span, file).start;
    out.push({
      name: `… ${omitted} more symbols (the outline shows the first ${limit})`,
      kind: SymbolKind.Null,
      range: { start, end: spanRange(last.span, file).end },
      selectionRange: { start, end: start },
    });
  }
  return out;
}

function childCount(d: OutlineItem): number {
  return match(d)
    .with({ kind: 'site' }, (s) => s.members.length)
    .with({ kind: 'external' }, { kind: 'contract' }, { kind: 'implements' }, (e) => e.items.length)
    .with({ kind: 'policy' }, (p) => p.rules.length)
    .otherwise(() => 0);
}

/** The declaration's symbol with its first `maxChildren` children. */
function declarationSymbol(d: OutlineItem, file: ProjectFile, maxChildren: number): DocumentSymbol {
  const symbol = (name: string, kind: SymbolKind, span: Span, nameToken: Token | undefined, detail?: string, children?: DocumentSymbol[]): DocumentSymbol => ({
    name: short(name) || '(unnamed)',
    kind,
    range: spanRange(span, file),
    selectionRange: spanRange(nameToken?.span ?? span, file),
    ...(detail ? { detail: short(detail) } : {}),
    ...(children && children.length > 0 ? { children } : {}),
  });
  // The first line of a statement, from at most a few times the shown length of source text.
  const text = (span: Span): string =>
    file.text
      .slice(span.start.offset, Math.min(span.end.offset, span.start.offset + 4 * MAX_OUTLINE_TEXT))
      .split('\n')[0]!
      .replace(/\s+/g, ' ')
      .trim();
  const list = (items: readonly { text: string }[]): string => short(items.slice(0, MAX_OUTLINE_TEXT).map((p) => short(p.text)).join(', '));

  return match(d)
    .with({ kind: 'network' }, (n) => symbol(n.name.text, SymbolKind.Package, n.span, n.name, n.description?.text))
    .with({ kind: 'routing' }, (r) => symbol(`routing ${r.mode.text}`, SymbolKind.Property, r.span, r.mode))
    .with({ kind: 'pool' }, (p) => symbol(p.name.text, SymbolKind.Constant, p.span, p.name, p.prefix.text))
    .with({ kind: 'site' }, (s) =>
      symbol(
        s.name.text,
        SymbolKind.Namespace,
        s.span,
        s.name,
        s.description?.text,
        s.members.slice(0, maxChildren).map((m) =>
          match(m)
            .with({ kind: 'device' }, (dev) => symbol(dev.name.text, SymbolKind.Class, dev.span, dev.name, `${short(dev.role.text)} ${short(dev.platform.text)}`))
            .with({ kind: 'link' }, (l) => symbol(text(l.span), SymbolKind.Event, l.span, undefined))
            .exhaustive(),
        ),
      ),
    )
    .with({ kind: 'link' }, (l) => symbol(text(l.span), SymbolKind.Event, l.span, undefined))
    .with({ kind: 'segment' }, (s) => symbol(s.name.text, SymbolKind.Variable, s.span, s.name, list(s.prefixes)))
    .with({ kind: 'host' }, (h) => symbol(h.name.text, SymbolKind.Variable, h.span, h.name, h.address.text))
    .with({ kind: 'group' }, (g) => symbol(g.name.text, SymbolKind.Struct, g.span, g.name, list(g.members)))
    .with({ kind: 'external' }, (e) =>
      symbol(
        e.name.text,
        SymbolKind.Interface,
        e.span,
        e.name,
        e.description?.text,
        e.items.slice(0, maxChildren).map((item) => symbol(text(item.span), SymbolKind.Property, item.span, undefined)),
      ),
    )
    .with({ kind: 'service' }, (s) => symbol(s.name.text, SymbolKind.Function, s.span, s.name))
    .with({ kind: 'policy' }, (p) =>
      symbol(
        p.name?.text ?? 'policy',
        SymbolKind.Module,
        p.span,
        p.name,
        undefined,
        p.rules.slice(0, maxChildren).map((r) => symbol(text(r.span), SymbolKind.Field, r.span, r.action)),
      ),
    )
    .with({ kind: 'assert' }, (a) => symbol(text(a.span), SymbolKind.Boolean, a.span, a.property))
    .with({ kind: 'survive' }, (x) => symbol(text(x.span), SymbolKind.Property, x.span, x.count))
    .with({ kind: 'manage' }, (m) => symbol(text(m.span), SymbolKind.Key, m.span, undefined))
    .with({ kind: 'secret' }, (s) => symbol(s.name.text, SymbolKind.Key, s.span, s.name, `from ${s.source.text} ${s.location.text}`))
    .with({ kind: 'security' }, (m) => symbol(text(m.span), SymbolKind.Key, m.span, undefined))
    .with({ kind: 'contract' }, (c) =>
      symbol(c.name.text, SymbolKind.Object, c.span, c.name, c.description?.text ?? 'contract', c.items.slice(0, maxChildren).map((item) => symbol(text(item.span), SymbolKind.Property, item.span, undefined))),
    )
    .with({ kind: 'implements' }, (i) =>
      symbol(`implements ${i.contract.text} as ${i.party.text}`, SymbolKind.Object, i.span, i.contract, undefined, i.items.slice(0, maxChildren).map((item) => symbol(text(item.span), SymbolKind.Property, item.span, undefined))),
    )
    .exhaustive();
}

/** At most MAX_OUTLINE_TEXT characters, with an ellipsis when cut. */
function short(text: string): string {
  return text.length <= MAX_OUTLINE_TEXT ? text : `${text.slice(0, MAX_OUTLINE_TEXT - 1)}…`;
}
