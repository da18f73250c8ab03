// Seeded damage to a network's routes, for the lint's tests: each route but the connected ones
// is rewired to a random interface of its device, given one more next hop, split by a /25, or
// removed, with the chances given (cumulative thresholds of one draw per route), so that the
// lint meets loops, black holes, exits at the wrong segment and prefixes some device splits.

import type { NetworkModel, RouteModel } from '../../compiler/model.js';

export interface Rewiring {
  /** Below this draw the route goes to the random interface alone. */
  rewire: number;
  /** Below this one (when given) the random interface is one more equal-cost next hop. */
  widen?: number;
  /** Below this one a /24 is split: the random interface takes the lower half, the route keeps a /25. */
  split: number;
  /** Below this one the route is removed. */
  drop: number;
}

export function rewireRoutes(model: NetworkModel, rnd: () => number, chances: Rewiring): void {
  for (const d of model.devices) {
    d.fib = d.fib.flatMap((r): RouteModel[] => {
      if (r.protocol === 'connected') return [r];
      const x = rnd();
      // Any interface: a link's peer, or a segment (a connected hop, whose exit delivers only that segment).
      const to = d.interfaces[Math.floor(rnd() * d.interfaces.length)]!;
      const hop = to.peer ? { interface: to.name, device: to.peer.device } : { interface: to.name };
      if (x < chances.rewire) return [{ ...r, nextHops: [hop] }];
      if (chances.widen !== undefined && x < chances.widen) {
        return [{ ...r, nextHops: [...r.nextHops, hop].sort((a, b) => a.interface.localeCompare(b.interface)).filter((h, k, all) => k === 0 || h.interface !== all[k - 1]!.interface) }];
      }
      // The upper half keeps the route, the rest of the /24 goes elsewhere.
      if (x < chances.split && r.prefix.endsWith('.0/24')) return [{ ...r, nextHops: [hop] }, { ...r, prefix: r.prefix.replace('.0/24', '.128/25') }];
      if (x < chances.drop) return [];
      return [r];
    });
  }
}
