// The config line of every rule of every device of every example (pipeline/native-rules.ts):
// each rule has its line in the file its backend writes, the line's text is that line, and a
// rule the platform writes once per address family has one line per family.

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import type { FilterRule } from '../../compiler/model.js';
import { prefixOf } from '../../language/address.js';
import { compileIntent } from '../../pipeline/compile.js';
import { nativeRules } from '../../pipeline/native-rules.js';

const EXAMPLES = join(import.meta.dirname, '../../examples');

const families = (r: FilterRule): Set<number> =>
  new Set([...(r.match.sources ?? []), ...(r.match.destinations ?? [])].map((p) => prefixOf(p).family));

describe('the config line of every rule', () => {
  const examples = readdirSync(EXAMPLES).filter((e) => readdirSync(join(EXAMPLES, e)).some((f) => f.endsWith('.plumb')));

  it.each(examples)('%s', (example) => {
    const dir = join(EXAMPLES, example);
    const sources = readdirSync(dir)
      .filter((f) => f.endsWith('.plumb'))
      .map((f) => ({ path: `examples/${example}/${f}`, text: readFileSync(join(dir, f), 'utf8') }));
    const model = compileIntent(sources).model!;
    expect(model).toBeDefined();
    const native = nativeRules(model);
    let rules = 0;
    let split = 0;
    for (const device of model.devices) {
      const files = new Map(backendFor(device.platform)!.render(device, model).map((f) => [`${device.site}/${device.name}/${f.path}`, f.content.split('\n')]));
      const lists: [string, FilterRule[]][] = [...device.filters.map((f): [string, FilterRule[]] => [f.name, f.rules]), ['security', device.securityRules]];
      for (const [list, modelRules] of lists) {
        modelRules.forEach((rule, i) => {
          rules++;
          const lines = native.get(device.id)?.[list]?.[i];
          expect(lines, `${device.id} ${list} rule ${i + 1}`).toBeDefined();
          for (const l of lines!) expect(files.get(l.file)?.[l.line - 1]?.trim(), `${device.id} ${list} rule ${i + 1}`).toBe(l.text);
          if (lines!.length > 1) {
            split++;
            // One line per family, for a rule of both families.
            expect(lines!.map((l) => l.family).sort()).toEqual([4, 6]);
            expect(families(rule)).toEqual(new Set([4, 6]));
          } else {
            expect(lines![0]!.family).toBeUndefined();
          }
        });
      }
    }
    expect(rules).toBeGreaterThan(0);
    // harbor is dual-stack through nftables: its rules there are written once per family.
    if (example === 'harbor') expect(split).toBeGreaterThan(0);
  });
});
