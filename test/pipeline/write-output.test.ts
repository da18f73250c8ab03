// `plumb compile -o` device by device (pipeline/write-output.ts): what it writes is byte for
// byte what the output rendered in memory writes (with and without deltas); a device that does
// not come back as its model leaves nothing behind, and every such device is still reported;
// the pending folder of a run that is gone is removed by the next write, a live run's is not.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { linuxBackend } from '../../backends/linux/index.js';
import { addDeltas } from '../../backends/output-delta.js';
import { renderOutput, writeOutput } from '../../backends/output.js';
import { readPreviousOutput } from '../../pipeline/previous.js';
import { renderIntoFolder } from '../../pipeline/write-output.js';
import { snapshot } from '../folder-snapshot.js';
import { whileDropsReadAsPermits } from '../reader-faults.js';
import { acmeModel } from './acme-model.js';

const tmp = mkdtempSync(join(tmpdir(), 'plumb-write-output-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const noSecrets = new Map<string, string>();

describe('renderIntoFolder', () => {
  it('writes what the output rendered in memory writes, byte for byte, and keeps no text of it', async () => {
    const { model, sources } = acmeModel();
    const streamed = join(tmp, 'streamed');
    const output = await renderIntoFolder(model, sources, { dir: streamed, shown: 'out', secrets: noSecrets, validate: true });
    if (!output.ok) throw new Error(output.validation.report);
    expect(output.validation?.devices).toBe(model.devices.length);
    expect(readdirSync(streamed)).toEqual([`.plumb-pending-${process.pid}`]); // nothing in DIR itself yet
    output.write();
    const inMemory = join(tmp, 'in-memory');
    const rendered = renderOutput(model, sources);
    writeOutput(inMemory, rendered);
    expect(snapshot(streamed)).toEqual(snapshot(inMemory));
    expect(output.manifest).toEqual(rendered.manifest);
    expect(output.devices.map((d) => [d.id, d.files])).toEqual(rendered.devices.map((d) => [d.device.id, d.files.map((f) => f.path)]));
    expect(JSON.stringify(output.devices)).not.toContain('\n'); // paths only, never a file's text
  });

  it('with --previous, writes the deltas and the manifest addDeltas gives', async () => {
    const old = acmeModel();
    const base = join(tmp, 'previous');
    writeOutput(base, renderOutput(old.model, old.sources));
    const read = readPreviousOutput(base, 'previous');
    if (!('previous' in read)) throw new Error(read.problem.message);
    // Another segment's rules change: some devices get delta files, others stay unchanged.
    const { model, sources } = acmeModel((t) => t.replace(/\ballow\b/, 'deny'));
    const streamed = join(tmp, 'streamed-delta');
    const output = await renderIntoFolder(model, sources, { dir: streamed, shown: 'out', secrets: noSecrets, validate: false, previous: read.previous });
    if (!output.ok) throw new Error('validation was off');
    output.write();
    const inMemory = join(tmp, 'in-memory-delta');
    const rendered = addDeltas(renderOutput(model, sources), read.previous);
    writeOutput(inMemory, rendered);
    expect(snapshot(streamed)).toEqual(snapshot(inMemory));
    expect(output.devices.some((d) => d.delta?.status === 'changed')).toBe(true);
    expect(output.devices.map((d) => d.delta)).toEqual(rendered.devices.map((d) => ({ status: d.delta!.status, files: d.delta!.files.map((f) => f.path) })));
  });

  it('a device that does not come back as its model: every such device reported, nothing left behind', async () => {
    const { model, sources } = acmeModel();
    await whileDropsReadAsPermits(linuxBackend, async () => {
      const fresh = join(tmp, 'never', 'out');
      const failed = await renderIntoFolder(model, sources, { dir: fresh, shown: 'out', secrets: noSecrets, validate: true });
      if (failed.ok) throw new Error('the misread devices were proven equal');
      const linux = model.devices.filter((d) => d.platform === 'linux' && d.filters.some((f) => f.rules.some((r) => r.action === 'deny')));
      expect(linux.length).toBeGreaterThan(0);
      expect(failed.validation.failures.map((f) => f.device)).toEqual(linux.map((d) => d.id).sort());
      expect(existsSync(fresh)).toBe(false);

      const kept = join(tmp, 'kept');
      mkdirSync(kept);
      writeFileSync(join(kept, 'NOTES.txt'), 'mine');
      const again = await renderIntoFolder(model, sources, { dir: kept, shown: 'kept', secrets: noSecrets, validate: true });
      expect(again.ok).toBe(false);
      expect(snapshot(kept)).toEqual({ 'NOTES.txt': 'mine' });
    });
  });

  it("removes a pending folder its run left when it is gone, and leaves a live run's", async () => {
    const { model, sources } = acmeModel();
    const dir = join(tmp, 'leftovers');
    const dead = Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
    for (const pid of [dead, process.ppid]) {
      mkdirSync(join(dir, `.plumb-pending-${pid}`, 'new', 's'), { recursive: true });
      writeFileSync(join(dir, `.plumb-pending-${pid}`, 'new', 's', 'f'), 'x');
    }
    const output = await renderIntoFolder(model, sources, { dir, shown: 'out', secrets: noSecrets, validate: false });
    if (!output.ok) throw new Error('validation was off');
    const report = output.write();
    expect(report.removedStale).toEqual([join('out', `.plumb-pending-${dead}`)]);
    expect(readdirSync(dir).filter((n) => n.startsWith('.plumb-'))).toEqual([`.plumb-pending-${process.ppid}`]);
  });
});
