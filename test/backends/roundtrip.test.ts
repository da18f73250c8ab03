// The backends' law on hand-built devices of every platform of the registry: read(render(d))
// equals d (canonical form, no fib). Each platform's devices are its row in platform-cases.ts.
import { describe, expect, it } from 'vitest';
import { BACKENDS } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { platformCase } from './platform-cases.js';

describe('read(render(d)) = d on hand-built devices', () => {
  for (const backend of BACKENDS) {
    for (const { device: d, model } of platformCase(backend.platform).handBuilt()) {
      it(`${d.id} (${d.platform})`, () => {
        const files = backend.render(d, model);
        if (process.env.SHOW) for (const f of files) console.log(`=== ${d.id} ${f.path}\n${f.content}`);
        const r = backend.read(files, { id: d.id, site: d.site, name: d.name, role: d.role });
        expect(r.diagnostics).toEqual([]);
        expect(r.device).toEqual(canonicalDevice(d));
      });
    }
  }
});
