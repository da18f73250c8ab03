import { describe, expect, it } from 'vitest';
import { BASE, find, run, spanText } from './analyze-helpers.js';

describe('usage checks', () => {
  it('P601: an unused segment, host, group, service and external, as warnings', () => {
    const text = `${BASE}segment lab 10.10.3.0/24 at fra1.core1\nhost h 10.10.2.5 in db\ngroup g = db\nservice s = tcp 1\nexternal x {\n  prefixes 192.0.2.0/24\n  attach fra1.edge1 address 203.0.113.2/30 gateway 203.0.113.1\n}\n`;
    const found = find(text, 'P601');
    expect(found.map((d) => spanText(text, d))).toEqual(['lab', 'h', 'g', 's', 'x']);
    expect(found.every((d) => d.severity === 'warning')).toBe(true);
    expect(run(text).intent).toBeDefined();
  });

  it('counts uses through groups, services, hosts and announcements', () => {
    const text = `${BASE}segment lab 10.10.3.0/24 at fra1.core1\nsegment mgmt 10.10.4.0/24 at fra1.core1\nhost jump 10.10.4.10 in mgmt\ngroup inner = lab\ngroup outer = inner\nservice base = tcp 1\nservice wrap = base\nexternal x {\n  asn 64600\n  prefixes 192.0.2.0/24\n  attach fra1.edge1 address 169.254.1.1/30 peer 169.254.1.2\n  announce jump\n}\nassert reach outer -> x : wrap\n`;
    expect(run(text).diagnostics).toEqual([]);
  });

  it('does not call a declaration unused when a name failed to resolve', () => {
    const codesFound = run(`${BASE}segment lab 10.10.3.0/24 at fra1.core1\nassert reach web -> lbb\n`).diagnostics.map((d) => d.code);
    expect(codesFound).toEqual(['P201']);
  });

  it('P602: shadowing a prelude service is a warning', () => {
    const [d] = find('service dns = udp 5353\n', 'P602');
    expect(d!.severity).toBe('warning');
  });

  it('P603: an external without prefixes is a warning', () => {
    const text = `${BASE}external x {\n  attach fra1.edge1 address 203.0.113.2/30 gateway 203.0.113.1\n}\nassert reach web -> x\n`;
    const a = run(text);
    expect(a.diagnostics.map((d) => [d.code, d.severity])).toEqual([['P603', 'warning']]);
  });
});
