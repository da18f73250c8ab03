// Every TypeScript example of docs/api.md, as a reader would use it: each ```ts block is a
// program of its own in a consumer folder importing 'plumb-net' (test/api/consumer.ts), all of
// them type-checked with tsc against the emitted declarations, then each run with node from the
// repository's folder (the examples name examples/acme). The ```text block that follows an
// example is exactly what it prints; every process must end by itself.
//
// An example that calls `emulate` builds a lab: outside CI, a machine without root or the tools
// skips running it loudly (it is still type-checked); in CI it must run.

import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labProblem } from '../../api/emulate.js';
import { consumer, ensureBuilt, ROOT, type Consumer } from './consumer.js';

const DOC = readFileSync('docs/api.md', 'utf8');

interface Example {
  name: string;
  code: string;
  /** The ```text block right after the example: what it prints. */
  prints?: string;
  line: number;
}

const EXAMPLES: Example[] = [...DOC.matchAll(/```ts\n([\s\S]*?)```\n(?:\n```text\n([\s\S]*?)```\n)?/g)].map((m, i) => ({
  name: `example${i + 1}`,
  code: m[1]!,
  ...(m[2] !== undefined ? { prints: m[2] } : {}),
  line: DOC.slice(0, m.index).split('\n').length,
}));

const cannotRunLab = labProblem();
if (cannotRunLab && !process.env.CI) {
  console.warn(`\n*** SKIPPING the emulate example of docs/api.md: ${cannotRunLab.message} (it runs in CI as root) ***\n`);
}
/** Whether this example may run here: one that builds a lab needs a machine that can. */
const runsHere = (e: Example): boolean => !/\bemulate\(/.test(e.code) || !cannotRunLab || Boolean(process.env.CI);

let program: Consumer;
beforeAll(async () => {
  await ensureBuilt();
  program = consumer();
  for (const e of EXAMPLES) program.write(e.name, e.code);
}, 900_000);
afterAll(() => program?.remove());

describe('docs/api.md', () => {
  it('has examples, each with what it prints', () => {
    expect(EXAMPLES.length).toBeGreaterThanOrEqual(5);
    for (const e of EXAMPLES) expect(e.prints, `the example at docs/api.md:${e.line} is followed by a text block`).toBeDefined();
  });

  it('type-checks every example against the package', async () => {
    const checked = await program.typeCheck();
    expect(checked.output).toBe('');
    expect(checked.status).toBe(0);
  }, 600_000);

  // The example that builds a lab spends most of its time waiting for routing: it starts as soon
  // as the type check has compiled it and runs beside the others, which run one at a time (each a
  // process of its own, writing only to folders of its own). Its test waits for it.
  describe('each example, run', () => {
    const builds = (e: Example): boolean => /\bemulate\(/.test(e.code) && runsHere(e);
    const started = new Map<string, ReturnType<Consumer['run']>>();
    beforeAll(() => {
      for (const e of EXAMPLES.filter(builds)) started.set(e.name, program.run(e.name, ROOT, 600_000));
    });
    for (const e of EXAMPLES) {
      it.skipIf(!runsHere(e))(`runs the example at line ${e.line} and prints what the doc says`, async () => {
        const ran = await (started.get(e.name) ?? program.run(e.name, ROOT, 600_000));
        expect(ran.timedOut, 'the process did not end by itself').toBe(false);
        expect(ran.stderr).toBe('');
        expect(ran.status).toBe(0);
        expect(ran.stdout).toBe(e.prints);
      }, 700_000);
    }
  });
});
