// The examples (examples/*/*.plumb) through the real front end and compiler, for the backend
// tests: every example's model, and the devices of one platform with the model they are in.
// Compiled once per test file.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../language/analyze.js';
import { compile } from '../../compiler/index.js';
import type { DeviceModel, NetworkModel, Platform } from '../../compiler/model.js';

let cache: { name: string; model: NetworkModel }[] | undefined;

export function exampleModels(): { name: string; model: NetworkModel }[] {
  if (cache) return cache;
  const root = 'examples';
  cache = readdirSync(root)
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
  return cache;
}

export interface ExampleDevice {
  example: string;
  model: NetworkModel;
  device: DeviceModel;
}

/** Every device of `platform` in every example, with the example's model. */
export function exampleDevices(platform: Platform): ExampleDevice[] {
  return exampleModels().flatMap(({ name, model }) =>
    model.devices.filter((d) => d.platform === platform).map((device) => ({ example: name, model, device })),
  );
}
