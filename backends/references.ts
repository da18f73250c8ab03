// The named objects of a configuration, as every reader keeps them (as Batfish's
// VendorConfiguration does for every vendor): the reader says where it defines an object
// (`define`) and where it uses one (`reference`) while it reads, in any order, and one pass at
// the end (`report`) reports every object defined twice (R910) and every use of an object the
// file does not define (R903), with the same code and the same message shape on every platform.
// Resolving a name to its value stays the reader's: this only keeps the books.

import type { Span } from '../language/diagnostic.js';
import { Codes, type DiagnosticCode } from '../language/diagnostics/index.js';

/** Where the report goes: a reader's `Reporter`, or any function of the same shape. */
export interface ReferenceSink {
  error(code: DiagnosticCode, span: Span, message: string, hint?: string): void;
}

interface Use {
  kind: string;
  name: string;
  span: Span;
  /** What uses the object, for the message: `security rule r1`. */
  usedBy?: string;
}

export class References {
  /** Every (kind, name) defined at least once. */
  private readonly defined = new Set<string>();
  /** Every (namespace, name) defined at least once: the names a second definition collides with. */
  private readonly taken = new Set<string>();
  private readonly duplicates: Use[] = [];
  private readonly uses: Use[] = [];

  /**
   * `namespaces` puts kinds that share their names in one namespace (IOS: a network and a
   * service object-group cannot have the same name); by default each kind is its own.
   * `hints` says how to define an object of a kind, for the undefined-reference message.
   */
  constructor(
    private readonly options: {
      namespaces?: Readonly<Record<string, string>>;
      hints?: Readonly<Record<string, string>>;
    } = {},
  ) {}

  /** Records a definition; false when its name is already defined in its namespace (a duplicate). */
  define(kind: string, name: string, span: Span): boolean {
    const namespace = this.options.namespaces?.[kind] ?? kind;
    this.defined.add(key(kind, name));
    const taken = key(namespace, name);
    if (this.taken.has(taken)) {
      this.duplicates.push({ kind: namespace, name, span });
      return false;
    }
    this.taken.add(taken);
    return true;
  }

  /** Records a use of an object; `usedBy` names what uses it (`security rule r1`). */
  reference(kind: string, name: string, span: Span, usedBy?: string): void {
    this.uses.push({ kind, name, span, ...(usedBy !== undefined ? { usedBy } : {}) });
  }

  isDefined(kind: string, name: string): boolean {
    return this.defined.has(key(kind, name));
  }

  /** Reports duplicates, then undefined references, each in the order they were met. */
  report(sink: ReferenceSink): void {
    for (const d of this.duplicates) sink.error(Codes.readerDuplicate, d.span, `${d.kind} ${d.name} is defined twice`, 'Merge the two definitions.');
    for (const u of this.uses) {
      if (this.isDefined(u.kind, u.name)) continue;
      const what = `${u.kind} ${u.name}`;
      const message = u.usedBy !== undefined ? `${u.usedBy} uses ${what}, which is not defined` : `${what} is not defined`;
      sink.error(Codes.readerUndefinedReference, u.span, message, this.options.hints?.[u.kind] ?? 'Define it or fix the name.');
    }
  }
}

function key(kind: string, name: string): string {
  return `${kind}\u0000${name}`;
}
