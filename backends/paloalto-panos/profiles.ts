// A security rule's profiles: `<profile-setting><group><member>G</member></group></profile-setting>`
// (an allow rule's security-profile group), `<log-setting>L</log-setting>` (the log-forwarding
// profile, any action) with `<log-end>yes</log-end>` (the traffic log that profile forwards is
// written at session end, as PAN-OS does by default; logging at session start is left off, as
// Palo Alto recommends except to troubleshoot). The profiles themselves are defined on the
// firewall or Panorama: Plumb names them and never writes them.

import type { FilterRule } from '../../compiler/model.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { XmlReading } from './read-xml.js';
import { el, members, type XmlElement, type XmlNode } from './xml.js';

/** The elements after `<action>` for a rule's profiles (none when it names none). */
export function profileElements(rule: Pick<FilterRule, 'action' | 'profileGroup' | 'logForwarding'>, device: string): XmlNode[] {
  const out: XmlNode[] = [];
  if (rule.profileGroup !== undefined) {
    if (rule.action !== 'permit') throw new Error(`internal: ${device}: a security-profile group on a deny rule`);
    out.push(el('profile-setting', [members('group', [rule.profileGroup])]));
  }
  if (rule.logForwarding !== undefined) out.push(el('log-end', 'yes'), el('log-setting', rule.logForwarding));
  return out;
}

/** The tags a rule may have for its profiles (beside `log-end`, which every reader takes). */
export const PROFILE_TAGS = ['profile-setting', 'log-setting'] as const;

/**
 * A rule's profiles read back: one group (allow rules only), the log-forwarding profile, and
 * `log-end` not `no` where there is one (R962 otherwise).
 */
export function readProfiles(reader: XmlReading, e: XmlElement, action: 'permit' | 'deny'): Pick<FilterRule, 'profileGroup' | 'logForwarding'> {
  const out: Pick<FilterRule, 'profileGroup' | 'logForwarding'> = {};
  const name = e.attrs.name;
  const setting = reader.child(e, 'profile-setting');
  if (setting) {
    const kids = reader.kids(setting, ['group', 'profiles']);
    const group = reader.child(setting, 'group');
    const names = group ? reader.members(group) : [];
    if (kids.some((k) => k.name === 'profiles')) {
      reader.reporter.error(Codes.readerProfileSetting, reader.span(setting), `security rule ${name} names individual security profiles`, 'Plumb rules name one security-profile group: `profile-group NAME` in the intent.');
    } else if (names.length !== 1) {
      reader.reporter.error(Codes.readerProfileSetting, reader.span(setting), `security rule ${name} names ${names.length} security-profile groups`, 'A rule takes one group.');
    } else if (action !== 'permit') {
      reader.reporter.error(Codes.readerProfileSetting, reader.span(setting), `security rule ${name} denies but names the security-profile group ${names[0]}`, 'Profiles inspect allowed traffic only.');
    } else {
      // defined on the firewall or Panorama, not in this file: no reference to check
      out.profileGroup = names[0]!;
    }
  }
  const log = reader.child(e, 'log-setting');
  if (log) {
    const text = reader.text(log);
    if (text === undefined || text === '') reader.bad(log, `security rule ${name}: <log-setting> needs a log-forwarding profile's name`);
    else {
      out.logForwarding = text;
      const end = reader.child(e, 'log-end');
      if (end && reader.text(end) === 'no') {
        reader.reporter.error(Codes.readerProfileSetting, reader.span(end), `security rule ${name} forwards its logs to ${text} but writes no traffic log at session end`, 'Plumb logs every rule with a log-forwarding profile at session end: `log-end yes`.');
      }
    }
  }
  return out;
}
