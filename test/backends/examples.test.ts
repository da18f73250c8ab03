// The backends' law on every device of every example (examples/*/*.plumb → analyze → compile →
// render → read), and every rendered file through the real tools.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../../language/analyze.js';
import { compile } from '../../compiler/index.js';
import type { NetworkModel } from '../../compiler/model.js';
import { backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';

export function exampleModels(): { name: string; model: NetworkModel }[] {
  const root = 'examples';
  return readdirSync(root)
    .sort()
    .flatMap((name) => {
      const files = readdirSync(join(root, name)).filter((f) => f.endsWith('.plumb')).sort();
      if (files.length === 0) return [];
      const sources = files.map((f) => ({ path: join(root, name, f), text: readFileSync(join(root, name, f), 'utf8') }));
      const analysis = analyze(sources);
      if (!analysis.intent) throw new Error(`${name}: ${JSON.stringify(analysis.diagnostics.slice(0, 3))}`);
      return [{ name, model: compile(analysis.intent).model }];
    });
}

describe('read(render(d)) = d for every frr and linux device of every example', () => {
  for (const { name, model } of exampleModels()) {
    for (const d of model.devices.filter((x) => x.platform === 'frr' || x.platform === 'linux')) {
      it(`${name}: ${d.id} (${d.platform})`, () => {
        const backend = backendFor(d.platform)!;
        const files = backend.render(d, model);
        if (process.env.SHOW) for (const f of files) console.log(`=== ${d.id} ${f.path}\n${f.content}`);
        const r = backend.read(files, { id: d.id, site: d.site, name: d.name, role: d.role });
        expect(r.diagnostics).toEqual([]);
        expect(r.device).toEqual(canonicalDevice(d));
      });
    }
  }
});
