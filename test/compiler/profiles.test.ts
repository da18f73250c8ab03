// PAN-OS profiles on the placed zone policy (compiler/profiles.ts): the `security` line's
// defaults on every rule of the firewalls it names (a group on permit rules only, log forwarding
// on every rule and the default denies), a rule's own profiles in their place, nothing on other
// platforms' devices, and C735 for a rule whose profiles no PAN-OS firewall carries.

import { describe, expect, it } from 'vitest';
import { Codes } from '../../language/diagnostics/index.js';
import { compileText, device } from './helpers.js';

const TEXT = (security: string, extra = '') => `routing ospf
pool infra 10.255.0.0/16
site s {
  router   g cisco-iosxe
  firewall f paloalto-panos
  firewall f2 paloalto-panos
  router   h frr
  link g -- f
  link f -- h
  link h -- f2
}
segment office 10.20.0.0/16 at s.g
segment web    10.10.1.0/24 at s.f zone dmz
segment guest  10.99.0.0/24 at s.h
segment lab    10.98.0.0/24 at s.h
segment noc    10.50.0.0/24 at s.f2
${security}
manage s.g from noc : ssh
policy {
  allow office -> web : https profile-group web-strict
  deny  guest  -> web log-forwarding guest-audit
  allow any    -> web : http
  allow guest  -> lab : ssh profile-group lab
${extra}}
`;

describe('PAN-OS profiles on the zone policy', () => {
  const { model, diagnostics } = compileText(TEXT('security s.f profile-group internal log-forwarding siem'));
  const f = device(model, 's.f');
  const rules = (text: string) => f.securityRules.filter((r) => r.description.startsWith(text));

  it("a rule's own group wins over the line's; log forwarding from the line where the rule names none", () => {
    expect(rules('allow office -> web').map((r) => [r.profileGroup, r.logForwarding])).toEqual([['web-strict', 'siem']]);
    expect(rules('allow any -> web').every((r) => r.profileGroup === 'internal' && r.logForwarding === 'siem')).toBe(true);
  });

  it("denies get log forwarding (the rule's own first) and never a group", () => {
    expect(rules('deny guest -> web').map((r) => [r.profileGroup, r.logForwarding])).toEqual([[undefined, 'guest-audit']]);
    const spoof = rules('anti-spoofing');
    expect(spoof.length).toBeGreaterThan(0);
    expect(spoof.every((r) => r.profileGroup === undefined && r.logForwarding === 'siem')).toBe(true);
  });

  it("the rules placement adds itself take the line's (a manage line's way through the firewall)", () => {
    const manage = rules('allow noc -> ');
    expect(manage.length).toBeGreaterThan(0);
    expect(manage.every((r) => r.profileGroup === 'internal' && r.logForwarding === 'siem')).toBe(true);
  });

  it("the default denies' log forwarding is the firewall's; the local filter's rules carry nothing", () => {
    expect(f.logForwarding).toBe('siem');
    expect(f.filters.flatMap((x) => x.rules).some((r) => r.profileGroup !== undefined || r.logForwarding !== undefined)).toBe(false);
  });

  it('a firewall the line does not name gets only the rules’ own; routers get nothing', () => {
    const f2 = device(model, 's.f2');
    expect(f2.logForwarding).toBeUndefined();
    expect(f2.securityRules.every((r) => r.profileGroup === undefined && r.logForwarding === undefined)).toBe(true);
    for (const id of ['s.g', 's.h']) {
      const d = device(model, id);
      expect(d.logForwarding).toBeUndefined();
      expect([...d.filters.flatMap((x) => x.rules), ...d.securityRules].some((r) => r.profileGroup !== undefined || r.logForwarding !== undefined)).toBe(false);
    }
  });

  it('C735 for a rule no PAN-OS firewall carries (guest and lab meet at the frr router), and for no other', () => {
    const c735 = diagnostics.filter((d) => d.code === Codes.profilesWithoutFirewall);
    expect(c735.map((d) => d.span.start.line)).toEqual([TEXT('').split('\n').findIndex((l) => l.includes('profile-group lab')) + 1]);
    expect(c735[0]!.severity).toBe('warning');
  });

  it('without a `security` line and rule clauses, no rule and no firewall names a profile (the model is as before)', () => {
    const plain = compileText(TEXT('').replace(/ profile-group \S+| log-forwarding \S+/g, ''));
    for (const d of plain.model.devices) {
      expect(d.logForwarding).toBeUndefined();
      expect(d.securityRules.some((r) => 'profileGroup' in r || 'logForwarding' in r)).toBe(false);
    }
  });
});
