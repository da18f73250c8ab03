// Address allocation: in reading order, stable under unrelated changes through plumb.lock,
// collision-free, inside the pools, and exact about room. Interface names per platform, pinned
// names.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { NetworkModel } from '../../compiler/model.js';
import { normalize, parseSet, difference, intersect, complement, formatSet } from '../../compiler/prefix-set.js';
import { prefixOf } from '../../language/address.js';
import { compile } from '../../compiler/index.js';
import { analyze } from '../../language/analyze.js';
import { renderLock } from '../../language/lock.js';
import { checked, compileText, device } from './helpers.js';

const ACME = readFileSync(join(import.meta.dirname, '..', '..', 'examples', 'acme', 'acme.plumb'), 'utf8');

/** Every link's addresses by its two ends (device ids), and every loopback. */
function addressBook(model: NetworkModel): Map<string, string> {
  const book = new Map<string, string>();
  for (const d of model.devices) {
    for (const i of d.interfaces) {
      if (i.role === 'link' && i.peer) book.set(`link ${d.id} -> ${i.peer.device}`, i.addresses.join(' '));
      if (i.role === 'loopback') book.set(`loopback ${d.id}`, i.addresses.join(' '));
    }
  }
  return book;
}

function expectNoRenumbering(before: NetworkModel, after: NetworkModel): number {
  const a = addressBook(before);
  const b = addressBook(after);
  let common = 0;
  for (const [key, addrs] of a) {
    if (!b.has(key)) continue;
    common++;
    expect(b.get(key), key).toBe(addrs);
  }
  return common;
}

const acme = () => compileText(ACME, 'acme.plumb').model;

/** The lock `plumb lock` writes for acme as it is. */
const acmeLock = () => renderLock(undefined, 'acme', compile(checked(ACME, 'acme.plumb')).allocations);

/** Compiles an edited acme with acme's lock, as a user's next `plumb compile` does. */
function compileLocked(text: string, lock = acmeLock()) {
  const a = analyze([
    { path: 'acme.plumb', text },
    { path: 'plumb.lock', text: lock },
  ]);
  if (!a.intent) throw new Error(a.diagnostics.map((d) => d.message).join('\n'));
  return compile(a.intent);
}

describe('allocation is stable', () => {
  it('adding a link renumbers nothing else', () => {
    const after = compileLocked(ACME.replace('link fra1.core1 -- ams1.core2 cost 10', 'link fra1.core1 -- ams1.core2 cost 10\nlink fra1.edge1 -- ams1.core2 cost 50')).model;
    expect(expectNoRenumbering(acme(), after)).toBeGreaterThanOrEqual(12);
    expect(addressBook(after).has('link fra1.edge1 -> ams1.core2')).toBe(true);
  });

  it('removing a link renumbers nothing else', () => {
    const text = ACME.replace('  link fw1 -- core1\n', '').replace('link fra1.core1 -- ams1.core2 cost 10', 'link fra1.core1 -- ams1.core2 cost 10\nlink fra1.fw1 -- ams1.core2');
    const after = compileLocked(text).model;
    expect(addressBook(after).has('link fra1.fw1 -> fra1.core1')).toBe(false);
    expect(expectNoRenumbering(acme(), after)).toBeGreaterThanOrEqual(10);
  });

  it('adding a site renumbers nothing else', () => {
    const text = ACME.replace(
      'link fra1.core1 -- ams1.core2 cost 10',
      'site par1 {\n  router core3 frr\n  router edge3 frr\n  link core3 -- edge3\n}\nlink fra1.core1 -- ams1.core2 cost 10\nlink par1.core3 -- ams1.core2',
    );
    const after = compileLocked(text).model;
    expect(after.devices).toHaveLength(7);
    expect(expectNoRenumbering(acme(), after)).toBe(addressBook(acme()).size);
  });

  it('adding a segment renumbers nothing else', () => {
    const after = compileLocked(ACME.replace('segment guest', 'segment lab 10.30.0.0/24 at ams1.core2\nsegment guest')).model;
    expect(expectNoRenumbering(acme(), after)).toBe(addressBook(acme()).size);
  });

  it('reordering declarations and writing link ends the other way round renumbers nothing', () => {
    const lines = ACME.split('\n');
    const sites = ACME.slice(ACME.indexOf('site fra1'), ACME.indexOf('link fra1.core1'));
    const fra = sites.slice(0, sites.indexOf('site ams1'));
    const ams = sites.slice(sites.indexOf('site ams1'));
    const swapped = ACME.replace(sites, ams + fra).replace('link edge1 -- fw1', 'link fw1 -- edge1').replace('link fra1.core1 -- ams1.core2', 'link ams1.core2 -- fra1.core1');
    expect(swapped).not.toBe(lines.join('\n'));
    const after = compileLocked(swapped).model;
    expect(addressBook(after)).toEqual(addressBook(acme()));
  });

  it('without the lock, an added device renumbers those declared after it (which is what the lock is for)', () => {
    const text = ACME.replace('  router core1 frr\n', '  router core1 frr\n  router core9 frr\n  link core9 -- core1\n');
    const unlocked = compileText(text, 'acme.plumb').model;
    const locked = compileLocked(text).model;
    expect(addressBook(unlocked).get('loopback ams1.core2')).not.toBe(addressBook(acme()).get('loopback ams1.core2'));
    expect(expectNoRenumbering(acme(), locked)).toBe(addressBook(acme()).size);
  });

  it('an edit with the lock allocates no differently from the lock of the edited intent', () => {
    const text = ACME.replace('  link fw1 -- core1\n', '');
    const first = compileLocked(text);
    const relocked = renderLock(undefined, 'acme', first.allocations);
    expect(addressBook(compileLocked(text, relocked).model)).toEqual(addressBook(first.model));
    expect(first.diagnostics.filter((d) => d.code === 'C740')).toEqual([]);
  });
});

