// The model-size guard (compiler/size-guard.ts, C705-C709): an intent over a limit gets its
// error quickly and an empty model; one at the limit compiles; the limits lie far above the
// benchmark's largest generated network.

import { cpuTimed } from '../cpu-time.js';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { MODEL_LIMITS, modelSizeDiagnostics } from '../../compiler/size-guard.js';
import { generateIntent } from '../../bench/generate.js';
import { checked } from './helpers.js';

function parallel(links: number): string {
  const lines = Array.from({ length: links }, () => '  link r1 -- r2');
  return `pool infra 10.255.0.0/16\nsite s {\n  router r1 frr\n  router r2 frr\n  router r3 frr\n${lines.join('\n')}\n  link r2 -- r3\n}\nsegment a 10.1.0.0/24 at s.r1\nsegment c 10.3.0.0/24 at s.r3\npolicy {\n  allow a -> c : https\n}\n`;
}

const timed = cpuTimed;

describe('model-size guard', () => {
  it(`refuses more than ${MODEL_LIMITS.parallelLinks} links between two devices (C705), and builds nothing`, () => {
    const intent = checked(parallel(1000));
    const { value, ms } = timed(() => compile(intent));
    expect(value.diagnostics.map((d) => d.code)).toEqual(['C705']);
    expect(value.diagnostics[0]!.message).toBe('more than 16 links between `s.r1` and `s.r2`');
    expect(value.diagnostics[0]!.span.start.line).toBe(6 + MODEL_LIMITS.parallelLinks);
    expect(value.diagnostics[0]!.related[0]!.span.start.line).toBe(6);
    expect(value.model.devices).toEqual([]);
    expect(ms).toBeLessThan(1000);
  });

  it('compiles the limit itself', () => {
    const { model, diagnostics } = compile(checked(parallel(MODEL_LIMITS.parallelLinks)));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const r1 = model.devices.find((d) => d.id === 's.r1')!;
    expect(r1.fib.find((r) => r.prefix === '10.3.0.0/24')!.nextHops).toHaveLength(MODEL_LIMITS.parallelLinks);
  });

  it('refuses a policy that expands to more than a million combinations (C709)', () => {
    const segments = Array.from({ length: 2001 }, (_, i) => `segment n${i} 10.${i >> 8}.${i & 255}.0/24 at s.r1`);
    const names = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => `n${from + i}`).join(', ');
    const text = `pool infra 10.255.0.0/16\nsite s {\n  router r1 frr\n}\n${segments.join('\n')}\ngroup left = ${names(0, 1001)}\ngroup right = ${names(1001, 2001)}\npolicy {\n  allow left -> right : https\n}\n`;
    const intent = checked(text);
    const { value, ms } = timed(() => compile(intent));
    expect(value.diagnostics.map((d) => d.code)).toEqual(['C709']);
    expect(value.diagnostics[0]!.span.start.line).toBe(2009);
    expect(ms).toBeLessThan(1000);
  });

  it(`refuses more than ${MODEL_LIMITS.devices.toLocaleString('en-US')} devices (C706) before building them`, () => {
    const devices = Array.from({ length: MODEL_LIMITS.devices + 1 }, (_, i) => `  router r${i} linux`);
    const intent = checked(`pool infra 10.255.0.0/16\nsite s {\n${devices.join('\n')}\n}\nsegment a 10.1.0.0/24 at s.r0\npolicy {\n  allow a -> any\n}\n`);
    const { value, ms } = timed(() => compile(intent));
    // 4,001 devices × 4,002 prefixes is over the forwarding limit as well.
    expect(value.diagnostics.map((d) => d.code)).toEqual(['C706', 'C708']);
    expect(value.diagnostics[0]!.message).toBe('4,001 devices; the limit is 4,000');
    expect(ms).toBeLessThan(1000);
  });

  it('checks segments (C707) and forwarding entries (C708) against their limits', () => {
    const intent = checked(parallel(1));
    const small = { ...MODEL_LIMITS, segments: 1, forwardingEntries: 20 };
    const codes = modelSizeDiagnostics(intent, small).map((d) => d.code);
    expect(codes).toEqual(['C707', 'C708']);
    expect(modelSizeDiagnostics(intent, { ...small, segments: 2, forwardingEntries: 21 })).toEqual([]);
    // 3 devices × (3 loopbacks + 2 segments + 2 links) = 21 routes.
    expect(modelSizeDiagnostics(intent, { ...small, segments: 2, forwardingEntries: 20 })[0]!.message).toContain('about 21 routes (3 devices × 7 prefixes)');
  });

  it("lies far above the benchmark's largest generated network", () => {
    const intent = checked(generateIntent({ sites: 100, devicesPerSite: 4, segments: 4000, rules: 20000, assertions: 200, seed: 1 }));
    expect(modelSizeDiagnostics(intent)).toEqual([]);
    expect(modelSizeDiagnostics(intent, { ...MODEL_LIMITS, forwardingEntries: 4_000_000 / 2 })).toEqual([]);
  });
});
