// frr.conf's commands are dispatched by the block they are in (frr/conf-read.ts `command`), and a
// command unknown there is tried in the enclosing block, as vtysh does. Held here on the builder's
// frr routers, which have every block (interface, route-map, router ospf and ospf6, router bgp and
// its address families): the file as rendered reads without errors into the model's routing, the
// same file without its indentation and `exit` lines reads the same, and an unknown command in
// any block is one error at its line.

import { describe, expect, it } from 'vitest';
import { readFrrConf } from '../../backends/frr/conf-read.js';
import { renderFrrConf } from '../../backends/frr/conf-render.js';
import { core2, edge2, network } from './builder.js';

/** The read without its spans (a file without its `exit` lines has other line numbers). */
function withoutPlaces(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutPlaces);
  if (value instanceof Map) return [...value].map(([k, v]) => [k, withoutPlaces(v)]);
  if (value === null || typeof value !== 'object') return value;
  if ('file' in value && 'start' in value && 'end' in value) return 'span';
  return Object.fromEntries(
    Object.entries(value)
      .filter(([k]) => k !== 'origin' && k !== 'span' && k !== 'diagnostics' && k !== 'refs')
      .map(([k, v]) => [k, withoutPlaces(v)]),
  );
}

const errors = (read: ReturnType<typeof readFrrConf>) => read.diagnostics.filter((d) => d.severity === 'error');

describe('frr.conf commands by block', () => {
  const devices = [core2(), edge2()];
  const model = network(devices);

  it('reads every block of the rendered file, and the same without indentation and exits', () => {
    for (const device of devices) {
      const text = renderFrrConf(device, model);
      expect(text).toMatch(/^router ospf6$/m);
      const read = readFrrConf('frr.conf', text);
      expect(errors(read), device.id).toEqual([]);
      expect(read.routerId).toBe(device.routerId);
      expect(read.staticRoutes.map((r) => r.prefix)).toEqual(device.staticRoutes.map((r) => r.prefix));
      expect(read.ospf?.redistribute.map((r) => r.protocol).sort()).toEqual(device.ospf?.redistribute.map((r) => r.protocol).sort());
      expect(read.bgp?.neighbors.map((n) => n.address)).toEqual(device.bgp?.neighbors.map((n) => n.address));
      const flat = text
        .split('\n')
        .filter((l) => !/^\s*exit(-address-family)?$/.test(l))
        .map((l) => l.trimStart())
        .join('\n');
      const flatRead = readFrrConf('frr.conf', flat);
      expect(errors(flatRead), device.id).toEqual([]);
      expect(withoutPlaces(flatRead)).toEqual(withoutPlaces(read));
    }
  });

  it('reports an unknown command in any block at its line', () => {
    for (const device of devices) {
      const lines = renderFrrConf(device, model).split('\n');
      // after each block's first line, and at the top
      const at = lines.flatMap((l, k) => (/^(interface|route-map|router|\s*address-family) /.test(l) ? [k + 1] : []));
      expect(at.length).toBeGreaterThan(4);
      for (const k of [...at, lines.length - 1]) {
        const edited = [...lines.slice(0, k), ' plumb-unknown word', ...lines.slice(k)].join('\n');
        const found = errors(readFrrConf('frr.conf', edited));
        expect(found.map((d) => [d.span.start.line, d.message]), `${device.id} line ${k + 1}`).toEqual([
          [k + 1, 'unknown command `plumb-unknown word`'],
        ]);
      }
    }
  });
});
