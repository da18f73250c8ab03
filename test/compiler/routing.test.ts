// Routes: least cost, ECMP kept, externals (eBGP import filter, announce; static), static vs
// OSPF, linux devices routed statically, and converge() rebuilding the forwarding tables from
// the configuration alone (what `plumb verify --configs` relies on).

import { describe, expect, it } from 'vitest';
import { converge, convergeContextOf } from '../../compiler/index.js';
import type { NetworkModel } from '../../compiler/model.js';
import { compileText, device, nextDevices, route } from './helpers.js';

/** r1 -- r2 -- r3 and r1 -- r3 (cost 5); a square r1 -- r4 -- r3 for ECMP when asked. */
function triangle(routing: 'static' | 'ospf', square = false): string {
  return `routing ${routing}
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 frr
  router r3 frr
  ${square ? 'router r4 frr' : ''}
  link r1 -- r2
  link r2 -- r3
  link r1 -- r3 cost 5
  ${square ? 'link r1 -- r4\n  link r4 -- r3' : ''}
}
segment a 10.1.0.0/24 at s.r1
segment c 10.3.0.0/24 at s.r3
policy {
  allow a -> c : https
}
`;
}

describe('least-cost routes', () => {
  for (const routing of ['static', 'ospf'] as const) {
    it(`${routing}: takes the cheaper two-hop path over the expensive direct link`, () => {
      const { model } = compileText(triangle(routing));
      expect(nextDevices(model, 's.r1', '10.3.0.0/24')).toEqual(['s.r2']);
      expect(nextDevices(model, 's.r3', '10.1.0.0/24')).toEqual(['s.r2']);
      expect(route(model, 's.r1', '10.3.0.0/24')!.protocol).toBe(routing);
      expect(route(model, 's.r3', '10.3.0.0/24')!.protocol).toBe('connected');
    });

    it(`${routing}: keeps every equal-cost next hop`, () => {
      const { model } = compileText(triangle(routing, true));
      expect(nextDevices(model, 's.r1', '10.3.0.0/24')).toEqual(['s.r2', 's.r4']);
      expect(nextDevices(model, 's.r3', '10.1.0.0/24')).toEqual(['s.r2', 's.r4']);
      if (routing === 'static') {
        // One static route per equal-cost next hop.
        expect(device(model, 's.r1').staticRoutes.filter((r) => r.prefix === '10.3.0.0/24')).toHaveLength(2);
      }
    });
  }

  it('static and OSPF converge to the same next hops for every internal prefix', () => {
    const a = compileText(triangle('static', true)).model;
    const b = compileText(triangle('ospf', true)).model;
    for (const d of a.devices) {
      for (const r of d.fib) {
        const other = route(b, d.id, r.prefix);
        expect(other, `${d.id} ${r.prefix}`).toBeDefined();
        expect(other!.nextHops).toEqual(r.nextHops);
      }
      expect(device(b, d.id).fib.map((r) => r.prefix)).toEqual(d.fib.map((r) => r.prefix));
    }
  });

  it('OSPF configuration: link costs on both ends, segments and loopbacks passive', () => {
    const { model } = compileText(triangle('ospf'));
    const r1 = device(model, 's.r1');
    const costs = r1.ospf!.interfaces.map((i) => [r1.interfaces.find((x) => x.name === i.name)!.role, i.cost, i.passive]);
    expect(costs).toEqual([
      ['link', 1, false],
      ['link', 5, false],
      ['segment', 1, true],
      ['loopback', 1, true],
    ]);
    expect(r1.ospf!.routerId).toBe(r1.routerId);
    expect(r1.staticRoutes).toEqual([]);
  });
});

const EXTERNALS = (routing: 'static' | 'ospf') => `routing ${routing}
pool infra 10.255.0.0/16
site s {
  router edge cisco-iosxe asn 65010
  router core frr
  link edge -- core
}
segment db  10.10.2.0/24 at s.core
segment web 10.10.1.0/24 at s.core
external partner {
  asn 64600
  prefixes 198.51.100.0/24, 203.0.113.0/25
  attach s.edge address 169.254.10.1/30 peer 169.254.10.2
  announce db
}
external internet {
  prefixes 0.0.0.0/0
  attach s.edge address 192.0.2.2/30 gateway 192.0.2.1
}
policy {
  allow db -> partner : https
  allow web -> internet : https
}
`;

