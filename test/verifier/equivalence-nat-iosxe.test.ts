// Translation validation of IOS-XE address translation end to end: the verifier's hand-built NAT
// networks (nat-models.ts, their interfaces renamed to IOS-XE's names) rendered by the IOS-XE
// backend and read back are proven the same device, filters included; an edit of the rendered
// NAT is a difference, an edit of the order between static and dynamic entries (IOS's own) none.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { backendFor } from '../../backends/index.js';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { checkEquivalence } from '../../verifier/equivalence.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import { editFile, expectEquivalent, lineIndex, onlyItems, readBack, replaceIn, type Subject } from './equivalence-helpers.js';
import { overlapping, postNatFilter, published, staticInside } from './nat-models.js';

const pool = new SolverPool(2);
beforeAll(() => pool.start(), 30_000);
afterAll(() => pool.close());

/** The model with its interfaces under IOS-XE names (the verifier's models name them Gi1, eth1, ...). */
function onIosxe(model: NetworkModel): NetworkModel {
  const names: Record<string, string> = { Gi1: 'GigabitEthernet2', Gi2: 'GigabitEthernet3', eth1: 'GigabitEthernet2', eth2: 'GigabitEthernet3' };
  return JSON.parse(JSON.stringify(model), (_, v: unknown) => (typeof v === 'string' && names[v] !== undefined ? names[v] : v)) as NetworkModel;
}

function edgeOf(model: NetworkModel): Subject {
  const m = onIosxe(model);
  const device = m.devices.find((d) => d.id === 'edge.e1')!;
  return { model: m, device, files: backendFor('cisco-iosxe')!.render(device, m) };
}

const CASES: [string, () => NetworkModel][] = [
  ['ours appear as a mapped prefix, filtered as arrived', staticInside],
  ['a partner whose prefixes overlap ours', () => overlapping('cisco-iosxe')],
  ['a published server', published],
  ['a filter on the translated source as it leaves', () => postNatFilter('cisco-iosxe')],
];

async function compare(s: Subject, files: RenderedFile[]): Promise<ReturnType<typeof checkEquivalence>> {
  const actual: DeviceModel = readBack(s, files);
  return checkEquivalence(s.device, actual, { pool, timeoutMs: 20_000 });
}

describe('IOS-XE NAT: translation validation', () => {
  for (const [what, make] of CASES) {
    it(`${what}: the configuration read back is the model`, async () => {
      const s = edgeOf(make());
      expect(s.files[0]!.content).toMatch(/\nip nat (inside|outside) source static /);
      expectEquivalent(await compare(s, s.files), false);
    }, 120_000);
  }

  it('a translated range, a side and a published port edited are each a difference', async () => {
    const s = edgeOf(overlapping('cisco-iosxe'));
    const range = editFile(s.files, '.cfg', (l) => replaceIn(l, lineIndex(l, /^ip nat outside source static network/), '198.18.20.0', '198.18.30.0'));
    expect(onlyItems(await compare(s, range)).map((d) => d.item)).toEqual(['NAT translation 2']);
    // (the other side of the same real range would be two entries for one range: R915)
    const one = edgeOf(staticInside());
    const side = editFile(one.files, '.cfg', (l) => replaceIn(l, lineIndex(l, /^ip nat inside source static network/), 'ip nat inside', 'ip nat outside'));
    expect(onlyItems(await compare(one, side))).toMatchObject([{ item: 'NAT translation 1', expected: 'static inside 10.20.1.0/24 as 100.64.20.0/24', actual: 'static outside 10.20.1.0/24 as 100.64.20.0/24' }]);
    const p = edgeOf(published());
    const port = editFile(p.files, '.cfg', (l) => replaceIn(l, lineIndex(l, /^ip nat inside source static tcp/), / 443 extendable$/, ' 8443 extendable'));
    expect(onlyItems(await compare(p, port))).toMatchObject([{ item: 'NAT translation 1', expected: 'static inside 10.30.0.10/32 as 203.0.113.10/32 for tcp 443', actual: 'static inside 10.30.0.10/32 as 203.0.113.10/32 for tcp 8443 (port 443 on the inside)' }]);
  }, 120_000);

  it('an interface taken off the translation is a difference', async () => {
    const s = edgeOf(staticInside());
    const off = editFile(s.files, '.cfg', (l) => l.filter((x) => x !== ' ip nat outside'));
    expect(onlyItems(await compare(s, off))).toMatchObject([{ item: 'NAT outside interfaces', expected: 'GigabitEthernet3', actual: '(none)' }]);
  }, 120_000);
});
