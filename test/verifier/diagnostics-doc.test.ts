// docs/diagnostics.md, section V800: every example triggers its code through the real pipeline
// (analyze, compile, the verifier's lint); V804 and V805 are also triggered on hand-built models
// (a clean intent never compiles to a forwarding loop).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compile } from '../../compiler/index.js';
import { analyze } from '../../language/analyze.js';
import { lintModel } from '../../verifier/lint.js';
import { ModelBuilder } from './builder.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const doc = readFileSync(`${root}/docs/diagnostics.md`, 'utf8');
const section = doc.slice(doc.indexOf('<!-- V800: verifier -->'), doc.indexOf('<!-- R900'));

const examples = [...section.matchAll(/^### (V8\d\d)[^\n]*\n([\s\S]*?)(?=^### |$(?![\s\S]))/gm)].map((m) => ({
  code: m[1]!,
  plumb: /```plumb\n([\s\S]*?)```/.exec(m[2]!)?.[1],
}));

describe('docs/diagnostics.md V800 section', () => {
  it('documents V801-V805', () => {
    expect(examples.map((e) => e.code)).toEqual(['V801', 'V802', 'V803', 'V804', 'V805']);
  });

  for (const ex of examples.filter((e) => e.plumb !== undefined)) {
    it(`${ex.code}: the example triggers it`, () => {
      const analysis = analyze([{ path: 'example.plumb', text: ex.plumb! }]);
      expect(analysis.intent, JSON.stringify(analysis.diagnostics.filter((d) => d.severity === 'error'))).toBeDefined();
      const { model } = compile(analysis.intent!);
      const codes = lintModel(model).map((d) => d.code);
      expect(codes).toContain(ex.code);
    });
  }

  it('V804 and V805 on a hand-built model', () => {
    const model = new ModelBuilder('loop')
      .device('s.a')
      .device('s.b')
      .link('s.a', 'e1', '10.255.0.0/31', 's.b', 'e1', '10.255.0.1/31')
      .segment('left', ['10.1.0.0/24'], 's.a', 'e0', ['10.1.0.1/24'])
      .segment('far', ['10.3.0.0/24'], 's.b', 'e3', ['10.3.0.1/24'])
      .route('s.b', { prefix: '10.3.0.128/25', protocol: 'static', nextHops: [{ interface: 'e1', address: '10.255.0.0', device: 's.a' }], metric: 1 })
      .build();
    model.devices[0]!.fib = model.devices[0]!.fib.filter((r) => r.prefix !== '10.1.0.0/24' || true).filter((r) => r.prefix !== '10.255.0.0/31');
    const diags = lintModel(model);
    const loop = diags.find((d) => d.code === 'V804')!;
    expect(loop.message).toBe('forwarding loop for internal prefix 10.3.0.0/24 through s.a, s.b');
    expect(loop.severity).toBe('error');
    expect(diags.some((d) => d.code === 'V805' && d.message === 'black hole for internal prefix 10.255.0.0/31: s.a has no route')).toBe(true);
  });
});
