// firewallRelevance on hand-written forwarding tables: a firewall is relevant to a rule when it
// lies on a forwarding path between the rule's endpoints, found by longest-prefix match.

import { describe, expect, it } from 'vitest';
import { parsePrefix } from '../../language/address.js';
import type { CheckedIntent } from '../../language/intent.js';
import type { EndpointSets } from '../../compiler/endpoints.js';
import type { RouteModel } from '../../compiler/model.js';
import { firewallRelevance } from '../../compiler/relevance.js';
import { iface, router } from './read-back-devices.js';

const via = (prefix: string, device?: string): RouteModel => ({
  prefix,
  protocol: device ? 'static' : 'connected',
  nextHops: [device ? { interface: 'eth1', address: '10.9.9.9', device } : { interface: 'eth1' }],
  metric: 0,
});

describe('firewall relevance', () => {
  // s1 behind a, s2 behind c. a sends everything to b except s2, which it sends through the
  // firewall f: only the longest match (a /24 under a /0 and a /8) puts f on the path.
  const a = router('x.a', [iface('eth1', 'segment', '10.1.0.1/24')], {
    fib: [via('0.0.0.0/0', 'x.b'), via('10.0.0.0/8', 'x.b'), via('10.1.0.0/24'), via('10.2.0.0/24', 'x.f'), via('10.2.0.128/25', 'x.b')],
  });
  const b = router('x.b', [], { fib: [via('10.1.0.0/24', 'x.a')] });
  const f = { ...router('x.f', [], { fib: [via('10.2.0.0/24', 'x.c'), via('10.1.0.0/24', 'x.a')] }), role: 'firewall' as const };
  const c = router('x.c', [iface('eth1', 'segment', '10.2.0.1/24')], { fib: [via('10.2.0.0/24'), via('0.0.0.0/0', 'x.b')] });
  const intent = {
    segments: [
      { name: 's1', gateway: 'x.a' },
      { name: 's2', gateway: 'x.c' },
      { name: 's3', gateway: 'x.c' },
    ],
    hosts: [],
    externals: [],
  } as unknown as CheckedIntent;
  const prefixes: Record<string, string[]> = { s1: ['10.1.0.0/24'], s2: ['10.2.0.0/25'], s3: ['10.2.0.128/25'] };
  const sets = {
    sets: new Map(),
    externals: new Map(),
    setOf: (names: readonly string[]) => names.flatMap((n) => prefixes[n]!.map((p) => parsePrefix(p)!)),
  } as EndpointSets;
  const relevant = firewallRelevance(intent, [a, b, f, c], sets);

  it('follows the longest matching route, not a shorter one', () => {
    expect(relevant('x.f', ['s1'], ['s2'])).toBe(true);
    // s3 is a /25 that a routes by its own more specific route, around the firewall; c sends
    // everything toward s1 to b.
    expect(relevant('x.f', ['s1'], ['s3'])).toBe(false);
  });
});
