// What one resolution of an intent keeps for the next resolution of the same intent: the
// language server resolves the whole intent again on every keystroke, while an edit changes a
// declaration or two. The incremental parser (lsp/incremental-parse.ts) keeps the AST objects
// of the text an edit did not touch (their spans moved in place), so an object seen again is a
// declaration whose text is unchanged.
//
// Kept, by declaration object (groups, policies, assertions, `manage` lines: the declarations of
// many references): what resolving its references produced (its symbol references and the
// devices it names) when it reported nothing. A reference that resolved without a report
// depends only on which names are declared with which kind and which device ids exist
// (resolve-refs.ts reads nothing else on that path), so those outcomes are replayed, in the same
// order, while that namespace is unchanged; any change of it (a name added, removed or of
// another kind, a device added or removed) resolves everything again. A declaration that
// reported anything is always resolved again: its reports read more (the near names of the
// whole namespace, the other declaration's span).

import type { DeviceRef } from './ast.js';
import type { DeviceEntity, NamedEntity } from './resolve.js';
import type { SymbolRef } from './symbols.js';

/** What resolving one declaration's references produced, when it reported nothing. */
export interface ReferenceOutcome {
  refs: SymbolRef[];
  /** The device references it resolved, and the id of the device each names. */
  devices: { ref: DeviceRef; id: string }[];
}

export class ResolveMemo {
  /** The namespace of the last completed resolution (see namespaceKey). */
  private namespace: string | undefined;
  private outcomes = new Map<object, ReferenceOutcome>();
  // The resolution under way: committed by `end`, so that one that threw leaves the last
  // completed resolution's memo as it was.
  private nextNamespace: string | undefined;
  private nextOutcomes = new Map<object, ReferenceOutcome>();
  private reusable = false;

  /** A resolution starts. */
  begin(): void {
    this.nextNamespace = undefined;
    this.nextOutcomes = new Map();
    this.reusable = false;
  }

  /** The declarations are in: references resolved in the same namespace may be replayed. */
  declared(names: ReadonlyMap<string, NamedEntity>, devices: ReadonlyMap<string, DeviceEntity>): void {
    this.nextNamespace = namespaceKey(names, devices);
    this.reusable = this.nextNamespace === this.namespace;
  }

  /** The outcome of `item`'s references in the last resolution, if it may be replayed. */
  outcome(item: object): ReferenceOutcome | undefined {
    if (!this.reusable) return undefined;
    const kept = this.outcomes.get(item);
    if (kept) this.nextOutcomes.set(item, kept);
    return kept;
  }

  /** `item`'s references resolved with no report: kept for the next resolution. */
  keep(item: object, outcome: ReferenceOutcome): void {
    this.nextOutcomes.set(item, outcome);
  }

  /** The resolution completed: what it kept replaces the last one's. */
  end(): void {
    this.namespace = this.nextNamespace;
    this.outcomes = this.nextOutcomes;
    this.nextOutcomes = new Map();
  }
}

/** Every declared name with its kind, and every device id, in declaration order. */
function namespaceKey(names: ReadonlyMap<string, NamedEntity>, devices: ReadonlyMap<string, DeviceEntity>): string {
  const parts: string[] = [];
  for (const [name, entity] of names) parts.push(`${entity.kind} ${name}`);
  parts.push('');
  for (const id of devices.keys()) parts.push(id);
  return parts.join('\n');
}