describe('allocation reads as planned', () => {
  it('gives loopbacks the first addresses in declaration order, then links in declaration order', () => {
    const model = acme();
    const book = addressBook(model);
    expect(book.get('loopback fra1.edge1')).toBe('10.255.0.1/32');
    expect(book.get('loopback fra1.fw1')).toBe('10.255.0.2/32');
    expect(book.get('loopback fra1.core1')).toBe('10.255.0.3/32');
    expect(book.get('loopback ams1.core2')).toBe('10.255.0.4/32');
    expect(book.get('loopback ams1.gw1')).toBe('10.255.0.5/32');
    // Five loopbacks end at .5: the first free aligned pair is .6/31.
    expect(book.get('link fra1.edge1 -> fra1.fw1')).toMatch(/^10\.255\.0\.[67]\/31$/);
    expect(book.get('link fra1.fw1 -> fra1.core1')).toMatch(/^10\.255\.0\.(8|9)\/31$/);
    expect(book.get('link ams1.core2 -> ams1.gw1')).toMatch(/^10\.255\.0\.1[01]\/31$/);
    expect(book.get('link fra1.core1 -> ams1.core2')).toMatch(/^10\.255\.0\.1[23]\/31$/);
  });

  it('moves a locked address the intent now uses, with C740 at the lock line', () => {
    const lock = acmeLock();
    const text = ACME.replace('router core1 frr', 'router core1 frr loopback 10.255.0.99').replace('router gw1 linux', 'router gw1 linux loopback 10.255.0.1');
    const { model, diagnostics } = compileLocked(text, lock);
    const moved = diagnostics.filter((d) => d.code === 'C740');
    expect(moved).toHaveLength(1);
    // core1's written loopback frees its .3, the first free address.
    expect(moved[0]!.message).toBe('loopback fra1.edge1 moves from 10.255.0.1/32 to 10.255.0.3/32: the intent now uses 10.255.0.1/32');
    expect(moved[0]!.span.file).toBe('plumb.lock');
    expect(lock.split('\n')[moved[0]!.span.start.line - 1]).toBe('loopback fra1.edge1 10.255.0.1/32');
    expect(addressBook(model).get('loopback fra1.edge1')).toBe('10.255.0.3/32');
  });

  it('moves a locked address outside every pool, and keeps the rest', () => {
    const lock = acmeLock().replace('loopback ams1.gw1 10.255.0.5/32', 'loopback ams1.gw1 10.254.0.5/32');
    const { model, diagnostics } = compileLocked(ACME, lock);
    expect(diagnostics.filter((d) => d.code === 'C740').map((d) => d.message)).toEqual([
      'loopback ams1.gw1 moves from 10.254.0.5/32 to 10.255.0.5/32: 10.254.0.5/32 is outside every IPv4 pool',
    ]);
    expect(expectNoRenumbering(acme(), model)).toBe(addressBook(acme()).size);
  });

  it('allocates afresh when the locked addresses leave no aligned pair for the links', () => {
    const text = 'network n\npool p 10.0.0.0/29\nsite s {\n  router a frr\n  router b frr\n  router c frr\n  link a -- b\n  link b -- c\n}\n';
    const lock = 'network n\nloopback s.a 10.0.0.1/32\nloopback s.b 10.0.0.3/32\nloopback s.c 10.0.0.5/32\n';
    const a = analyze([{ path: 'n.plumb', text }, { path: 'plumb.lock', text: lock }]);
    const { model, diagnostics } = compile(a.intent!);
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(diagnostics.filter((d) => d.code === 'C740').map((d) => d.span.start.line)).toEqual([3, 4]);
    expect(addressBook(model)).toEqual(addressBook(compile(checked(text)).model));
    expect(device(model, 's.a').interfaces.find((i) => i.role === 'link')!.addresses[0]).toBe('10.0.0.4/31');
  });

  it('falls back to the compact layout when the readable one leaves no room the checker counted', () => {
    // 2 loopbacks and 3 links are the 8 addresses of a /29: only links first, then loopbacks, fit.
    const text = 'pool p 10.0.0.0/29\nsite s {\n  router a frr\n  router b frr\n  link a -- b\n  link a -- b\n  link a -- b\n}\n';
    const { model, diagnostics } = compile(checked(text));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(device(model, 's.a').interfaces.filter((i) => i.role === 'link').map((i) => i.addresses[0])).toEqual(['10.0.0.0/31', '10.0.0.2/31', '10.0.0.4/31']);
    expect(device(model, 's.a').interfaces.find((i) => i.role === 'loopback')!.addresses).toEqual(['10.0.0.6/32']);
  });
});

