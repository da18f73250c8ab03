// The vty lines (SSH to the router itself): defence in depth behind the infrastructure ACL. The
// lines take SSH only, and only from the sources of the local filter's SSH rules
// (`access-class VTY-IN in`, `ipv6 access-class VTY-IN-ipv6 in`); a local filter that admits no
// SSH leaves `transport input none`. The same function gives the renderer its lines and the
// reader what it checks them against, so the vty lines agree with the local filter or are
// reported (R931).

import type { FilterModel, FilterRule } from '../../compiler/model.js';
import { comparePrefixes, formatIPv4, formatPrefix, network, parseAddress, parsePrefix, type Prefix } from '../../language/address.js';
import { Codes } from '../../language/diagnostics/index.js';
import { textSpan } from '../config-text.js';
import type { Reporter } from '../reporter.js';
import type { IosLine, Section } from './lines.js';
import { aclAddress, IPV6_ACL_SUFFIX, maskLength, VTY_ACL, VTY_RANGES, VTY_REMARK, wildcardMask } from './syntax.js';

type Family = 4 | 6;

/** One entry of a vty list: an action and a source (undefined: any). */
export interface VtyEntry {
  action: 'permit' | 'deny';
  source?: Prefix;
}

const SSH = 22;

/**
 * The vty list of one family: the local filter's rules that decide an SSH connection's first
 * packet whatever its source port and (for a deny) its destination, in order, by source.
 * Permits with listed destinations count (the infrastructure ACL narrows them); rules that need a
 * source port, an ICMP type or `established` never open a connection and do not count.
 */
export function vtyEntries(rules: FilterRule[], family: Family): VtyEntry[] {
  const out: VtyEntry[] = [];
  for (const r of rules) {
    const m = r.match;
    const tcp = m.protocol === undefined || m.protocol === 6;
    const port = m.destinationPorts === undefined || m.destinationPorts.some((p) => p.from <= SSH && SSH <= p.to);
    if (!tcp || !port || m.sourcePorts !== undefined || m.icmpType !== undefined || m.tcpEstablished) continue;
    const inFamily = (list: string[] | undefined): Prefix[] | undefined => list?.map((p) => parsePrefix(p)!).filter((p) => p.family === family);
    const dsts = inFamily(m.destinations);
    if (dsts !== undefined && (r.action === 'deny' || dsts.length === 0)) continue;
    const srcs = inFamily(m.sources);
    if (srcs === undefined) out.push({ action: r.action, source: undefined });
    else for (const s of [...srcs].sort(comparePrefixes)) out.push({ action: r.action, source: network(s) });
  }
  return out;
}

const key = (e: VtyEntry): string => `${e.action} ${e.source ? formatPrefix(e.source) : 'any'}`;

/** Whether the local filter lets any SSH connection open (then the vty lines take SSH). */
function admitsSsh(entries: Record<Family, VtyEntry[]>): boolean {
  return entries[4].some((e) => e.action === 'permit') || entries[6].some((e) => e.action === 'permit');
}

function entriesOf(local: FilterModel, ipv6: boolean): Record<Family, VtyEntry[]> {
  return { 4: vtyEntries(local.rules, 4), 6: ipv6 ? vtyEntries(local.rules, 6) : [] };
}

/** The vty configuration: the access lists (IPv4, IPv6) and the `line vty` sections. */
export function renderVty(local: FilterModel, ipv6: boolean): { acl4: string[]; acl6: string[]; lines: string[] } {
  const entries = entriesOf(local, ipv6);
  const ssh = admitsSsh(entries);
  const acl4: string[] = [];
  const acl6: string[] = [];
  if (ssh) {
    acl4.push(`ip access-list standard ${VTY_ACL}`, ` remark ${VTY_REMARK}`);
    entries[4].forEach((e, i) => acl4.push(` ${(i + 1) * 10} ${e.action} ${standardSource(e.source)}`));
    acl4.push(` ${(entries[4].length + 1) * 10} deny any`);
    if (ipv6) {
      acl6.push(`ipv6 access-list ${VTY_ACL}${IPV6_ACL_SUFFIX}`, ` remark ${VTY_REMARK}`);
      entries[6].forEach((e, i) => acl6.push(` sequence ${(i + 1) * 10} ${e.action} ipv6 ${e.source ? aclAddress(e.source) : 'any'} any`));
      acl6.push(` sequence ${(entries[6].length + 1) * 10} deny ipv6 any any`);
    }
  }
  const lines: string[] = [];
  for (const [from, to] of VTY_RANGES) {
    lines.push(`line vty ${from} ${to}`);
    if (ssh) {
      lines.push(` access-class ${VTY_ACL} in`);
      if (ipv6) lines.push(` ipv6 access-class ${VTY_ACL}${IPV6_ACL_SUFFIX} in`);
    }
    lines.push(` transport input ${ssh ? 'ssh' : 'none'}`);
  }
  return { acl4, acl6, lines };
}

