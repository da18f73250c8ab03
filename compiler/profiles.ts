// PAN-OS profiles on the placed zone policy (after placement, compiler/placement.ts): each
// security rule of a firewall whose platform has security profiles gets the profile group
// (`permit` rules only: profiles inspect admitted traffic) and the log-forwarding profile (every
// rule) that its policy rule names, else its firewall's `security` line's; the rules placement
// adds itself (anti-spoofing, a `manage` line's way through) get the firewall's. The firewall's
// own default denies get its log-forwarding profile (DeviceModel.logForwarding). C735 warns of a
// rule that names profiles no PAN-OS firewall carries.

import { diagnostic, type Diagnostic, type Span } from '../language/diagnostic.js';
import { Codes } from '../language/diagnostics/index.js';
import type { CheckedIntent } from '../language/intent.js';
import { PLATFORM_TRAITS } from '../language/platforms.js';
import type { DeviceModel } from './model.js';

const spanKey = (s: Span): string => `${s.file}\u0000${s.start.offset}\u0000${s.end.offset}`;

/** Whether the device's zone policy takes profiles. */
export function takesProfiles(d: DeviceModel): boolean {
  return d.role === 'firewall' && PLATFORM_TRAITS[d.platform].securityProfiles === true;
}

/** Puts the profiles on the devices' security rules (in place); returns C735 warnings. */
export function putSecurityProfiles(intent: CheckedIntent, devices: DeviceModel[]): Diagnostic[] {
  const named = intent.rules.filter((r) => r.profileGroup !== undefined || r.logForwarding !== undefined);
  if (named.length === 0 && intent.security.length === 0) return [];
  const byOrigin = new Map(named.map((r) => [spanKey(r.span), r]));
  const carried = new Set<string>();
  for (const device of devices) {
    if (!takesProfiles(device)) continue;
    let profileGroup: string | undefined;
    let logForwarding: string | undefined;
    for (const s of intent.security) {
      if (!s.devices.includes(device.id)) continue;
      profileGroup ??= s.profileGroup;
      logForwarding ??= s.logForwarding;
    }
    if (logForwarding !== undefined) device.logForwarding = logForwarding;
    for (const rule of device.securityRules) {
      const key = spanKey(rule.origin);
      const own = byOrigin.get(key);
      if (own) carried.add(key);
      const group = own?.profileGroup ?? profileGroup;
      const log = own?.logForwarding ?? logForwarding;
      if (rule.action === 'permit' && group !== undefined) rule.profileGroup = group;
      if (log !== undefined) rule.logForwarding = log;
    }
  }
  return named
    .filter((r) => !carried.has(spanKey(r.span)))
    .map((r) =>
      diagnostic(Codes.profilesWithoutFirewall, r.span, 'this rule names profiles, but no PAN-OS firewall carries it: they change no configuration', {
        hint: 'profiles apply where a PAN-OS firewall enforces the rule; its traffic crosses none here (routers filter it with ACLs or nftables)',
      }),
    );
}
