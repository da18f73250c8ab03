import { describe, expect, it } from 'vitest';
import { BASE, codes, find, run, spanText } from './analyze-helpers.js';

describe('address checks', () => {
  it('P301: an invalid address or prefix', () => {
    const text = `${BASE}segment lab 10.10.3.0/33 at fra1.core1\n`;
    const [d] = find(text, 'P301');
    expect(spanText(text, d!)).toBe('10.10.3.0/33');
    expect(codes(`${BASE}host h 10.10.2.300 in db\n`)).toContain('P301');
  });

  it('P302: host bits set, naming the probable network', () => {
    const text = `${BASE}segment lab 10.0.0.1/24 at fra1.core1\n`;
    const [d] = find(text, 'P302');
    expect(d!.message).toBe('`10.0.0.1/24` has host bits set: did you mean `10.0.0.0/24`?');
    expect(spanText(text, d!)).toBe('10.0.0.1/24');
    expect(find(`pool p 2001:db8::1/64\n`, 'P302')[0]!.message).toContain('`2001:db8::/64`');
    expect(codes(`${BASE}external x {\n  prefixes 198.51.100.7/24\n  attach fra1.edge1 address 203.0.113.2/30 gateway 203.0.113.1\n}\n`)).toContain('P302');
  });

  it('P303: a host outside its segment, but not one inside it', () => {
    const text = `${BASE}host pg 10.10.3.10 in db\n`;
    const [d] = find(text, 'P303');
    expect(d!.message).toBe('host `pg` (10.10.3.10) is outside its segment `db`');
    expect(d!.hint).toContain('10.10.2.0/24');
    expect(codes(`${BASE}host pg 10.10.2.10 in db\n`)).not.toContain('P303');
    expect(codes(`${BASE}segment ds 10.10.3.0/24, 2001:db8:3::/64 at fra1.core1\nhost v6 2001:db8:3::10 in ds\n`)).not.toContain('P303');
  });

  it('P304: overlapping segments, pointing at the first', () => {
    const text = `${BASE}segment lab 10.10.0.0/16 at fra1.core1\n`;
    const [d] = find(text, 'P304');
    expect(spanText(text, d!)).toBe('10.10.0.0/16');
    expect(d!.related).toHaveLength(1); // one diagnostic per overlapped segment
    expect(find(text, 'P304')).toHaveLength(2);
    expect(codes(`${BASE}segment lab 10.10.3.0/24 at fra1.core1\n`)).not.toContain('P304');
  });

  it('P305: duplicate host, loopback and attachment addresses', () => {
    expect(codes(`${BASE}host a 10.10.2.10 in db\nhost b 10.10.2.10 in db\n`)).toContain('P305');
    const lo = BASE.replace('router   core1 frr', 'router   core1 frr loopback 10.254.0.1').replace('router   gw1   linux', 'router   gw1   linux loopback 10.254.0.1');
    const [d] = find(lo, 'P305');
    expect(d!.message).toBe('the loopback of `fra1.gw1` uses an address that the loopback of `fra1.core1` already uses');
    const attach = `${BASE}external a {\n  prefixes 192.0.2.0/24\n  attach fra1.edge1 address 203.0.113.2/30 gateway 203.0.113.1\n}\nexternal b {\n  prefixes 198.51.100.0/24\n  attach fra1.core1 address 203.0.113.2/30 gateway 203.0.113.1\n}\n`;
    expect(codes(attach)).toContain('P305');
  });

  it('P306: links, loopbacks and attachments colliding with segments or links', () => {
    expect(codes(BASE.replace('link core1 -- gw1', 'link core1 -- gw1 10.10.2.0/31'))).toContain('P306');
    const lo = BASE.replace('router   core1 frr', 'router   core1 frr loopback 10.10.1.1');
    const [d] = find(lo, 'P306');
    // reported at the loopback, which is the one out of place, although the segment comes later
    expect(spanText(lo, d!)).toBe('10.10.1.1');
    expect(d!.message).toBe('the loopback of `fra1.core1` (10.10.1.1/32) collides with segment `web`');
    const two = BASE.replace('link fw1 -- core1', 'link fw1 -- core1 10.254.0.0/30').replace('link core1 -- gw1', 'link core1 -- gw1 10.254.0.2/31');
    expect(codes(two)).toContain('P306');
    expect(codes(`${BASE}external x {\n  prefixes 192.0.2.0/24\n  attach fra1.edge1 address 10.10.1.2/30 gateway 10.10.1.1\n}\n`)).toContain('P306');
    expect(codes(BASE.replace('link core1 -- gw1', 'link core1 -- gw1 10.254.0.0/31'))).not.toContain('P306');
  });

  it('P307: pools too small for links and loopbacks', () => {
    // 3 links need 3 /31s (6 addresses) and 4 devices need 4 loopbacks: 10 addresses.
    const [d] = find(BASE.replace('10.255.0.0/16', '10.255.0.0/29'), 'P307');
    expect(d!.message).toBe('IPv4 pools are too small: 3 links need a /31 and 4 devices need a /32 loopback (10 addresses), but 8 are free');
    expect(codes(BASE.replace('10.255.0.0/16', '10.255.0.0/28'))).not.toContain('P307');
    // an IPv6 pool must give a /127 per link
    expect(codes(`${BASE}pool infra6 2001:db8:ff::/127\n`)).toContain('P307');
    expect(codes(`${BASE}pool infra6 2001:db8:ff::/125\n`)).not.toContain('P307');
  });

  it('P308: no pool but links and devices need addresses', () => {
    const [d] = find(BASE.replace('pool infra 10.255.0.0/16\n', ''), 'P308');
    expect(d!.message).toContain('3 links need a /31 and 4 devices need a /32 loopback');
    const given = 'site s {\n  router a frr loopback 10.254.0.1\n  router b frr loopback 10.254.0.2\n  link a -- b 10.254.1.0/31\n}\n';
    expect(codes(given)).not.toContain('P308');
  });

  it('P309: the attachment neighbour outside the subnet or equal to our address', () => {
    const ext = (n: string): string => `${BASE}external x {\n  prefixes 192.0.2.0/24\n  attach fra1.edge1 address 203.0.113.2/30 gateway ${n}\n}\n`;
    expect(find(ext('203.0.113.9'), 'P309')[0]!.message).toBe('gateway 203.0.113.9 is outside the attachment subnet 203.0.113.0/30');
    expect(find(ext('203.0.113.2'), 'P309')[0]!.message).toContain('our own address');
    expect(codes(ext('2001:db8::1'))).toContain('P309');
    expect(codes(ext('203.0.113.1'))).not.toContain('P309');
  });

  it('P311: one IPv4 and at most one IPv6 prefix per segment', () => {
    expect(codes(`${BASE}segment lab 10.10.3.0/24, 10.10.4.0/24 at fra1.core1\n`)).toContain('P311');
    expect(find(`${BASE}segment lab 2001:db8:1::/64 at fra1.core1\n`, 'P311')[0]!.message).toBe('segment `lab` has no IPv4 prefix');
  });

  it('P312: a pool overlapping a segment or another pool', () => {
    expect(codes(`${BASE}pool big 10.0.0.0/8\n`)).toContain('P312');
    expect(codes(`${BASE}pool other 10.255.128.0/17\n`)).toContain('P312');
  });

  it('P313: a link prefix with room for one address', () => {
    expect(codes(BASE.replace('link core1 -- gw1', 'link core1 -- gw1 10.254.0.0/32'))).toContain('P313');
    expect(codes(BASE.replace('link core1 -- gw1', 'link core1 -- gw1 2001:db8:ff::/128'))).toContain('P313');
  });

  it('accepts IPv6 segments, links and pools that fit', () => {
    const text = BASE.replace('10.10.1.0/24 at', '10.10.1.0/24, 2001:db8:10:1::/64 at').replace('link core1 -- gw1', 'link core1 -- gw1 2001:db8:ff:1::/127') + 'pool infra6 2001:db8:ff::/56\n';
    expect(run(text).diagnostics).toEqual([]);
  });
});
