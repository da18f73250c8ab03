// The reader's walk of an element's children (read-xml.ts `kids`, `members`, `entries`, `child`)
// goes over the children in place: what it reports on elements outside the subset inside a
// value list or an entry list, and what it reads, at their lines.

import { describe, expect, it } from 'vitest';
import { paloaltoPanosBackend as panos } from '../../backends/paloalto-panos/index.js';
import { contextOf, firewall, networkOf } from './vendor-fixtures.js';

const [xml, set] = panos.render(firewall(), networkOf([firewall()])).map((f) => f.content) as [string, string];
const read = (text: string) => panos.read([{ path: 'fw1.xml', content: text }], contextOf(firewall()));
const lineOf = (text: string, what: string): number => text.split('\n').findIndex((l) => l.includes(what)) + 1;
const shown = (text: string) => read(text).diagnostics.map((d) => [d.code, d.span.start.line, d.message]);

describe('PAN-OS reader: the children of an element', () => {
  it('reads the firewall as written', () => {
    expect(set).not.toBe('');
    expect(read(xml).diagnostics).toEqual([]);
  });

  it('an element beside the members of a value list is R901 at its line, in order, and its text is read as a member', () => {
    const at = xml.indexOf('<source>');
    expect(at).toBeGreaterThan(0);
    const end = xml.indexOf('</source>', at);
    const edited = `${xml.slice(0, end)}<extra>any</extra><other/>${xml.slice(end)}`;
    const d = shown(edited).filter(([code]) => code === 'R901');
    const line = lineOf(edited, '<extra>');
    expect(d).toEqual([
      ['R901', line, 'unsupported element <extra> in <source>'],
      ['R901', line, 'unsupported element <other> in <source>'],
    ]);
    const hint = read(edited).diagnostics.find((x) => x.code === 'R901')!.hint;
    expect(hint).toBe('Plumb reads <member> here (docs/backends/paloalto-panos.md).');
  });

  it('in an entry list: an element that is not an entry is R901, an entry without a name R907 (the list is read twice: rules and NAT), in order', () => {
    const at = xml.indexOf('<address>');
    expect(at).toBeGreaterThan(0);
    const edited = `${xml.slice(0, at + '<address>'.length)}<entry><ip-netmask>10.0.0.0/8</ip-netmask></entry><bogus/>${xml.slice(at + '<address>'.length)}`;
    const line = lineOf(edited, '<bogus/>');
    expect(shown(edited).filter(([, l]) => l === line)).toEqual([
      ['R901', line, 'unsupported element <bogus> in <address>'],
      ['R907', line, '<entry> without a name'],
      ['R907', line, '<entry> without a name'],
    ]);
  });
});
