import { describe, expect, it } from 'vitest';
import { BASE, codes, find, run, spanText } from './analyze-helpers.js';

const svc = (items: string): string => `${BASE}service s = ${items}\nassert reach web -> db : s\n`;

describe('value checks', () => {
  it('P401: ports from 0 to 65535', () => {
    const text = svc('tcp 70000');
    const [d] = find(text, 'P401');
    expect(spanText(text, d!)).toBe('70000');
    expect(codes(svc('udp 1-65536'))).toContain('P401');
    expect(run(svc('tcp 0, udp 65535, tcp 1-65535')).diagnostics).toEqual([]);
  });

  it('P402: a port range that ends before it starts', () => {
    const [d] = find(svc('udp 20000-10000'), 'P402');
    expect(d!.hint).toBe('write `10000-20000`');
    expect(codes(svc('udp 10000-10000'))).not.toContain('P402');
  });

  it('P403: protocol numbers up to 255', () => {
    expect(codes(svc('470'))).toContain('P403');
    expect(run(svc('47, 255, 0')).diagnostics).toEqual([]);
  });

  it('P404: ICMP types by name or number', () => {
    expect(codes(svc('icmp 300'))).toContain('P404');
    const [d] = find(svc('icmp eho'), 'P404');
    expect(d!.hint).toBe('did you mean `echo`?');
    expect(run(svc('icmp 3, icmp time-exceeded')).diagnostics).toEqual([]);
  });

  it('P405: ASNs, with 0, 65535 and 4294967295 reserved', () => {
    const asn = (n: string): string => BASE.replace('asn 65010', `asn ${n}`);
    for (const bad of ['0', '65535', '4294967295', '4294967296', '99999999999999']) {
      expect(codes(asn(bad)), bad).toContain('P405');
    }
    for (const good of ['1', '64512', '65534', '4200000000', '4294967294']) {
      expect(codes(asn(good)), good).toEqual([]);
    }
    expect(codes(`${BASE}external p {\n  asn 0\n  prefixes 192.0.2.0/24\n  attach fra1.edge1 address 169.254.1.1/30 peer 169.254.1.2\n}\n`)).toContain('P405');
  });

  it('P410: AS_TRANS is a warning, not an error', () => {
    const a = run(BASE.replace('asn 65010', 'asn 23456'));
    expect(a.diagnostics.map((d) => [d.code, d.severity])).toEqual([['P410', 'warning']]);
    expect(a.intent).toBeDefined();
  });

  it('P406: VLANs from 1 to 4094, on segments and attachments', () => {
    expect(codes(BASE.replace('at fra1.core1', 'at fra1.core1 vlan 4095'))).toContain('P406');
    expect(codes(BASE.replace('at fra1.core1', 'at fra1.core1 vlan 0'))).toContain('P406');
    expect(codes(BASE.replace('at fra1.core1', 'at fra1.core1 vlan 4094'))).toEqual([]);
    const ext = `${BASE}external x {\n  prefixes 192.0.2.0/24\n  attach fra1.edge1 address 203.0.113.2/30 gateway 203.0.113.1 vlan 5000\n}\nassert reach web -> x\n`;
    expect(codes(ext)).toContain('P406');
  });

  it('P407: link costs from 1 to 65535', () => {
    expect(codes(BASE.replace('link fw1 -- core1', 'link fw1 -- core1 cost 0'))).toContain('P407');
    expect(codes(BASE.replace('link fw1 -- core1', 'link fw1 -- core1 cost 65536'))).toContain('P407');
    expect(codes(BASE.replace('link fw1 -- core1', 'link fw1 -- core1 cost 65535'))).toEqual([]);
  });
});
