// The outline of one file (document symbols): every declaration, with a site's devices and
// links, an external's attachments and a policy's rules as children.

import { SymbolKind, type DocumentSymbol } from 'vscode-languageserver';
import { match } from 'ts-pattern';
import type { Declaration, SourceFile, Token } from '../language/ast.js';
import type { Span } from '../language/diagnostic.js';
import { spanRange } from './convert.js';
import type { ProjectFile } from './workspace.js';

export function outline(tree: SourceFile, file: ProjectFile): DocumentSymbol[] {
  const symbol = (name: string, kind: SymbolKind, span: Span, nameToken: Token | undefined, detail?: string, children?: DocumentSymbol[]): DocumentSymbol => ({
    name: name || '(unnamed)',
    kind,
    range: spanRange(span, file),
    selectionRange: spanRange(nameToken?.span ?? span, file),
    ...(detail ? { detail } : {}),
    ...(children && children.length > 0 ? { children } : {}),
  });
  const text = (span: Span): string => file.text.slice(span.start.offset, span.end.offset).split('\n')[0]!.replace(/\s+/g, ' ').trim();

  return tree.declarations.map((d: Declaration) =>
    match(d)
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
          s.members.map((m) =>
            match(m)
              .with({ kind: 'device' }, (dev) => symbol(dev.name.text, SymbolKind.Class, dev.span, dev.name, `${dev.role.text} ${dev.platform.text}`))
              .with({ kind: 'link' }, (l) => symbol(text(l.span), SymbolKind.Event, l.span, undefined))
              .exhaustive(),
          ),
        ),
      )
      .with({ kind: 'link' }, (l) => symbol(text(l.span), SymbolKind.Event, l.span, undefined))
      .with({ kind: 'segment' }, (s) => symbol(s.name.text, SymbolKind.Variable, s.span, s.name, s.prefixes.map((p) => p.text).join(', ')))
      .with({ kind: 'host' }, (h) => symbol(h.name.text, SymbolKind.Variable, h.span, h.name, h.address.text))
      .with({ kind: 'group' }, (g) => symbol(g.name.text, SymbolKind.Struct, g.span, g.name, g.members.map((m) => m.text).join(', ')))
      .with({ kind: 'external' }, (e) =>
        symbol(
          e.name.text,
          SymbolKind.Interface,
          e.span,
          e.name,
          e.description?.text,
          e.items.map((item) => symbol(text(item.span), SymbolKind.Property, item.span, undefined)),
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
          p.rules.map((r) => symbol(text(r.span), SymbolKind.Field, r.span, r.action)),
        ),
      )
      .with({ kind: 'assert' }, (a) => symbol(text(a.span), SymbolKind.Boolean, a.span, a.property))
      .exhaustive(),
  );
}
