// The routing plan finds each device's least-cost static routes by device number (the owners of
// each destination, the distances and first hops of each SPF in arrays, the hops toward
// static-only neighbours filtered once per tree) and keeps them without a sort when they come in
// order; a device's redistributed static prefixes are its routes' runs. On seeded intents (both
// routing modes, static-only devices next to OSPF, equal-cost paths, static and translated
// externals), the bench's generated networks and every example, its plan must be the plan of the
// computation before (route-plan-before.ts, kept as it was).

import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateIntent } from '../../bench/generate.js';
import { allocateAddresses } from '../../compiler/addressing.js';
import { buildDevices } from '../../compiler/devices.js';
import { addDeviceSets, endpointSets } from '../../compiler/endpoints.js';
import { natModels, translatingExternals } from '../../compiler/nat.js';
import { planRouting } from '../../compiler/route-plan.js';
import { compareAddress } from '../../compiler/route-protocols.js';
import { analyze } from '../../language/analyze.js';
import type { CheckedIntent } from '../../language/intent.js';
import { EGRESS, onEdge, OVERLAP, STATIC_INSIDE } from './nat-intents.js';
import { randomIntent } from './random-intents.js';
import { planRoutingBefore } from './route-plan-before.js';

// Two externals' prefixes, one of them later written with host bits (the checker refuses that in
// an intent, P302; the plan must still order such texts as before): a static-only device routes
// both texts of one prefix, over different next hops.
const TIED = `network tied
routing ospf
pool infra 10.255.0.0/16
site s1 {
  router d0 frr
  router d1 frr
  router d2 linux
  router d3 frr
  link d0 -- d1
  link d1 -- d2
  link d2 -- d3
  link d0 -- d3
}
segment n0 10.1.0.0/24 at s1.d2
segment n1 10.2.0.0/24 at s1.d0
external a {
  prefixes 198.51.100.0/24
  attach s1.d1 address 203.0.113.2/30 gateway 203.0.113.1
}
external b {
  prefixes 198.51.101.0/24
  attach s1.d3 address 203.0.114.2/30 gateway 203.0.114.1
}
policy {
  allow n0 -> n1, a, b : https
}
`;

function plans(text: string, patch?: (intent: CheckedIntent) => void) {
  const analysis = analyze([{ path: 'main.plumb', text }]);
  const intent = analysis.intent;
  if (!intent) return undefined;
  patch?.(intent);
  const before = () => {
    const plan = allocateAddresses(intent);
    const drafts = buildDevices(intent, plan);
    for (const [id, nat] of natModels(
      translatingExternals(intent),
      [...drafts.values()].map((d) => d.model),
    ))
      drafts.get(id)!.model.nat = nat;
    const sets = endpointSets(intent, plan);
    addDeviceSets(
      sets,
      [...drafts.values()].map((d) => d.model),
    );
    return { intent, drafts, sets };
  };
  const a = before();
  const b = before();
  return {
    now: planRouting(a.intent, a.drafts, a.sets),
    before: planRoutingBefore(b.intent, b.drafts, b.sets),
  };
}

describe('the routing plan against the computation before', () => {
  it('is the same on seeded intents, generated networks, NAT intents and the examples', () => {
    const texts: [string, string][] = [];
    for (let seed = 1; seed <= 250; seed++) texts.push([`random ${seed}`, randomIntent(seed).text]);
    for (const seed of [1, 2, 3]) {
      const text = generateIntent({
        sites: 5,
        devicesPerSite: 5,
        segments: 60,
        rules: 400,
        assertions: 20,
        seed,
      });
      texts.push(
        [`generated ${seed}`, text],
        [`generated ${seed} static`, text.replace('routing ospf', 'routing static')],
      );
    }
    for (const intent of [OVERLAP, STATIC_INSIDE, EGRESS])
      for (const edge of [
        'router edge1 cisco-iosxe asn 65010',
        'router edge1 frr asn 65010',
        'router edge1 linux',
      ])
        texts.push([`nat ${edge}`, onEdge(intent, edge)]);
    for (const name of readdirSync('examples')) {
      const dir = `examples/${name}`;
      const files = readdirSync(dir).filter((f) => f.endsWith('.plumb'));
      if (files.length === 1) texts.push([name, readFileSync(`${dir}/${files[0]}`, 'utf8')]);
    }
    // Each external's prefix written with host bits in turn, at either attach device: the two
    // texts' next hops come in either order.
    const swapped = TIED.replace('attach s1.d1', 'attach s1.dX').replace('attach s1.d3', 'attach s1.d1').replace('attach s1.dX', 'attach s1.d3');
    const tied: [string, string, (intent: CheckedIntent) => void][] = [];
    for (const [odd, even] of [[0, 1], [1, 0]] as const) {
      const patch = (intent: CheckedIntent) => {
        (intent.externals[odd] as { prefixes: string[] }).prefixes = ['198.51.100.9/24'];
        (intent.externals[even] as { prefixes: string[] }).prefixes = ['198.51.100.0/24'];
      };
      for (const [name, text] of [['tied', TIED], ['tied swapped', swapped]] as const) {
        for (const routing of ['ospf', 'static']) tied.push([`${name} ${odd} ${routing}`, text.replace('routing ospf', `routing ${routing}`), patch]);
      }
    }
    let compared = 0;
    let staticRoutes = 0;
    // Prefixes whose equal-cost routes' interface order is not their next hops' order (sorted).
    let reordered = 0;
    for (const [what, text, patch] of [
      ...texts.map(([w, t]): [string, string, undefined] => [w, t, undefined]),
      ...tied,
    ]) {
      const p = plans(text, patch);
      if (!p) continue;
      expect([...p.now], what).toEqual([...p.before]);
      compared++;
      for (const routing of p.now.values()) {
        staticRoutes += routing.staticRoutes.length;
        const r = routing.staticRoutes;
        for (let i = 1; i < r.length; i++) {
          if (
            r[i]!.prefix === r[i - 1]!.prefix &&
            compareAddress(r[i - 1]!.nextHop, r[i]!.nextHop) < 0 &&
            (r[i - 1]!.interface ?? '') > (r[i]!.interface ?? '')
          )
            reordered++;
        }
      }
    }
    expect(compared).toBeGreaterThan(250);
    expect(staticRoutes).toBeGreaterThan(5000);
    expect(reordered).toBeGreaterThan(10);
  });
});
