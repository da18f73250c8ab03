// P510-P515: interface pins and description text that a platform's configuration cannot carry
// as written.
import { describe, expect, it } from 'vitest';
import { BASE, codes as allCodes, find } from './analyze-helpers.js';

/** The codes of this part (unused declarations, P601, are beside the point here). */
const codes = (text: string): string[] => allCodes(text).filter((c) => c !== 'P601');

const pin = (a: string, b: string): string => BASE.replace('link edge1 -- fw1', `link ${a} -- ${b}`);

describe('interface pins must be names of the platform', () => {
  it('P510: Linux names (frr and linux devices)', () => {
    const [d] = find(BASE.replace('link core1 -- gw1', 'link core1 -- gw1:a/../../../x'), 'P510');
    expect(d!.message).toBe(
      '`a/../../../x` is not a valid interface name on `fra1.gw1` (linux): the kernel refuses `/`, `:` and whitespace in a name',
    );
    expect(d!.span.start.column).toBe(21);
    expect(d!.related[0]!.message).toBe('`fra1.gw1` is declared here');
    expect(find(BASE.replace('link core1 -- gw1', 'link core1:eth12345678901234 -- gw1'), 'P510')[0]!.message).toContain(
      'at most 15 bytes (this one has 17)',
    );
    expect(codes(BASE.replace('link core1 -- gw1', 'link core1:.. -- gw1'))).not.toContain('P510'); // `..` is no pin token
    expect(codes(BASE.replace('link core1 -- gw1', 'link core1:eth12345678901 -- gw1:bond0.10'))).toEqual([]);
  });

  it('P511: IOS-XE names are full type names with numbers', () => {
    expect(codes(pin('edge1:Gi2', 'fw1'))).toContain('P511');
    expect(codes(pin('edge1:GigabitEthernet', 'fw1'))).toContain('P511');
    expect(codes(pin('edge1:eth0', 'fw1'))).toContain('P511');
    expect(codes(pin('edge1:GigabitEthernet0/0/1', 'fw1'))).toEqual([]);
    expect(codes(pin('edge1:GigabitEthernet2.100', 'fw1'))).toEqual([]);
  });

  it('P512: PAN-OS names', () => {
    expect(codes(pin('edge1', 'fw1:eth1'))).toContain('P512');
    expect(codes(pin('edge1', 'fw1:ethernet1/1.0'))).toContain('P512');
    expect(codes(pin('edge1', 'fw1:ethernet1/3'))).toEqual([]);
    expect(codes(pin('edge1', 'fw1:ethernet1/3.20'))).toEqual([]);
  });
});

const segment = (at: string, description: string): string =>
  `${BASE}segment extra 10.30.0.0/24 at fra1.${at} "${description}"\n`;
const partner = (description: string): string =>
  `${BASE}external partner "${description}" {\n  asn 64600\n  prefixes 198.51.100.0/24\n  attach fra1.edge1 address 169.254.1.1/30 peer 169.254.1.2\n}\n`;

describe('descriptions the platform keeps as written', () => {
  it('P513: lengths as the platform sees them (the interface description includes `segment NAME: `)', () => {
    const limit = 240 - 'segment extra: '.length;
    expect(codes(segment('edge1', 'x'.repeat(limit)))).toEqual([]);
    const [d] = find(segment('edge1', 'x'.repeat(limit + 1)), 'P513');
    expect(d!.message).toBe('this description makes the IOS-XE interface description 241 characters long; IOS-XE keeps at most 240');
    expect(d!.hint).toBe('shorten it by 1 characters');
    expect(codes(partner('y'.repeat(80)))).toEqual([]);
    expect(find(partner('y'.repeat(81)), 'P513')[0]!.message).toContain('IOS-XE BGP neighbor description 81 characters');
    expect(codes(segment('fw1', 'z'.repeat(1023 - 'segment extra: '.length + 1)))).toContain('P513');
    // Within the string limit (P111: 2,048 characters), a linux device keeps any text.
    expect(codes(segment('gw1', 'z'.repeat(2000)))).toEqual([]);
  });

  it('P514: whitespace per platform', () => {
    expect(codes(segment('fw1', 'two  spaces'))).toContain('P514');
    expect(codes(segment('fw1', ' leading'))).toContain('P514');
    expect(codes(segment('fw1', 'trailing '))).toContain('P514');
    expect(codes(segment('edge1', 'two  spaces'))).toEqual([]); // IOS-XE keeps inner runs
    expect(codes(segment('edge1', 'trailing '))).toContain('P514');
    expect(codes(partner(' leading'))).toContain('P514'); // the neighbour description is the text alone
    expect(codes(segment('gw1', '  anything  goes  '))).toEqual([]);
    expect(codes(segment('core1', '  frr interfaces: setup.sh comments  '))).toEqual([]);
  });

  it('P515: characters a platform shows escaped are a warning', () => {
    const [d] = find(segment('edge1', 'Zürich'), 'P515');
    expect(d!.severity).toBe('warning');
    expect(d!.message).toBe('IOS-XE configurations are ASCII: `ü` in this description is written %-escaped on IOS-XE');
    expect(codes(segment('fw1', 'Zürich'))).toEqual([]);
    const [q] = find(segment('fw1', 'say \\"hi\\"'), 'P515');
    expect(q!.message).toBe('a PAN-OS set command cannot hold `"` in a quoted value: `"` in this description is written %-escaped on PAN-OS');
    expect(codes(segment('edge1', 'say \\"hi\\"'))).toEqual([]);
  });
});
