// PAN-OS NAT rules (backends/paloalto-panos/nat-*.ts): hand-built NAT models rendered and read
// back are the same NAT, in the same order; the rules are the ones docs/backends/paloalto-panos.md
// describes.

import { describe, expect, it } from 'vitest';
import { compareConfiguration } from '../../verifier/equivalence-config.js';
import { edgeOf, internetPanos, overlappingPanos, readEdge, renderEdge } from './paloalto-panos-nat-models.js';

describe('PAN-OS NAT: render and read back', () => {
  for (const [name, make] of [['overlapping address spaces', overlappingPanos], ['internet edge', internetPanos]] as const) {
    it(`${name}: the same NAT, no difference`, () => {
      const m = make();
      const d = edgeOf(m);
      const files = renderEdge(m);
      const r = readEdge(d, files);
      expect(r.diagnostics.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.message}`)).toEqual([]);
      expect(r.device!.nat).toEqual({ ...d.nat, translations: d.nat!.translations.map((t) => ({ ...t, origin: t.origin })) });
      expect(compareConfiguration(d, r.device!)).toEqual([]);
    });
  }
});
