// Versions N and N+1 of an example for the delta tests: the example's intent compiled as it is
// and after text edits (rules added, changed and removed, a group shrunk, an external removed),
// each device's rendered files by id.

import type { RenderedFile } from '../../backends/backend.js';
import type { DeviceModel } from '../../compiler/model.js';
import { renderOutput } from '../../backends/output.js';
import { compileIntent } from '../../pipeline/compile.js';
import { exampleSources } from './example-output.js';

export interface Version {
  files: Map<string, RenderedFile[]>;
  devices: Map<string, DeviceModel>;
}

/** An edit of the intent text: `from` must occur in it. */
export type Edit = [from: string | RegExp, to: string];

const versions = new Map<string, Version>();

/** The example compiled after `edits` (applied to its files in turn); compiled once per test file. */
export function exampleVersion(name: string, edits: Edit[] = []): Version {
  const key = JSON.stringify([name, edits.map(([from, to]) => [String(from), to])]);
  const seen = versions.get(key);
  if (seen) return seen;
  const v = compileVersion(name, edits);
  versions.set(key, v);
  return v;
}

function compileVersion(name: string, edits: Edit[]): Version {
  const used = new Set<number>();
  const sources = exampleSources(name).map((s) => {
    let text = s.text;
    edits.forEach(([from, to], k) => {
      const changed = text.replace(from, to);
      if (changed !== text) used.add(k);
      text = changed;
    });
    return { path: s.path, text };
  });
  edits.forEach(([from], k) => {
    if (!used.has(k)) throw new Error(`${name}: the edit's text is not in the intent: ${String(from)}`);
  });
  const compiled = compileIntent(sources);
  if (!compiled.model) {
    const errors = compiled.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message);
    throw new Error(`${name} with edits: ${errors.join('; ')}`);
  }
  const output = renderOutput(compiled.model, sources);
  return {
    files: new Map(output.devices.map((d) => [d.device.id, d.files])),
    devices: new Map(output.devices.map((d) => [d.device.id, d.device])),
  };
}
