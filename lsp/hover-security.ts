// Hover on a `security` line: the PAN-OS firewalls it gives their default profiles, what each
// profile does there, and the rules that name their own. From the checked intent when there is
// one, else from the line itself. `cite` says where a rule is (hover.ts: with its file in an
// intent of several files).

import type { SecurityDecl } from '../language/ast.js';
import type { CheckedIntent } from '../language/intent.js';

const sameSpan = (a: SecurityDecl['span'], b: SecurityDecl['span']): boolean => a.file === b.file && a.start.offset === b.start.offset;

export function describeSecurity(decl: SecurityDecl, intent: CheckedIntent | undefined, cite: (span: SecurityDecl['span']) => string): string {
  const lines = ['**PAN-OS security profiles** (defined on the firewall or Panorama; Plumb names them)', ''];
  if (decl.profileGroup) lines.push(`- security-profile group \`${decl.profileGroup.text}\`: inspects what every allow rule admits`);
  if (decl.logForwarding) lines.push(`- log-forwarding profile \`${decl.logForwarding.text}\`: forwards the traffic logs of every rule and of the default denies`);
  const lowered = intent?.security.find((s) => sameSpan(s.span, decl.span));
  if (lowered) {
    lines.push('', lowered.devices.length > 0 ? `Firewalls: ${lowered.devices.map((d) => `\`${d}\``).join(', ')}` : 'No PAN-OS firewall: this line changes no configuration.');
    const own = intent!.rules.filter((r) => (decl.profileGroup && r.profileGroup !== undefined) || (decl.logForwarding && r.logForwarding !== undefined));
    if (own.length > 0) lines.push(`${own.length} rule${own.length === 1 ? ' names its' : 's name their'} own instead (${own.map((r) => cite(r.span)).join(', ')}).`);
  } else if (decl.devices.length === 0) lines.push('', 'Every PAN-OS firewall of the intent.');
  return lines.join('\n');
}
