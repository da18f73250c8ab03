// Translation validation of the PAN-OS profiles (verifier/equivalence-profiles.ts): acme's
// fra1.fw1 names a security-profile group on its allow rules and a log-forwarding profile on
// every rule (its `security` line, and `outbound` on the internet rule). A profile changed or
// removed on the device changes what the firewall does with the traffic it admits, which no
// packet's verdict shows: each edit is caught as an item difference, and only that. The reader
// refuses what the model cannot say (R962).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../backends/backend.js';
import { BACKENDS } from '../../backends/index.js';
import { Codes } from '../../language/diagnostics/index.js';
import { SolverPool } from '../../verifier/solver-pool.js';
import { compareEdited, editFile, expectEquivalent, lineIndex, onlyItems, replaceIn, subject, type Subject } from './equivalence-helpers.js';

const pool = new SolverPool(1);
beforeAll(() => pool.start(), 30_000);
afterAll(() => pool.close());

const XML = '.xml';
const panos = BACKENDS.find((b) => b.platform === 'paloalto-panos')!;

/** [start, end] of the rule `<entry name="NAME">` in the rulebase. */
function rule(lines: string[], name: string): [number, number] {
  const from = lineIndex(lines, /^\s*<rules>$/);
  const start = lineIndex(lines, new RegExp(`^\\s*<entry name="${name}">$`), from);
  const indent = lines[start]!.length - lines[start]!.trimStart().length;
  let end = start + 1;
  while (!(lines[end]!.trim() === '</entry>' && lines[end]!.length - lines[end]!.trimStart().length === indent)) end++;
  return [start, end];
}

describe('PAN-OS profiles: translation validation', () => {
  let s: Subject;
  let xml: RenderedFile[];
  beforeAll(() => {
    s = subject('acme', 'fra1.fw1');
    xml = s.files.filter((f) => f.path.endsWith(XML));
  });

  it('the model has them: a group on every allow rule, log forwarding on every rule and the default denies', () => {
    expect(s.device.logForwarding).toBe('siem');
    const permits = s.device.securityRules.filter((r) => r.action === 'permit');
    expect(permits.length).toBeGreaterThan(0);
    expect(new Set(permits.map((r) => r.profileGroup))).toEqual(new Set(['internal', 'outbound']));
    expect(s.device.securityRules.filter((r) => r.action === 'deny').every((r) => r.profileGroup === undefined && r.logForwarding === 'siem')).toBe(true);
    expect(permits.filter((r) => r.description.includes('-> internet')).every((r) => r.profileGroup === 'outbound')).toBe(true);
  });

  it('the unedited file is equal to the model', async () => {
    expectEquivalent(await compareEdited(s, xml, pool), false);
  });

  it('a rule inspected by another group', async () => {
    const files = editFile(xml, XML, (l) => {
      const [a, b] = rule(l, 'allow-web-db-postgres-rw');
      return replaceIn(l, lineIndex(l, /<member>internal<\/member>/, a, b), 'internal', 'relaxed');
    });
    const items = onlyItems(await compareEdited(s, files, pool));
    expect(items).toHaveLength(1);
    expect(items[0]!.item).toMatch(/^profiles of security rule permit .*protocol 6 port 5432$/);
    expect(items[0]!.expected).toBe('profile-group internal; log-forwarding siem');
    expect(items[0]!.actual).toBe('profile-group relaxed; log-forwarding siem');
    // the rule's origin survives the round trip: both sides point at the policy line
    expect(items[0]!.actualOrigin).toEqual(items[0]!.expectedOrigin);
    expect(items[0]!.expectedOrigin?.start.line).toBe(s.model.policy.find((r) => r.text === 'allow web -> db : postgres-rw')!.origin.start.line);
  });

  it('a rule no longer inspected (its profile-setting removed)', async () => {
    const files = editFile(xml, XML, (l) => {
      const [a, b] = rule(l, 'allow-any-web-https');
      const p = lineIndex(l, /^\s*<profile-setting>$/, a, b);
      const q = lineIndex(l, /^\s*<\/profile-setting>$/, p, b);
      return [...l.slice(0, p), ...l.slice(q + 1)];
    });
    const items = onlyItems(await compareEdited(s, files, pool));
    expect(items.map((i) => i.actual)).toEqual(['profile-group (none); log-forwarding siem']);
  });

  it("a deny rule's logs forwarded elsewhere", async () => {
    const files = editFile(xml, XML, (l) => {
      const [a, b] = rule(l, 'deny-guest-internal');
      return replaceIn(l, lineIndex(l, /<log-setting>siem</, a, b), 'siem', 'local-only');
    });
    const items = onlyItems(await compareEdited(s, files, pool));
    expect(items).toHaveLength(1);
    expect(items[0]!.item).toMatch(/^profiles of security rule deny /);
    expect(items[0]!.actual).toBe('profile-group (none); log-forwarding local-only');
  });

  it("the default denies' log forwarding removed", async () => {
    const files = editFile(xml, XML, (l) => l.filter((x, i) => !(x.trim() === '<log-setting>siem</log-setting>' && /<entry name="(local-)?default-deny">/.test(l.slice(0, i).reverse().find((y) => y.includes('<entry name=')) ?? ''))));
    const items = onlyItems(await compareEdited(s, files, pool));
    expect(items.map((i) => [i.item, i.expected, i.actual])).toEqual([['log-forwarding of the default denies', 'siem', '(none)']]);
  });

  describe('the reader refuses what the model cannot say (R962)', () => {
    const read = (files: RenderedFile[]): string[] =>
      panos
        .read(files, { id: s.device.id, site: s.device.site, name: s.device.name, role: s.device.role })
        .diagnostics.filter((d) => d.code === Codes.readerProfileSetting)
        .map((d) => d.message);

    it('individual profiles instead of a group', () => {
      const files = editFile(xml, XML, (l) => {
        const [a, b] = rule(l, 'allow-office-web-http');
        const g = lineIndex(l, /^\s*<group>$/, a, b);
        return [...l.slice(0, g), '<profiles><virus><member>default</member></virus></profiles>', ...l.slice(g + 3)];
      });
      expect(read(files)).toEqual(['security rule allow-office-web-http names individual security profiles']);
    });

    it('a group on a deny rule', () => {
      const files = editFile(xml, XML, (l) => {
        const [a, b] = rule(l, 'deny-guest-internal');
        const at = lineIndex(l, /<action>deny<\/action>/, a, b);
        return [...l.slice(0, at + 1), '<profile-setting><group><member>internal</member></group></profile-setting>', ...l.slice(at + 1)];
      });
      expect(read(files)).toEqual(['security rule deny-guest-internal denies but names the security-profile group internal']);
    });

    it('logs forwarded but none written at session end', () => {
      const files = editFile(xml, XML, (l) => {
        const [a, b] = rule(l, 'allow-office-web-http');
        return replaceIn(l, lineIndex(l, /<log-end>yes<\/log-end>/, a, b), 'yes', 'no');
      });
      expect(read(files)).toEqual(['security rule allow-office-web-http forwards its logs to siem but writes no traffic log at session end']);
    });

    it('the two default denies forwarding to different profiles', () => {
      const files = editFile(xml, XML, (l) => {
        const [a, b] = rule(l, 'default-deny');
        return replaceIn(l, lineIndex(l, /<log-setting>siem</, a, b), 'siem', 'other');
      });
      expect(read(files)).toEqual(['default-deny forwards its logs to other, local-default-deny to siem']);
    });
  });
});
