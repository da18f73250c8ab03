// The backends' law on hand-built devices: read(render(d)) equals d (canonical form, no fib).
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { allDevices, network } from './builder.js';

describe('read(render(d)) = d on hand-built devices', () => {
  const devices = allDevices();
  const model = network(devices);
  for (const d of devices) {
    it(`${d.id} (${d.platform})`, () => {
      const backend = backendFor(d.platform)!;
      const files = backend.render(d, model);
      if (process.env.SHOW) for (const f of files) console.log(`=== ${d.id} ${f.path}\n${f.content}`);
      const r = backend.read(files, { id: d.id, site: d.site, name: d.name, role: d.role });
      expect(r.diagnostics).toEqual([]);
      expect(r.device).toEqual(canonicalDevice(d));
    });
  }
});
