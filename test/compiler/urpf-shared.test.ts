// urpfModes indexes each device's FIB; a device whose FIB has the same prefix texts in the same
// order as the device indexed before it shares that index's prefixes (most devices of a network
// route the same prefixes). Its routes stay its own: on 200 seeded networks whose devices hold
// the same texts with other protocols and interfaces, a shuffled copy, a FIB one route shorter
// or one text changed, every device's modes must be those it gets alone (no index to share).

import { describe, expect, it } from 'vitest';
import type { DeviceModel, EndpointModel, RouteModel } from '../../compiler/model.js';
import { urpfModes } from '../../compiler/urpf.js';
import { iface, router } from './read-back-devices.js';
import { address, random } from './urpf-seeds.js';

describe('uRPF indexes shared by FIBs of the same texts', () => {
  it('give every device the modes it gets alone', () => {
    let shared = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const rnd = random(seed);
      const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)]!;
      const texts: string[] = [];
      for (let k = 0, count = 2 + Math.floor(rnd() * 10); k < count; k++) {
        const length = 22 + Math.floor(rnd() * 11);
        const size = 2 ** (32 - length);
        const text = `${address(Math.floor((rnd() * 1024) / size) * size)}/${length}`;
        if (!texts.includes(text)) texts.push(text);
      }
      texts.sort((a, b) => {
        const [x, l] = a.split('/').map((s, i) => (i === 0 ? s.split('.').reduce((v, o) => v * 256 + Number(o), 0) : Number(s)));
        const [y, m] = b.split('/').map((s, i) => (i === 0 ? s.split('.').reduce((v, o) => v * 256 + Number(o), 0) : Number(s)));
        return x! - y! || l! - m!;
      });
      const routes = (list: readonly string[]): RouteModel[] =>
        list.map((prefix) => ({ prefix, protocol: pick(['connected', 'static', 'bgp', 'ospf'] as const), nextHops: [{ interface: pick(['eth1', 'eth2']) }], metric: 0 }));
      const devices: DeviceModel[] = [];
      for (let i = 0; i < 6; i++) {
        const kind = rnd();
        let list = texts;
        if (kind < 0.15) list = [...texts].sort(() => rnd() - 0.5);
        else if (kind < 0.3) list = texts.slice(0, -1);
        else if (kind < 0.4) list = texts.map((t, k) => (k === texts.length - 1 ? '10.0.7.0/24' : t));
        devices.push(router(`s.d${i}`, [iface('eth1', 'segment', '10.9.0.1/24'), iface('eth2', 'link', '10.8.0.0/31')], { fib: routes(list) }));
      }
      const sources: string[] = [];
      for (let k = 0; k < 1 + Math.floor(rnd() * 3); k++) {
        const length = 24 + Math.floor(rnd() * 9);
        const size = 2 ** (32 - length);
        sources.push(`${address(Math.floor((rnd() * 1024) / size) * size)}/${length}`);
      }
      const endpoints: EndpointModel[] = [
        { name: 'x', kind: 'segment', include: sources, exclude: [], attachments: devices.map((d) => ({ device: d.id, interface: 'eth1' })), origin: devices[0]!.origin },
      ];
      const together = urpfModes(devices, endpoints);
      for (const [i, d] of devices.entries()) {
        const alone = urpfModes([d], endpoints).get(d.id)?.get('eth1');
        expect(together.get(d.id)?.get('eth1'), `seed ${seed} device ${i}`).toBe(alone);
        if (i > 0 && d.fib.every((r, k) => r.prefix === devices[i - 1]!.fib[k]?.prefix) && d.fib.length === devices[i - 1]!.fib.length) shared++;
      }
    }
    // Most devices follow one of the same texts.
    expect(shared).toBeGreaterThan(300);
  });
});
