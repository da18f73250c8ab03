// A security rule's addresses read back in address order, each once, whatever order and
// repetition the file lists them in (a hand edit): the reader sorts the address objects' prefixes
// as `sortPrefixes` does (read-policy.ts sorts them by the numbers read with the objects; the order
// is canonicalDevice's too, so what this holds is that each is there once).

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { sortPrefixes } from '../../backends/paloalto-panos/read-xml.js';
import { contextOf, firewall, networkOf } from './vendor-fixtures.js';

describe('PAN-OS security rule addresses', () => {
  it('reads members listed in any order, repeated, or through a group, in address order and once', () => {
    const fw = firewall();
    const xml = panos.render(fw, networkOf([fw]))[0]!.content;
    const objects = [...xml.matchAll(/<entry name="([^"]+)">\s*<ip-netmask>([^<]+)<\/ip-netmask>/g)].map((m) => ({ name: m[1]!, prefix: m[2]! }))
      // IPv4 only: the rule is (canonicalDevice keeps a rule's addresses of its own family)
      .filter((o) => !o.prefix.includes(':'));
    expect(objects.length).toBeGreaterThan(3);
    const security = xml.slice(xml.indexOf('<security>'), xml.indexOf('</security>'));
    // a rule of the zone policy (the last), not one of the firewall's own
    const rule = [...security.matchAll(/<entry name="([^"]+)">((?:(?!<\/entry>)[^])*?)<destination>\s*<member>((?!any<)[^<]+)<\/member>\s*<\/destination>/g)].at(-1)!;
    expect(rule).toBeDefined();
    // every object but the rule's own, backwards, the first twice, and the rule's own last
    const names = objects.map((o) => o.name).filter((n) => n !== rule[3]).reverse();
    const listed = [...names, names[0]!, rule[3]!];
    const members = listed.map((n) => `<member>${n}</member>`).join('');
    const edited = xml.replace(security, security.replace(rule[0], rule[0].replace(/<destination>[^]*<\/destination>/, `<destination>${members}</destination>`)));
    expect(edited).not.toBe(xml);
    const r = panos.read([{ path: 'fw1.xml', content: edited }], contextOf(fw));
    expect(r.diagnostics.filter((d) => d.severity === "error").map((d) => d.message)).toEqual([]);
    const prefixOf = new Map(objects.map((o) => [o.name, o.prefix]));
    const want = sortPrefixes(listed.map((n) => prefixOf.get(n)!));
    expect(want.length).toBe(new Set(listed).size);
    const read = r.device!.securityRules.map((x) => x.match.destinations).filter((d) => d !== undefined && d.length > 1);
    expect(read).toContainEqual(want);
  });
});
