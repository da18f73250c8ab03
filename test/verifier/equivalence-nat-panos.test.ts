// Translation validation of PAN-OS NAT: the device read back from the rendered XML and set files
// is equivalent to the compiler's (NAT compared exactly, verifier/equivalence-nat.ts), and an
// edit of the NAT rules that the reader can still read (a translated range, the order of two
// rules, an interface moved to the other side) makes it not equivalent, at the translation.

import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { checkEquivalence, differenceText } from '../../verifier/equivalence.js';
import { edgeOf, internetPanos, overlappingPanos, readEdge, renderEdge } from '../backends/paloalto-panos-nat-models.js';

/** The device read from the rendered files, the XML edited (and the set file dropped when it is). */
function readBack(m: NetworkModel, edit?: (xml: string) => string): { expected: DeviceModel; actual: DeviceModel } {
  const expected = edgeOf(m);
  let files: RenderedFile[] = renderEdge(m);
  if (edit) {
    const xml = files.find((f) => f.path.endsWith('.xml'))!;
    const content = edit(xml.content);
    expect(content, 'the edit changed nothing').not.toBe(xml.content);
    files = [{ ...xml, content }];
  }
  const r = readEdge(expected, files);
  expect(r.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.code} ${d.message}`)).toEqual([]);
  return { expected, actual: r.device! };
}

const natDifferences = async (pair: { expected: DeviceModel; actual: DeviceModel }): Promise<{ equivalent: boolean; nat: string[] }> => {
  const eq = await checkEquivalence(pair.expected, pair.actual, { timeoutMs: 60_000 });
  return { equivalent: eq.equivalent, nat: eq.differences.map((d) => differenceText(d)).filter((t) => t.includes('NAT')) };
};

describe('PAN-OS NAT: translation validation', () => {
  it('overlapping address spaces: the files read back are equivalent', async () => {
    const eq = await checkEquivalence(...(Object.values(readBack(overlappingPanos())) as [DeviceModel, DeviceModel]), { timeoutMs: 60_000 });
    expect(eq.differences.map((d) => differenceText(d))).toEqual([]);
    expect(eq.equivalent).toBe(true);
  }, 120_000);

  it('internet edge: the files read back are equivalent', async () => {
    const eq = await checkEquivalence(...(Object.values(readBack(internetPanos())) as [DeviceModel, DeviceModel]), { timeoutMs: 60_000 });
    expect(eq.differences.map((d) => differenceText(d))).toEqual([]);
    expect(eq.equivalent).toBe(true);
  }, 120_000);

  it('the partner range translated to another prefix in every rule: not equivalent, at translation 2', async () => {
    const r = await natDifferences(readBack(overlappingPanos(), (x) => x.replaceAll('198.18.20.0/24', '198.18.30.0/24')));
    expect(r.equivalent).toBe(false);
    expect(r.nat).toEqual(["NAT translation 2: the config has static outside 10.20.0.0/24 as 198.18.30.0/24, the model has static outside 10.20.0.0/24 as 198.18.20.0/24 (test.plumb:12)"]);
  }, 120_000);

  it('the two PAT rules exchanged: not equivalent, at translations 2 and 3', async () => {
    const r = await natDifferences(
      readBack(internetPanos(), (x) => {
        const a = /<entry name="192\.168\.1\.0-24[^"]*">[\s\S]*?<\/entry>/.exec(x)![0];
        const b = /<entry name="192\.168\.2\.0-24[^"]*">[\s\S]*?<\/entry>/.exec(x)![0];
        return x.replace(a, '\u0000').replace(b, a).replace('\u0000', b);
      }),
    );
    expect(r.equivalent).toBe(false);
    expect(r.nat).toEqual([expect.stringMatching(/NAT translation 2/), expect.stringMatching(/NAT translation 3/)]);
  }, 120_000);
});
