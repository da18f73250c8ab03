import { describe, expect, it } from 'vitest';
import { BASE, codes, find, run } from './analyze-helpers.js';

describe('structure checks', () => {
  it('P208: group and service cycles, each reported once', () => {
    const groups = `${BASE}group a = web, b\ngroup b = c\ngroup c = a\nassert reach a -> db\n`;
    const found = find(groups, 'P208');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toBe('group `a` contains itself: a -> b -> c -> a');
    expect(codes(`${BASE}group a = a\nassert reach a -> db\n`)).toContain('P208');
    const services = `${BASE}service s = tcp 1, t\nservice t = s\nassert reach web -> db : s\n`;
    expect(find(services, 'P208')).toHaveLength(1);
  });

  it('P209: a link from a device to itself', () => {
    expect(codes(BASE.replace('link core1 -- gw1', 'link core1 -- core1'))).toContain('P209');
    expect(codes(`${BASE}link fra1.core1 -- fra1.core1\n`)).toContain('P209');
  });

  it('P210: two asn lines in one external', () => {
    const text = `${BASE}external x {\n  asn 64600\n  asn 64601\n  prefixes 192.0.2.0/24\n  attach fra1.edge1 address 169.254.1.1/30 peer 169.254.1.2\n}\nassert reach web -> x\n`;
    const [d] = find(text, 'P210');
    expect(d!.related[0]!.message).toBe('first given here');
  });

  it('P211: an external with no attachment', () => {
    expect(codes(`${BASE}external x {\n  prefixes 192.0.2.0/24\n}\nassert reach web -> x\n`)).toContain('P211');
  });

  it('leaves out reports of absence when a syntax error may cause them', () => {
    const text = `${BASE}external x {\n  prefixes 192.0.2.0/24\n  attach fra1.edge1 address 203.0.113.2 gateway 203.0.113.1\n}\n`;
    const got = codes(text);
    expect(got.some((c) => c.startsWith('P1'))).toBe(true);
    expect(got).not.toContain('P211');
    expect(got).not.toContain('P601');
  });

  it('P212: announcing an external, a group holding one, or any', () => {
    const base = `${BASE}external x {\n  asn 64600\n  prefixes 192.0.2.0/24\n  attach fra1.edge1 address 169.254.1.1/30 peer 169.254.1.2\n  announce ANN\n}\nassert reach web -> x\n`;
    expect(codes(base.replace('ANN', 'x'))).toContain('P212');
    expect(codes(base.replace('ANN', 'any'))).toContain('P212');
    expect(find(`${base.replace('ANN', 'g')}group g = web, x\n`, 'P212')[0]!.message).toContain('contains external `x`');
    expect(run(`${base.replace('ANN', 'g')}group g = web, db\n`).diagnostics).toEqual([]);
  });
});
