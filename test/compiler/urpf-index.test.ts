// urpfModes decides each interface's mode from its device's FIB, searched by bisection over the
// routes sorted by network (a converged FIB already is; one read back from configuration files
// may not be, and may write host bits). On 300 seeded FIBs inside 10.0.0.0/24 (routes of every
// length from /22 to /32, some texts with host bits, some FIBs shuffled) the mode is held to its
// definition, address by address: strict when every source address's longest match is a
// connected, static or eBGP route out of the interface, loose when some is not but every address
// has a route, none when one has none.

import { describe, expect, it } from 'vitest';
import type { EndpointModel, RouteModel } from '../../compiler/model.js';
import { urpfModes } from '../../compiler/urpf.js';
import { iface, router } from './read-back-devices.js';
import { address, random } from './urpf-seeds.js';

const base = 10 * 2 ** 24; // 10.0.0.0

describe('uRPF modes from a FIB searched by bisection', () => {
  it('agree with the longest match of every source address', () => {
    for (let seed = 1; seed <= 300; seed++) {
      const rnd = random(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const networks = new Set<string>();
      const fib: RouteModel[] = [];
      const count = 1 + Math.floor(rnd() * 12);
      for (let k = 0; k < count; k++) {
        const length = 22 + Math.floor(rnd() * 11);
        const size = 2 ** (32 - length);
        const start = Math.floor((rnd() * 1024) / size) * size; // inside 10.0.0.0/22
        const key = `${start}/${length}`;
        if (networks.has(key)) continue;
        networks.add(key);
        // Some texts keep host bits (as a configuration may write them).
        const text = size > 1 && rnd() < 0.2 ? `${address(start + 1)}/${length}` : `${address(start)}/${length}`;
        const protocol = pick(['connected', 'static', 'bgp', 'ospf'] as const);
        fib.push({ prefix: text, protocol, nextHops: [{ interface: pick(['eth1', 'eth2']) }], metric: 0 });
      }
      const inOrder = (a: RouteModel, b: RouteModel) => {
        const key = (r: RouteModel) => {
          const [addr, len] = r.prefix.split('/');
          const n = addr!.split('.').reduce((v, o) => v * 256 + Number(o), 0) - base;
          const l = Number(len);
          return [n - (n % 2 ** (32 - l)), l] as const;
        };
        const [x, l] = key(a);
        const [y, m] = key(b);
        return x - y || l - m;
      };
      if (rnd() < 0.6) fib.sort(inOrder);
      // Sources: a few prefixes inside 10.0.0.0/22.
      const sources: [number, number][] = [];
      for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
        const length = 24 + Math.floor(rnd() * 9);
        const size = 2 ** (32 - length);
        sources.push([Math.floor((rnd() * 1024) / size) * size, length]);
      }
      const device = router('s.e', [iface('eth1', 'segment', '10.9.0.1/24'), iface('eth2', 'link', '10.8.0.0/31')], { fib });
      const endpoints: EndpointModel[] = [
        { name: 'x', kind: 'segment', include: sources.map(([s, l]) => `${address(s)}/${l}`), exclude: [], attachments: [{ device: 's.e', interface: 'eth1' }], origin: device.origin },
      ];
      const got = urpfModes([device], endpoints).get('s.e')?.get('eth1');

      // The definition, address by address.
      const routes = fib.map((r) => {
        const [addr, len] = r.prefix.split('/');
        const n = addr!.split('.').reduce((v, o) => v * 256 + Number(o), 0) - base;
        const l = Number(len);
        return { start: n - (n % 2 ** (32 - l)), length: l, route: r };
      });
      let want: 'strict' | 'loose' | undefined = 'strict';
      for (const [s, l] of sources) {
        for (let a = s; a < s + 2 ** (32 - l); a++) {
          let best: (typeof routes)[number] | undefined;
          for (const r of routes) if (a >= r.start && a < r.start + 2 ** (32 - r.length) && (!best || r.length > best.length)) best = r;
          if (!best) want = undefined;
          else if (want === 'strict' && !(best.route.protocol !== 'ospf' && best.route.nextHops.some((h) => h.interface === 'eth1'))) want = 'loose';
        }
        if (want === undefined) break;
      }
      expect(got, `seed ${seed}`).toBe(want);
    }
  });
});
