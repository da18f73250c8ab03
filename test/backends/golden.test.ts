// The checked-in examples/<name>/out/ must be exactly what the compiler renders today: a drift
// fails here; UPDATE_GOLDEN=1 (`npm run golden`) rewrites the folders on purpose (test/golden.ts).
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestText, writeOutput } from '../../backends/output.js';
import { expectGoldenFolder } from '../golden.js';
import { exampleNames, exampleOutput, EXAMPLES_DIR } from './example-output.js';

describe('examples/<name>/out/ matches the compiled output', () => {
  for (const name of exampleNames()) {
    it(name, () => {
      const { output, error } = exampleOutput(name);
      expect(error, 'the example must compile with every backend').toBeUndefined();
      const expected = new Map<string, string>([['manifest.json', manifestText(output!.manifest)]]);
      for (const d of output!.devices) for (const f of d.files) expected.set(join(d.dir, f.path), f.content);
      // Updated by the writer of `plumb compile -o` itself: the folder is its output, modes and all.
      expectGoldenFolder(join(EXAMPLES_DIR, name, 'out'), expected, (dir) => writeOutput(dir, output!));
    });
  }
});
