// Random dual-stack and IPv6-only intents (random-intents.ts) through the front end and the
// compiler: no error, and both families routed everywhere (no C704 or C710), so that the
// routing tests that run them in namespaces compare complete tables.

import { describe, expect, it } from 'vitest';
import { checked, compileText } from './helpers.js';
import { randomIntent } from './random-intents.js';

describe('random intents', () => {
  it('are deterministic', () => {
    expect(randomIntent(7).text).toBe(randomIntent(7).text);
    expect(randomIntent(7).text).not.toBe(randomIntent(8).text);
  });

  for (let seed = 1; seed <= 40; seed++) {
    it(`seed ${seed}: checks and compiles with every prefix routed on every device`, () => {
      const { text } = randomIntent(seed);
      checked(text);
      const { model, diagnostics } = compileText(text);
      expect(diagnostics.filter((d) => d.severity === 'error' || d.code === 'C704' || d.code === 'C710').map((d) => `${d.code} ${d.message}`)).toEqual([]);
      // IPv6 runs on every link over link-local addresses.
      const links = model.devices.flatMap((d) => d.interfaces.filter((i) => i.role === 'link'));
      expect(links.every((i) => i.linkLocal === 'fe80::1' || i.linkLocal === 'fe80::2')).toBe(true);
    });
  }
});
