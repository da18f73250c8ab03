// The paloalto-panos row of translation validation (equivalence.test.ts): mutations of the acme example's
// fra1.fw1 XML configuration (the `.set` twin is left out: the reader checks it against the XML
// when present), read back by the real reader and compared with the compiler's DeviceModel.
// The zone policy is compared for every pair of zones. Every behaviour-changing edit is caught
// with a concrete packet (or routing item); whitespace, comments and reordering that cannot
// change a decision are not flagged.

import { beforeAll, describe, expect, it } from 'vitest';
import type { RenderedFile } from '../../../backends/backend.js';
import type { SolverPool } from '../../../verifier/solver-pool.js';
import { backendFor } from '../../../backends/index.js';
import { compileText, device } from '../../compiler/helpers.js';
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
  subject,
  type Subject,
} from '../equivalence-helpers.js';


const XML = '.xml';

const BGP_FIREWALL = `network bgpfw
routing ospf
pool infra 10.255.0.0/16
secret transit-bgp from env PLUMB_TRANSIT_BGP
site s1 {
  firewall fw1 paloalto-panos asn 65001
  router r2 frr
  link fw1 -- r2
}
segment lan 10.1.0.0/24 at s1.r2
external internet {
  asn 64600
  password transit-bgp
  prefixes 0.0.0.0/0
  attach s1.fw1 address 203.0.113.1/30 peer 203.0.113.2
  announce lan
}
policy { allow lan -> internet : https }
`;

/** [start, end] (inclusive) of `<entry name="NAME">` and its closing tag at the same indentation, searching from `from`. */
function entry(lines: string[], name: string, from = 0): [number, number] {
  let start = -1;
  for (let i = from; i < lines.length; i++) {
    if (lines[i]!.trim() === `<entry name="${name}">`) {
      start = i;
      break;
    }
  }
  expect(start, `entry ${name}`).toBeGreaterThanOrEqual(0);
  const indent = lines[start]!.length - lines[start]!.trimStart().length;
  let end = start + 1;
  while (!(lines[end]!.trim() === '</entry>' && lines[end]!.length - lines[end]!.trimStart().length === indent)) end++;
  return [start, end];
}
const rules = (lines: string[]): number => lineIndex(lines, /^\s*<rules>$/);

