// Hand-built networks with NAT for the verifier's and the simulator's tests: one edge device
// between our side (inside) and a partner or the internet (outside), per scenario of
// docs/architecture.md ("NAT").

import type { NetworkModel, Platform } from '../../compiler/model.js';
import { https, ModelBuilder, ssh, TCP } from './builder.js';

const ios = (b: ModelBuilder, device: string): ModelBuilder => b.platform(device, 'cisco-iosxe', false);
const nft = (b: ModelBuilder, device: string): ModelBuilder => b.platform(device, 'frr', true);
const onPlatform = (b: ModelBuilder, device: string, platform: Platform): ModelBuilder => (platform === 'cisco-iosxe' ? ios(b, device) : nft(b, device));

/**
 * Ours (10.20.1.0/24 behind r1) appear to the partner (172.16.0.0/16) as 100.64.20.0/24. The
 * edge's inbound filter from the partner admits only the mapped prefix (as arrived: IOS-XE).
 * Assertions: 0 reach partner -> app : https; 1 isolate partner -> app (real addresses only);
 * 2 isolate partner -> app (every address).
 */
export function staticInside(): NetworkModel {
  const b = new ModelBuilder('static-inside')
    .device('in.r1')
    .device('edge.e1')
    .link('in.r1', 'Gi1', '10.255.0.0/31', 'edge.e1', 'Gi1', '10.255.0.1/31')
    .segment('apps', ['10.20.1.0/24'], 'in.r1', 'Gi2', ['10.20.1.1/24'])
    .host('app', '10.20.1.5', 'apps')
    .external('partner', ['172.16.0.0/16'], 'edge.e1', 'Gi2', '192.0.2.1/30', '192.0.2.2');
  ios(b, 'in.r1');
  ios(b, 'edge.e1')
    .nat('edge.e1', ['Gi1'], ['Gi2'])
    .staticNat('edge.e1', 'inside', '10.20.1.0/24', '100.64.20.0/24')
    .filter('edge.e1', 'from-partner', [{ action: 'permit', match: { destinations: ['100.64.20.0/24'] } }])
    .bind('edge.e1', 'Gi2', 'in', 'from-partner')
    // Replies to the partner: the reply rule of a stateless router.
    .filter('edge.e1', 'to-partner', [{ action: 'permit', match: {} }])
    .bind('edge.e1', 'Gi2', 'out', 'to-partner')
    .assert('reach', ['partner'], ['app'], [https])
    .assert('isolate', ['partner'], ['app'])
    .scopeDestinations(['10.20.1.0/24'])
    .assert('isolate', ['partner'], ['app']);
  return b.build();
}

/**
 * Both sides use 10.20.0.0/24: ours appear to the partner as 100.64.20.0/24, the partner's to us
 * as 198.18.20.0/24. Assertions: 0 reach partner -> lan : https; 1 reach lan -> partner : https.
 * IOS-XE translates inside-to-outside after routing (on the mapped 198.18.20.0/24, routed out);
 * nftables before routing, so the packet to the partner's real 10.20.0.x goes back in.
 */
export function overlapping(platform: Platform): NetworkModel {
  const b = new ModelBuilder(`overlap-${platform}`)
    .device('in.r1')
    .device('edge.e1')
    .link('in.r1', 'eth1', '10.255.0.0/31', 'edge.e1', 'eth1', '10.255.0.1/31')
    .segment('lan', ['10.20.0.0/24'], 'in.r1', 'eth2', ['10.20.0.1/24'])
    .external('partner', ['10.20.0.0/24'], 'edge.e1', 'eth2', '192.0.2.1/30', '192.0.2.2');
  ios(b, 'in.r1');
  onPlatform(b, 'edge.e1', platform)
    .nat('edge.e1', ['eth1'], ['eth2'])
    .staticNat('edge.e1', 'inside', '10.20.0.0/24', '100.64.20.0/24')
    .staticNat('edge.e1', 'outside', '10.20.0.0/24', '198.18.20.0/24')
    .route('in.r1', { prefix: '198.18.20.0/24', protocol: 'static', nextHops: [{ interface: 'eth1', address: '10.255.0.1', device: 'edge.e1' }], metric: 1 })
    .route('edge.e1', { prefix: '10.20.0.0/24', protocol: 'static', nextHops: [{ interface: 'eth1', address: '10.255.0.0', device: 'in.r1' }], metric: 1 })
    .route('edge.e1', { prefix: '198.18.20.0/24', protocol: 'static', nextHops: [{ interface: 'eth2', address: '192.0.2.2' }], metric: 0 })
    .assert('reach', ['partner'], ['lan'], [https])
    .assert('reach', ['lan'], ['partner'], [https]);
  return b.build();
}

