// Hand-built networks shared by the verifier's tests.

import type { NetworkModel } from '../../compiler/model.js';
import { ModelBuilder, TCP } from './builder.js';

/**
 * lan-a (10.1.0.0/24) at s.r1 (stateless), lan-b (10.2.0.0/24, 2001:db8:2::/64) at s.r2, and a
 * stateful firewall s.fw between s.r2 and the internet (0.0.0.0/0 minus our prefixes).
 * r1 filters its segment: lan-a may open https to lan-b, replies by `established`.
 */
export function twoSites(opts: { replyRule?: boolean; fwAllowsWeb?: boolean } = {}): ModelBuilder {
  const b = new ModelBuilder('two-sites')
    .device('s.r1')
    .device('s.r2', { stateful: true })
    .device('s.fw', { firewall: true })
    .link('s.r1', 'Gi1', '10.255.0.0/31', 's.r2', 'eth1', '10.255.0.1/31')
    .link('s.r2', 'eth2', '10.255.0.2/31', 's.fw', 'ethernet1/2', '10.255.0.3/31')
    .segment('lan-a', ['10.1.0.0/24'], 's.r1', 'Gi2', ['10.1.0.1/24'])
    .segment('lan-b', ['10.2.0.0/24', '2001:db8:2::/64'], 's.r2', 'eth0', ['10.2.0.1/24', '2001:db8:2::1/64'])
    .host('web', '10.2.0.10', 'lan-b')
    .external('internet', ['0.0.0.0/0'], 's.fw', 'ethernet1/1', '203.0.113.2/30', '203.0.113.1')
    .exclude('internet', ['10.1.0.0/24', '10.2.0.0/24', '10.255.0.0/31', '10.255.0.2/31', '203.0.113.0/30'])
    .zones('s.fw', { inside: ['ethernet1/2'], outside: ['ethernet1/1'] });
  b.filter('s.r1', 'lan-a-in', [
    { action: 'permit', match: { sources: ['10.1.0.0/24'], destinations: ['10.2.0.0/24'], protocol: TCP, destinationPorts: [{ from: 443, to: 443 }] } },
    { action: 'permit', match: { sources: ['10.1.0.0/24'], protocol: TCP, destinationPorts: [{ from: 80, to: 80 }] } },
  ]);
  const out = [{ action: 'permit' as const, match: { sources: ['10.2.0.0/24'], destinations: ['10.1.0.0/24'], protocol: TCP, sourcePorts: [{ from: 443, to: 443 }], tcpEstablished: true } }];
  b.filter('s.r1', 'lan-a-out', opts.replyRule === false ? [] : out);
  b.bind('s.r1', 'Gi2', 'in', 'lan-a-in').bind('s.r1', 'Gi2', 'out', 'lan-a-out');
  b.security('s.fw', [
    { action: 'permit', match: { fromZones: ['inside'], toZones: ['outside'], protocol: TCP, destinationPorts: [{ from: 80, to: 80 }] } },
    ...(opts.fwAllowsWeb ? [{ action: 'permit' as const, match: { fromZones: ['outside'], toZones: ['inside'], destinations: ['10.2.0.10/32'], protocol: TCP, destinationPorts: [{ from: 443, to: 443 }] } }] : []),
  ]);
  return b;
}

export function build(b: ModelBuilder): NetworkModel {
  return b.build();
}
