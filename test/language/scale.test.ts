// Inputs that are large in the wrong way must still be checked in linear time, without
// overflowing the stack: many unknown names, many identical prefixes, deeply nested groups.

import { describe, expect, it } from 'vitest';
import { generateIntent } from '../../bench/generate.js';
import { BASE, run } from './analyze-helpers.js';

const timed = <T>(f: () => T): { value: T; ms: number } => {
  const t0 = Date.now();
  const value = f();
  return { value, ms: Date.now() - t0 };
};

describe('front end at scale', () => {
  it('reports thousands of unknown names quickly, suggesting for the first ones', () => {
    const text = generateIntent({ sites: 10, devicesPerSite: 4, segments: 1000, rules: 4000, assertions: 100, seed: 3 });
    // Every segment's declaration misspelt: every reference to it is unknown.
    const broken = text.replace(/^segment seg(\d+)/gm, 'segment sgx$1');
    const { value, ms } = timed(() => run(broken));
    const unknown = value.diagnostics.filter((d) => d.code === 'P201');
    expect(unknown.length).toBeGreaterThan(5000);
    expect(unknown[0]!.hint).toMatch(/^did you mean `sgx\d+`\?$/);
    expect(ms).toBeLessThan(20_000);
  });

  it('reports thousands of identical segments once each', () => {
    const same = Array.from({ length: 5000 }, (_, i) => `segment s${i} 10.10.1.0/24 at fra1.core1`).join('\n');
    const { value, ms } = timed(() => run(`${BASE}${same}\n`));
    expect(value.diagnostics.filter((d) => d.code === 'P304')).toHaveLength(5000);
    expect(ms).toBeLessThan(20_000);
  });

  it('expands a chain of ten thousand nested groups without recursion', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => `group g${i} = ${i === 0 ? 'web' : `g${i - 1}`}`).join('\n');
    const a = run(`${BASE}${chain}\nassert reach g9999 -> db\n`);
    expect(a.diagnostics).toEqual([]);
    expect(a.intent!.assertions[0]!.sourcesExpanded).toEqual(['web']);
    const cyclic = run(`${BASE}${chain}\ngroup loop = g9999, loop2\ngroup loop2 = loop\nassert reach loop -> db\n`);
    expect(cyclic.diagnostics.map((d) => d.code)).toEqual(['P208']);
  });

  it('expands a chain of ten thousand services that name each other', () => {
    const chain = Array.from({ length: 10_000 }, (_, i) => `service v${i} = ${i === 0 ? 'tcp 8443' : `v${i - 1}`}`).join('\n');
    const a = run(`${BASE}${chain}\nassert reach web -> db : v9999\n`);
    expect(a.diagnostics).toEqual([]);
    expect(a.intent!.assertions[0]!.clauses).toEqual([{ protocol: 6, ports: [{ from: 8443, to: 8443 }] }]);
  });
});