/**
 * web (10.30.0.10) published as 203.0.113.10 for https only; the edge admits from the internet
 * only packets to the public address (as arrived, IOS-XE). Assertions: 0 reach internet -> web :
 * https; 1 isolate internet -> web : ssh; 2 reach internet -> web : ssh (refuted).
 */
export function published(): NetworkModel {
  const b = new ModelBuilder('publish')
    .device('edge.e1')
    .segment('dmz', ['10.30.0.0/24'], 'edge.e1', 'Gi1', ['10.30.0.1/24'])
    .host('web', '10.30.0.10', 'dmz')
    .external('internet', ['0.0.0.0/0'], 'edge.e1', 'Gi2', '198.51.100.1/30', '198.51.100.2')
    .exclude('internet', ['10.0.0.0/8', '203.0.113.0/24', '198.51.100.0/30']);
  ios(b, 'edge.e1')
    .nat('edge.e1', ['Gi1'], ['Gi2'])
    .staticNat('edge.e1', 'inside', '10.30.0.10/32', '203.0.113.10/32', { protocol: TCP, port: 443, realPort: 443 })
    .filter('edge.e1', 'from-internet', [{ action: 'permit', match: { destinations: ['203.0.113.10/32'] } }])
    .bind('edge.e1', 'Gi2', 'in', 'from-internet')
    .assert('reach', ['internet'], ['web'], [https])
    .assert('isolate', ['internet'], ['web'], [ssh])
    .assert('reach', ['internet'], ['web'], [ssh]);
  return b.build();
}

/**
 * office (192.168.1.0/24) reaches the internet as 198.51.100.1 (PAT) through a stateful edge
 * (nftables) whose filter from the internet admits nothing new. Assertions: 0 reach office ->
 * internet : https; 1 isolate internet -> office.
 */
export function patEgress(): NetworkModel {
  const b = new ModelBuilder('pat')
    .device('edge.e1')
    .segment('office', ['192.168.1.0/24'], 'edge.e1', 'eth1', ['192.168.1.1/24'])
    .external('internet', ['0.0.0.0/0'], 'edge.e1', 'eth2', '198.51.100.1/30', '198.51.100.2')
    .exclude('internet', ['192.168.0.0/16', '198.51.100.0/30']);
  nft(b, 'edge.e1')
    .nat('edge.e1', ['eth1'], ['eth2'])
    .pat('edge.e1', ['192.168.1.0/24'], '198.51.100.1')
    .filter('edge.e1', 'from-internet', [])
    .bind('edge.e1', 'eth2', 'in', 'from-internet')
    .assert('reach', ['office'], ['internet'], [https])
    .assert('isolate', ['internet'], ['office']);
  return b.build();
}

/**
 * The edge's filter toward the partner admits our mapped source 100.64.20.0/24 only: IOS-XE's
 * out-ACL sees the packet as it leaves (translated), nftables' forward filter before `snat`.
 * Assertion 0: reach app -> partner : https (proven on IOS-XE, refuted on nftables).
 */
export function postNatFilter(platform: Platform): NetworkModel {
  const b = new ModelBuilder(`post-nat-${platform}`)
    .device('edge.e1')
    .segment('apps', ['10.20.1.0/24'], 'edge.e1', 'eth1', ['10.20.1.1/24'])
    .host('app', '10.20.1.5', 'apps')
    .external('partner', ['172.16.0.0/16'], 'edge.e1', 'eth2', '192.0.2.1/30', '192.0.2.2');
  onPlatform(b, 'edge.e1', platform)
    .nat('edge.e1', ['eth1'], ['eth2'])
    .staticNat('edge.e1', 'inside', '10.20.1.0/24', '100.64.20.0/24')
    .filter('edge.e1', 'to-partner', [{ action: 'permit', match: { sources: ['100.64.20.0/24'] } }])
    .bind('edge.e1', 'eth2', 'out', 'to-partner')
    .assert('reach', ['app'], ['partner'], [https]);
  return b.build();
}
