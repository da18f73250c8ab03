// The linux backend's reader of what a running box prints (ReadContext.source 'running'): its
// ruleset as `nft list ruleset` prints it (ruleset.nft, or nftables.conf), and its interfaces,
// routes and sysctls as `ip -j` and sysctl(8) print them (ip-json-read.ts) in place of setup.sh.
// The frr backend reuses `readLinuxRunning` for the same files of an frr box. What Plumb's
// comments would carry (interface roles, peers, segments, the router id) is the pipeline's to
// fill from the intent; nothing here warns that it is missing.

import { diagnostic, fileSpan, type Diagnostic, type Span } from '../../language/diagnostic.js';
import type { DeviceModel, Platform } from '../../compiler/model.js';
import type { ConfigLineRef, ReadContext, ReadResult, RenderedFile } from '../backend.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { References } from '../references.js';
import { bindToInterfaces, readNftables } from './nft-read.js';
import { NFT_FILE } from './nft-render.js';
import { localRulesFromRead, ownDestinations } from './nft-input.js';
import { applyUrpf } from './setup-read-urpf.js';
import { withModelNames } from './vlan.js';
import { readRunningState, type RunningStateRead } from './ip-json-read.js';
import { coversExactly } from './nft-running.js';

/** The files of a running Linux box, as docs/backends/linux.md says to capture them. */
export const RUNNING_FILES = {
  ruleset: ['ruleset.nft', NFT_FILE],
  addresses: 'ip-addr.json',
  routes: ['ip-route.json', 'ip-route6.json'],
  sysctl: 'sysctl.txt',
} as const;

const base = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

/** The lines of `spans` as report lines, in file order. */
export function lineRefs(files: readonly RenderedFile[], spans: readonly Span[]): ConfigLineRef[] {
  const byPath = new Map(files.map((f) => [f.path, f.content]));
  return [...spans]
    .sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.start.offset - b.start.offset))
    .map((s) => {
      const content = byPath.get(s.file) ?? '';
      const lineEnd = content.indexOf('\n', s.start.offset);
      const end = Math.min(s.end.offset > s.start.offset ? s.end.offset : content.length, lineEnd < 0 ? content.length : lineEnd);
      let text = content.slice(s.start.offset, end).replace(/\s+/g, ' ').trim();
      if (text.length > 160) text = `${text.slice(0, 157)}...`;
      return { file: s.file, line: s.start.line, text };
    });
}

export interface LinuxRunningRead {
  /** Under the Linux names (see `vlanModelNames`). */
  device?: DeviceModel;
  vlanModelNames: Map<string, string>;
  state?: RunningStateRead;
  unmanaged: Span[];
  diagnostics: Diagnostic[];
}

