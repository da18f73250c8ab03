// The route lines setup.sh must hold for a list of the model's static routes, made from the
// sorted list route by route (the reference the setup.sh render tests hold the renderer to).

import { sortStaticRoutes } from '../../backends/canonical.js';
import { formatOriginTag } from '../../backends/origin-tag.js';
import type { StaticRouteModel } from '../../compiler/model.js';

export const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

const hopOf = (r: StaticRouteModel): string =>
  `${r.discard ? ' blackhole' : ''}${r.nextHop !== undefined ? ` via ${r.nextHop}` : ''}${r.interface !== undefined ? ` dev ${r.interface}` : ''}`;

/** The route lines as the model's routes say, in setup.sh's order: a group of one prefix and distance is one ECMP route. */
export function expectedRouteLines(routes: readonly StaticRouteModel[]): string[] {
  const sorted = sortStaticRoutes([...routes]);
  const out: string[] = [];
  for (let i = 0; i < sorted.length;) {
    const first = sorted[i]!;
    let j = i + 1;
    while (j < sorted.length && !first.discard && !sorted[j]!.discard && sorted[j]!.prefix === first.prefix && sorted[j]!.distance === first.distance) j++;
    const group = sorted.slice(i, j);
    const metric = first.distance !== undefined ? ` metric ${first.distance}` : '';
    for (const r of group) out.push(`# route ${r.prefix}${hopOf(r)} @ ${formatOriginTag(r.origin)}`);
    if (first.discard) out.push(`route replace blackhole ${first.prefix}${metric}`);
    else if (group.length === 1) out.push(`route replace ${first.prefix}${hopOf(first)}${metric}`);
    else out.push(`route replace ${first.prefix}${group.map((r) => ` nexthop${hopOf(r)}`).join('')}${metric}`);
    i = j;
  }
  return out;
}
