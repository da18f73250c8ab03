// The readers' books of named objects (backends/references.ts): definitions and uses in any
// order, one report of duplicates (R910) and undefined references (R903) in one message shape.
import { describe, expect, it } from 'vitest';
import type { Diagnostic, Span } from '../../language/diagnostic.js';
import { References } from '../../backends/references.js';
import { Reporter } from '../../backends/reporter.js';

const at = (line: number): Span => ({
  file: 'r1.cfg',
  start: { line, column: 1, offset: 0 },
  end: { line, column: 2, offset: 1 },
});
const shown = (ds: Diagnostic[]): string[] =>
  ds.map((d) => `${d.code} ${d.span.start.line}: ${d.message} (${d.hint ?? ''})`);

describe('References', () => {
  it('a use before its definition is defined; a use of nothing is reported where it is', () => {
    const refs = new References();
    refs.reference('route-map', 'RM', at(1), 'neighbour 192.0.2.1');
    refs.define('route-map', 'RM', at(5));
    refs.reference('ip prefix-list', 'PL', at(6));
    const reporter = new Reporter();
    refs.report(reporter);
    expect(shown(reporter.diagnostics)).toEqual([
      'R903 6: ip prefix-list PL is not defined (Define it or fix the name.)',
    ]);
    expect(refs.isDefined('route-map', 'RM')).toBe(true);
  });

  it('duplicates first, then undefined references, each in the order met; a kind of its own is another name', () => {
    const refs = new References({ hints: { zone: 'Add it to the vsys.' } });
    expect(refs.define('zone', 'trust', at(1))).toBe(true);
    expect(refs.define('zone', 'trust', at(2))).toBe(false);
    refs.reference('zone', 'dmz', at(3), 'security rule r1');
    refs.reference('address', 'trust', at(4), 'security rule r1');
    const reporter = new Reporter();
    refs.report(reporter);
    expect(shown(reporter.diagnostics)).toEqual([
      'R910 2: zone trust is defined twice (Merge the two definitions.)',
      'R903 3: security rule r1 uses zone dmz, which is not defined (Add it to the vsys.)',
      'R903 4: security rule r1 uses address trust, which is not defined (Define it or fix the name.)',
    ]);
  });

  it('kinds in one namespace share their names, and each still resolves its own uses', () => {
    const refs = new References({
      namespaces: { 'network object-group': 'object-group', 'service object-group': 'object-group' },
    });
    refs.define('network object-group', 'G', at(1));
    refs.define('service object-group', 'G', at(3));
    refs.reference('network object-group', 'G', at(5));
    refs.reference('service object-group', 'H', at(6));
    const reporter = new Reporter();
    refs.report(reporter);
    expect(shown(reporter.diagnostics)).toEqual([
      'R910 3: object-group G is defined twice (Merge the two definitions.)',
      'R903 6: service object-group H is not defined (Define it or fix the name.)',
    ]);
  });
});
