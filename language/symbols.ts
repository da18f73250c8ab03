// The symbol table the resolver builds: where each name is declared and where it is used.
// The language server answers hover, definition, references and rename from it.

import type { Span } from './diagnostic.js';

export type SymbolKind =
  | 'network'
  | 'pool'
  | 'site'
  | 'device'
  | 'segment'
  | 'host'
  | 'group'
  | 'external'
  | 'service'
  | 'policy'
  | 'builtin-service'
  | 'builtin-endpoint'
  | 'secret'
  | 'contract';

export interface SymbolDef {
  /** Unique key: the name in the file-wide namespace, or `site.device` for a device. */
  key: string;
  name: string;
  kind: SymbolKind;
  /** The span of the name where it is declared (absent for built-ins). */
  nameSpan?: Span;
  /** The span of the whole declaration (absent for built-ins). */
  declSpan?: Span;
  /** A one-line description for hover, e.g. `segment web 10.10.1.0/24 at fra1.fw1 zone dmz`. */
  detail: string;
}

export interface SymbolRef {
  /** The span of the reference's text. */
  span: Span;
  /** The key of the symbol it resolves to. */
  key: string;
}

export interface SymbolTable {
  definitions: SymbolDef[];
  references: SymbolRef[];
}