describe('allocation is correct', () => {
  const small = (pool: string) => `pool p ${pool}
site s {
  router a frr
  router b frr
  router c frr
  link a -- b
  link b -- c
  link a -- c
  link a -- b
}
`;

  it('gives every link a distinct /31 and every device a /32 inside the pool, even when slots collide', () => {
    // 6 items in 8 slots: collisions are likely and must be resolved, not overlapped.
    const { model, diagnostics } = compile(checked(small('10.0.0.0/28')));
    expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const pool = prefixOf('10.0.0.0/28');
    const loopbacks = new Set<bigint>();
    const links = new Set<bigint>();
    for (const d of model.devices) {
      for (const i of d.interfaces) {
        for (const a of i.addresses) {
          const p = prefixOf(a);
          expect(p.length).toBe(i.role === 'loopback' ? 32 : 31);
          expect(p.value >> 4n).toBe(pool.value >> 4n);
          if (i.role === 'loopback') loopbacks.add(p.value);
          else links.add(p.value >> 1n);
        }
      }
    }
    // 4 links (each seen from both ends, one /31) and 3 loopbacks, none sharing an address.
    expect(links.size).toBe(4);
    expect(loopbacks.size).toBe(3);
    for (const l of loopbacks) expect(links.has(l >> 1n)).toBe(false);
    // Parallel links a -- b are told apart.
    const ab = device(model, 's.a').interfaces.filter((i) => i.peer?.device === 's.b');
    expect(ab).toHaveLength(2);
    expect(ab[0]!.addresses).not.toEqual(ab[1]!.addresses);
  });

  it('the two ends of a link share its /31 and are each other\'s peer', () => {
    const { model } = compile(checked(small('10.0.0.0/24')));
    for (const d of model.devices) {
      for (const i of d.interfaces.filter((x) => x.role === 'link')) {
        const peer = device(model, i.peer!.device).interfaces.find((x) => x.name === i.peer!.interface)!;
        expect(peer.peer).toEqual({ device: d.id, interface: i.name });
        expect(prefixOf(peer.addresses[0]!).value >> 1n).toBe(prefixOf(i.addresses[0]!).value >> 1n);
        expect(peer.addresses[0]).not.toBe(i.addresses[0]);
      }
    }
  });

  it('uses every address: a pool with exactly enough room (as the checker counts it) suffices', () => {
    // 6 links (12 addresses) and 3 loopbacks (3) in a /28 (16).
    const text = small('10.0.0.0/28').replace('  link a -- b\n}', '  link a -- b\n  link a -- b\n  link a -- c\n}');
    const { model } = compile(checked(text));
    const used = model.devices.flatMap((d) => d.interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0]!)));
    expect(new Set(used).size).toBe(15);
  });

  it('honours written prefixes and loopbacks and never hands them out', () => {
    const { model } = compile(checked('pool p 10.0.0.0/29\nsite s {\n  router a frr loopback 10.0.0.1\n  router b frr\n  link a -- b 10.0.0.2/31\n}\n'));
    expect(device(model, 's.a').interfaces.find((i) => i.role === 'loopback')!.addresses).toEqual(['10.0.0.1/32']);
    expect(device(model, 's.a').interfaces.find((i) => i.role === 'link')!.addresses).toEqual(['10.0.0.2/31']);
    expect(device(model, 's.b').interfaces.find((i) => i.role === 'link')!.addresses).toEqual(['10.0.0.3/31']);
    // The first free address after a's written .1 and the link's .2/31.
    expect(device(model, 's.b').interfaces.find((i) => i.role === 'loopback')!.addresses).toEqual(['10.0.0.4/32']);
  });

  it('allocates /127 links and /128 loopbacks from an IPv6 pool', () => {
    const { model } = compile(checked('pool p 10.0.0.0/24\npool p6 fd00::/64\nsite s {\n  router a frr\n  router b frr\n  link a -- b\n}\n'));
    const link = device(model, 's.a').interfaces.find((i) => i.role === 'link')!;
    expect(link.addresses.map((a) => prefixOf(a).length)).toEqual([31, 127]);
    expect(device(model, 's.a').interfaces.find((i) => i.role === 'loopback')!.addresses.map((a) => prefixOf(a).length)).toEqual([32, 128]);
    expect(device(model, 's.a').routerId).toBe(device(model, 's.a').interfaces.find((i) => i.role === 'loopback')!.addresses[0]!.split('/')[0]);
  });
});

