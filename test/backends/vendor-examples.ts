// The examples' devices of one platform, compiled through the real pipeline
// (examples/*/*.plumb → analyze → compile), for the IOS-XE and PAN-OS backend tests.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../language/analyze.js';
import { compile } from '../../compiler/index.js';
import type { DeviceModel, NetworkModel, Platform } from '../../compiler/model.js';

export interface ExampleDevice {
  example: string;
  model: NetworkModel;
  device: DeviceModel;
}

let cache: { example: string; model: NetworkModel }[] | undefined;

function compiledExamples(): { example: string; model: NetworkModel }[] {
  if (cache) return cache;
  const root = 'examples';
  cache = readdirSync(root)
    .sort()
    .flatMap((example) => {
      const files = readdirSync(join(root, example)).filter((f) => f.endsWith('.plumb')).sort();
      if (files.length === 0) return [];
      const sources = files.map((f) => ({ path: join(root, example, f), text: readFileSync(join(root, example, f), 'utf8') }));
      const analysis = analyze(sources);
      if (!analysis.intent) throw new Error(`${example}: ${JSON.stringify(analysis.diagnostics.slice(0, 3))}`);
      return [{ example, model: compile(analysis.intent).model }];
    });
  return cache;
}

export function exampleDevices(platform: Platform): ExampleDevice[] {
  return compiledExamples().flatMap(({ example, model }) =>
    model.devices.filter((d) => d.platform === platform).map((device) => ({ example, model, device })),
  );
}
