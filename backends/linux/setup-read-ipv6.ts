// What setup.sh says about IPv6 per interface (setup-render.ts writes it): the `disable_ipv6`
// sysctls, `addrgenmode none` with the flush of the kernel's link-local, and the link-local
// address itself; then the checks that the kernel ends with exactly the model's IPv6: the
// model's link-local and no other, and no IPv6 at all on an interface the model gives none.

import type { Span } from '../../language/diagnostic.js';
import type { InterfaceModel } from '../../compiler/model.js';
import { containsAddress, parseAddress, parsePrefix } from '../../language/address.js';
import { lineSpan, wordSpan, type SetupLine } from './setup-lines.js';
import { disableIpv6Key, hasIpv6, LINK_LOCAL_FLUSH } from './setup-render.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { readRpFilter, type RpFilterRead } from './setup-read-urpf.js';

/** IPv6 settings of one interface, each with the line that made it. */
export interface InterfaceIpv6 {
  /** `link set dev X addrgenmode none`: the kernel makes no link-local of its own. */
  addrgenNone?: Span;
  /** `address flush dev X to fe80::/10`: the link-local the kernel already made is removed. */
  flushed?: Span;
  /** `sysctl -w net.ipv6.conf.X.disable_ipv6=0|1`, the last one read. */
  disabled?: { value: boolean; span: Span };
  /** Where the link-local address is added. */
  linkLocal?: Span;
  /** `link set dev X up`: where setup.sh configures the interface. */
  up?: Span;
}

export type ReportAt = (
  code: DiagnosticCode,
  span: Span,
  message: string,
  hint?: string,
  severity?: 'error' | 'warning',
) => void;

const LINK_LOCAL = parsePrefix('fe80::/10')!;

/** Whether `text` (an address, with a length or not) is an IPv6 link-local address. */
export function isLinkLocal(text: string): boolean {
  const a = parseAddress(text.split('/')[0]!);
  return a !== undefined && containsAddress(LINK_LOCAL, a);
}

/** The interface a sysctl key sets `disable_ipv6` of (slashes back to dots), or undefined. */
function disableIpv6Interface(key: string): string | undefined {
  const m = /^net\.ipv6\.conf\.([^.]+)\.disable_ipv6$/.exec(key);
  if (!m || m[1] === 'all' || m[1] === 'default') return undefined;
  const name = m[1]!.replaceAll('/', '.');
  return disableIpv6Key(name) === key ? name : undefined;
}

/**
 * A `sysctl` shell line: options `-q`, `-w` (or `-qw`), then `KEY=VALUE` settings, each one of
 * the forwarding switches or an interface's `disable_ipv6`. Anything else is reported: a
 * setting the model does not hold would change what the box does unseen.
 */
export function readSysctl(
  line: SetupLine,
  ipv6: (name: string) => InterfaceIpv6,
  forwarding: { v4: boolean; v6: boolean },
  rpFilter: RpFilterRead,
  report: ReportAt,
): void {
  for (const w of line.words.slice(1)) {
    if (/^-[qw]+$/.test(w.text)) continue;
    const [key, value, ...more] = w.text.split('=');
    const name = key !== undefined ? disableIpv6Interface(key) : undefined;
    if (more.length === 0 && key === 'net.ipv4.ip_forward' && value === '1') forwarding.v4 = true;
    else if (more.length === 0 && key === 'net.ipv6.conf.all.forwarding' && value === '1') forwarding.v6 = true;
    else if (more.length === 0 && name !== undefined && (value === '0' || value === '1'))
      ipv6(name).disabled = { value: value === '1', span: lineSpan(line) };
    else if (more.length === 0 && key !== undefined && value !== undefined && readRpFilter(key, value, lineSpan(line), rpFilter))
      continue;
    else
      report(
        Codes.readerUnknownCommand,
        wordSpan(line, w),
        `unknown sysctl setting \`${w.text}\``,
        'setup.sh sets the forwarding switches, `rp_filter` (all and default 0; each interface 0, 1 or 2) and each interface\'s `disable_ipv6` (0 or 1)',
      );
  }
}

/** `address flush dev X to fe80::/10`, the only flush setup.sh has; false when `t` is another. */
export function readFlush(t: readonly string[], span: Span, ipv6: (name: string) => InterfaceIpv6): boolean {
  if (t[0] !== 'address' && t[0] !== 'addr') return false;
  if (t[1] !== 'flush' || t[2] !== 'dev' || t[4] !== 'to' || t.length !== 6) return false;
  if (t[5] !== LINK_LOCAL_FLUSH && t[5] !== 'fe80::/64') return false;
  ipv6(t[3]!).flushed = span;
  return true;
}

/**
 * The kernel's IPv6 against the interfaces read: every interface (the loopback aside) has
 * IPv6 exactly when the model gives it some, and one with a link-local has no other.
 */
export function checkIpv6(
  interfaces: readonly InterfaceModel[],
  settings: ReadonlyMap<string, InterfaceIpv6>,
  fileStart: Span,
  report: ReportAt,
): void {
  const byName = new Map(interfaces.map((i) => [i.name, i]));
  for (const [name, s] of settings) {
    if (!byName.has(name) && s.disabled)
      report(
        Codes.readerUndefinedReference,
        s.disabled.span,
        `\`disable_ipv6\` of ${name}, an interface setup.sh does not configure`,
        'bring it up in the batch (`link set dev NAME up`), or fix the name',
      );
  }
  for (const i of interfaces) {
    if (i.role === 'loopback') continue;
    const s = settings.get(i.name) ?? {};
    const v6 = hasIpv6(i);
    if (s.disabled?.value === true && v6)
      report(
        Codes.readerContradiction,
        s.disabled.span,
        `${i.name} has IPv6 addresses but \`disable_ipv6=1\` turns IPv6 off on it`,
      );
    else if (!v6 && s.disabled?.value !== true)
      report(
        Codes.readerMissingPart,
        s.disabled?.span ?? s.up ?? fileStart,
        `${i.name} has no IPv6 address, but nothing turns IPv6 off on it: the kernel gives it a link-local address and forwards the IPv6 packets it receives`,
        `add \`sysctl -qw ${disableIpv6Key(i.name)}=1\``,
      );
    if (i.linkLocal !== undefined && (!s.addrgenNone || !s.flushed)) {
      const missing = [
        ...(s.addrgenNone ? [] : [`\`link set dev ${i.name} addrgenmode none\``]),
        ...(s.flushed ? [] : [`\`address flush dev ${i.name} to ${LINK_LOCAL_FLUSH}\``]),
      ];
      report(
        Codes.readerMissingPart,
        s.linkLocal ?? s.up ?? fileStart,
        `${i.name} has the link-local address ${i.linkLocal}, but the kernel's own link-local stays beside it without ${missing.join(' and ')}`,
        'write them before `link set dev NAME up`',
      );
    }
    if (i.linkLocal === undefined && s.addrgenNone && v6)
      report(
        Codes.readerInexpressible,
        s.addrgenNone,
        `${i.name} has IPv6 but no link-local address at all (\`addrgenmode none\` without one)`,
        `add its link-local: \`address replace fe80::1/64 dev ${i.name} nodad\``,
      );
  }
}
