// The readers share what many lines write the same: one frozen span for each origin tag read
// (origin-tag.ts `sharedSpan`, through `parseOriginTag` and the Linux tags read in place) and one
// text for each IPv4 prefix setup.sh's routes name (setup-read-routes.ts). Sharing must never
// hand out a span or a prefix of other values. And setup.sh's routes, written as LineText's
// parts (setup-render.ts), must make the same file as their lines joined one by one.

import { describe, expect, it } from 'vitest';
import { formatOriginTag, parseOriginTag, sharedSpan } from '../../backends/origin-tag.js';
import { readSetup } from '../../backends/linux/setup-read.js';
import { renderSetup } from '../../backends/linux/setup-render.js';
import type { DeviceModel, NetworkModel, StaticRouteModel } from '../../compiler/model.js';
import type { Span } from '../../language/diagnostic.js';
import { prng } from '../verifier/random-networks.js';

const span = (file: string, n: readonly number[]): Span => ({
  file,
  start: { line: n[0]!, column: n[1]!, offset: n[4]! },
  end: { line: n[2]!, column: n[3]!, offset: n[5]! },
});

describe('sharedSpan', () => {
  it('gives the same frozen span for the same values, and its own span for any other value', () => {
    const values = [3, 1, 3, 9, 40, 48];
    const a = sharedSpan('a.plumb', ...(values as [number, number, number, number, number, number]));
    expect(a).toEqual(span('a.plumb', values));
    expect(Object.isFrozen(a) && Object.isFrozen(a.start) && Object.isFrozen(a.end)).toBe(true);
    expect(sharedSpan('a.plumb', 3, 1, 3, 9, 40, 48)).toBe(a);
    // each value changed alone (the start offset kept, or changed), and another file
    for (let k = 0; k < 6; k++) {
      const other = values.map((v, i) => (i === k ? v + 1 : v));
      const s = sharedSpan('a.plumb', ...(other as [number, number, number, number, number, number]));
      expect(s).toEqual(span('a.plumb', other));
      expect(sharedSpan('a.plumb', 3, 1, 3, 9, 40, 48)).toEqual(span('a.plumb', values));
    }
    expect(sharedSpan('b.plumb', 3, 1, 3, 9, 40, 48)).toEqual(span('b.plumb', values));
    expect(sharedSpan('a.plumb', 3, 1, 3, 9, 40, 48).file).toBe('a.plumb');
  });

  it('reads seeded tags that share their start offsets as they were written', () => {
    const rand = prng(41);
    const written: Span[] = [];
    for (let i = 0; i < 3000; i++) {
      // few start offsets, so that most tags meet one of another value there
      const n = [1 + Math.floor(rand() * 3), 1 + Math.floor(rand() * 3), 1 + Math.floor(rand() * 3), 1 + Math.floor(rand() * 3), Math.floor(rand() * 4), Math.floor(rand() * 3)];
      written.push(span(rand() < 0.8 ? 'net/main.plumb' : 'b c.plumb', n));
    }
    for (const s of written) expect(parseOriginTag(formatOriginTag(s))).toEqual(s);
  });
});

describe('setup.sh routes shared and joined in parts', () => {
  const origin = span('net/main.plumb', [1, 1, 1, 9, 0, 8]);
  const model = { name: 'n' } as NetworkModel;
  const device = (routes: StaticRouteModel[]): DeviceModel =>
    ({ id: 's.r1', site: 's', name: 'r1', platform: 'linux', role: 'router', origin, interfaces: [], staticRoutes: routes }) as unknown as DeviceModel;

  /** Routes to `count` prefixes across the IPv4 space (the ends included), each with its own origin. */
  function routes(count: number, rand: () => number): StaticRouteModel[] {
    const out: StaticRouteModel[] = [];
    const seen = new Set<string>();
    const fixed = ['0.0.0.0/0', '255.255.255.255/32', '128.0.0.0/1', '10.0.0.0/8', '192.168.255.0/24'];
    for (let i = 0; i < count; i++) {
      let prefix = fixed[i];
      while (prefix === undefined || seen.has(prefix)) {
        const length = 8 + Math.floor(rand() * 25);
        const value = Math.floor(rand() * 2 ** 32);
        const net = length === 32 ? value : value - (value % 2 ** (32 - length));
        prefix = `${net >>> 24}.${(net >>> 16) & 255}.${(net >>> 8) & 255}.${net & 255}/${length}`;
      }
      seen.add(prefix);
      out.push({ prefix, nextHop: `100.64.0.${1 + (i % 3)}`, interface: 'eth1', origin: span('net/main.plumb', [i + 2, 1, i + 2, 30, 100 * i + 50, 100 * i + 79]) });
    }
    return out;
  }

  it('writes the lines one after another across the parts, and reads back every route and its origin', () => {
    const rand = prng(7);
    // around the parts' 512 lines (256 routes)
    for (const count of [0, 1, 255, 256, 257, 600]) {
      const rs = routes(count, rand);
      const text = renderSetup(device(rs), model, { routes: true, routerIdComment: false });
      expect(text.endsWith('PLUMB_EOF\n')).toBe(true);
      expect(text).not.toMatch(/\n\n/);
      const lines = text.split('\n');
      const start = lines.indexOf("ip -batch - <<'PLUMB_EOF'") + 1;
      const expected = [...rs]
        .sort((a, b) => key(a.prefix) - key(b.prefix))
        .flatMap((r) => [`# route ${r.prefix} via ${r.nextHop} dev eth1 @ ${formatOriginTag(r.origin)}`, `route replace ${r.prefix} via ${r.nextHop} dev eth1`]);
      expect(lines.slice(start, start + expected.length)).toEqual(expected);
      expect(lines.slice(start + expected.length)).toEqual(['PLUMB_EOF', '']);
      const read = readSetup('setup.sh', text);
      expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(read.staticRoutes.map((r) => [r.prefix, r.nextHop, r.origin])).toEqual(
        [...rs].sort((a, b) => key(a.prefix) - key(b.prefix)).map((r) => [r.prefix, r.nextHop, r.origin]),
      );
    }
  });

  it('gives two routers the same span for the same tag', () => {
    const rs = routes(40, prng(3));
    const a = readSetup('a/setup.sh', renderSetup(device(rs), model, { routes: true, routerIdComment: false }));
    const b = readSetup('b/setup.sh', renderSetup(device(rs), model, { routes: true, routerIdComment: false }));
    expect(b.staticRoutes).toEqual(a.staticRoutes);
    b.staticRoutes.forEach((r, i) => expect(r.origin).toBe(a.staticRoutes[i]!.origin));
  });
});

/** An IPv4 prefix's order: network, then length. */
function key(prefix: string): number {
  const [address, length] = prefix.split('/');
  return address!.split('.').reduce((v, o) => v * 256 + Number(o), 0) * 64 + Number(length);
}
