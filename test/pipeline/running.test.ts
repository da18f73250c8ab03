// pipeline/running.ts fills only what Plumb's comments carried: a device read from a running
// configuration gets the compiled device's roles, peers, externals and intent lines, and keeps
// everything the configuration says, so that no difference is hidden.

import { describe, expect, it } from 'vitest';
import type { DeviceModel, FilterRule } from '../../compiler/model.js';
import { fillFromIntent } from '../../pipeline/running.js';
import { edgeRouter } from '../backends/vendor-fixtures.js';

const CONFIG = 'running-config.txt';
const at = (line: number): FilterRule['origin'] => ({ file: CONFIG, start: { line, column: 2, offset: 0 }, end: { line, column: 30, offset: 0 } });

/** The compiled device as a reader of its running configuration sees it: no annotations, config lines for origins. */
function asRead(d: DeviceModel): DeviceModel {
  return {
    ...d,
    origin: at(1),
    interfaces: d.interfaces.map((i, n) => {
      const { peer: _p, segment: _s, external: _e, zone: _z, ...rest } = i;
      return { ...rest, role: 'link', origin: at(10 + n) };
    }),
    filters: d.filters.map((f) => ({ ...f, rules: f.rules.map((r, n) => ({ ...r, origin: at(100 + n) })) })),
    staticRoutes: d.staticRoutes.map((r, n) => ({ ...r, origin: at(200 + n) })),
    ...(d.bgp ? { bgp: { ...d.bgp, neighbors: d.bgp.neighbors.map((x, n) => ({ ...x, external: '', origin: at(300 + n) })) } } : {}),
  };
}

describe('fillFromIntent', () => {
  const compiled = edgeRouter();

  it('gives a device read without annotations back its roles, peers, externals and intent lines', () => {
    expect(fillFromIntent(asRead(compiled), compiled)).toEqual(compiled);
  });

  it('keeps what the configuration says: an address, a cost, a route, a rule added at the top with its config line', () => {
    const read = asRead(compiled);
    const first = read.filters.find((f) => f.rules.length > 1)!;
    const added: FilterRule = { action: 'permit', match: {}, origin: at(99), description: '' };
    const edited: DeviceModel = {
      ...read,
      interfaces: read.interfaces.map((i, n) => (n === 0 ? { ...i, addresses: ['192.0.2.1/30'] } : i)),
      filters: read.filters.map((f) => (f === first ? { ...f, rules: [added, ...f.rules] } : f)),
      staticRoutes: [...read.staticRoutes, { prefix: '192.0.2.0/24', nextHop: '203.0.113.1', origin: at(250) }],
      ...(read.ospf ? { ospf: { ...read.ospf, interfaces: read.ospf.interfaces.map((i) => ({ ...i, cost: 50 })) } } : {}),
    };
    const filled = fillFromIntent(edited, compiled);
    expect(filled.interfaces[0]!.addresses).toEqual(['192.0.2.1/30']);
    expect(filled.interfaces[0]!.role).toBe(compiled.interfaces[0]!.role);
    const rules = filled.filters.find((f) => f.name === first.name)!.rules;
    expect(rules[0]).toEqual(added);
    // The rules below it moved by one: each still finds its compiled twin when it is the only one of its match.
    const compiledRules = compiled.filters.find((f) => f.name === first.name)!.rules;
    rules.slice(1).forEach((r, i) => {
      const twins = compiledRules.filter((c) => c.action === r.action && JSON.stringify(c.match) === JSON.stringify(r.match));
      expect(r.origin).toEqual(twins.length === 1 ? compiledRules[i]!.origin : at(100 + i));
    });
    expect(filled.staticRoutes.find((r) => r.prefix === '192.0.2.0/24')!.origin).toEqual(at(250));
    if (compiled.ospf) expect(filled.ospf!.interfaces.every((i) => i.cost === 50)).toBe(true);
  });

  it('never overwrites a peer, segment, external or zone the configuration did say', () => {
    const read = asRead(compiled);
    const withZone: DeviceModel = { ...read, interfaces: read.interfaces.map((i) => ({ ...i, zone: 'other' })) };
    expect(fillFromIntent(withZone, compiled).interfaces.every((i) => i.zone === 'other')).toBe(true);
  });
});
