// Networks with NAT for the lab: the verifier's hand-built scenarios (test/verifier/nat-models.ts)
// made runnable (the builder computes FIBs only; FRR needs the static routes behind them), and an
// IOS-XE internet edge with PAT.

import type { NetworkModel } from '../../compiler/model.js';
import { https, ModelBuilder } from '../verifier/builder.js';

/** The model with each device's static FIB entries as its static routes (what FRR runs). */
export function labSized(model: NetworkModel): NetworkModel {
  const m = structuredClone(model);
  for (const d of m.devices) {
    d.staticRoutes = d.fib
      .filter((r) => r.protocol === 'static')
      .flatMap((r) => r.nextHops.map((h) => ({ prefix: r.prefix, ...(h.address ? { nextHop: h.address } : {}), interface: h.interface, origin: d.origin })));
  }
  return m;
}

/**
 * office (192.168.1.0/24) reaches the internet as 198.51.100.1 (PAT to the edge's outside
 * address) through a stateless IOS-XE edge whose in-ACL from the internet admits only TCP that
 * is established to that address (as it arrives: before the translation back), and whose local
 * filter admits nothing (the replies are translated back before routing: not the router's).
 * Assertions:
 * 0 reach office -> internet : https; 1 isolate internet -> office.
 */
export function iosPat(): NetworkModel {
  const b = new ModelBuilder('ios-pat')
    .device('edge.e1')
    .segment('office', ['192.168.1.0/24'], 'edge.e1', 'Gi1', ['192.168.1.1/24'])
    .external('internet', ['0.0.0.0/0'], 'edge.e1', 'Gi2', '198.51.100.1/30', '198.51.100.2')
    .exclude('internet', ['192.168.0.0/16', '198.51.100.0/30']);
  b.platform('edge.e1', 'cisco-iosxe', false)
    .nat('edge.e1', ['Gi1'], ['Gi2'])
    .pat('edge.e1', ['192.168.1.0/24'], '198.51.100.1')
    .filter('edge.e1', 'from-internet', [{ action: 'permit', match: { protocol: 6, tcpEstablished: true, destinations: ['198.51.100.1/32'] } }])
    .bind('edge.e1', 'Gi2', 'in', 'from-internet')
    // Nothing is addressed to the router itself, but the replies to its address are the office's.
    .filter('edge.e1', 'local', [])
    .local('edge.e1', 'local')
    .assert('reach', ['office'], ['internet'], [https])
    .assert('isolate', ['internet'], ['office']);
  return b.build();
}
