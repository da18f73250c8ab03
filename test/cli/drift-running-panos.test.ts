// `plumb verify --configs` on a PAN-OS firewall's running configuration: acme compiled, then
// fra1.fw1's folder holding what the firewall prints (`show config running`, or its set form:
// test/backends/panos-running-form.ts) instead of Plumb's files. Untouched, it reads back with no
// difference and its unmanaged lines counted; an allow rule added above default-deny by hand is
// V886 drift at the line the firewall printed it on, with a realistic example packet.

import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runCli } from '../../cli/program.js';
import { entry, members } from '../../backends/paloalto-panos/xml.js';
import { leaf, runningSet, runningTree, runningXml, securityRules } from '../backends/panos-running-form.js';
import { sharedSolvers } from '../shared-solvers.js';
import { capturedIo, type CapturedIo } from './captured-io.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tmp = mkdtempSync(join(tmpdir(), 'plumb-drift-running-panos-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const io = (): CapturedIo => capturedIo(root);
const out = join(tmp, 'out');
const ONLY = ['--only', 'isolate internet -> db'];
// One pool of Z3 workers for the file's commands (test/shared-solvers.ts): `compile -o` and each
// `verify --configs` would otherwise start and close workers of its own.
const solvers = sharedSolvers();
const run = (...args: Parameters<typeof runCli>): ReturnType<typeof runCli> => solvers(() => runCli(...args));

beforeAll(async () => {
  expect(await run(['compile', 'examples/acme', '-o', out], io())).toBe(0);
});

let copies = 0;
/** The compile output with fra1.fw1's files replaced by what the firewall prints. */
function runningCopy(form: 'xml' | 'set', handRule = false): { dir: string; text: string; name: string } {
  const dir = join(tmp, `copy-${copies++}`);
  cpSync(out, dir, { recursive: true });
  const xml = join(dir, 'fra1/fw1/fw1.xml');
  const tree = runningTree(readFileSync(xml, 'utf8'));
  if (handRule) {
    const rules = securityRules(tree);
    const hand = entry('temp-any', [members('to', ['any']), members('from', ['any']), members('source', ['any']), members('destination', ['any']), members('application', ['any']), members('service', ['any']), leaf('action', 'allow')]);
    rules.children.splice(rules.children.length - 1, 0, hand);
  }
  rmSync(xml);
  rmSync(join(dir, 'fra1/fw1/fw1.set'));
  const text = form === 'xml' ? runningXml(tree) : runningSet(tree);
  const name = form === 'xml' ? 'show-config-running.xml' : 'show-config-running.txt';
  writeFileSync(join(dir, 'fra1/fw1', name), text);
  return { dir, text, name };
}

describe('plumb verify --configs on a PAN-OS running configuration', () => {
  for (const form of ['xml', 'set'] as const) {
    it(`${form}: reads back with no difference and counts the unmanaged lines`, async () => {
      const { dir } = runningCopy(form);
      const c = io();
      expect(await run(['verify', 'examples/acme', '--configs', dir, ...ONLY], c)).toBe(0);
      expect(c.out).not.toMatch(/(error|warning)\[(V88\d|R9\d\d)\]/);
      expect(c.out).toMatch(/^5 devices read back \(1 from running configuration\), 0 differences$/m);
      expect(c.out).toMatch(/^fra1\.fw1: \d+ unmanaged lines/m);
    });
  }

  it('an allow rule added above default-deny is V886 at the printed line, with a TCP packet', async () => {
    const { dir, text, name } = runningCopy('xml', true);
    const c = io();
    expect(await run(['verify', 'examples/acme', '--configs', dir, ...ONLY], c)).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('<entry name="temp-any">')) + 1;
    expect(c.out).toMatch(new RegExp(`error\\[V886\\]: device fra1\\.fw1 does not behave as the intent compiles it: packet tcp [\\d.]+:49152 -> [\\d.]+:\\d+ \\[syn\\] forwarded from zone \\S+ to zone \\S+ is admitted by the config but dropped by the intent: the config admitted at rule \\d+ of security, .*${name}:${line}`));
  });
});