/** A standard list's source as `show running-config` prints it: `A` (a host), `A W` or `any`. */
function standardSource(p: Prefix | undefined): string {
  if (p === undefined) return 'any';
  return p.length === 32 ? formatIPv4(p.value) : `${formatIPv4(p.value)} ${wildcardMask(p.length)}`;
}

/** What the reader collects of the vty configuration. */
export interface VtyDraft {
  acl4?: { section: Section; entries: VtyEntry[] };
  acl6?: { section: Section; entries: VtyEntry[] };
  lines: { section: Section; from: number; to: number; access4?: IosLine; access6?: IosLine; transport?: [string, IosLine] }[];
}

/** `ip access-list standard VTY-IN` or `ipv6 access-list VTY-IN-ipv6`: its entries, in order. */
export function readVtyAcl(section: Section, family: Family, reporter: Reporter): { section: Section; entries: VtyEntry[] } {
  const entries: VtyEntry[] = [];
  let last = 0;
  for (const l of section.body) {
    const w = l.texts;
    if (l.isComment || w.includes('remark')) continue;
    let i = 0;
    if (family === 6 && w[0] === 'sequence') i = 1;
    const seq = Number(w[i]);
    if (/^\d+$/.test(w[i] ?? '') && seq > last) {
      last = seq;
      i++;
    } else if (/^\d+$/.test(w[i] ?? '')) {
      reporter.error(Codes.readerMalformedValue, textSpan(l), 'sequence numbers must increase down the list');
      continue;
    }
    const action = w[i];
    const rest = w.slice(i + 1);
    const source = family === 4 ? standardOperand(rest) : ipv6Operand(rest);
    if ((action !== 'permit' && action !== 'deny') || source === null) {
      reporter.error(Codes.readerUnknownCommand, textSpan(l), `unsupported vty access-list entry \`${l.text.trim()}\``, family === 4 ? 'Plumb writes `N permit|deny SOURCE [WILDCARD]` and `N deny any`.' : 'Plumb writes `sequence N permit|deny ipv6 SOURCE any`.');
      continue;
    }
    entries.push({ action, ...(source ? { source } : {}) });
  }
  return { section, entries };
}

/** A standard list's source: undefined for any, null when it is not one. */
function standardOperand(w: string[]): Prefix | undefined | null {
  if (w.length === 1 && w[0] === 'any') return undefined;
  const [a, b] = w[0] === 'host' ? [w[1], undefined] : [w[0], w[1]];
  if (w.length !== (w[0] === 'host' ? 2 : b === undefined ? 1 : 2)) return null;
  const addr = parseAddress(a ?? '');
  const len = b === undefined ? 32 : maskLength(b, true);
  if (!addr || addr.family !== 4 || len === undefined) return null;
  return network({ family: 4, value: addr.value, length: len });
}

function ipv6Operand(w: string[]): Prefix | undefined | null {
  if (w[0] !== 'ipv6' || w[w.length - 1] !== 'any') return null;
  const src = w.slice(1, -1);
  if (src.length === 1 && src[0] === 'any') return undefined;
  if (src.length === 2 && src[0] === 'host') {
    const a = parseAddress(src[1]!);
    return a && a.family === 6 ? { family: 6, value: a.value, length: 128 } : null;
  }
  const p = src.length === 1 ? parsePrefix(src[0]!) : undefined;
  return p && p.family === 6 ? network(p) : null;
}

/** A `line vty A B` section: its access classes and transport; other lines are R901. */
export function readVtyLines(section: Section, draft: VtyDraft, reporter: Reporter, unknown: (l: IosLine) => void): void {
  const w = section.head.texts;
  const from = Number(w[2]);
  const to = Number(w[3] ?? w[2]);
  const entry: VtyDraft['lines'][number] = { section, from, to };
  for (const l of section.body) {
    if (l.isComment) continue;
    const t = l.texts;
    if (t.length === 3 && t[0] === 'access-class' && t[2] === 'in') entry.access4 = l;
    else if (t.length === 4 && t[0] === 'ipv6' && t[1] === 'access-class' && t[3] === 'in') entry.access6 = l;
    else if (t.length >= 3 && t[0] === 'transport' && t[1] === 'input') entry.transport = [t.slice(2).join(' '), l];
    else unknown(l);
  }
  if (!Number.isInteger(from) || !Number.isInteger(to) || from > to) reporter.error(Codes.readerMalformedValue, textSpan(section.head), `\`${section.head.text.trim()}\` is not a range of vty lines`);
  draft.lines.push(entry);
}

