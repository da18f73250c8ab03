// `plumb verify --configs examples/<name>/out` (the devices read back from the checked-in compile
// output) proves the same verdicts as `plumb verify` on the intent, with no drift and no
// unreadable device: the second witness of the design (the proof over the read-back configs)
// agrees with the first (the proof over the compiler's model). The six commands share one pool
// of Z3 workers (test/shared-solvers.ts): each would otherwise start and close its own.

import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { sharedSolvers } from '../shared-solvers.js';
import { capturedIo, type CapturedIo } from './captured-io.js';

const root = fileURLToPath(new URL('../..', import.meta.url));

const io = (): CapturedIo => capturedIo(root);
const solvers = sharedSolvers();

interface JsonReport {
  verdicts: { status: string; assertion: { text: string } }[];
  diagnostics: { code: string; severity: string; message: string }[];
}

async function verdicts(args: string[]): Promise<{ code: number; report: JsonReport }> {
  const c = io();
  const code = await solvers(() => run(['verify', ...args, '--format', 'json'], c));
  return { code, report: JSON.parse(c.out) as JsonReport };
}

describe('plumb verify --configs on the examples\' checked-in output', () => {
  for (const example of ['acme', 'campus', 'multicloud']) {
    it(`${example}: the same verdicts as on the intent, and no drift`, async () => {
      const intent = await verdicts([`examples/${example}`]);
      const configs = await verdicts([`examples/${example}`, '--configs', `examples/${example}/out`]);
      const statuses = (r: JsonReport): string[] => r.verdicts.map((v) => `${v.status} ${v.assertion.text}`);
      expect(statuses(intent.report).length).toBeGreaterThan(0);
      expect(statuses(configs.report)).toEqual(statuses(intent.report));
      expect(configs.code).toBe(intent.code);
      const ours = configs.report.diagnostics.filter((d) => /^(V88|R9)/.test(d.code));
      expect(ours.map((d) => `${d.code} ${d.message}`)).toEqual([]);
    }, 60_000);
  }
});
