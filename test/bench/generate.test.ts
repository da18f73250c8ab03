import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { generateIntent } from '../../bench/generate.js';
import { formatTable } from '../../bench/table.js';

describe('bench/generate', () => {
  it('is deterministic and depends on the seed', () => {
    const opts = { sites: 3, devicesPerSite: 3, segments: 40, rules: 100, assertions: 10, seed: 5 };
    expect(generateIntent(opts)).toBe(generateIntent(opts));
    expect(generateIntent({ ...opts, seed: 6 })).not.toBe(generateIntent(opts));
  });

  it.each([
    { sites: 1, devicesPerSite: 1, segments: 2, rules: 100, assertions: 1, seed: 1 },
    { sites: 7, devicesPerSite: 5, segments: 300, rules: 900, assertions: 60, seed: 2 },
  ])('generates a clean intent: %o', (opts) => {
    const a = analyze([{ path: 'g.plumb', text: generateIntent(opts) }]);
    expect(a.diagnostics).toEqual([]);
    expect(a.intent!.rules.length).toBe(opts.rules);
  });

  it('refuses sizes it cannot make clean', () => {
    expect(() => generateIntent({ sites: 1, devicesPerSite: 1, segments: 100, rules: 10, assertions: 1, seed: 1 })).toThrow(/rules/);
  });

  it('generates the compiler and verifier benchmark size clean, with every platform', () => {
    const opts = { sites: 100, devicesPerSite: 4, segments: 4000, rules: 20000, assertions: 1000, seed: 1 };
    const a = analyze([{ path: 'g.plumb', text: generateIntent(opts) }]);
    expect(a.diagnostics).toEqual([]);
    const intent = a.intent!;
    expect(intent.devices).toHaveLength(400);
    expect(intent.segments).toHaveLength(4000);
    expect(intent.rules).toHaveLength(20000);
    expect(intent.assertions).toHaveLength(1000);
    expect(new Set(intent.devices.map((d) => d.platform))).toEqual(new Set(['cisco-iosxe', 'paloalto-panos', 'frr', 'linux']));
    expect(intent.assertions.filter((x) => x.property === 'isolate').length).toBeGreaterThan(0);
  });
});

describe('bench/run', () => {
  it('formats aligned tables', () => {
    expect(formatTable([{ case: 'a', n: 1 }, { case: 'bbb', n: 100 }])).toBe('case    n\n----  ---\na       1\nbbb   100');
  });
});
