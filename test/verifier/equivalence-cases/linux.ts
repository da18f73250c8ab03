// The linux row of translation validation (equivalence.test.ts), on nftables.conf and setup.sh: mutations of the
// acme example's ams1.gw1 files, read back by the real reader and compared with the compiler's
// DeviceModel. Every behaviour-changing edit is caught with a concrete packet (or route);
// whitespace, comments and reordering that cannot change a decision are not flagged.

import { beforeAll, describe, expect, it } from 'vitest';
import { differenceText } from '../../../verifier/equivalence.js';
import type { SolverPool } from '../../../verifier/solver-pool.js';
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


const NFT = 'nftables.conf';
const SETUP = 'setup.sh';
/** The rule matching `re` in chain `name`, and its origin comment line above it. */
function rule(lines: string[], chain: string, re: RegExp): { rule: number; first: number } {
  const [s, e] = section(lines, new RegExp(`^\\s*chain ${chain} \\{$`), /^\s*\}$/);
  const i = lineIndex(lines, re, s, e);
  return { rule: i, first: /^\s*# @ /.test(lines[i - 1]!) ? i - 1 : i };
}

/** Registers the linux backend's cases; their comparisons go to `pool`. */
export function linuxCases(pool: SolverPool): void {
  let s: Subject;
  beforeAll(() => {
    s = subject('acme', 'ams1.gw1');
  });

  describe('linux: mutations are caught', () => {
    it('the unedited files are equal to the model', async () => {
      expectEquivalent(await compareEdited(s, s.files, pool), false);
    });

    it('delete an entry', async () => {
      const files = editFile(s.files, NFT, (l) => {
        const r = rule(l, 'seg-guest-in', /ip daddr @\S+ .*tcp dport 80 return/);
        return removeLines(l, r.first, r.rule + 1);
      });
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect(d.scope).toEqual({ kind: 'filter', interface: 'eth2', direction: 'in' });
      expect(d.packet).toMatchObject({ protocol: 6, destinationPort: 80 });
      expect(d.actual.action).toBe('deny');
    });

    it('swap permit and deny: guests reach the inside', async () => {
      const files = editFile(s.files, NFT, (l) => replaceIn(l, rule(l, 'seg-guest-in', / drop comment "deny guest/).rule, ' drop comment', ' return comment'));
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect(inPrefix(d.packet.source, '10.99.0.0/24')).toBe(true);
      expect(d.actual).toMatchObject({ action: 'permit', list: 'seg-guest-in', rule: 0 });
      expect(d.expected.action).toBe('deny');
    });

    it('widen a prefix: spoofed sources next to the segment pass', async () => {
      const files = editFile(s.files, NFT, (l) => replaceIn(l, rule(l, 'seg-guest-in', /ip daddr 10\.10\.1\.0\/24 .*dport 443 return/).rule, 'ip saddr 10.99.0.0/24', 'ip saddr 10.99.0.0/23'));
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect(inPrefix(d.packet.source, '10.99.1.0/24')).toBe(true);
      expect(inPrefix(d.packet.destination, '10.10.1.0/24')).toBe(true);
      expect(d.packet.destinationPort).toBe(443);
      expect(d.actual.action).toBe('permit');
    });

    it('change a port', async () => {
      const files = editFile(s.files, NFT, (l) => replaceIn(l, rule(l, 'seg-guest-in', /tcp dport 80 return/).rule, 'tcp dport 80 return', 'tcp dport 8080 return'));
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect([80, 8080]).toContain(d.packet.destinationPort);
    });

    it('drop a route', async () => {
      const files = editFile(s.files, SETUP, (l) => {
        const i = lineIndex(l, /^route replace 10\.20\.0\.0\/16 via /);
        return removeLines(l, i, i + 1);
      });
      const items = onlyItems(await compareEdited(s, files, pool));
      expect(items.map((i) => i.item)).toEqual([expect.stringMatching(/^static route 10\.20\.0\.0\/16 via /)]);
      expect(differenceText(items[0]!)).toMatch(/in the model but not in the config/);
    });

    it('reorder a deny below a permit it overrides: guests reach the web servers', async () => {
      const files = editFile(s.files, NFT, (l) => {
        const deny = rule(l, 'seg-guest-in', / drop comment "deny guest/);
        const https = rule(l, 'seg-guest-in', /ip daddr 10\.10\.1\.0\/24 .*dport 443 return/);
        return moveLines(l, deny.first, deny.rule + 1, https.rule);
      });
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect(inPrefix(d.packet.destination, '10.10.1.0/24')).toBe(true);
      expect(d.packet.destinationPort).toBe(443);
      expect(d.actual.action).toBe('permit');
      expect(d.expected).toMatchObject({ action: 'deny', rule: 0 });
    });
  });

  describe('linux: harmless edits are not flagged', () => {
    it('deleting a permit that an earlier deny shadows (proven by Z3)', async () => {
      const files = editFile(s.files, NFT, (l) => {
        const r = rule(l, 'seg-guest-in', /ip daddr 10\.10\.1\.0\/24 .*dport 443 return/);
        return removeLines(l, r.first, r.rule + 1);
      });
      expectEquivalent(await compareEdited(s, files, pool), true);
    });

    it('whitespace', async () => {
      const nft = editFile(s.files, NFT, (l) => l.map((x) => x.replace(/^\t\t(ip |drop)/, '        $1').replace(/ return /, '   return  ')));
      const files = editFile(nft, SETUP, (l) => l.map((x) => (x.startsWith('route replace') ? x.replace(' via ', '  via  ') : x)));
      expectEquivalent(await compareEdited(s, files, pool), false);
    });

    it('comments', async () => {
      const nft = editFile(s.files, NFT, (l) => l.flatMap((x) => (/^\s*chain /.test(x) ? [x, '\t\t# reviewed by the network team'] : [x])));
      const files = editFile(nft, SETUP, (l) => [...l.slice(0, 1), '# deployed by change 4711', ...l.slice(1)]);
      expectEquivalent(await compareEdited(s, files, pool), false);
    });

    it('reordering two permits with disjoint ports, and two routes (proven by Z3)', async () => {
      const nft = editFile(s.files, NFT, (l) => {
        const p80 = rule(l, 'seg-guest-in', /tcp dport 80 return/);
        const p443 = rule(l, 'seg-guest-in', /ip daddr @\S+ .*tcp dport 443 return/);
        return moveLines(l, p80.first, p80.rule + 1, p443.rule);
      });
      const files = editFile(nft, SETUP, (l) => {
        const a = lineIndex(l, /^route replace 10\.10\.1\.0\/24 /);
        const b = lineIndex(l, /^route replace 10\.20\.0\.0\/16 /);
        return moveLines(l, a, a + 1, b);
      });
      const r = await compareEdited(s, files, pool);
      expectEquivalent(r, true);
    });
  });
}
