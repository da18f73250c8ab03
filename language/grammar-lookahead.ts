// chevrotain's parser with each rule's lookahead functions computed when the rule first decides
// something, not all of them when the parser is built. Building the parser records every rule and
// then computes the lookahead of every decision of every rule (each OR, OPTION, MANY): a third of
// a small `plumb check`'s own time (docs/performance.md, "Start-up"), though a file uses the
// rules of the statements it has. The functions are chevrotain's own, computed by chevrotain's
// own method one rule at a time; test/language/grammar.test.ts holds the set of them, once every
// rule has decided, equal to what chevrotain computes up front.

import { EmbeddedActionsParser, type Rule } from 'chevrotain';

/** What chevrotain's parser keeps of its lookahead, which its typings do not show. */
interface LookaheadInternals {
  lookAheadFuncsCache: Map<number, unknown>;
  fullRuleNameToShort: Record<string, number>;
  preComputeLookaheadFunctions(rules: readonly Rule[]): void;
  getLaFuncFromCache(key: number): unknown;
}

/** A decision's key is its rule's short name plus, in its low 12 bits, the kind of decision (OR,
 * OPTION, ...) and its occurrence in the rule (chevrotain's grammar/keys.ts). */
const DECISION_BITS = 0xfff;

const chevrotainMethods = EmbeddedActionsParser.prototype as unknown as LookaheadInternals;

export class LazyLookaheadParser extends EmbeddedActionsParser {
  /** The rules whose lookahead is not computed yet, by short name. */
  private lookaheadPending = new Map<number, Rule>();

  /** Called by performSelfAnalysis once the rules are recorded: keeps them for later. */
  preComputeLookaheadFunctions(rules: readonly Rule[]): void {
    const internals = this as unknown as LookaheadInternals;
    for (const rule of rules) this.lookaheadPending.set(internals.fullRuleNameToShort[rule.name]!, rule);
  }

  /** Called at every decision: the rule's lookahead functions are computed at its first. */
  getLaFuncFromCache(key: number): unknown {
    const internals = this as unknown as LookaheadInternals;
    const found = internals.lookAheadFuncsCache.get(key);
    if (found !== undefined) return found;
    const rule = this.lookaheadPending.get(key & ~DECISION_BITS);
    if (rule === undefined) return undefined;
    this.lookaheadPending.delete(key & ~DECISION_BITS);
    chevrotainMethods.preComputeLookaheadFunctions.call(this, [rule]);
    return internals.lookAheadFuncsCache.get(key);
  }

  /** Computes what is still pending (for the tests: the set is then chevrotain's whole set). */
  computeAllLookahead(): void {
    const rules = [...this.lookaheadPending.values()];
    this.lookaheadPending.clear();
    chevrotainMethods.preComputeLookaheadFunctions.call(this, rules);
  }

  /** The keys of the lookahead functions computed so far. */
  lookaheadKeys(): number[] {
    return [...(this as unknown as LookaheadInternals).lookAheadFuncsCache.keys()].sort((a, b) => a - b);
  }
}