/** Reads the running files of a box of `platform`; `known` are the other files it may have. */
export function readLinuxRunning(
  files: readonly RenderedFile[],
  context: ReadContext,
  platform: Platform,
  known: readonly string[],
): LinuxRunningRead {
  const diagnostics: Diagnostic[] = [];
  const err = (code: DiagnosticCode, span: Span, message: string, hint?: string): void =>
    void diagnostics.push(diagnostic(code, span, message, { hint }));
  const find = (names: readonly string[]): RenderedFile | undefined => files.find((f) => names.includes(base(f.path)));
  const all: string[] = [...RUNNING_FILES.ruleset, RUNNING_FILES.addresses, ...RUNNING_FILES.routes, RUNNING_FILES.sysctl, ...known];
  for (const f of files)
    if (!all.includes(base(f.path)))
      diagnostics.push(
        diagnostic(Codes.readerFileMissing, fileSpan(f.path), `${f.path} is not a running file of a ${platform} device; it is ignored`, {
          severity: 'warning',
          hint: `docs/backends/${platform}.md lists the files and the commands that print them`,
        }),
      );
  const ruleset = find(RUNNING_FILES.ruleset);
  const addresses = find([RUNNING_FILES.addresses]);
  const routes = RUNNING_FILES.routes.map((n) => find([n]));
  const sysctl = find([RUNNING_FILES.sysctl]);
  const missing: [string, string][] = [
    ...(ruleset ? [] : [[RUNNING_FILES.ruleset[0], 'nft list ruleset']] as [string, string][]),
    ...(addresses ? [] : [[RUNNING_FILES.addresses, 'ip -j -d address show']] as [string, string][]),
    ...(routes[0] ? [] : [[RUNNING_FILES.routes[0], 'ip -j route show table main']] as [string, string][]),
    ...(routes[1] ? [] : [[RUNNING_FILES.routes[1], 'ip -j -6 route show table main']] as [string, string][]),
    ...(sysctl ? [] : [[RUNNING_FILES.sysctl, 'sysctl']] as [string, string][]),
  ];
  for (const [name, command] of missing)
    err(Codes.readerFileMissing, fileSpan(name), `the running ${platform} device ${context.id} has no ${name}`, `capture it with \`${command}\` (docs/backends/${platform}.md)`);
  if (!addresses || !sysctl || !routes[0] || !routes[1]) return { diagnostics, vlanModelNames: new Map(), unmanaged: [] };

  const state = readRunningState(
    { addresses, routes: [routes[0], routes[1]], sysctl },
    { frrRoutes: platform === 'frr' },
  );
  diagnostics.push(...state.diagnostics);
  const nft = ruleset ? readNftables(ruleset.path, ruleset.content, { running: true }) : undefined;
  if (nft) diagnostics.push(...nft.diagnostics);

  const interfaces = state.interfaces.map((i) => ({ ...i }));
  const byName = new Map(interfaces.map((i) => [i.name, i]));
  const refs = new References({ hints: { interface: `An interface ${RUNNING_FILES.addresses} does not show, or one Plumb does not read (${'eth0'}, a port that is down).` } });
  for (const i of interfaces) refs.define('interface', i.name, i.origin);
  if (ruleset) bindToInterfaces(interfaces, nft, ruleset.path, refs);
  refs.report({ error: err });
  applyUrpf(interfaces, state.rpFilter, nft?.urpf6 ?? new Map(), fileSpan(sysctl.path), err);
  const vlanModelNames = new Map<string, string>();
  for (const v of state.vlans.values()) if (byName.has(v.name)) vlanModelNames.set(v.name, v.parent);

  // The kernel prints an address set merged (auto-merge): the OSPF rules' own addresses are
  // recognised by the addresses they cover, not by how the set is cut into prefixes.
  const own = ownDestinations(interfaces);
  const filters = (nft?.filters ?? []).map((f) => {
    if (f.name !== nft?.localFilter) return f;
    const rules = f.rules.map((r) => {
      const d = r.match.destinations;
      if (r.match.protocol !== 89 || d === undefined) return r;
      const families = new Set(d.map((p) => (p.includes(':') ? 6 : 4)));
      const expected = own.filter((p) => families.has(p.includes(':') ? 6 : 4));
      return coversExactly(d, expected) ? { ...r, match: { ...r.match, destinations: expected } } : r;
    });
    return { ...f, rules: localRulesFromRead(rules, interfaces) };
  });
  const device: DeviceModel = {
    id: context.id,
    site: context.site,
    name: context.name,
    role: context.role,
    platform,
    stateful: nft?.stateful ?? false,
    interfaces,
    filters,
    zones: nft?.zones ?? [],
    securityRules: nft?.securityRules ?? [],
    ...(nft?.localFilter !== undefined ? { localFilter: nft.localFilter } : {}),
    ...(nft?.nat ? { nat: nft.nat } : {}),
    staticRoutes: state.staticRoutes,
    fib: [],
    origin: fileSpan(addresses.path),
  };
  return { device, vlanModelNames, state, unmanaged: [...state.unmanaged, ...(nft?.unmanaged ?? [])], diagnostics };
}

export function readLinuxRunningResult(files: RenderedFile[], context: ReadContext): ReadResult {
  const r = readLinuxRunning(files, context, 'linux', []);
  const unmanaged = lineRefs(files, r.unmanaged);
  return r.device
    ? { device: withModelNames(r.device, r.vlanModelNames), diagnostics: r.diagnostics, unmanaged }
    : { diagnostics: r.diagnostics, unmanaged };
}
