// docs/cli.md's examples of escaping and of --timeout's range are what the CLI does.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { VERIFY_TIMEOUT } from '../../cli/options.js';
import { run } from '../../cli/program.js';
import { sarifUri } from '../../cli/report/escape.js';

const DOC = readFileSync('docs/cli.md', 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'plumb-escaping-doc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The first fenced block after the paragraph that contains `marker`. */
function blockAfter(marker: string): string {
  const at = DOC.indexOf(marker);
  expect(at, marker).toBeGreaterThan(0);
  const open = DOC.indexOf('```\n', at);
  return DOC.slice(open + 4, DOC.indexOf('\n```', open + 4) + 1);
}

describe('docs/cli.md on escaping', () => {
  it("plumb check's example with an escape sequence in a string", async () => {
    writeFileSync(join(dir, 'site.plumb'), 'network t\nsite "\u001b[31mred" {\n}\n');
    let out = '';
    const code = await run(['check', 'site.plumb'], { stdout: (s) => void (out += s), stderr: () => undefined, isTTY: false, cwd: dir, env: {} });
    expect(code).toBe(1);
    expect(out).toBe(blockAfter('A file `site.plumb` whose second line is'));
  });

  it("SARIF's URI example", () => {
    const m = /`(a b:c\.plumb)` is `([^`]+)`/.exec(DOC);
    expect(m).not.toBeNull();
    expect(sarifUri(m![1]!)).toBe(m![2]);
  });

  it("--timeout's range", () => {
    expect(DOC).toContain(`a plain decimal from ${VERIFY_TIMEOUT.min} (1 ms) to ${VERIFY_TIMEOUT.max} (one day)`);
  });
});
