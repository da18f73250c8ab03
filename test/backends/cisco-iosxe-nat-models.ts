// Hand-built IOS-XE edge routers with NAT (interfaces named as IOS-XE names them), one per form
// the backend writes: static prefix translation both ways (a partner whose prefixes overlap
// ours), a published server with PAT to the outside interface's own address, and PAT to a pool
// address beside one-address translations of both sides.

import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { https, ModelBuilder, TCP, UDP } from '../verifier/builder.js';

export interface NatCase {
  model: NetworkModel;
  device: DeviceModel;
}

const edge = (model: NetworkModel): NatCase => ({ model, device: model.devices.find((d) => d.id === 'edge.e1')! });
const ios = (b: ModelBuilder, ...devices: string[]): ModelBuilder => {
  for (const d of devices) b.platform(d, 'cisco-iosxe', false);
  return b;
};

/** Ours (10.20.0.0/24) appear to the partner as 100.64.20.0/24, theirs (also 10.20.0.0/24) to us as 198.18.20.0/24. */
export function overlappingPartner(): NatCase {
  const b = new ModelBuilder('nat-overlap')
    .device('in.r1')
    .device('edge.e1')
    .link('in.r1', 'GigabitEthernet2', '10.255.0.0/31', 'edge.e1', 'GigabitEthernet2', '10.255.0.1/31')
    .segment('lan', ['10.20.0.0/24'], 'in.r1', 'GigabitEthernet3', ['10.20.0.1/24'])
    .external('partner', ['10.20.0.0/24'], 'edge.e1', 'GigabitEthernet3', '192.0.2.1/30', '192.0.2.2');
  ios(b, 'in.r1', 'edge.e1')
    .nat('edge.e1', ['GigabitEthernet2'], ['GigabitEthernet3'])
    .staticNat('edge.e1', 'inside', '10.20.0.0/24', '100.64.20.0/24')
    .staticNat('edge.e1', 'outside', '10.20.0.0/24', '198.18.20.0/24')
    .assert('reach', ['partner'], ['lan'], [https]);
  return edge(b.build());
}

/** web (10.30.0.10) published as 203.0.113.10 for https; the dmz reaches the internet as the outside interface's own address. */
export function publishedWithPat(): NatCase {
  const b = new ModelBuilder('nat-publish')
    .device('edge.e1')
    .segment('dmz', ['10.30.0.0/24'], 'edge.e1', 'GigabitEthernet2', ['10.30.0.1/24'])
    .host('web', '10.30.0.10', 'dmz')
    .external('internet', ['0.0.0.0/0'], 'edge.e1', 'GigabitEthernet3', '198.51.100.1/30', '198.51.100.2');
  ios(b, 'edge.e1')
    .nat('edge.e1', ['GigabitEthernet2'], ['GigabitEthernet3'])
    .staticNat('edge.e1', 'inside', '10.30.0.10/32', '203.0.113.10/32', { protocol: TCP, port: 443, realPort: 8443 })
    .pat('edge.e1', ['10.30.0.0/24'], '198.51.100.1')
    .assert('reach', ['internet'], ['web'], [https]);
  return edge(b.build());
}

/**
 * office and guest reach the internet as the pool address 203.0.113.8 (the network address of
 * its /30: the pool is written with a prefix length at which it is a host); one printer appears
 * as 203.0.113.20, and the partner's DNS server 172.16.0.53 to us as 10.99.0.53 (udp 53).
 */
export function poolAndHosts(): NatCase {
  const b = new ModelBuilder('nat-pool')
    .device('edge.e1')
    .segment('office', ['192.168.1.0/24'], 'edge.e1', 'GigabitEthernet2', ['192.168.1.1/24'])
    .segment('guest', ['192.168.2.0/24'], 'edge.e1', 'GigabitEthernet4', ['192.168.2.1/24'])
    .external('internet', ['0.0.0.0/0'], 'edge.e1', 'GigabitEthernet3', '198.51.100.1/30', '198.51.100.2');
  ios(b, 'edge.e1')
    .nat('edge.e1', ['GigabitEthernet2', 'GigabitEthernet4'], ['GigabitEthernet3'])
    .staticNat('edge.e1', 'inside', '192.168.1.20/32', '203.0.113.20/32')
    .staticNat('edge.e1', 'outside', '172.16.0.53/32', '10.99.0.53/32', { protocol: UDP, port: 53, realPort: 53 })
    .pat('edge.e1', ['192.168.1.0/24', '192.168.2.0/24'], '203.0.113.8')
    .assert('reach', ['office'], ['internet'], [https]);
  return edge(b.build());
}

export const NAT_CASES: Record<string, () => NatCase> = { overlappingPartner, publishedWithPat, poolAndHosts };
