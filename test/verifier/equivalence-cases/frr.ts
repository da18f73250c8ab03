// The frr row of translation validation (equivalence.test.ts), on frr.conf, nftables.conf and setup.sh: mutations of
// the multicloud example's euc.tgw1 (filters, static routes) and sae.tgw2 (eBGP) files, read
// back by the real reader and compared with the compiler's DeviceModel. Every
// behaviour-changing edit is caught with a concrete packet or a concrete route or session
// item; whitespace, comments and reordering that cannot change a decision are not flagged.

import { beforeAll, describe, expect, it } from 'vitest';
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
const FRR = 'frr.conf';
function rule(lines: string[], chain: string, re: RegExp): { rule: number; first: number } {
  const [s, e] = section(lines, new RegExp(`^\\s*chain ${chain} \\{$`), /^\s*\}$/);
  const i = lineIndex(lines, re, s, e);
  return { rule: i, first: /^\s*# @ /.test(lines[i - 1]!) ? i - 1 : i };
}

/** Registers the frr backend's cases; their comparisons go to `pool`. */
export function frrCases(pool: SolverPool): void {
  let tgw1: Subject;
  let tgw2: Subject;
  beforeAll(() => {
    tgw1 = subject('multicloud', 'euc.tgw1');
    tgw2 = subject('multicloud', 'sae.tgw2');
  });

  describe('frr: mutations are caught', () => {
    it('the unedited files are equal to the model', async () => {
      expectEquivalent(await compareEdited(tgw1, tgw1.files, pool), false);
      expectEquivalent(await compareEdited(tgw2, tgw2.files, pool), false);
    });

    it('delete an entry: the bastion loses ssh to the databases', async () => {
      const files = editFile(tgw1.files, NFT, (l) => {
        const r = rule(l, 'seg-db-euc-out', /tcp dport 22 return/);
        return removeLines(l, r.first, r.rule + 1);
      });
      const d = onlyPacket(await compareEdited(tgw1, files, pool));
      expect(d.scope).toMatchObject({ kind: 'filter', direction: 'out' });
      expect(d.packet).toMatchObject({ source: '10.30.0.10', protocol: 6, destinationPort: 22 });
      expect(d.actual.action).toBe('deny');
      expect(d.expected).toMatchObject({ action: 'permit', list: 'seg-db-euc-out' });
    });

    it('swap permit and deny: the databases reach the internet', async () => {
      const files = editFile(tgw1.files, NFT, (l) => replaceIn(l, rule(l, 'seg-db-euc-in', / drop comment "deny db-euc/).rule, ' drop comment', ' return comment'));
      const d = onlyPacket(await compareEdited(tgw1, files, pool));
      expect(inPrefix(d.packet.source, '10.40.2.0/24')).toBe(true);
      expect(d.actual).toMatchObject({ action: 'permit', rule: 0 });
    });

    it('widen a prefix', async () => {
      const files = editFile(tgw1.files, NFT, (l) => replaceIn(l, rule(l, 'seg-db-euc-out', /tcp dport 22 return/).rule, 'ip saddr 10.30.0.10/32', 'ip saddr 10.30.0.0/24'));
      const d = onlyPacket(await compareEdited(tgw1, files, pool));
      expect(inPrefix(d.packet.source, '10.30.0.0/24')).toBe(true);
      expect(d.packet.source).not.toBe('10.30.0.10');
      expect(d.actual.action).toBe('permit');
    });

    it('change a port', async () => {
      const files = editFile(tgw1.files, NFT, (l) => replaceIn(l, rule(l, 'seg-db-euc-out', /tcp dport 22 return/).rule, 'tcp dport 22 ', 'tcp dport 2222 '));
      const d = onlyPacket(await compareEdited(tgw1, files, pool));
      expect([22, 2222]).toContain(d.packet.destinationPort);
    });

    it('drop a route', async () => {
      const files = editFile(tgw1.files, FRR, (l) => {
        const i = lineIndex(l, /^ip route 10\.40\.1\.0\/24 /);
        return removeLines(l, i, i + 1);
      });
      const items = onlyItems(await compareEdited(tgw1, files, pool));
      expect(items.map((i) => i.item)).toContain('static route 10.40.1.0/24 via 10.254.0.13 dev eth1');
    });

    it('widen a prefix the eBGP session accepts', async () => {
      const files = editFile(tgw2.files, FRR, (l) => replaceIn(l, lineIndex(l, /^ip prefix-list PLUMB-datalake-IN /), '198.51.100.0/24', '198.51.100.0/23'));
      const items = onlyItems(await compareEdited(tgw2, files, pool));
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({ item: 'BGP neighbor 169.254.20.2' });
      expect(items[0]!.actual).toContain('import 198.51.100.0/23');
      expect(items[0]!.expected).toContain('import 198.51.100.0/24');
    });

    it('reorder a deny below a permit it overrides', async () => {
      const files = editFile(tgw1.files, NFT, (l) => {
        const deny = rule(l, 'seg-db-euc-in', / drop comment "deny db-euc/);
        const https = rule(l, 'seg-db-euc-in', /tcp dport 443 return/);
        return moveLines(l, deny.first, deny.rule + 1, https.rule);
      });
      const d = onlyPacket(await compareEdited(tgw1, files, pool));
      expect(inPrefix(d.packet.source, '10.40.2.0/24')).toBe(true);
      expect([80, 443]).toContain(d.packet.destinationPort);
      expect(d.actual.action).toBe('permit');
    });
  });

  describe('frr: harmless edits are not flagged', () => {
    it('whitespace', async () => {
      const files = editFile(tgw1.files, FRR, (l) => l.map((x) => (x.startsWith(' ip ospf') ? `  ${x.replace('ospf ', 'ospf  ')}  ` : x)));
      expectEquivalent(await compareEdited(tgw1, files, pool), false);
    });

    it('comments', async () => {
      const frr = editFile(tgw1.files, FRR, (l) => l.flatMap((x) => (x === '!' ? [x, '! reviewed by the network team'] : [x])));
      const files = editFile(frr, NFT, (l) => l.flatMap((x) => (/^\s*chain seg-/.test(x) ? [x, '\t\t# reviewed'] : [x])));
      expectEquivalent(await compareEdited(tgw1, files, pool), false);
    });

    it('reordering two routes and two permits with disjoint ports (proven by Z3)', async () => {
      const frr = editFile(tgw2.files, FRR, (l) => {
        const a = lineIndex(l, /^ip route 10\.50\.1\.0\/24 /);
        const b = lineIndex(l, /^ip route 10\.254\.\d+\.\d+\/32 /);
        return moveLines(l, a - 1, a + 1, b);
      });
      const files = editFile(frr, NFT, (l) => {
        const p80 = rule(l, 'seg-etl-sae-in', /tcp dport 80 return/);
        const p443 = rule(l, 'seg-etl-sae-in', /tcp dport 443 return/);
        return moveLines(l, p80.first, p80.rule + 1, p443.rule);
      });
      expectEquivalent(await compareEdited(tgw2, files, pool), true);
    });
  });
}
