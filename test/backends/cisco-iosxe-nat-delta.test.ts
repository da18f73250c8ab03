// The IOS-XE delta of address translation (backends/cisco-iosxe/nat-delta.ts): applied to the
// previous configuration it gives the next one (iosxe-apply.ts, the router's semantics for
// blocks and lists), and its NAT commands come in an order IOS accepts, checked here with IOS's
// own rules for NAT: a second static entry for addresses an entry already translates is refused,
// a pool a mapping uses cannot be removed or redefined, a mapping needs its pool, and an entry
// live translations may use is removed only after the translation table is cleared.

import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { CLEAR_TRANSLATIONS } from '../../backends/cisco-iosxe/nat-delta.js';
import type { DeviceModel, NatModel, NatTranslation } from '../../compiler/model.js';
import { applyIosxe, canonicalIosxe, withoutUnusedPorts } from './iosxe-apply.js';
import { poolAndHosts, publishedWithPat, type NatCase } from './cisco-iosxe-nat-models.js';

const iosxe = backendFor('cisco-iosxe')!;

const natLines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith('ip nat '));

/** The words of a static entry that IOS keys it by: side, real address, mapped address. */
function staticKeys(line: string): { side: string; real: string; mapped: string } | undefined {
  const w = line.split(' ');
  if (w[4] !== 'static') return undefined;
  const at = w[5] === 'network' ? 6 : w[5] === 'tcp' || w[5] === 'udp' ? 6 : 5;
  const ports = w[5] === 'tcp' || w[5] === 'udp';
  return { side: w[2]!, real: `${w[at]}${ports ? `:${w[at + 1]}` : ''}`, mapped: `${w[at + (ports ? 2 : 1)]}${ports ? `:${w[at + 3]}` : ''}` };
}

/** Replays the delta's NAT commands on the previous version's NAT lines with IOS's rules; returns what IOS would refuse. */
function natRefusals(previous: string, delta: string): { refused: string[]; after: string[] } {
  const lines = new Set(natLines(previous));
  let cleared = false;
  const refused: string[] = [];
  for (const cmd of delta.split('\n')) {
    if (cmd === CLEAR_TRANSLATIONS) cleared = true;
    else if (cmd.startsWith('no ip nat ')) {
      const line = cmd.slice(3);
      if (!cleared) refused.push(`in use: ${cmd}`);
      const pool = line.match(/^ip nat pool (\S+) /)?.[1];
      if (pool && [...lines].some((l) => l.includes(' source list ') && l.includes(` pool ${pool} `))) refused.push(`%Pool ${pool} in use, cannot destroy: ${cmd}`);
      if (!lines.delete(line)) refused.push(`nothing to remove: ${cmd}`);
    } else if (cmd.startsWith('ip nat ')) {
      const k = staticKeys(cmd);
      for (const l of lines) {
        const o = staticKeys(l);
        if (k && o && o.side === k.side && (o.real === k.real || o.mapped === k.mapped)) refused.push(`% similar static entry (${l}) already exists: ${cmd}`);
      }
      const name = cmd.match(/^ip nat pool (\S+) /)?.[1];
      if (name && [...lines].some((l) => l.startsWith(`ip nat pool ${name} `))) refused.push(`%Pool ${name} in use, cannot redefine: ${cmd}`);
      const uses = cmd.match(/ pool (\S+) overload$/)?.[1];
      if (uses && ![...lines].some((l) => l.startsWith(`ip nat pool ${uses} `))) refused.push(`%Pool ${uses} not found: ${cmd}`);
      lines.add(cmd);
    }
  }
  return { refused, after: [...lines] };
}

const withNat = (c: NatCase, nat: NatModel | undefined): DeviceModel => {
  const d = structuredClone(c.device);
  if (nat) d.nat = nat;
  else delete d.nat;
  return d;
};

/** The delta from `before` to `after`, checked: it applies cleanly and gives `after`, in an order IOS accepts. */
function expectDelta(c: NatCase, before: DeviceModel, after: DeviceModel): string {
  const prev = iosxe.render(before, c.model);
  const next = iosxe.render(after, c.model);
  const delta = iosxe.delta!(prev, next, after);
  expect(delta).toHaveLength(1);
  const text = delta[0]!.content;
  const { refused, after: nat } = natRefusals(prev[0]!.content, text);
  expect(refused).toEqual([]);
  expect(nat.sort()).toEqual(natLines(next[0]!.content).sort());
  // the block semantics of the rest (the clear is an exec command, nothing the configuration keeps)
  const applied = applyIosxe(prev[0]!.content, text.split('\n').filter((l) => l !== CLEAR_TRANSLATIONS).join('\n'));
  expect(applied.errors).toEqual([]);
  expect(applied.hazards).toEqual([]);
  expect(canonicalIosxe(applied.text)).toEqual(canonicalIosxe(next[0]!.content));
  const read = iosxe.read([{ path: next[0]!.path, content: withoutUnusedPorts(applied.text) }], { id: after.id, site: after.site, name: after.name, role: after.role });
  expect(read.diagnostics).toEqual([]);
  expect(read.device).toEqual(canonicalDevice({ ...after, fib: [] }));
  return text;
}

const commands = (delta: string): string[] => delta.split('\n').filter((l) => l !== '' && l !== 'end' && !l.trimStart().startsWith('!'));

