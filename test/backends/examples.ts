// The examples (examples/*/*.plumb) through the real front end and compiler, for the backend tests.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../language/analyze.js';
import { compile } from '../../compiler/index.js';
import type { NetworkModel } from '../../compiler/model.js';

export function exampleModels(): { name: string; model: NetworkModel }[] {
  const root = 'examples';
  return readdirSync(root)
    .sort()
    .flatMap((name) => {
      const files = readdirSync(join(root, name))
        .filter((f) => f.endsWith('.plumb'))
        .sort();
      if (files.length === 0) return [];
      const sources = files.map((f) => ({
        path: join(root, name, f),
        text: readFileSync(join(root, name, f), 'utf8'),
      }));
      const analysis = analyze(sources);
      if (!analysis.intent) throw new Error(`${name}: ${JSON.stringify(analysis.diagnostics.slice(0, 3))}`);
      return [{ name, model: compile(analysis.intent).model }];
    });
}
