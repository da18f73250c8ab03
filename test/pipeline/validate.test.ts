// Translation validation as data (pipeline/validate.ts): a faithful rendering is proven equal
// device by device; a tampered one comes back as failures that name the device, what kind of
// failure it is and the concrete difference, and as the lines of the report the CLI prints.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOutput, type RenderedOutput } from '../../backends/output.js';
import { compileIntent } from '../../pipeline/compile.js';
import { validateRendered } from '../../pipeline/validate.js';

const ACME = [{ path: 'examples/acme/acme.plumb', text: readFileSync('examples/acme/acme.plumb', 'utf8') }];

function acmeOutput(): RenderedOutput {
  const compiled = compileIntent(ACME);
  if (!compiled.model) throw new Error('acme does not compile');
  return renderOutput(compiled.model, ACME);
}

/** The output with one file of one device changed by `edit`. */
function tampered(device: string, file: string, edit: (text: string) => string): RenderedOutput {
  const output = acmeOutput();
  const target = output.devices.find((d) => d.device.id === device)!.files.find((f) => f.path === file)!;
  const changed = edit(target.content);
  expect(changed).not.toBe(target.content);
  target.content = changed;
  return output;
}

describe('validateRendered', () => {
  it('proves every device of a faithful rendering equal to its model', async () => {
    const outcome = await validateRendered(acmeOutput(), 'out');
    if (!outcome.ok) throw new Error(outcome.report);
    expect(outcome.summary.devices).toBe(acmeOutput().devices.length);
    expect(outcome.summary.lists).toBeGreaterThan(0);
  });

  it('gives a rule turned from drop to accept as a difference of that device, with a packet', async () => {
    const output = tampered('ams1.gw1', 'nftables.conf', (text) => text.replace('} drop comment "deny guest', '} return comment "deny guest'));
    const outcome = await validateRendered(output, 'out');
    if (outcome.ok) throw new Error('the tampered rendering was proven equal');
    expect(outcome.failures.map((f) => [f.device, f.kind])).toEqual([['ams1.gw1', 'different']]);
    const [failure] = outcome.failures;
    expect(failure!.differences.length).toBeGreaterThan(0);
    expect(failure!.differences.some((d) => 'packet' in d)).toBe(true);
    expect(failure!.lines[0]).toBe('device ams1.gw1: the files read back differ from the model');
    expect(outcome.report).toBe(failure!.lines.map((l) => `${l}\n`).join(''));
  });

  it('gives files the reader rejects as an unreadable device with the reader errors, first in the report', async () => {
    const output = tampered('ams1.core2', 'nftables.conf', (text) => `${text}table inet broken {\n`);
    const tag = output.devices.find((d) => d.device.id === 'ams1.gw1')!.files.find((f) => f.path === 'nftables.conf')!;
    tag.content = tag.content.replace('} drop comment "deny guest', '} return comment "deny guest');
    const outcome = await validateRendered(output, 'out');
    if (outcome.ok) throw new Error('the tampered rendering was proven equal');
    expect(outcome.failures.map((f) => [f.device, f.kind])).toEqual([
      ['ams1.core2', 'unreadable'],
      ['ams1.gw1', 'different'],
    ]);
    const unreadable = outcome.failures[0]!;
    expect(unreadable.errors.length).toBeGreaterThan(0);
    expect(unreadable.errors.every((d) => d.severity === 'error' && d.span.file === 'out/ams1/core2/nftables.conf')).toBe(true);
    expect(outcome.report).toMatch(/^device ams1\.core2: the frr reader cannot read the files its renderer wrote\n/);
  });
});
