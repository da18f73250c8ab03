// Pieces of a `plumb diff` report shared by its text and markdown forms: a flow change's
// protocol and ranges, the rules that admit it, where the other side stops it, a route's next
// hops. Plain text, not yet escaped for any output.

import type { RouteModel } from '../../compiler/model.js';
import type { FlowChange, RuleRef, StopReason } from '../../verifier/flow-diff.js';
import type { DiffReport } from '../../pipeline/diff.js';
import { CLIENT_PORT } from '../../verifier/canonical.js';

export function rangesText(c: FlowChange): string {
  const list = c.ranges.map(([lo, hi]) => (lo === hi ? `${lo}` : `${lo}-${hi}`)).join(',');
  const all = c.ranges.length === 1 && c.ranges[0]![0] === 0;
  if (c.protocol === 'tcp' || c.protocol === 'udp') {
    // A source port other than a client's: the change holds for packets from that port (a stateless reply rule's).
    const from =
      c.example.sourcePort !== undefined && c.example.sourcePort !== CLIENT_PORT
        ? ` from port ${c.example.sourcePort}`
        : '';
    return `${c.protocol} ${all && c.ranges[0]![1] === 65535 ? 'any port' : list}${from}`;
  }
  if (c.protocol === 'other') return `protocol ${list}`;
  return all && c.ranges[0]![1] === 255 ? `${c.protocol} any type` : `${c.protocol} type ${list}`;
}

export function familyText(c: FlowChange): string {
  return `IPv${c.family}`;
}

const STAGES = { in: 'inbound filter', out: 'outbound filter', local: 'local filter' } as const;

function where(r: RuleRef): string {
  if (r.stage === 'security') return `${r.device} security policy`;
  if (r.stage === 'urpf') return `${r.device} uRPF (${r.filter})`;
  if (r.stage === 'state') return `${r.device} connection state (${r.filter})`;
  return `${r.device} ${STAGES[r.stage]} ${r.filter}`;
}

export function originText(r: RuleRef): string {
  return r.origin ? `${r.origin.file}:${r.origin.start.line}` : '';
}

/** The rules behind a flow, one per intent line (or description), with the devices that apply it. */
export function rulesText(rules: readonly RuleRef[]): string[] {
  const groups = new Map<string, { rule: RuleRef; at: string[] }>();
  for (const r of rules) {
    const key = `${originText(r)}\u0000${r.description}`;
    const g = groups.get(key) ?? { rule: r, at: [] };
    g.at.push(where(r));
    groups.set(key, g);
  }
  return [...groups.values()].map(({ rule, at }) => `${rule.description} at ${at.join(', ')}`);
}

/** The rule responsible on the admitting side: the intent lines of its permits (policy rules first). */
export function responsibleText(c: FlowChange): string {
  const lines = [...new Set(c.admittedBy.map(originText).filter((x) => x !== ''))];
  return lines.length > 0 ? lines.join(', ') : 'no rule (nothing filters this path)';
}

export function stopText(s: StopReason): string {
  switch (s.kind) {
    case 'dropped':
      return s.rule ? `dropped at ${where(s.rule)}: ${s.rule.description}` : `dropped at ${s.device ?? '?'}`;
    case 'no-route':
      return `no route at ${s.device ?? '?'}`;
    case 'to-device':
      return `addressed to ${s.device ?? '?'} itself`;
    case 'lost':
      return `lost at ${s.device ?? '?'} (leaves where no endpoint is)`;
    case 'loop':
      return `forwarding loop at ${s.device ?? '?'}`;
    case 'no-such-endpoint':
      return 'the endpoint does not exist';
    case 'not-in-source':
      return 'the source address is not in the endpoint';
    default:
      return 'not delivered';
  }
}

export function nextHopsText(r: RouteModel | undefined): string {
  if (!r) return '';
  const hops = r.nextHops.map(
    (h) => `${h.interface}${h.address ? ` ${h.address}` : ''}${h.device ? ` [${h.device}]` : ''}`,
  );
  return `${r.protocol} via ${hops.join(' | ') || '-'}`;
}

export interface DiffCounts {
  allowed: number;
  blocked: number;
  assertions: number;
  routes: number;
  configs: number;
}

export function countsOf(r: DiffReport): DiffCounts {
  return {
    allowed: r.flows.changes.filter((c) => c.change === 'allowed').length,
    blocked: r.flows.changes.filter((c) => c.change === 'blocked').length,
    assertions: r.assertions.length,
    routes: r.routes.length,
    configs: r.configs.length,
  };
}

export const NO_FLOW_CHANGE = 'no change in reachability';
