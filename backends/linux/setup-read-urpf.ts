// What setup.sh and nftables.conf say about uRPF (setup-render.ts and nft-input.ts write it):
// IPv4's `rp_filter` sysctls, `all` and `default` off and one value per interface, and IPv6's
// prerouting rules; then each interface's `urpf` from them, checked to agree.

import type { Span } from '../../language/diagnostic.js';
import type { InterfaceModel } from '../../compiler/model.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { ReportAt } from './setup-read-ipv6.js';
import { hasIpv6, RP_FILTER_OFF, rpFilterKey } from './setup-render.js';
import type { Urpf6Read } from './nft-input.js';

/** The `rp_filter` settings read, each with its line. */
export interface RpFilterRead {
  all?: Span;
  default?: Span;
  byInterface: Map<string, { value: 0 | 1 | 2; span: Span }>;
}

export function newRpFilterRead(): RpFilterRead {
  return { byInterface: new Map() };
}

/** Records `KEY=VALUE` when it is an `rp_filter` setting; false when it is another. */
export function readRpFilter(key: string, value: string, span: Span, read: RpFilterRead): boolean {
  const m = /^net\.ipv4\.conf\.([^.]+)\.rp_filter$/.exec(key);
  if (!m || !/^[012]$/.test(value)) return false;
  const v = Number(value) as 0 | 1 | 2;
  if (m[1] === 'all' || m[1] === 'default') {
    if (v !== 0) return false;
    read[m[1]] = span;
    return true;
  }
  const name = m[1]!.replaceAll('/', '.');
  if (rpFilterKey(name) !== key) return false;
  read.byInterface.set(name, { value: v, span });
  return true;
}

const MODE = { 0: undefined, 1: 'strict', 2: 'loose' } as const;

/**
 * Sets each interface's `urpf` from its `rp_filter`, and reports what would make the kernel do
 * otherwise than the model says: `all` or `default` not off, an interface without its value, an
 * interface with IPv6 whose prerouting rule (or its absence) disagrees with the sysctl.
 */
export function applyUrpf(
  interfaces: InterfaceModel[],
  rp: RpFilterRead,
  urpf6: ReadonlyMap<string, Urpf6Read>,
  fileStart: Span,
  report: ReportAt,
): void {
  if (!rp.all || !rp.default)
    report(
      Codes.readerMissingPart,
      rp.all ?? rp.default ?? fileStart,
      'setup.sh does not turn the kernel-wide `rp_filter` off: it would override the interfaces\' own (the kernel takes the larger)',
      `add \`${RP_FILTER_OFF}\``,
    );
  const byName = new Map(interfaces.map((i) => [i.name, i]));
  for (const [name, s] of rp.byInterface)
    if (!byName.has(name))
      report(Codes.readerUndefinedReference, s.span, `\`rp_filter\` of ${name}, an interface setup.sh does not configure`);
  for (const [name, s] of urpf6)
    if (!byName.has(name))
      report(Codes.readerUndefinedReference, s.span, `a uRPF rule for ${name}, an interface setup.sh does not configure`);
  for (const i of interfaces) {
    if (i.role === 'loopback') continue;
    const s = rp.byInterface.get(i.name);
    if (!s) {
      report(
        Codes.readerMissingPart,
        fileStart,
        `${i.name} has no \`rp_filter\` of its own: the kernel's default decides its reverse-path check`,
        `add \`sysctl -qw ${rpFilterKey(i.name)}=0\` (1 strict, 2 loose)`,
      );
      continue;
    }
    const mode = MODE[s.value];
    if (mode !== undefined) i.urpf = mode;
    const v6 = urpf6.get(i.name);
    if (!hasIpv6(i)) {
      if (v6) report(Codes.readerInexpressible, v6.span, `a uRPF rule for ${i.name}, which has no IPv6`);
    } else if (v6?.mode !== mode) {
      report(
        Codes.readerContradiction,
        v6?.span ?? s.span,
        `${i.name} has ${mode ?? 'no'} uRPF for IPv4 (\`rp_filter=${s.value}\`) but ${v6?.mode ?? 'no'} uRPF for IPv6`,
        'the prerouting chain checks IPv6 as `rp_filter` checks IPv4',
      );
    }
  }
}