/** Registers the paloalto-panos backend's cases; their comparisons go to `pool`. */
export function paloaltoPanosCases(pool: SolverPool): void {
  let s: Subject;
  let xmlOnly: RenderedFile[];
  beforeAll(() => {
    s = subject('acme', 'fra1.fw1');
    xmlOnly = s.files.filter((f) => f.path.endsWith(XML));
  });

  describe('paloalto-panos: mutations are caught', () => {
    it('the unedited files (XML and set) are equal to the model', async () => {
      expectEquivalent(await compareEdited(s, s.files, pool), false);
      expectEquivalent(await compareEdited(s, xmlOnly, pool), false);
    });

    it('delete an entry: the office loses http to the web servers', async () => {
      const files = editFile(xmlOnly, XML, (l) => {
        const [a, b] = entry(l, 'allow-office-web-http', rules(l));
        return removeLines(l, a, b + 1);
      });
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect(d.scope.kind).toBe('security');
      expect(inPrefix(d.packet.source, '10.20.0.0/16')).toBe(true);
      expect(d.packet).toMatchObject({ protocol: 6, destinationPort: 80 });
      expect(d.actual.action).toBe('deny');
      expect(d.expected).toMatchObject({ action: 'permit', list: 'security' });
    });

    it('swap permit and deny: guests reach the inside', async () => {
      const files = editFile(xmlOnly, XML, (l) => {
        const [a, b] = entry(l, 'deny-guest-internal', rules(l));
        return replaceIn(l, lineIndex(l, /<action>deny<\/action>/, a, b), 'deny', 'allow');
      });
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect(inPrefix(d.packet.source, '10.99.0.0/24')).toBe(true);
      expect(d.actual.action).toBe('permit');
    });

    it('widen a prefix of an address object', async () => {
      const files = editFile(xmlOnly, XML, (l) => {
        const [a, b] = entry(l, 'n-10.20.0.0_16');
        return replaceIn(l, lineIndex(l, /<ip-netmask>10\.20\.0\.0\/16</, a, b), '10.20.0.0/16', '10.20.0.0/15');
      });
      const d = onlyPacket(await compareEdited(s, files, pool));
      // The object stands for office as a source (its allows) and as a destination (guests' deny).
      expect(inPrefix(d.packet.source, '10.21.0.0/16') || inPrefix(d.packet.destination, '10.21.0.0/16')).toBe(true);
      expect(d.actual.rule).toBeDefined();
    });

    it('change a port of a service object', async () => {
      const files = editFile(xmlOnly, XML, (l) => {
        const [a, b] = entry(l, 'tcp-80');
        return replaceIn(l, lineIndex(l, /<port>80<\/port>/, a, b), '80', '8080');
      });
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect([80, 8080]).toContain(d.packet.destinationPort);
    });

    it('drop a route: the firewall stops running OSPF on a link (it has no static routes)', async () => {
      // the link runs OSPF for both families (its IPv4 address, its link-local): out of both
      const files = editFile(xmlOnly, XML, (l) => {
        const [c, d] = entry(l, 'ethernet1/1', lineIndex(l, /^\s*<ospfv3>$/));
        const [a, b] = entry(l, 'ethernet1/1', lineIndex(l, /^\s*<ospf>$/));
        return removeLines(removeLines(l, c, d + 1), a, b + 1);
      });
      const items = onlyItems(await compareEdited(s, files, pool));
      expect(items.map((i) => i.item)).toEqual(['OSPF interface ethernet1/1']);
    });

    it('reorder an allow above the deny that overrides it: guests reach the web servers', async () => {
      const files = editFile(xmlOnly, XML, (l) => {
        const [a, b] = entry(l, 'allow-any-web-https', rules(l));
        const [deny] = entry(l, 'deny-guest-internal', rules(l));
        return moveLines(l, a, b + 1, deny - 1);
      });
      const d = onlyPacket(await compareEdited(s, files, pool));
      expect(inPrefix(d.packet.source, '10.99.0.0/24')).toBe(true);
      expect(inPrefix(d.packet.destination, '10.10.1.0/24')).toBe(true);
      expect(d.actual.action).toBe('permit');
      expect(d.expected.action).toBe('deny');
    });
  });

  describe('paloalto-panos: mutations of BGP are caught', () => {
    // no example's firewall runs BGP: one whose authenticated peer announces the default route
    let b: Subject;
    beforeAll(() => {
      const { model } = compileText(BGP_FIREWALL);
      const fw = device(model, 's1.fw1');
      b = { model, device: fw, files: backendFor(fw.platform)!.render(fw, model).filter((f) => f.path.endsWith(XML)) };
    });

    it('the unedited file is equal to the model', async () => {
      expectEquivalent(await compareEdited(b, b.files, pool), false);
    });

    it('reject-default-route no -> yes: the firewall no longer installs the default route its peer announces', async () => {
      const files = editFile(b.files, XML, (l) => replaceIn(l, lineIndex(l, /<reject-default-route>no</), '>no<', '>yes<'));
      const items = onlyItems(await compareEdited(b, files, pool));
      expect(items.map((i) => i.item)).toEqual(['BGP neighbor 203.0.113.2']);
      expect(items[0]!.expected).toContain('import 0.0.0.0/0');
      expect(items[0]!.actual).not.toContain('0.0.0.0/0');
    });

    it("a peer's authentication removed: the session runs without its password", async () => {
      const files = editFile(b.files, XML, (l) => {
        const at = lineIndex(l, /^\s*<connection-options>$/);
        return removeLines(l, at, at + 3);
      });
      const items = onlyItems(await compareEdited(b, files, pool));
      expect(items.map((i) => i.item)).toEqual(['BGP neighbor 203.0.113.2']);
      expect(items[0]!.expected).toContain('password');
      expect(items[0]!.actual).not.toContain('password');
    });
  });

  describe('paloalto-panos: harmless edits are not flagged', () => {
    it('whitespace', async () => {
      const files = editFile(xmlOnly, XML, (l) => l.map((x) => (x.trim().startsWith('<member>') ? `  ${x}  ` : x)));
      expectEquivalent(await compareEdited(s, files, pool), false);
    });

    it('comments', async () => {
      const files = editFile(xmlOnly, XML, (l) => l.flatMap((x) => (x.trim() === '<rules>' ? [x, '<!-- reviewed by the network team -->'] : [x])));
      expectEquivalent(await compareEdited(s, files, pool), false);
    });

    it('reordering two allows (proven by Z3)', async () => {
      const files = editFile(xmlOnly, XML, (l) => {
        const [a, b] = entry(l, 'allow-office-web-http', rules(l));
        const [web] = entry(l, 'allow-any-web-https', rules(l));
        return moveLines(l, a, b + 1, web - 1);
      });
      expectEquivalent(await compareEdited(s, files, pool), true);
    });
  });
}
