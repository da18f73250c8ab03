// What an IOS-XE 17 router prints for `show running-config`, made readable by the reader of
// Plumb's own files (read.ts): the platform's defaults are skipped, the lines outside Plumb's
// scope are listed as unmanaged, and what Plumb manages is left exactly where it is, so that a
// hand edit there is read (and so becomes drift) or refused at its line. Nothing is rewritten:
// skipped lines are blanked in place (spaces), so every line, column and offset the reader
// reports is the device's own.
//
// Managed (read): `hostname`, `ipv6 unicast-routing`, object-groups, interfaces, `router ospf`,
// `router ospfv3`, `router bgp`, `ip route`/`ipv6 route`, extended and IPv6 access lists, the
// vty access list (`ip access-list standard VTY-IN`), prefix-lists, route-maps, the vty lines'
// access classes and transport, and address translation (`ip nat inside|outside source ...`,
// `ip nat pool`, the standard access lists a translation names); other `ip nat` lines
// (timeouts, logging) are settings outside Plumb's scope. Inside those blocks an unknown line stays, and the reader
// refuses it (R901) at its line.

import { diagnostic, fileSpan, type Diagnostic } from '../../language/diagnostic.js';
import { Codes } from '../../language/diagnostics/index.js';
import type { ConfigLineRef, ReadContext, ReadResult, RenderedFile } from '../backend.js';
import { textSpan } from '../config-text.js';
import { lexConfig, sectionsOf, type IosLine, type Section } from './lines.js';
import { VTY_ACL } from './syntax.js';
import { isZbfHead } from './zbf-read.js';

export interface RunningView {
  /** The file with defaults and unmanaged lines blanked (same length, same line breaks). */
  content: string;
  unmanaged: ConfigLineRef[];
  diagnostics: Diagnostic[];
}

/** Top-level lines IOS-XE prints on every router, whoever configured it: skipped silently. */
const DEFAULT_HEADS: readonly RegExp[] = [
  /^Building configuration\.\.\.$/,
  /^Current configuration : \d+ bytes$/,
  /^version \S+$/,
  /^(no )?service /,
  /^platform /,
  /^boot-start-marker$/,
  /^boot-end-marker$/,
  /^license /,
  /^memory free low-watermark /,
  /^diagnostic bootup level /,
  /^multilink bundle-name authenticated$/,
  /^subscriber templating$/,
  /^spanning-tree extend system-id$/,
  /^redundancy$/,
  /^ip forward-protocol nd$/,
  /^no ip http (secure-)?server$/,
  /^no aaa new-model$/,
  /^login on-success log$/,
  /^call-home$/,
  /^end$/,
];

/** Interface lines IOS-XE prints by default: skipped. */
const INTERFACE_DEFAULTS = new Set(['no ip address', 'negotiation auto', 'no mop enabled', 'no mop sysid', 'no shutdown']);

/** What a top-level section is to Plumb. */
type Kind = 'managed' | 'default' | 'unmanaged';

/** The NAT lines Plumb writes (translations and pools); other `ip nat` lines are settings outside its scope. */
function isNatLine(w: readonly string[]): boolean {
  return w[0] === 'ip' && w[1] === 'nat' && (((w[2] === 'inside' || w[2] === 'outside') && w[3] !== undefined) || w[2] === 'pool');
}

function kindOf(s: Section, natLists: ReadonlySet<string>): Kind {
  const text = s.head.texts.join(' ');
  const w = s.head.texts;
  if (DEFAULT_HEADS.some((re) => re.test(text))) return 'default';
  if (text === 'control-plane') return s.body.every((l) => l.isComment) ? 'default' : 'unmanaged';
  if (w[0] === 'hostname' || text === 'ipv6 unicast-routing' || w[0] === 'object-group' || w[0] === 'route-map') return 'managed';
  if (w[0] === 'interface') return 'managed';
  if (w[0] === 'router' && (w[1] === 'ospf' || w[1] === 'ospfv3' || w[1] === 'bgp') && w.length === 3) return 'managed';
  if ((w[0] === 'ip' || w[0] === 'ipv6') && w[1] === 'route') return w[2] === 'vrf' ? 'unmanaged' : 'managed';
  if ((w[0] === 'ip' || w[0] === 'ipv6') && w[1] === 'prefix-list') return 'managed';
  if (w[0] === 'ip' && w[1] === 'access-list') {
    if (w[2] === 'extended') return 'managed';
    return w[2] === 'standard' && (w[3] === VTY_ACL || natLists.has(w[3] ?? '')) ? 'managed' : 'unmanaged';
  }
  if (w[0] === 'ipv6' && w[1] === 'access-list') return 'managed';
  if (w[0] === 'line' && w[1] === 'vty') return 'managed';
  if (w[0] === 'ip' && w[1] === 'nat') return isNatLine(w) ? 'managed' : 'unmanaged';
  if (isZbfHead(w)) return 'managed';
  return 'unmanaged';
}

/**
 * An interface outside Plumb's scope: in a VRF (Plumb configures the global table only; the
 * Catalyst 8000V's GigabitEthernet1 is usually `vrf forwarding Mgmt-intf`) or addressed by DHCP
 * (a management port). One with nothing but the defaults (an unused port) is a default.
 */
function interfaceKind(s: Section): Kind | undefined {
  const lines = s.body.filter((l) => !l.isComment).map((l) => l.texts.join(' '));
  if (lines.some((t) => /^(ip )?vrf forwarding /.test(t) || t === 'ip address dhcp')) return 'unmanaged';
  const rest = lines.filter((t) => !INTERFACE_DEFAULTS.has(t) && t !== 'shutdown');
  if (rest.length === 0) return 'default';
  if (rest.every((t) => t.startsWith('description '))) return 'unmanaged';
  return undefined;
}