describe('interface names', () => {
  const text = `pool p 10.255.0.0/16
site s {
  router c cisco-iosxe
  firewall f paloalto-panos
  router r frr
  router l linux
  link c -- f
  link f -- r
  link r -- l
  link c -- l
  link r:eth1 -- c
}
segment z 10.1.0.0/24 at s.c
segment a 10.2.0.0/24 at s.f
`;
  it("follow each platform's scheme, in a stable order, honouring pinned names", () => {
    const { model } = compile(checked(text));
    const names = (id: string) => device(model, id).interfaces.map((i) => `${i.name}:${i.role}:${i.peer?.device ?? i.segment ?? ''}`);
    expect(names('s.c')).toEqual(['GigabitEthernet2:link:s.f', 'GigabitEthernet3:link:s.l', 'GigabitEthernet4:link:s.r', 'GigabitEthernet5:segment:z', 'Loopback0:loopback:']);
    expect(names('s.f')).toEqual(['ethernet1/1:link:s.c', 'ethernet1/2:link:s.r', 'ethernet1/3:segment:a', 'loopback.1:loopback:']);
    // eth1 is pinned for the link to c: the others skip it.
    expect(names('s.r')).toEqual(['eth1:link:s.c', 'eth2:link:s.f', 'eth3:link:s.l', 'lo:loopback:']);
    expect(names('s.l')).toEqual(['eth1:link:s.c', 'eth2:link:s.r', 'lo:loopback:']);
  });
});

describe('prefix-set algebra', () => {
  it('normalizes, intersects, subtracts and complements', () => {
    expect(formatSet(normalize(['10.0.1.0/24', '10.0.0.0/24', '10.0.0.128/25'].map(prefixOf)))).toEqual(['10.0.0.0/23']);
    expect(formatSet(difference(parseSet(['10.0.0.0/22']), parseSet(['10.0.1.0/24'])))).toEqual(['10.0.0.0/24', '10.0.2.0/23']);
    expect(formatSet(intersect(parseSet(['10.0.0.0/8', '2001:db8::/32']), parseSet(['10.1.0.0/16', '192.0.2.0/24', '2001:db8:1::/48'])))).toEqual([
      '10.1.0.0/16',
      '2001:db8:1::/48',
    ]);
    expect(formatSet(complement(parseSet(['128.0.0.0/1']), [4]))).toEqual(['0.0.0.0/1']);
    expect(formatSet(difference(parseSet(['0.0.0.0/0']), parseSet(['0.0.0.0/0'])))).toEqual([]);
  });
});
