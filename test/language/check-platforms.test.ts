import { describe, expect, it } from 'vitest';
import { BASE, codes, find, run } from './analyze-helpers.js';

const ext = (body: string): string => `${BASE}external x {\n  prefixes 192.0.2.0/24\n${body}\n}\nassert reach web -> x\n`;

describe('platform checks', () => {
  it('P501: unknown platform, with a suggestion', () => {
    const [d] = find(BASE.replace('router   core1 frr', 'router   core1 ffr'), 'P501');
    expect(d!.message).toBe('unknown platform `ffr`');
    expect(d!.hint).toBe('did you mean `frr`?');
    expect(find(BASE.replace('router   core1 frr', 'router   core1 junos'), 'P501')[0]!.hint).toContain('cisco-iosxe');
  });

  it('P502: a linux device cannot have an ASN', () => {
    const [d] = find(BASE.replace('router   gw1   linux', 'router   gw1   linux asn 65020'), 'P502');
    expect(d!.message).toBe('`fra1.gw1` is a `linux` device: it runs no routing daemon, so it cannot have an ASN');
    expect(d!.hint).toBe('use `frr` for a Linux box that speaks BGP, or remove `asn`');
    expect(codes(BASE.replace('router   core1 frr', 'router   core1 frr asn 65020'))).toEqual([]);
  });

  it('P503: an eBGP external cannot attach to a linux device', () => {
    const [d] = find(ext('  asn 64600\n  attach fra1.gw1 address 169.254.1.1/30 peer 169.254.1.2'), 'P503');
    expect(d!.related[0]!.message).toContain('fra1.gw1');
    expect(d!.message).toBe('`fra1.gw1` is a `linux` device: it runs no routing daemon and cannot hold the eBGP session to `x`');
    expect(d!.hint).toBe('attach the external to a device that speaks BGP (frr, cisco-iosxe, paloalto-panos)');
    // a static external on linux is fine
    expect(codes(ext('  attach fra1.gw1 address 169.254.1.1/30 gateway 169.254.1.2'))).toEqual([]);
  });

  it('P504: an eBGP external needs a device with an ASN', () => {
    const [d] = find(ext('  asn 64600\n  attach fra1.core1 address 169.254.1.1/30 peer 169.254.1.2'), 'P504');
    expect(d!.hint).toBe('add `asn N` to `fra1.core1`');
    expect(codes(ext('  asn 64600\n  attach fra1.edge1 address 169.254.1.1/30 peer 169.254.1.2'))).toEqual([]);
  });

  it('P505 and P506: peer needs asn, gateway excludes it', () => {
    expect(codes(ext('  attach fra1.edge1 address 169.254.1.1/30 peer 169.254.1.2'))).toContain('P505');
    expect(codes(ext('  asn 64600\n  attach fra1.edge1 address 169.254.1.1/30 gateway 169.254.1.2'))).toContain('P506');
  });

  it('P507: both peer and gateway', () => {
    expect(codes(ext('  attach fra1.edge1 address 169.254.1.1/30 gateway 169.254.1.2 peer 169.254.1.2'))).toContain('P507');
  });

  it('P508: a zone on a segment whose gateway is not a firewall is a warning', () => {
    const a = run(BASE.replace('segment db  10.10.2.0/24 at fra1.core1', 'segment db  10.10.2.0/24 at fra1.core1 zone inside'));
    expect(a.diagnostics.map((d) => [d.code, d.severity])).toEqual([['P508', 'warning']]);
    expect(a.intent?.segments.find((s) => s.name === 'db')?.zone).toBe('inside');
  });

  it('P509: an external with our own ASN', () => {
    expect(codes(ext('  asn 65010\n  attach fra1.edge1 address 169.254.1.1/30 peer 169.254.1.2'))).toContain('P509');
  });
});