/** Lines of a `line vty` section the model has no words for (logins, timeouts): unmanaged. */
function vtyLineManaged(l: IosLine): boolean {
  const t = l.texts;
  return (t[0] === 'access-class' && t.length === 3) || (t[0] === 'ipv6' && t[1] === 'access-class' && t.length === 4) || (t[0] === 'transport' && t[1] === 'input');
}

/**
 * Banners (`banner motd ^C ... ^C`) hold free text at any indentation: their lines are found
 * before the sections are, by the delimiter (the two characters `^C` as IOS prints it, or the
 * first character after the banner's kind).
 */
function bannerLines(raw: readonly string[]): { first: number; last: number }[] {
  const out: { first: number; last: number }[] = [];
  for (let i = 0; i < raw.length; i++) {
    const m = /^banner \S+ (.*)$/.exec(raw[i]!.replace(/\r$/, ''));
    if (!m) continue;
    const rest = m[1]!;
    const delim = rest.startsWith('^C') ? '^C' : rest.slice(0, 1);
    if (delim === '') continue;
    let last = i;
    if (!rest.slice(delim.length).includes(delim)) {
      last = i + 1;
      while (last < raw.length && !raw[last]!.includes(delim)) last++;
      last = Math.min(last, raw.length - 1);
    }
    out.push({ first: i, last });
    i = last;
  }
  return out;
}

/** A line as reports show it: a secret, password or key (even hashed or type 7) as `<hidden>`. */
export function withoutSecrets(text: string): string {
  return text.replace(/\b(secret|password|key-string|key)( [0-9]{1,2})? \S+/g, '$1$2 <hidden>');
}

export function runningView(file: string, content: string): RunningView {
  const raw = content.split('\n');
  const unmanaged: ConfigLineRef[] = [];
  const diagnostics: Diagnostic[] = [];
  const blank = (line: number): void => {
    raw[line - 1] = raw[line - 1]!.replace(/[^\r]/g, ' ');
  };
  const list = (l: { line: number; text: string }): void => {
    unmanaged.push({ file, line: l.line, text: withoutSecrets(l.text.trim()) });
  };
  for (const b of bannerLines(raw)) {
    list({ line: b.first + 1, text: raw[b.first]!.replace(/\r$/, '') });
    for (let n = b.first; n <= b.last; n++) blank(n + 1);
  }
  const sections = sectionsOf(lexConfig(file, raw.join('\n')));
  const blankSection = (s: Section): void => {
    blank(s.head.line);
    for (const l of s.body) blank(l.line);
  };
  // the standard access lists a translation names are its sources: managed
  const natLists = new Set(
    sections.map((s) => s.head.texts).filter((w) => isNatLine(w) && w[4] === 'list' && w[5] !== undefined).map((w) => w[5]!),
  );
  for (const s of sections) {
    if (s.head.indent > 0) continue; // an indented line outside any section: the reader refuses it
    let kind = kindOf(s, natLists);
    const w0 = s.head.texts[0];
    if (kind === 'managed' && w0 === 'interface') kind = interfaceKind(s) ?? 'managed';
    if (kind === 'default') {
      blankSection(s);
      continue;
    }
    if (kind === 'unmanaged') {
      list(s.head);
      blankSection(s);
      continue;
    }
    if (w0 === 'interface') {
      const addressed = s.body.some((l) => /^ip(v6)? address /.test(l.texts.join(' ')));
      for (const l of s.body) {
        const t = l.texts.join(' ');
        if (INTERFACE_DEFAULTS.has(t)) blank(l.line);
        else if (t === 'shutdown' && addressed) {
          diagnostics.push(diagnostic(Codes.readerInexpressible, textSpan(l), `interface ${s.head.texts[1] ?? ''} is shut down`, { hint: 'The model has no interface that is down: bring it up (`no shutdown`), or take the interface out of the intent.' }));
          blank(l.line);
        }
      }
    } else if (w0 === 'line') {
      for (const l of s.body) {
        if (l.isComment || vtyLineManaged(l)) continue;
        list(l);
        blank(l.line);
      }
    }
  }
  unmanaged.sort((a, b) => a.line - b.line);
  return { content: raw.join('\n'), unmanaged, diagnostics };
}

/**
 * A device folder of running configuration: one file, any name, what `show running-config`
 * prints. `readFile` is the reader of Plumb's own files; it gets the file with defaults and
 * unmanaged lines blanked. Missing annotations are no news in a running configuration (IOS drops
 * comments): the pipeline fills what they carried from the intent (pipeline/running.ts).
 */
export function readRunning(files: readonly RenderedFile[], ctx: ReadContext, readFile: (file: RenderedFile, ctx: ReadContext) => ReadResult): ReadResult {
  if (files.length !== 1) {
    const span = fileSpan(files[1]?.path ?? `${ctx.id}`);
    const message = files.length === 0 ? `no running configuration for ${ctx.id}` : `${files.length} files for ${ctx.id}: an IOS-XE running configuration is one file`;
    return { diagnostics: [diagnostic(Codes.readerFileMissing, span, message, { hint: 'Save what `show running-config` prints into one file of the device\'s folder, e.g. running-config.txt.' })] };
  }
  const file = files[0]!;
  const view = runningView(file.path, file.content);
  const read = readFile({ path: file.path, content: view.content }, ctx);
  const diagnostics = [...view.diagnostics, ...read.diagnostics.filter((d) => d.code !== Codes.readerBadAnnotation)];
  return { ...(read.device ? { device: read.device } : {}), diagnostics, unmanaged: view.unmanaged, ...(read.secrets ? { secrets: read.secrets } : {}) };
}