describe('externals', () => {
  it('eBGP imports exactly the declared prefixes and exports exactly the announced ones', () => {
    const { model } = compileText(EXTERNALS('ospf'));
    const edge = device(model, 's.edge');
    expect(edge.bgp!.asn).toBe(65010);
    expect(edge.bgp!.neighbors).toHaveLength(1);
    const n = edge.bgp!.neighbors[0]!;
    expect(n).toMatchObject({ address: '169.254.10.2', remoteAs: 64600, external: 'partner' });
    expect(n.importPrefixes).toEqual(['198.51.100.0/24', '203.0.113.0/25']);
    expect(n.exportPrefixes).toEqual(['10.10.2.0/24']);
    expect(route(model, 's.edge', '198.51.100.0/24')).toMatchObject({ protocol: 'bgp', nextHops: [{ address: '169.254.10.2' }] });
  });

  it('rejects what an external announces beyond its import prefixes', () => {
    const { model } = compileText(EXTERNALS('ospf'));
    const context = convergeContextOf(model);
    const partner = context.externals.find((x) => x.name === 'partner')!;
    partner.prefixes.push('10.10.1.0/24', '192.0.2.0/24');
    const stripped = model.devices.map((d) => ({ ...d, fib: [] }));
    const fibs = converge(stripped, context);
    const edge = fibs.find((d) => d.id === 's.edge')!;
    expect(edge.fib.find((r) => r.prefix === '192.0.2.0/24')).toBeUndefined();
    // Our own segment stays ours: the hijack attempt is not accepted.
    expect(edge.fib.find((r) => r.prefix === '10.10.1.0/24')!.protocol).toBe('ospf');
  });

  it('OSPF: eBGP routes redistributed (only the imported prefixes), the default originated', () => {
    const { model } = compileText(EXTERNALS('ospf'));
    const ospf = device(model, 's.edge').ospf!;
    expect(ospf.redistribute).toEqual([{ protocol: 'bgp', prefixes: ['198.51.100.0/24', '203.0.113.0/25'] }]);
    expect(ospf.defaultOriginate).toEqual({ ipv4: true, ipv6: false });
    expect(route(model, 's.edge', '0.0.0.0/0')).toMatchObject({ protocol: 'static', nextHops: [{ address: '192.0.2.1' }] });
    expect(route(model, 's.core', '0.0.0.0/0')).toMatchObject({ protocol: 'ospf', nextHops: [{ device: 's.edge' }] });
    expect(route(model, 's.core', '198.51.100.0/24')).toMatchObject({ protocol: 'ospf', nextHops: [{ device: 's.edge' }] });
  });

  it('static routing: every other device gets static routes toward the externals', () => {
    const { model } = compileText(EXTERNALS('static'));
    const core = device(model, 's.core');
    expect(core.ospf).toBeUndefined();
    const edgeAddr = device(model, 's.edge').interfaces.find((i) => i.role === 'link')!.addresses[0]!.split('/')[0];
    for (const p of ['0.0.0.0/0', '198.51.100.0/24', '203.0.113.0/25']) {
      expect(core.staticRoutes.filter((r) => r.prefix === p).map((r) => r.nextHop)).toEqual([edgeAddr]);
      expect(route(model, 's.core', p)!.protocol).toBe('static');
    }
    expect(device(model, 's.edge').staticRoutes.filter((r) => r.prefix === '0.0.0.0/0').map((r) => r.nextHop)).toEqual(['192.0.2.1']);
  });
});

const LINUX = `routing ospf
pool infra 10.255.0.0/16
site s {
  router core frr
  router gw linux
  router far linux
  router other frr
  link core -- gw
  link gw -- far
  link core -- other
}
segment guest 10.99.0.0/24 at s.far
segment office 10.20.0.0/16 at s.other
policy {
  allow guest -> office : https
}
`;

describe('linux devices are routed statically', () => {
  it('writes their static routes for every prefix, whatever `routing` says', () => {
    const { model } = compileText(LINUX);
    const gw = device(model, 's.gw');
    expect(gw.ospf).toBeUndefined();
    expect(gw.staticRoutes.some((r) => r.prefix === '10.20.0.0/16')).toBe(true);
    expect(route(model, 's.gw', '10.20.0.0/16')).toMatchObject({ protocol: 'static', nextHops: [{ device: 's.core' }] });
    expect(route(model, 's.far', '10.20.0.0/16')).toMatchObject({ protocol: 'static', nextHops: [{ device: 's.gw' }] });
  });

  it("writes the neighbour's static routes toward the linux side and redistributes them into OSPF", () => {
    const { model } = compileText(LINUX);
    const core = device(model, 's.core');
    const toGuest = core.staticRoutes.filter((r) => r.prefix === '10.99.0.0/24');
    expect(toGuest).toHaveLength(1);
    expect(route(model, 's.core', '10.99.0.0/24')).toMatchObject({ protocol: 'static', nextHops: [{ device: 's.gw' }] });
    expect(core.ospf!.redistribute.find((r) => r.protocol === 'static')!.prefixes).toContain('10.99.0.0/24');
    // The link to the linux device is advertised (passive), not an adjacency.
    const linkToGw = core.interfaces.find((i) => i.peer?.device === 's.gw')!;
    expect(core.ospf!.interfaces.find((i) => i.name === linkToGw.name)!.passive).toBe(true);
    expect(route(model, 's.other', '10.99.0.0/24')).toMatchObject({ protocol: 'ospf', nextHops: [{ device: 's.core' }] });
  });
});

describe('converge() rebuilds the forwarding state from configuration alone', () => {
  const fromConfig = (model: NetworkModel) =>
    converge(
      model.devices.map((d) => ({ ...d, fib: [] })),
      convergeContextOf(model),
    );
  for (const [name, text] of [
    ['ospf + eBGP + static external', EXTERNALS('ospf')],
    ['static routing', EXTERNALS('static')],
    ['linux next to OSPF', LINUX],
    ['ECMP square', triangle('ospf', true)],
  ] as const) {
    it(name, () => {
      const { model } = compileText(text);
      const again = fromConfig(model);
      expect(again.map((d) => d.fib)).toEqual(model.devices.map((d) => d.fib));
    });
  }

  it('does not change its input', () => {
    const { model } = compileText(LINUX);
    const stripped = model.devices.map((d) => ({ ...d, fib: [] }));
    converge(stripped, convergeContextOf(model));
    expect(stripped.every((d) => d.fib.length === 0)).toBe(true);
  });
});
