// The library's renderConfigs (api/compile.ts) takes whether a placeholder is left from the one
// search each device's rendering makes (backends/output.ts renderOutputFilled), not from a
// second search of every file: the same files as renderOutput, and the same refusal of a file
// that still holds a placeholder once the secrets are filled in.

import { describe, expect, it } from 'vitest';
import { renderConfigs } from '../../api/compile.js';
import { renderOutput, renderOutputFilled } from '../../backends/output.js';
import { hasPlaceholder } from '../../backends/secret-text.js';
import type { NetworkModel } from '../../compiler/model.js';
import { compileIntent } from '../../pipeline/compile.js';

const INTENT = `network lab
routing ospf authentication ospf-core
pool infra 10.255.0.0/16
secret ospf-core from env PLUMB_OSPF

site s1 {
  router r1 cisco-iosxe asn 65001
  router r2 cisco-iosxe
  router r3 frr
  link r1 -- r2
  link r2 -- r3
}
segment lan 10.1.0.0/24 at s1.r2
policy { allow lan -> lan : https }
`;
const SOURCES = [{ path: 'lab.plumb', text: INTENT }];
const ENV = { env: { PLUMB_OSPF: 'ospf=Key1' }, cwd: '/' };

function labModel(): NetworkModel {
  const compiled = compileIntent(SOURCES);
  if (!compiled.model) throw new Error('the lab intent does not compile');
  return compiled.model;
}

/** The model with a placeholder no secret fills: an interface description that spells one. */
function withStrayPlaceholder(model: NetworkModel, device: string): NetworkModel {
  return {
    ...model,
    devices: model.devices.map((d) =>
      d.id === device ? { ...d, interfaces: d.interfaces.map((i, n) => (n === 0 ? { ...i, description: 'plumb-secret.ghost' } : i)) } : d,
    ),
  };
}

describe('renderConfigs', () => {
  it('renders what renderOutput renders, every placeholder filled', () => {
    const model = labModel();
    const rendered = renderConfigs(model, SOURCES, ENV);
    expect(rendered.diagnostics).toEqual([]);
    expect(rendered.output).toEqual(renderOutput(model, SOURCES, new Map([['ospf-core', 'ospf=Key1']])));
    expect(rendered.output!.devices.some((d) => d.files.some((f) => f.holdsSecret))).toBe(true);
    expect(renderOutputFilled(model, SOURCES, new Map([['ospf-core', 'ospf=Key1']])).unfilled).toBe(false);
  });

  it('refuses a file that still holds a placeholder, on whichever device it is', () => {
    const model = labModel();
    for (const id of model.devices.map((d) => d.id)) {
      const stray = withStrayPlaceholder(model, id);
      const filled = renderOutputFilled(stray, SOURCES, new Map([['ospf-core', 'ospf=Key1']]));
      expect(filled.output.devices.filter((d) => d.files.some((f) => hasPlaceholder(f.content))).map((d) => d.device.id)).toEqual([id]);
      expect(filled.unfilled, id).toBe(true);
      expect(() => renderConfigs(stray, SOURCES, ENV), id).toThrow(/still holds a secret placeholder/);
    }
  });
});
