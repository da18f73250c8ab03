// The checked-in examples/<name>/out/ must be exactly what the compiler renders today:
// a drift fails here; `npm run golden` regenerates the folders on purpose.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exampleNames, exampleOutput, EXAMPLES_DIR } from '../../backends/golden.js';
import { manifestText } from '../../backends/output.js';

function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

describe('examples/<name>/out/ matches the compiled output', () => {
  for (const name of exampleNames()) {
    it(name, () => {
      const out = join(EXAMPLES_DIR, name, 'out');
      const { output, error } = exampleOutput(name);
      expect(error, 'the example must compile with every backend').toBeUndefined();
      expect(existsSync(out), `${out} is missing: run npm run golden`).toBe(true);
      const expected = new Map<string, string>([['manifest.json', manifestText(output!.manifest)]]);
      for (const d of output!.devices) for (const f of d.files) expected.set(join(d.dir, f.path), f.content);
      expect(listFiles(out), 'the files of the folder (npm run golden regenerates it)').toEqual(
        [...expected.keys()].sort(),
      );
      for (const [path, content] of expected) {
        expect(
          readFileSync(join(out, path), 'utf8'),
          `${join(out, path)} drifted: npm run golden regenerates it`,
        ).toBe(content);
      }
    });
  }
});
