// Placement reads each rule's forward matches, reply matches and the excess of its reply rules
// once (compiler/placement.ts, built in loops). ICMP and ICMPv6 without a type are two clauses of
// the same excess: the C703 warning names it once; and the stateless gateway's reply rules are
// those of every clause, in clause order.

import { describe, expect, it } from 'vitest';
import { compileText, device } from './helpers.js';

const TEXT = `routing ospf
pool infra 10.255.0.0/16
service db-a = tcp 5432
service db-b = tcp 5432
service feed = udp 9000
service icmp-all = icmp
service icmp6-all = 58
site s {
  router g cisco-iosxe
  router h frr
  link g -- h
}
segment office 10.20.0.0/16 at s.g
segment data   10.10.1.0/24 at s.h
policy {
  allow office -> data : db-a, db-b, feed, icmp-all, icmp6-all
}
`;

describe("a rule's reply lists", () => {
  it('name a repeated excess once and keep every clause in order', () => {
    const { model, diagnostics } = compileText(TEXT);
    const c703 = diagnostics.filter((d) => d.code === 'C703');
    expect(c703).toHaveLength(1);
    const message = c703[0]!.message;
    expect(message.split('any TCP packet with ACK or RST from port 5432').length).toBe(2);
    expect(message.split('any ICMP packet').length).toBe(2);
    expect(message).toContain('with rules that also admit any TCP packet with ACK or RST from port 5432; any UDP packet from port 9000; any ICMP packet');
    const out = device(model, 's.g').filters.find((f) => f.name === 'seg-office-out')!.rules;
    const replies = out.filter((r) => r.description.startsWith('replies of'));
    // The two TCP clauses' reply rules are one rule in the filter; an IPv4 network has no ICMPv6 rule.
    expect(replies.map((r) => [r.match.protocol, r.match.sourcePorts?.[0]?.from ?? r.match.icmpType ?? null])).toEqual([
      [6, 5432],
      [17, 9000],
      [1, null],
    ]);
  });
});
