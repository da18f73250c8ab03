// Failure-robust placement (compiler/failures.ts): a firewall on a backup path carries the rules
// of the flows that fail over to it, for the failures the intent must survive.

import { describe, expect, it } from 'vitest';
import type { NetworkModel } from '../../compiler/model.js';
import { compileIntent } from '../../pipeline/compile.js';

const TRIANGLE = (head: string, routing = 'ospf'): string => `network tri
routing ${routing}
pool infra 10.255.0.0/16
${head}
site s {
  router r1 frr
  router r2 frr
  firewall fw paloalto-panos
  link r1 -- r2
  link r1 -- fw cost 5
  link fw -- r2 cost 5
}
segment office 10.1.0.0/24 at s.r1
segment db 10.2.0.0/24 at s.r2
policy {
  allow office -> db : postgres
}
`;

function compile(text: string): { model: NetworkModel; codes: string[] } {
  const c = compileIntent([{ path: 'tri.plumb', text }]);
  expect(c.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  return { model: c.model!, codes: c.diagnostics.map((d) => d.code) };
}

const allows = (model: NetworkModel): string[] =>
  model.devices.find((d) => d.id === 's.fw')!.securityRules.filter((r) => r.action === 'permit').map((r) => r.description);

describe('placement under failures', () => {
  it('puts the rule on the firewall of the backup path by default (any 1 failure)', () => {
    const { model, codes } = compile(TRIANGLE(''));
    expect(allows(model)).toEqual(['allow office -> db : postgres (tri.plumb:16)']);
    expect(codes).not.toContain('C711');
  });

  it('keeps to today\u2019s paths with `survive 0 failures`', () => {
    expect(allows(compile(TRIANGLE('survive 0 failures')).model)).toEqual([]);
  });

  it('finds a firewall two failures away only when the intent must survive two', () => {
    // A second backup path over r3, cheaper than the firewall's: the firewall carries the flow
    // only once r1 -- r2 and r3 (or one of its links) have failed.
    const text = TRIANGLE('survive SURVIVE').replace('  link fw -- r2 cost 5\n', '  link fw -- r2 cost 5\n  router r3 frr\n  link r1 -- r3 cost 2\n  link r3 -- r2 cost 2\n');
    expect(allows(compile(text.replace('SURVIVE', '1 failure')).model)).toEqual([]);
    expect(allows(compile(text.replace('SURVIVE', '2 failures')).model)).toEqual(['allow office -> db : postgres (tri.plumb:19)']);
  });

  it('warns (C711) that static routes do not fail over when the intent says it must survive failures', () => {
    const { model, codes } = compile(TRIANGLE('survive 1 failure', 'static'));
    expect(codes).toContain('C711');
    expect(allows(model)).toEqual([]);
    // Without a `survive` line the default asks for nothing that static routing cannot give.
    expect(compile(TRIANGLE('', 'static')).codes).not.toContain('C711');
  });
});