describe('IOS-XE NAT delta', () => {
  it('NAT added: the list, then the translations, then the interfaces', () => {
    const c = publishedWithPat();
    const delta = commands(expectDelta(c, withNat(c, undefined), c.device));
    expect(delta).not.toContain(CLEAR_TRANSLATIONS);
    const at = (re: RegExp): number => delta.findIndex((l) => re.test(l));
    expect(at(/^ip access-list standard NAT-/)).toBeLessThan(at(/^ip nat inside source list /));
    expect(at(/^ip nat inside source static /)).toBeLessThan(at(/^ip nat inside source list /));
    expect(at(/^ip nat inside source list /)).toBeLessThan(at(/^ interface|^interface GigabitEthernet2/));
    expect(delta).toContain(' ip nat inside');
    expect(delta).toContain(' ip nat outside');
  });

  it('translations changed: cleared, the old removed (mappings, statics, pools), then the new entered, in the model\'s order', () => {
    const c = poolAndHosts();
    const nat = structuredClone(c.device.nat!);
    const changed = (t: NatTranslation): NatTranslation =>
      t.kind === 'pat' ? { ...t, address: '203.0.113.9' } : t.realSide === 'inside' ? { ...t, mapped: '203.0.113.21/32' } : t;
    const after = withNat(c, { ...nat, translations: nat.translations.map(changed) });
    const delta = commands(expectDelta(c, c.device, after));
    const nats = delta.filter((l) => l.includes('ip nat ') && !l.startsWith(' '));
    expect(nats).toEqual([
      CLEAR_TRANSLATIONS,
      expect.stringMatching(/^no ip nat inside source list NAT-\S+ pool NAT-POOL-203\.0\.113\.8 overload$/),
      'no ip nat inside source static 192.168.1.20 203.0.113.20',
      // kept, but after a changed line: entered again so that the lines keep the model's order
      'no ip nat outside source static udp 172.16.0.53 53 10.99.0.53 53',
      'no ip nat pool NAT-POOL-203.0.113.8 203.0.113.8 203.0.113.8 prefix-length 28',
      'ip nat pool NAT-POOL-203.0.113.9 203.0.113.9 203.0.113.9 prefix-length 30',
      'ip nat inside source static 192.168.1.20 203.0.113.21',
      'ip nat outside source static udp 172.16.0.53 53 10.99.0.53 53',
      expect.stringMatching(/^ip nat inside source list NAT-\S+ pool NAT-POOL-203\.0\.113\.9 overload$/),
    ]);
  });

  it("a PAT's sources changed: the new list before its mapping, the old list after its mapping is gone", () => {
    const c = publishedWithPat();
    const nat = structuredClone(c.device.nat!);
    const after = withNat(c, { ...nat, translations: nat.translations.map((t) => (t.kind === 'pat' ? { ...t, sources: ['10.30.0.0/23'] } : t)) });
    const delta = commands(expectDelta(c, c.device, after));
    const at = (re: RegExp): number => delta.findIndex((l) => re.test(l));
    const oldList = delta.find((l) => /^no ip nat inside source list /.test(l))!.split(' ')[6]!;
    const newList = delta.find((l) => /^ip nat inside source list /.test(l))!.split(' ')[5]!;
    expect(oldList).not.toBe(newList);
    expect(at(new RegExp(`^ip access-list standard ${newList}$`))).toBeLessThan(at(/^ip nat inside source list /));
    expect(at(/^no ip nat inside source list /)).toBeLessThan(at(new RegExp(`^no ip access-list standard ${oldList}$`)));
    expect(delta).not.toContain('no ip nat inside source static tcp 10.30.0.10 8443 203.0.113.10 443 extendable');
  });

  it('an interface moved to the other side is one command; NAT removed is cleared and undone', () => {
    const c = poolAndHosts();
    const nat = c.device.nat!;
    const moved = withNat(c, { ...nat, inside: ['GigabitEthernet2'], outside: ['GigabitEthernet3', 'GigabitEthernet4'] });
    const delta = commands(expectDelta(c, c.device, moved));
    expect(delta).toEqual(['interface GigabitEthernet4', ' ip nat outside']);
    const gone = commands(expectDelta(c, c.device, withNat(c, undefined)));
    expect(gone[0]).toBe(CLEAR_TRANSLATIONS);
    expect(gone).toContain(' no ip nat inside');
    expect(gone).toContain(' no ip nat outside');
    expect(gone.at(-1)).toMatch(/^no ip access-list standard NAT-/);
  });

  it('the checker of IOS NAT rules refuses what IOS refuses (it can fail)', () => {
    const c = poolAndHosts();
    const prev = iosxe.render(c.device, c.model)[0]!.content;
    expect(natRefusals(prev, 'ip nat inside source static 192.168.1.20 203.0.113.21').refused).toEqual([
      '% similar static entry (ip nat inside source static 192.168.1.20 203.0.113.20) already exists: ip nat inside source static 192.168.1.20 203.0.113.21',
    ]);
    expect(natRefusals(prev, `${CLEAR_TRANSLATIONS}\nno ip nat pool NAT-POOL-203.0.113.8 203.0.113.8 203.0.113.8 prefix-length 28`).refused).toHaveLength(1);
    expect(natRefusals(prev, 'no ip nat inside source static 192.168.1.20 203.0.113.20').refused).toEqual(['in use: no ip nat inside source static 192.168.1.20 203.0.113.20']);
  });
});
