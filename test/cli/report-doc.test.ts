// docs/cli.md's `plumb report` section: its example command runs as written (in a copy of the
// examples, so that the page lands in a folder of the test's own) and writes the page the
// section describes; every option of its heading is one the command has.

import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { capturedIo } from './captured-io.js';

const ROOT = join(import.meta.dirname, '..', '..');
const hasGraphviz = spawnSync('dot', ['-V']).error === undefined;
if (!hasGraphviz && !process.env.CI) console.warn('\n*** SKIPPING the plumb report docs test: Graphviz `dot` is not installed ***\n');
const tmp = mkdtempSync(join(tmpdir(), 'plumb-report-doc-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function section(): string {
  const doc = readFileSync(join(ROOT, 'docs', 'cli.md'), 'utf8');
  const at = doc.indexOf('\n## `plumb report ');
  expect(at).toBeGreaterThanOrEqual(0);
  const next = doc.indexOf('\n## ', at + 1);
  return doc.slice(at, next < 0 ? undefined : next);
}

describe.skipIf(!hasGraphviz && !process.env.CI)('docs/cli.md, the plumb report section', () => {
  it('runs its example as written and gets the page it describes', async () => {
    const commands = [...section().matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1]!.trim().split('\n'));
    expect(commands.length).toBeGreaterThan(0);
    cpSync(join(ROOT, 'examples'), join(tmp, 'examples'), { recursive: true });
    for (const command of commands) {
      const words = command.split(/\s+/);
      expect(words.slice(0, 2)).toEqual(['plumb', 'report']);
      const io = capturedIo(tmp);
      expect(await run(words.slice(1), io), io.err).toBe(0);
      const out = words[words.indexOf('-o') + 1]!;
      const html = readFileSync(join(tmp, out), 'utf8');
      for (const id of ['picture', 'assertions', 'diagnostics', 'configs', 'intent']) expect(html).toContain(`<section id="${id}">`);
      expect(html).toMatch(/<p class="muted">made [0-9-]+T[0-9:.]+Z, proofs took [0-9.]+ s<\/p>/);
    }
  }, 600_000);

  it('names only options the command has', async () => {
    const heading = section().split('\n')[1]!;
    const io = capturedIo(tmp);
    await run(['report', '--help'], io);
    for (const option of heading.match(/--[a-z-]+|-o\b/g)!) expect(io.out).toContain(option);
  }, 60_000);
});
