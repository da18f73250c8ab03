// A security rule records a reference only to an object not defined before it (read-policy.ts):
// every object a rule uses that is never defined is still R903 at the rule, once per use, in the
// order the uses stand; objects defined, once or twice, give no R903.

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { contextOf, firewall, networkOf } from './vendor-fixtures.js';

const xml = panos.render(firewall(), networkOf([firewall()]))[0]!.content;
const read = (text: string) => panos.read([{ path: 'fw1.xml', content: text }], contextOf(firewall())).diagnostics;
/** The R903s: message, and the text of the line the span names. */
const undefinedUses = (text: string): [string, string][] =>
  read(text)
    .filter((d) => d.code === 'R903')
    .map((d) => [d.message, text.split('\n')[d.span.start.line - 1]!.trim()]);

/** The definition `<entry name="NAME">` under `<KIND>` renamed, so that its uses name nothing. */
function undefine(text: string, kind: string, name: string): string {
  const at = text.indexOf(`<${kind}>`);
  expect(at).toBeGreaterThan(0);
  const entry = text.indexOf(`<entry name="${name}">`, at);
  expect(entry).toBeGreaterThan(at);
  return text.slice(0, entry) + `<entry name="${name}-gone">` + text.slice(entry + `<entry name="${name}">`.length);
}

describe('PAN-OS security rules: references to objects not defined', () => {
  it('the firewall as written has none', () => {
    expect(read(xml).filter((d) => d.severity === 'error')).toEqual([]);
  });

  it('an application, a service, an address and a zone not defined: R903 at each rule that uses it', () => {
    const app = /<member>(icmp-type-\d+)<\/member>/.exec(xml)![1]!;
    const service = /<member>(tcp-[\w-]+)<\/member>/.exec(xml)![1]!;
    const address = /<source>\s*<member>(n-[\w.-]+)<\/member>/.exec(xml)![1]!;
    const cases: [string, string, string][] = [
      ['application', 'application', app],
      ['service', 'service', service],
      ['address', 'address', address],
      ['zone', 'zone', 'untrust'],
    ];
    for (const [kind, section, name] of cases) {
      const uses = undefinedUses(undefine(xml, section, name));
      expect(uses.length, kind).toBeGreaterThan(0);
      for (const [message, line] of uses) {
        expect(message, kind).toMatch(new RegExp(`^security rule \\S+ uses ${kind} ${name.replace(/\./g, '\\.')}, which is not defined$`));
        const rule = /^security rule (\S+) uses/.exec(message)![1]!;
        expect(line).toBe(`<entry name="${rule}">`);
      }
    }
  });

  it('two objects not defined in one rule: both, in the order the rule names them', () => {
    const service = /<member>(tcp-[\w-]+)<\/member>/.exec(xml)![1]!;
    const rule = new RegExp(`<entry name="([^"]+)">(?:(?!<entry name=)[\\s\\S])*?<member>${service}</member>`).exec(xml)![1]!;
    const start = xml.indexOf(`<entry name="${rule}">`);
    const source = /<source>\s*<member>([^<]+)<\/member>/.exec(xml.slice(start))![1]!;
    let text = undefine(xml, 'service', service);
    if (source !== 'any') text = undefine(text, 'address', source);
    const mine = undefinedUses(text).filter(([m]) => m.startsWith(`security rule ${rule} `)).map(([m]) => m.split(' ')[4]);
    expect(mine).toEqual(source !== 'any' ? ['address', 'service'] : ['service']);
  });

  it('an object defined twice is R910, and its uses are no R903', () => {
    const service = /<member>(tcp-[\w-]+)<\/member>/.exec(xml)![1]!;
    const at = xml.indexOf(`<entry name="${service}">`);
    const end = xml.indexOf('</entry>', at);
    const twice = xml.slice(0, at) + xml.slice(at, xml.indexOf('\n', end) + 1) + xml.slice(at);
    const codes = read(twice).map((d) => d.code);
    expect(codes).toContain('R910');
    expect(codes).not.toContain('R903');
  });
});
