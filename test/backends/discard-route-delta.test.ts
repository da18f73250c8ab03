// The deltas of a discard route (StaticRouteModel.discard): added, removed, and turned into a
// route with a next hop. IOS-XE and PAN-OS deltas are applied with the devices' semantics
// (iosxe-apply.ts, panos-apply.ts); the Linux delta is run for real in a namespace, where version
// N, its delta, then N+1 must leave the kernel as N+1 alone does. FRR's routes are frr.conf's,
// applied by frr-reload.py, whose script the delta writes whenever frr.conf changes.

import { describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import type { DeviceModel, NetworkModel, Platform, StaticRouteModel } from '../../compiler/model.js';
import { linuxDelta, SETUP_DELTA_FILE } from '../../backends/linux/delta.js';
import { FRR_RELOAD_FILE } from '../../backends/frr/delta.js';
import { parseXml, printXml } from '../../backends/paloalto-panos/xml.js';
import { compareConfiguration } from '../../verifier/equivalence-config.js';
import { platformCase } from './platform-cases.js';
import { applyIosxe, canonicalIosxe, withoutUnusedPorts } from './iosxe-apply.js';
import { applyPanosSet, canonicalPanos } from './panos-apply.js';
import { applyInNamespace } from './delta-linux-lab.js';
import { skipWithout } from './tools.js';

const PREFIX = '100.64.20.0/24';

/** Three versions of the platform's first hand-built device: no route, a discard route, a next hop. */
function versions(platform: Platform): { none: DeviceModel; discard: DeviceModel; hop: DeviceModel; model: NetworkModel } {
  const { device: base, model } = platformCase(platform).handBuilt()[0]!;
  const origin = base.interfaces[0]!.origin;
  const link = base.interfaces.find((i) => i.role === 'link' && i.addresses.some((a) => !a.includes(':')))!;
  const peer = link.addresses.find((a) => !a.includes(':'))!.split('/')[0]!;
  const nextHop = peer.replace(/\d+$/, (n) => String(Number(n) ^ 1));
  const withRoute = (r?: StaticRouteModel): DeviceModel => ({ ...base, staticRoutes: [...base.staticRoutes, ...(r ? [r] : [])] });
  return {
    none: withRoute(),
    discard: withRoute({ prefix: PREFIX, discard: true, origin }),
    hop: withRoute({ prefix: PREFIX, nextHop, interface: link.name, origin }),
    model,
  };
}

const render = (d: DeviceModel, model: NetworkModel): RenderedFile[] => backendFor(d.platform)!.render(d, model);
const context = (d: DeviceModel) => ({ id: d.id, site: d.site, name: d.name, role: d.role });

describe('IOS-XE: the delta adds and removes `ip route ... Null0`', () => {
  const backend = backendFor('cisco-iosxe')!;
  const cfg = (files: RenderedFile[]): RenderedFile => files.find((f) => f.path.endsWith('.cfg') && !f.path.endsWith('.delta.cfg'))!;
  const v = versions('cisco-iosxe');
  const steps: [string, DeviceModel, DeviceModel, RegExp][] = [
    ['added', v.none, v.discard, /^ip route 100\.64\.20\.0 255\.255\.255\.0 Null0$/m],
    ['removed', v.discard, v.none, /^no ip route 100\.64\.20\.0 255\.255\.255\.0 Null0$/m],
    ['turned into a next hop', v.discard, v.hop, /^no ip route 100\.64\.20\.0 255\.255\.255\.0 Null0$/m],
  ];
  for (const [what, from, to, line] of steps) {
    it(what, () => {
      const before = render(from, v.model);
      const after = render(to, v.model);
      const delta = backend.delta!(before, after, to);
      expect(delta[0]!.content).toMatch(line);
      const applied = applyIosxe(cfg(before).content, delta[0]!.content);
      expect(applied.errors).toEqual([]);
      expect(canonicalIosxe(applied.text)).toEqual(canonicalIosxe(cfg(after).content));
      const read = backend.read([{ path: cfg(after).path, content: withoutUnusedPorts(applied.text) }], context(to));
      expect(read.diagnostics).toEqual([]);
      expect(read.device).toEqual(canonicalDevice({ ...to, fib: [] }));
    });
  }
});

describe('PAN-OS: the delta adds and removes a static route of next hop discard', () => {
  const backend = backendFor('paloalto-panos')!;
  const file = (files: RenderedFile[], suffix: string): RenderedFile => files.find((f) => f.path.endsWith(suffix) && !f.path.includes('.delta.'))!;
  const v = versions('paloalto-panos');
  const steps: [string, DeviceModel, DeviceModel, RegExp][] = [
    ['added', v.none, v.discard, /static-route route-100\.64\.20\.0_24 nexthop discard$/m],
    ['removed', v.discard, v.none, /^delete .*static-route route-100\.64\.20\.0_24$/m],
    ['turned into a next hop', v.discard, v.hop, /static-route route-100\.64\.20\.0_24 nexthop ip-address /m],
  ];
  for (const [what, from, to, line] of steps) {
    it(what, () => {
      const before = render(from, v.model);
      const after = render(to, v.model);
      const delta = backend.delta!(before, after, to);
      const set = delta.find((f) => f.path.endsWith('.delta.set'))!;
      expect(set.content).toMatch(line);
      const next = parseXml('next.xml', file(after, '.xml').content).root!;
      const applied = applyPanosSet(parseXml('prev.xml', file(before, '.xml').content).root!, set.content, [next]);
      expect(applied.errors).toEqual([]);
      expect(canonicalPanos(applied.root)).toEqual(canonicalPanos(next));
      // The set form carries no origin annotations: the device is compared, not its spans.
      const read = backend.read([{ path: file(after, '.xml').path, content: printXml(applied.root) }], context(to));
      expect(read.diagnostics).toEqual([]);
      expect(compareConfiguration(to, read.device!)).toEqual([]);
    });
  }
});

describe('FRR: a changed discard route is a changed frr.conf, applied by frr-reload.py', () => {
  it('the delta writes the reload script', () => {
    const v = versions('frr');
    const delta = backendFor('frr')!.delta!(render(v.none, v.model), render(v.discard, v.model), v.discard);
    expect(delta.map((f) => f.path)).toContain(FRR_RELOAD_FILE);
  });
});

describe('Linux: version N, its delta, then N+1 in a namespace equals N+1 on a fresh box', () => {
  const skip = skipWithout('ip', 'iproute2') || skipWithout('nft', 'nftables') || (process.getuid?.() !== 0 && !process.env.CI);
  const v = versions('linux');
  const steps: [string, DeviceModel, DeviceModel, string | undefined][] = [
    ['added', v.none, v.discard, undefined],
    ['removed', v.discard, v.none, `route del blackhole ${PREFIX}`],
    ['turned into a next hop', v.discard, v.hop, `route del blackhole ${PREFIX}`],
    ['a next hop turned into a discard route', v.hop, v.discard, `route del ${PREFIX}`],
  ];
  for (const [what, from, to, removal] of steps) {
    it.skipIf(skip)(what, async () => {
      const before = render(from, v.model);
      const after = render(to, v.model);
      const [delta] = linuxDelta(before, after, to);
      if (removal !== undefined) expect(delta!.content).toContain(removal);
      const interfaces = to.interfaces.map((i) => i.name).filter((n) => n !== 'lo');
      const apply = 'sh setup.sh && nft -f nftables.conf';
      const fresh = await applyInNamespace(interfaces, [{ files: after, run: apply }]);
      expect(fresh.output).toBe('');
      const over = await applyInNamespace(interfaces, [{ files: before, run: apply }, ...(delta ? [{ files: [delta], run: `sh ${SETUP_DELTA_FILE}` }] : []), { files: after, run: apply }]);
      expect(over.output).toBe('');
      expect(over.state).toBeDefined();
      expect(over.state).toEqual(fresh.state);
      expect(fresh.state!.routes.some((r) => r.includes('blackhole'))).toBe(to.staticRoutes.some((r) => r.discard));
    }, 180_000);
  }
});
