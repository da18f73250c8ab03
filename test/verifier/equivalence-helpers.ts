// Shared by the mutation tests of translation validation: an example's compiled device, its
// rendered files, reading edited files back through the real backend, and small line editors
// for config text (each fails loudly when its anchor is not found, so that a mutation that no
// longer applies cannot pass silently).

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { backendFor } from '../../backends/index.js';
import { compile } from '../../compiler/index.js';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { analyze } from '../../language/analyze.js';
import { checkEquivalence, type EquivalenceResult, type PacketDifference } from '../../verifier/equivalence.js';
import type { ItemDifference } from '../../verifier/equivalence-config.js';
import type { SolverPool } from '../../verifier/solver-pool.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const models = new Map<string, NetworkModel>();

export function exampleModel(name: string): NetworkModel {
  let m = models.get(name);
  if (!m) {
    const path = `examples/${name}/${name}.plumb`;
    const analysis = analyze([{ path, text: readFileSync(`${root}/${path}`, 'utf8') }]);
    if (!analysis.intent) throw new Error(`example ${name} does not check`);
    m = compile(analysis.intent).model;
    models.set(name, m);
  }
  return m;
}

export interface Subject {
  model: NetworkModel;
  device: DeviceModel;
  files: RenderedFile[];
}

/** The compiler's DeviceModel of one example device and the files its backend renders. */
export function subject(example: string, id: string): Subject {
  const model = exampleModel(example);
  const device = model.devices.find((d) => d.id === id);
  if (!device) throw new Error(`no device ${id} in ${example}`);
  return { model, device, files: backendFor(device.platform)!.render(device, model) };
}

/** Reads files back through the device's backend; the edit must leave them readable. */
export function readBack(s: Subject, files: RenderedFile[]): DeviceModel {
  const { device } = s;
  const result = backendFor(device.platform)!.read(files, { id: device.id, site: device.site, name: device.name, role: device.role });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  expect(errors.map((e) => `${e.code} ${e.span.file}:${e.span.start.line} ${e.message}`)).toEqual([]);
  expect(result.device).toBeDefined();
  return result.device!;
}

/** Applies `edit` to the file named `file` (its path ends so); asserts the text really changed. */
export function editFile(files: readonly RenderedFile[], file: string, edit: (lines: string[]) => string[]): RenderedFile[] {
  let hit = false;
  const out = files.map((f) => {
    if (!f.path.endsWith(file)) return f;
    hit = true;
    const content = edit(f.content.split('\n')).join('\n');
    expect(content, `the edit of ${file} changed nothing`).not.toBe(f.content);
    return { ...f, content };
  });
  expect(hit, `no file ${file}`).toBe(true);
  return out;
}

export async function compareEdited(s: Subject, files: RenderedFile[], pool: SolverPool): Promise<EquivalenceResult> {
  return checkEquivalence(s.device, readBack(s, files), { pool, timeoutMs: 20_000 });
}

// ---- line editing -------------------------------------------------------------------------

/** Index of the only line matching `re` in [from, to); fails unless exactly one matches. */
export function lineIndex(lines: readonly string[], re: RegExp, from = 0, to = lines.length): number {
  const hits: number[] = [];
  for (let i = from; i < to; i++) if (re.test(lines[i]!)) hits.push(i);
  expect(hits.length, `lines matching ${re} in ${from}..${to}`).toBe(1);
  return hits[0]!;
}

/** [start, end) of a block that starts at the line matching `head` and ends before the first line after it matching `end`. */
export function section(lines: readonly string[], head: RegExp, end: RegExp): [number, number] {
  const start = lineIndex(lines, head);
  let i = start + 1;
  while (i < lines.length && !end.test(lines[i]!)) i++;
  return [start, i];
}

/** Replaces `from` by `to` in the line `i` (the text must be there). */
export function replaceIn(lines: string[], i: number, from: string | RegExp, to: string): string[] {
  const before = lines[i]!;
  const after = before.replace(from, to);
  expect(after, `line ${i + 1} has no ${from}`).not.toBe(before);
  const out = [...lines];
  out[i] = after;
  return out;
}

/** Moves lines [start, end) so that they come after line `after` (an index outside the range). */
export function moveLines(lines: readonly string[], start: number, end: number, after: number): string[] {
  const block = lines.slice(start, end);
  const rest = [...lines.slice(0, start), ...lines.slice(end)];
  const at = after < start ? after + 1 : after - (end - start) + 1;
  return [...rest.slice(0, at), ...block, ...rest.slice(at)];
}

export function removeLines(lines: readonly string[], start: number, end: number): string[] {
  return [...lines.slice(0, start), ...lines.slice(end)];
}

// ---- expectations -------------------------------------------------------------------------

export function onlyPacket(r: EquivalenceResult): PacketDifference {
  expect(r.undecided).toEqual([]);
  expect(r.equivalent).toBe(false);
  const packets = r.differences.filter((d): d is PacketDifference => d.kind === 'packet');
  expect(r.differences.filter((d) => d.kind === 'item')).toEqual([]);
  expect(packets.length).toBeGreaterThan(0);
  return packets[0]!;
}

export function onlyItems(r: EquivalenceResult): ItemDifference[] {
  expect(r.undecided).toEqual([]);
  expect(r.equivalent).toBe(false);
  expect(r.differences.filter((d) => d.kind === 'packet')).toEqual([]);
  return r.differences as ItemDifference[];
}

/** Equivalent; `proven` says that the solver (not only rule-for-rule identity) had to decide. */
export function expectEquivalent(r: EquivalenceResult, proven: boolean): void {
  expect(r.differences).toEqual([]);
  expect(r.undecided).toEqual([]);
  expect(r.equivalent).toBe(true);
  if (proven) expect(r.stats.queries).toBeGreaterThan(0);
}

export const inPrefix = (address: string, prefix: string): boolean => {
  const [net, len] = prefix.split('/');
  const toInt = (a: string): number => a.split('.').reduce((n, o) => n * 256 + Number(o), 0);
  const size = 2 ** (32 - Number(len));
  return Math.floor(toInt(address) / size) === Math.floor(toInt(net!) / size);
};
