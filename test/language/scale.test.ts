// Inputs that are large in the wrong way must still be checked in linear time, without
// overflowing the stack: many unknown names, many identical prefixes, deeply nested groups.

import { cpuTimed } from '../cpu-time.js';
import { describe, expect, it } from 'vitest';
import { generateIntent } from '../../bench/generate.js';
import { BASE, run } from './analyze-helpers.js';

const timed = cpuTimed;

describe('front end at scale', () => {
  it('reports thousands of unknown names quickly, suggesting for the first ones', () => {
    const text = generateIntent({ sites: 10, devicesPerSite: 4, segments: 1000, rules: 4000, assertions: 100, seed: 3 });
    // Every segment's declaration misspelt: every reference to it is unknown.
    const broken = text.replace(/^segment seg(\d+)/gm, 'segment sgx$1');
    const { value, ms } = timed(() => run(broken));
    // The first 100 are reported, the rest counted in one P119.
    const unknown = value.diagnostics.filter((d) => d.code === 'P201');
    const more = value.diagnostics.at(-1)!;
    expect(value.diagnostics).toHaveLength(101);
    expect(more.code).toBe('P119');
    expect(unknown.length + Number(/^(\d+) more errors not shown/.exec(more.message)![1])).toBeGreaterThan(5000);
    expect(unknown[0]!.hint).toMatch(/^did you mean `sgx\d+`\?$/);
    expect(ms).toBeLessThan(20_000);
  });

  it('reports thousands of identical segments once each', () => {
    const same = Array.from({ length: 5000 }, (_, i) => `segment s${i} 10.10.1.0/24 at fra1.core1`).join('\n');
    const { value, ms } = timed(() => run(`${BASE}${same}\n`));
    // Each P304 comes with a P601 (the segment is unused): the first 100 are shown, 9,900 counted.
    expect(value.diagnostics.filter((d) => d.code === 'P304')).toHaveLength(50);
    expect(value.diagnostics).toHaveLength(101);
    expect(value.diagnostics.at(-1)!.message).toMatch(/^9900 more errors and warnings not shown/);
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
