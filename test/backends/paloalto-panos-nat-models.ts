// Hand-built PAN-OS firewalls with NAT (the scenarios of test/verifier/nat-models.ts on a
// paloalto-panos edge with zones): the backend's tests render them and read them back.

import type { ReadResult, RenderedFile } from '../../backends/backend.js';
import { paloaltoPanosBackend } from '../../backends/paloalto-panos/index.js';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { https, ModelBuilder, TCP } from '../verifier/builder.js';

export const EDGE = 'edge.fw1';
export const edgeOf = (m: NetworkModel): DeviceModel => m.devices.find((d) => d.id === EDGE)!;

export const renderEdge = (m: NetworkModel): RenderedFile[] => paloaltoPanosBackend.render(edgeOf(m), m);

export const readEdge = (d: DeviceModel, files: RenderedFile[], source?: 'running'): ReadResult =>
  paloaltoPanosBackend.read(files, { id: d.id, site: d.site, name: d.name, role: d.role, ...(source ? { source } : {}) });

/**
 * Both sides use 10.20.0.0/24: ours appear to the partner as 100.64.20.0/24, the partner's to us
 * as 198.18.20.0/24. Inside: the link to r1 (zone transit) and a segment (zone lan2), so every
 * rule toward the inside is written once per zone.
 */
export function overlappingPanos(): NetworkModel {
  const b = new ModelBuilder('overlap-panos')
    .device('in.r1')
    .device(EDGE, { firewall: true })
    .link('in.r1', 'Gi1', '10.255.0.0/31', EDGE, 'ethernet1/1', '10.255.0.1/31')
    .segment('lan', ['10.20.0.0/24'], 'in.r1', 'Gi2', ['10.20.0.1/24'])
    .segment('lan2', ['10.21.0.0/24'], EDGE, 'ethernet1/3', ['10.21.0.1/24'])
    .external('partner', ['10.20.0.0/24'], EDGE, 'ethernet1/2', '192.0.2.1/30', '192.0.2.2')
    .zones(EDGE, { transit: ['ethernet1/1'], lan2: ['ethernet1/3'], partner: ['ethernet1/2'] })
    .nat(EDGE, ['ethernet1/1', 'ethernet1/3'], ['ethernet1/2'])
    .staticNat(EDGE, 'inside', '10.20.0.0/24', '100.64.20.0/24')
    .staticNat(EDGE, 'outside', '10.20.0.0/24', '198.18.20.0/24')
    .staticNat(EDGE, 'inside', '10.21.0.0/24', '100.64.21.0/24')
    .route('in.r1', { prefix: '198.18.20.0/24', protocol: 'static', nextHops: [{ interface: 'Gi1', address: '10.255.0.1', device: EDGE }], metric: 1 })
    .route(EDGE, { prefix: '198.18.20.0/24', protocol: 'static', nextHops: [{ interface: 'ethernet1/2', address: '192.0.2.2' }], metric: 0 })
    .assert('reach', ['partner'], ['lan'], [https]);
  return b.build();
}

/**
 * An internet edge: web (10.30.0.10) published as 203.0.113.10 for https, office PAT to the
 * outside interface's address, guest PAT to a translated address of its own.
 */
export function internetPanos(): NetworkModel {
  const b = new ModelBuilder('internet-panos')
    .device(EDGE, { firewall: true })
    .segment('dmz', ['10.30.0.0/24'], EDGE, 'ethernet1/1', ['10.30.0.1/24'])
    .host('web', '10.30.0.10', 'dmz')
    .segment('office', ['192.168.1.0/24'], EDGE, 'ethernet1/3', ['192.168.1.1/24'])
    .segment('guest', ['192.168.2.0/24'], EDGE, 'ethernet1/4', ['192.168.2.1/24'])
    .external('internet', ['0.0.0.0/0'], EDGE, 'ethernet1/2', '198.51.100.1/30', '198.51.100.2')
    .exclude('internet', ['10.0.0.0/8', '192.168.0.0/16', '203.0.113.0/24', '198.51.100.0/30'])
    .zones(EDGE, { dmz: ['ethernet1/1'], office: ['ethernet1/3', 'ethernet1/4'], internet: ['ethernet1/2'] })
    .nat(EDGE, ['ethernet1/1', 'ethernet1/3', 'ethernet1/4'], ['ethernet1/2'])
    .staticNat(EDGE, 'inside', '10.30.0.10/32', '203.0.113.10/32', { protocol: TCP, port: 443, realPort: 443 })
    .pat(EDGE, ['192.168.1.0/24'], '198.51.100.1')
    .pat(EDGE, ['192.168.2.0/24'], '203.0.113.20')
    .assert('reach', ['office'], ['internet'], [https]);
  return b.build();
}
