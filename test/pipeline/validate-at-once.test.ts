// Translation validation device by device (pipeline/validate.ts DeviceValidator): a device whose
// rule lists come back equal rule for rule is proven as it is added, so that its read-back model
// is dropped at once; a device with a list for the solver waits for its batch. The outcome is the
// same as proving every device together: the solver's devices are counted and reported, and the
// failures come unreadable devices first, then the devices that differ, each in the order added,
// whichever was proven first.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderOutput, type RenderedOutput } from '../../backends/output.js';
import type { NetworkModel } from '../../compiler/model.js';
import { compileIntent } from '../../pipeline/compile.js';
import { DeviceValidator, type ValidationOutcome } from '../../pipeline/validate.js';

const ACME = [{ path: 'examples/acme/acme.plumb', text: readFileSync('examples/acme/acme.plumb', 'utf8') }];
const model: NetworkModel = (() => {
  const compiled = compileIntent(ACME);
  if (!compiled.model) throw new Error('acme does not compile');
  return compiled.model;
})();

/** acme's output with each `device`'s `file` changed by its edit (each edit must change the file). */
function tampered(edits: [device: string, file: string, edit: (text: string) => string][]): RenderedOutput {
  const output = renderOutput(model, ACME);
  for (const [device, file, edit] of edits) {
    const target = output.devices.find((d) => d.device.id === device)!.files.find((f) => f.path === file)!;
    const changed = edit(target.content);
    expect(changed, `${device} ${file}`).not.toBe(target.content);
    target.content = changed;
  }
  return output;
}

/** The devices added in `order` (ids), with `ok` as it stands after each add. */
async function validated(output: RenderedOutput, order: readonly string[]): Promise<{ outcome: ValidationOutcome; okAfter: boolean[] }> {
  const validator = new DeviceValidator('out');
  const okAfter: boolean[] = [];
  try {
    for (const id of order) {
      await validator.add(output.devices.find((d) => d.device.id === id)!);
      okAfter.push(validator.ok);
    }
    return { outcome: await validator.finish(), okAfter };
  } finally {
    await validator.close();
  }
}

/** An nftables rule that the solver must prove: the same rule twice is equivalent, not equal rule for rule. */
const SSH_RULE = /^\t\tip saddr 10\.50\.0\.0\/24 meta l4proto tcp tcp dport 22 return comment .*$/m;
const twice = (text: string): string => text.replace(SSH_RULE, (line) => `${line}\n${line}`);

describe('DeviceValidator, device by device', () => {
  it('proves a device with a list for the solver in its batch, and counts it with the others', async () => {
    const all = renderOutput(model, ACME).devices.map((d) => d.device.id);
    const plain = await validated(renderOutput(model, ACME), all);
    const solved = await validated(tampered([['ams1.gw1', 'nftables.conf', twice]]), all);
    if (!plain.outcome.ok) throw new Error(plain.outcome.report);
    if (!solved.outcome.ok) throw new Error(solved.outcome.report);
    expect(plain.outcome.summary.queries).toBe(0);
    expect(solved.outcome.summary.queries).toBeGreaterThan(0);
    expect(solved.outcome.summary.devices).toBe(all.length);
    expect(solved.outcome.summary.lists).toBe(plain.outcome.summary.lists);
    expect(solved.outcome.summary.identical).toBeLessThan(plain.outcome.summary.identical);
  });

  it('fails a device at once when no solver is needed, and reports failures by kind, then in the order added', async () => {
    const output = tampered([
      ['ams1.gw1', 'nftables.conf', (text) => text.replace('} drop comment "deny guest', '} return comment "deny guest')],
      ['fra1.edge1', 'edge1.cfg', (text) => text.replace('GigabitEthernet3 203.0.113.1\n', 'GigabitEthernet3 203.0.113.9\n')],
      ['ams1.core2', 'nftables.conf', (text) => `${text}table inet broken {\n`],
    ]);
    const { outcome, okAfter } = await validated(output, ['fra1.core1', 'ams1.gw1', 'fra1.edge1', 'ams1.core2', 'fra1.fw1']);
    // ams1.gw1's difference needs the solver: it is known only once its batch is proven (finish)
    expect(okAfter).toEqual([true, true, false, false, false]);
    if (outcome.ok) throw new Error('the tampered rendering was proven equal');
    expect(outcome.failures.map((f) => [f.device, f.kind])).toEqual([
      ['ams1.core2', 'unreadable'],
      ['ams1.gw1', 'different'],
      ['fra1.edge1', 'different'],
    ]);
    expect(outcome.failures[1]!.differences.some((d) => d.kind === 'packet')).toBe(true);
    expect(outcome.failures[2]!.differences.every((d) => d.kind === 'item')).toBe(true);
    expect(outcome.report).toBe(outcome.failures.flatMap((f) => f.lines).map((l) => `${l}\n`).join(''));
  });
});