/**
 * Checks the vty configuration against the local filter read from the infrastructure ACL: lines
 * 0-15 take SSH only and only from its SSH sources (or nothing, `transport input none`); without
 * a local filter there is no vty configuration at all (the model then admits everything).
 */
export function checkVty(draft: VtyDraft, local: FilterModel | undefined, ipv6: boolean, file: string, reporter: Reporter): void {
  const report = (line: IosLine | undefined, message: string, hint?: string): void => {
    const span = line ? textSpan(line) : { file, start: { line: 1, column: 1, offset: 0 }, end: { line: 1, column: 1, offset: 0 } };
    reporter.error(Codes.readerVtyDisagrees, span, message, hint);
  };
  if (!local) {
    const first = draft.lines[0]?.section.head ?? draft.acl4?.section.head ?? draft.acl6?.section.head;
    if (first) report(first, 'vty configuration without an infrastructure ACL: the model would admit everything to the router, but the vty lines restrict SSH', 'Plumb writes the vty lines with the local filter; remove them, or compile an intent with a local filter.');
    return;
  }
  const expected = entriesOf(local, ipv6);
  const ssh = admitsSsh(expected);
  const hint = `Compile again: the local filter ${local.name} admits SSH ${ssh ? 'from the sources in its SSH rules' : 'from nowhere'}.`;
  const covered = new Set<number>();
  for (const l of draft.lines) for (let n = l.from; n <= l.to && n <= 15; n++) covered.add(n);
  const missing = [...Array(16).keys()].filter((n) => !covered.has(n));
  if (missing.length > 0) report(draft.lines[0]?.section.head, `vty lines ${missing[0]}-${missing[missing.length - 1]} are not configured: SSH to them is not limited to the local filter's sources`, hint);
  for (const l of draft.lines) {
    const head = l.section.head;
    const transport = l.transport?.[0];
    if (transport !== (ssh ? 'ssh' : 'none')) report(l.transport?.[1] ?? head, `\`${head.text.trim()}\` has \`transport input ${transport ?? '(default)'}\`, not \`transport input ${ssh ? 'ssh' : 'none'}\``, hint);
    const want4 = ssh ? VTY_ACL : undefined;
    const want6 = ssh && ipv6 ? `${VTY_ACL}${IPV6_ACL_SUFFIX}` : undefined;
    const has4 = l.access4?.texts[1];
    const has6 = l.access6?.texts[2];
    if (has4 !== want4) report(l.access4 ?? head, want4 ? `\`${head.text.trim()}\` lacks \`access-class ${want4} in\`: SSH would be open to every source the infrastructure ACL lets through` : `\`${head.text.trim()}\` has an access-class, but the local filter admits no SSH`, hint);
    if (has6 !== want6) report(l.access6 ?? head, want6 ? `\`${head.text.trim()}\` lacks \`ipv6 access-class ${want6} in\`` : `\`${head.text.trim()}\` has an IPv6 access-class, but the local filter admits no SSH over IPv6`, hint);
  }
  for (const [family, acl] of [
    [4, draft.acl4],
    [6, draft.acl6],
  ] as const) {
    const want = ssh && (family === 4 || ipv6) ? [...expected[family], { action: 'deny' as const }] : undefined;
    if (!want) {
      if (acl) report(acl.section.head, `\`${acl.section.head.text.trim()}\` is written, but the local filter admits no SSH${family === 6 ? ' over IPv6' : ''}`, hint);
      continue;
    }
    if (!acl) {
      report(draft.lines[0]?.section.head, `the vty access list ${family === 4 ? VTY_ACL : `${VTY_ACL}${IPV6_ACL_SUFFIX}`} is not defined`, hint);
      continue;
    }
    const got = acl.entries.map(key).join(', ');
    const exp = want.map(key).join(', ');
    if (got !== exp) report(acl.section.head, `${acl.section.head.text.trim()} says ${got || 'nothing'}; the local filter's SSH rules say ${exp}`, hint);
  }
}
