// The flags each command runs under (cli/v8-flags.ts): short commands raise V8's tier-up budget,
// the language server keeps V8's own, and every command keeps the heap's growth bound.
import { describe, expect, it } from 'vitest';
import { RUN_FLAGS, flagsFor } from '../../cli/v8-flags.js';

describe('the V8 flags of a command', () => {
  it('raises the tier-up budget for the commands that end (their code caches are made under it)', () => {
    for (const command of ['check', 'compile', 'verify', 'fmt', undefined]) expect(flagsFor(command)).toBe(RUN_FLAGS);
    expect(RUN_FLAGS).toMatch(/--interrupt-budget=\d+/);
  });

  it('keeps V8’s tier-up budget for the language server, and the heap bound for everyone', () => {
    expect(flagsFor('lsp')).not.toMatch(/interrupt-budget/);
    for (const command of ['lsp', 'compile']) expect(flagsFor(command)).toMatch(/--heap-growing-percent=50/);
  });
});
