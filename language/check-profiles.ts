// PAN-OS profiles in the intent: the `security` lines and the `profile-group` / `log-forwarding`
// clauses of policy rules. Checks the names as PAN-OS names objects (P440), that a deny rule
// names no profile group (P441), that no two `security` lines set the same profile of one
// firewall (P442), that a `security` line names PAN-OS firewalls only (P443), and warns when no
// PAN-OS firewall could apply any of it (P444). Lowers both into the CheckedIntent.

import type { PolicyRule, SecurityDecl, Token } from './ast.js';
import type { DiagnosticSink } from './check-common.js';
import type { Structure } from './check-structure.js';
import type { Span } from './diagnostic.js';
import { Codes } from './diagnostics/index.js';
import type { IntentSecurity } from './intent.js';
import { PLATFORM_TRAITS } from './platforms.js';
import type { Resolution } from './resolve.js';

/** The longest name PAN-OS takes for a security-profile group and a log-forwarding profile. */
export const PROFILE_NAME_MAX = { 'profile-group': 31, 'log-forwarding': 63 } as const;
type ProfileKind = keyof typeof PROFILE_NAME_MAX;

const PROFILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9_. -]*$/;

/** A profile's name as written: a name, or a string's value. */
export function profileName(t: Token): string {
  const s = t.text.startsWith('"') && t.text.endsWith('"') && t.text.length >= 2 ? t.text.slice(1, -1) : t.text;
  return s.replace(/\\(["\\])/g, '$1');
}

/** Why a name is not a PAN-OS name of this kind, or undefined when it is one. */
export function profileNameProblem(name: string, kind: ProfileKind): string | undefined {
  const max = PROFILE_NAME_MAX[kind];
  if (name.length === 0) return 'is empty';
  if (name.length > max) return `has ${name.length} characters, more than the ${max} PAN-OS allows`;
  if (!PROFILE_NAME.test(name)) return 'holds a character PAN-OS does not allow in a name, or does not start with a letter, digit or `_`';
  if (name.endsWith(' ')) return 'ends with a space';
  return undefined;
}

const isPanosFirewall = (resolution: Resolution, id: string): boolean => {
  const d = resolution.devices.get(id);
  if (!d) return false;
  const traits = PLATFORM_TRAITS[d.decl.platform.text as keyof typeof PLATFORM_TRAITS];
  return d.decl.role.text === 'firewall' && traits?.securityProfiles === true;
};

/** The device ids a `security` line names (groups expanded), or every PAN-OS firewall. */
function securityDevices(resolution: Resolution, structure: Structure, d: SecurityDecl): string[] {
  if (d.devices.length === 0) return [...resolution.devices.keys()].filter((id) => isPanosFirewall(resolution, id)).sort();
  const out = new Set<string>();
  for (const t of d.devices) {
    const e = resolution.lookup(t);
    if (e?.kind === 'device') out.add(e.id);
    else if (e?.kind === 'group') for (const n of structure.groupExpansion.get(e.decl.name.text) ?? []) if (resolution.devices.has(n)) out.add(n);
  }
  return [...out].sort();
}

export function checkProfiles(resolution: Resolution, structure: Structure, sink: DiagnosticSink): void {
  const name = (t: Token | undefined, kind: ProfileKind): void => {
    if (!t) return;
    const problem = profileNameProblem(profileName(t), kind);
    if (problem === undefined) return;
    sink.report(Codes.invalidProfileName, t.span, `the ${kind === 'profile-group' ? 'security-profile group' : 'log-forwarding profile'} name \`${profileName(t)}\` ${problem}`, {
      hint: `a PAN-OS name has at most ${PROFILE_NAME_MAX[kind]} letters, digits, \`_\`, \`-\`, \`.\` or spaces (write it as a "string" when it has a space or a \`.\`)`,
    });
  };
  const anyPanos = [...resolution.devices.keys()].some((id) => isPanosFirewall(resolution, id));
  for (const policy of resolution.policies) {
    for (const rule of policy.rules) {
      name(rule.profileGroup, 'profile-group');
      name(rule.logForwarding, 'log-forwarding');
      if (rule.profileGroup && rule.action.text === 'deny') {
        sink.report(Codes.profileGroupOnDeny, rule.profileGroup.span, 'a deny rule lets nothing through for security profiles to inspect', {
          hint: 'remove `profile-group` from this rule; a deny rule may name a `log-forwarding` profile',
        });
      }
      const first = rule.profileGroup ?? rule.logForwarding;
      if (first && !anyPanos) noPanos(first.span, 'this rule names a profile', sink);
    }
  }
  const given = new Map<string, { 'profile-group'?: Token; 'log-forwarding'?: Token }>();
  for (const d of resolution.securities) {
    name(d.profileGroup, 'profile-group');
    name(d.logForwarding, 'log-forwarding');
    for (const t of d.devices) {
      const e = resolution.lookup(t);
      const ids = e?.kind === 'device' ? [e.id] : e?.kind === 'group' ? (structure.groupExpansion.get(e.decl.name.text) ?? []) : [];
      const other = ids.find((id) => !isPanosFirewall(resolution, id));
      if (other === undefined) continue;
      const dev = resolution.devices.get(other);
      const what = dev ? `\`${other}\` is a ${dev.decl.platform.text} ${dev.decl.role.text}` : `\`${other}\` is not a device`;
      sink.report(Codes.securityNotPanos, t.span, `${e?.kind === 'group' ? `group \`${t.text}\` holds \`${other}\`: ` : ''}${what}, not a PAN-OS firewall`, {
        hint: 'security-profile groups and log-forwarding profiles exist on PAN-OS firewalls only; name those here',
      });
    }
    if (d.devices.length === 0 && !anyPanos) noPanos(d.span, 'this `security` line applies to every PAN-OS firewall', sink);
    for (const id of securityDevices(resolution, structure, d)) {
      const seen = given.get(id) ?? {};
      for (const [kind, t] of [['profile-group', d.profileGroup], ['log-forwarding', d.logForwarding]] as const) {
        if (!t) continue;
        const before = seen[kind];
        if (before) {
          sink.report(Codes.conflictingSecurity, t.span, `the \`${kind}\` of \`${id}\` is already given by another \`security\` line`, {
            related: [{ span: before.span, message: 'first given here' }],
            hint: 'give each firewall its default profiles once; a rule that needs another one names it itself (`allow A -> B : S profile-group G`)',
          });
        } else seen[kind] = t;
      }
      given.set(id, seen);
    }
  }
}

function noPanos(span: Span, what: string, sink: DiagnosticSink): void {
  sink.report(Codes.securityWithoutPanos, span, `${what}, but the intent has no PAN-OS firewall: it changes no configuration`, {
    hint: 'security-profile groups and log-forwarding profiles are PAN-OS objects; remove the line, or declare the firewall `firewall NAME paloalto-panos`',
  });
}

/** The `security` lines of the CheckedIntent. */
export function checkedSecurity(resolution: Resolution, structure: Structure): IntentSecurity[] {
  return resolution.securities.map((d) => ({
    devices: securityDevices(resolution, structure, d),
    ...(d.profileGroup ? { profileGroup: profileName(d.profileGroup) } : {}),
    ...(d.logForwarding ? { logForwarding: profileName(d.logForwarding) } : {}),
    span: d.span,
  }));
}

/** A rule's own profiles for its IntentRule. */
export function ruleProfiles(rule: PolicyRule): { profileGroup?: string; logForwarding?: string } {
  return {
    ...(rule.profileGroup ? { profileGroup: profileName(rule.profileGroup) } : {}),
    ...(rule.logForwarding ? { logForwarding: profileName(rule.logForwarding) } : {}),
  };
}
