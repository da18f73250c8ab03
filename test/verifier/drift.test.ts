// verifier/from-configs.ts and the exact half of equivalence on hand-built inputs: every V88x
// code of the drift check, the deployed network's converged forwarding tables, and the
// configuration items (interfaces, OSPF, BGP) compared exactly, with documentation ignored.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceModel } from '../../compiler/model.js';
import { compareConfiguration } from '../../verifier/equivalence-config.js';
import { checkEquivalence, differenceText, listPairs } from '../../verifier/equivalence.js';
import { deployedModel, driftDiagnostics, type ConfigDevice, type ConfigFolder } from '../../verifier/from-configs.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import { exampleModel } from './equivalence-helpers.js';

const pool = new SolverPool(1);
beforeAll(() => pool.start(), 30_000);
afterAll(() => pool.close());

const model = exampleModel('acme');
const copy = (d: DeviceModel): DeviceModel => ({ ...(JSON.parse(JSON.stringify(d)) as DeviceModel), fib: [] });
const configOf = (d: DeviceModel, extra: Partial<ConfigDevice> = {}): ConfigDevice => ({
  id: d.id,
  files: [`out/${d.site}/${d.name}/a.conf`],
  missing: [],
  changed: [],
  device: copy(d),
  diagnostics: [],
  ...extra,
});
const folder = (devices: ConfigDevice[], otherIntent = false): ConfigFolder => ({ manifest: 'out/manifest.json', otherIntent, devices });
const codes = (ds: { code: string }[]): string[] => ds.map((d) => d.code).sort();

describe('deployedModel', () => {
  it('rebuilds the forwarding tables from the read configuration: the same as the compiler\'s', () => {
    const r = deployedModel(model, folder(model.devices.map((d) => configOf(d))));
    expect(r.diagnostics).toEqual([]);
    expect(r.model!.devices.map((d) => d.fib)).toEqual(model.devices.map((d) => d.fib));
    expect(r.model!.assertions).toBe(model.assertions);
  });

  it('V880 a device the folder lacks, V881 one the intent lacks: no model', () => {
    const [first, ...rest] = model.devices;
    const stranger = { ...configOf(rest[0]!), id: 'zz.ghost' };
    const r = deployedModel(model, folder([...rest.map((d) => configOf(d)), stranger]));
    expect(r.model).toBeUndefined();
    expect(codes(r.diagnostics)).toEqual(['V880', 'V881']);
    expect(r.diagnostics.find((d) => d.code === 'V880')!.span).toEqual(first!.origin);
  });

  it('V882 a missing file, V883 a device read as nothing, R9xx passed through: no model', () => {
    const [a, b, c, ...rest] = model.devices;
    const r9 = { code: 'R901', severity: 'error' as const, span: { file: 'out/x.conf', start: { line: 3, column: 1, offset: 9 }, end: { line: 3, column: 4, offset: 12 } }, message: 'x', related: [] };
    const devices = [
      configOf(a!, { missing: ['out/a/missing.conf'] }),
      { ...configOf(b!), device: undefined } as ConfigDevice,
      configOf(c!, { diagnostics: [r9] }),
      ...rest.map((d) => configOf(d)),
    ];
    const r = deployedModel(model, folder(devices));
    expect(r.model).toBeUndefined();
    expect(codes(r.diagnostics)).toEqual(['R901', 'V882', 'V883']);
    expect(r.diagnostics.find((d) => d.code === 'V882')!.span.file).toBe('out/a/missing.conf');
  });

  it('V884 another intent and V885 edited files are reported, the model is still built', () => {
    const devices = model.devices.map((d, i) => configOf(d, i === 0 ? { changed: [`out/${d.site}/${d.name}/a.conf`] } : {}));
    const r = deployedModel(model, folder(devices, true));
    expect(r.model).toBeDefined();
    expect(codes(r.diagnostics)).toEqual(['V884', 'V885']);
    expect(r.diagnostics.map((d) => d.severity).sort()).toEqual(['info', 'warning']);
  });
});

describe('driftDiagnostics', () => {
  it('V886 for the device whose filter admits more, at its config line', async () => {
    const edge = model.devices.find((d) => d.id === 'fra1.edge1')!;
    const changed = copy(edge);
    const line = { file: 'out/fra1/edge1/a.conf', start: { line: 42, column: 2, offset: 900 }, end: { line: 42, column: 20, offset: 918 } };
    changed.filters.find((f) => f.name === 'ext-internet-in')!.rules.unshift({ action: 'permit', match: {}, origin: line, description: '' });
    const devices = model.devices.map((d) => (d.id === edge.id ? { ...configOf(d), device: changed } : configOf(d)));
    const f = folder(devices);
    const deployed = deployedModel(model, f).model!;
    const ds = await driftDiagnostics(model, deployed, f, { pool });
    expect(ds.map((d) => d.code)).toEqual(['V886']);
    expect(ds[0]!.span).toEqual(line);
    // the example is traffic a person recognises (equivalence-example.ts), not Z3's raw model
    expect(ds[0]!.message).toMatch(/^device fra1\.edge1 does not behave as the intent compiles it: packet tcp 10\.10\.2\.1:49152 -> 10\.10\.1\.1:443 \[syn\] entering by GigabitEthernet3 is admitted by the config but dropped by the intent/);
  });
});

describe('compareConfiguration', () => {
  const core = model.devices.find((d) => d.id === 'fra1.core1')!;

  it('ignores descriptions and origins, and the order of sets', () => {
    const b = copy(core);
    b.interfaces.forEach((i) => (i.description = 'edited'));
    b.staticRoutes.reverse();
    b.origin = { ...b.origin, file: 'elsewhere' };
    expect(compareConfiguration(core, b)).toEqual([]);
  });

  it('names each differing item: an address, an OSPF cost, a BGP export list, a missing interface', () => {
    const edge = model.devices.find((d) => d.id === 'fra1.edge1')!;
    const b = copy(edge);
    b.interfaces[0]!.addresses = ['10.9.9.9/31'];
    b.ospf!.interfaces[0]!.cost = 99;
    b.bgp!.neighbors[0]!.exportPrefixes = ['10.0.0.0/8'];
    b.interfaces.pop();
    const texts = compareConfiguration(edge, b).map((d) => differenceText(d));
    expect(texts).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^interface ${edge.interfaces[0]!.name}: the config has role \\w+; addresses 10\\.9\\.9\\.9/31`)),
        expect.stringMatching(new RegExp(`^OSPF interface ${edge.ospf!.interfaces[0]!.name}: the config has cost 99`)),
        expect.stringMatching(/^BGP neighbor 169\.254\.10\.2: the config has .*export 10\.0\.0\.0\/8[^,]*, the model has .*export 10\.10\.2\.0\/24/),
        expect.stringMatching(new RegExp(`^interface ${edge.interfaces[edge.interfaces.length - 1]!.name} is in the model but not in the config`)),
      ]),
    );
  });

  it('a filter name bound to no filter drops everything, as the simulator says', async () => {
    const b = copy(core);
    const seg = b.interfaces.find((i) => i.filterIn !== undefined)!;
    seg.filterIn = 'no-such-filter';
    expect(listPairs(core, b).some((p) => p.actual.name === 'no-such-filter' && p.actual.defaultAction === 'deny')).toBe(true);
    const r = await checkEquivalence(core, b, { pool });
    expect(r.equivalent).toBe(false);
    expect(r.differences[0]).toMatchObject({ kind: 'packet', actual: { action: 'deny', list: 'no-such-filter' }, expected: { action: 'permit' } });
  });
});
