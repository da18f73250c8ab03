// The cisco-iosxe row of translation validation (equivalence.test.ts): mutations of the multicloud example's
// fra.edge1 configuration, read back by the real reader and compared with the compiler's
// DeviceModel. Every behaviour-changing edit is caught with a concrete packet (or route);
// whitespace, remarks and reordering that cannot change a decision are not flagged.

import { beforeAll, describe, expect, it } from 'vitest';
import type { SolverPool } from '../../../verifier/solver-pool.js';
import { differenceText } from '../../../verifier/equivalence.js';
import {
  compareEdited,
  editFile,
  expectEquivalent,
  inPrefix,
  lineIndex,
  moveLines,
  onlyItems,
  onlyPacket,
  removeLines,
  replaceIn,
  section,
  subject,
  type Subject,
} from '../equivalence-helpers.js';


const FILE = 'edge1.cfg';
const acl = (lines: string[], name: string): [number, number] => section(lines, new RegExp(`^ip access-list extended ${name}$`), /^!/);
/** The ACE matching `re` in ACL `name`, and the first of the remark lines right above it. */
function entry(lines: string[], name: string, re: RegExp): { ace: number; first: number } {
  const [s, e] = acl(lines, name);
  const ace = lineIndex(lines, re, s, e);
  let first = ace;
  while (/^ remark /.test(lines[first - 1]!)) first--;
  return { ace, first };
}

/** Registers the cisco-iosxe backend's cases; their comparisons go to `pool`. */
export function ciscoIosxeCases(pool: SolverPool): void {
  let s: Subject;
  beforeAll(() => {
    s = subject('multicloud', 'fra.edge1');
  });

  describe('cisco-iosxe: mutations are caught', () => {
    it('the unedited files are equal to the model', async () => {
      expectEquivalent(await compareEdited(s, s.files, pool), false);
    });

    it('delete an entry: https to the internet is dropped by the config', async () => {
      const files = editFile(s.files, FILE, (l) => {
        const { ace, first } = entry(l, 'ext-internet-out', /^ \d+ permit tcp .* eq 443$/);
        return removeLines(l, first, ace + 1);
      });
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect(d.scope).toMatchObject({ kind: 'filter', direction: 'out' });
      expect(d.actual.action).toBe('deny');
      expect(d.expected).toMatchObject({ action: 'permit', list: 'ext-internet-out' });
      expect(d.packet).toMatchObject({ protocol: 6, destinationPort: 443 });
      expect(differenceText(d)).toMatch(/is dropped by the config but admitted by the model/);
    });

    it('swap permit and deny', async () => {
      const files = editFile(s.files, FILE, (l) => replaceIn(l, entry(l, 'ext-internet-out', /^ \d+ permit tcp .* eq 80$/).ace, ' permit ', ' deny '));
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect(d.packet).toMatchObject({ protocol: 6, destinationPort: 80 });
      expect(d.actual).toMatchObject({ action: 'deny', list: 'ext-internet-out' });
      expect(d.actual.rule).toBeDefined();
    });

    it('widen a prefix: the packet is in the widened part, with the config line of the rule', async () => {
      const files = editFile(s.files, FILE, (l) => replaceIn(l, entry(l, 'ext-carrier-in', /10\.10\.1\.0 0\.0\.0\.255 eq 443$/).ace, '10.10.1.0 0.0.0.255', '10.10.0.0 0.0.1.255'));
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect(d.scope).toMatchObject({ kind: 'filter', direction: 'in' });
      expect(d.actual).toMatchObject({ action: 'permit', list: 'ext-carrier-in' });
      expect(d.expected.action).toBe('deny');
      expect(inPrefix(d.packet.destination, '10.10.0.0/24')).toBe(true);
      expect(d.packet.destinationPort).toBe(443);
    });

    it('change a port', async () => {
      const files = editFile(s.files, FILE, (l) => replaceIn(l, entry(l, 'ext-carrier-in', /10\.10\.1\.0 0\.0\.0\.255 eq 443$/).ace, /eq 443$/, 'eq 8443'));
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect([443, 8443]).toContain(d.packet.destinationPort);
      expect(d.actual.action).toBe(d.packet.destinationPort === 8443 ? 'permit' : 'deny');
    });

    it('drop a route: the default route is missing from the config', async () => {
      const files = editFile(s.files, FILE, (l) => removeLines(l, lineIndex(l, /^ip route 0\.0\.0\.0 0\.0\.0\.0 /), lineIndex(l, /^ip route 0\.0\.0\.0 0\.0\.0\.0 /) + 1));
      const items = onlyItems(await compareEdited(s, files, pool));
      expect(items).toHaveLength(1);
      expect(items[0]!.item).toMatch(/^static route 0\.0\.0\.0\/0 via 203\.0\.113\.1/);
      expect(items[0]!.actual).toBeUndefined();
      expect(differenceText(items[0]!)).toMatch(/is in the model but not in the config/);
    });

    it('reorder a deny below the permits it overrides: the database reaches the internet', async () => {
      const files = editFile(s.files, FILE, (l) => {
        const deny = entry(l, 'ext-internet-out', /^ 40 deny ip 10\.40\.2\.0 /);
        const after = entry(l, 'ext-internet-out', /^ 60 permit tcp .* eq 443$/).ace;
        const renumbered = replaceIn(l, deny.ace, /^ 40 /, ' 65 ');
        return moveLines(renumbered, deny.first, deny.ace + 1, after);
      });
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect(inPrefix(d.packet.source, '10.40.2.0/24')).toBe(true);
      expect(d.actual.action).toBe('permit');
      expect(d.expected).toMatchObject({ action: 'deny', rule: 3 }); // after the reply rule and the two ICMP error rules
    });
  });

  describe('cisco-iosxe: harmless edits are not flagged', () => {
    it('whitespace', async () => {
      const files = editFile(s.files, FILE, (l) => l.map((x) => (/^ \d+ (permit|deny) /.test(x) ? `${x.replace(/ (permit|deny) /, '  $1   ')}   ` : x)));
      expectEquivalent(await compareEdited(s, files, pool), false);
    });

    it('comments and remarks', async () => {
      const files = editFile(s.files, FILE, (l) => {
        const [start, end] = acl(l, 'ext-internet-out');
        return l.flatMap((x, i) => {
          if (x === '!') return [x, '! reviewed by the network team'];
          // A remark of our own above each rule's remarks (the reader keeps them as its description).
          const startsBlock = i > start && i < end && /^ remark /.test(x) && !/^ remark /.test(l[i - 1] ?? '');
          return startsBlock ? [' remark reviewed in change 4711', x] : [x];
        });
      });
      expectEquivalent(await compareEdited(s, files, pool), false);
    });

    it('reordering two permits with disjoint ports (proven by Z3)', async () => {
      const files = editFile(s.files, FILE, (l) => {
        const p80 = entry(l, 'ext-internet-out', /^ 50 permit tcp .* eq 80$/).ace;
        const p443 = entry(l, 'ext-internet-out', /^ 60 permit tcp .* eq 443$/).ace;
        return replaceIn(replaceIn(l, p80, /eq 80$/, 'eq 443'), p443, /eq 443$/, 'eq 80');
      });
      const r = await compareEdited(s, files, pool);
      expectEquivalent(r, true);
      expect(r.stats.identical).toBeLessThan(r.stats.lists);
    });
  });
}
