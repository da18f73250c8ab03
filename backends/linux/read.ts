// The linux backend's reader: setup.sh and nftables.conf back into a DeviceModel (`fib` empty).
// The frr backend reuses `readLinuxFiles` for the same two files of an frr box.

import type { Diagnostic, Span } from '../../language/diagnostic.js';
import { diagnostic, fileSpan } from '../../language/diagnostic.js';
import type { DeviceModel, Platform } from '../../compiler/model.js';
import type { ReadContext, ReadResult, RenderedFile } from '../backend.js';
import { References } from '../references.js';
import { bindToInterfaces, readNftables } from './nft-read.js';
import { NFT_FILE } from './nft-render.js';
import { readSetup, type SetupReadResult } from './setup-read.js';
import { SETUP_FILE } from './setup-render.js';
import { Codes, type DiagnosticCode } from '../../language/diagnostics/index.js';
import { localRulesFromRead } from './nft-input.js';
import { applyUrpf } from './setup-read-urpf.js';
import { checkVlans, withModelNames } from './vlan.js';
import { readLinuxRunningResult } from './read-running.js';

/** The file whose name (last path component) is `name`. */
export function fileNamed(files: readonly RenderedFile[], name: string): RenderedFile | undefined {
  return files.find((f) => f.path === name || f.path.endsWith(`/${name}`));
}

export interface LinuxFilesRead {
  /** Under the Linux names: a VLAN interface is still `PORT.N` (see `vlanModelNames`). */
  device?: DeviceModel;
  /** Linux name → model name of the VLAN interfaces; `withModelNames` (vlan.ts) gives the model's names. */
  vlanModelNames: Map<string, string>;
  setup?: SetupReadResult;
  diagnostics: Diagnostic[];
}

/** Reads setup.sh and nftables.conf of a box of `platform`; `known` are the other files it has. */
export function readLinuxFiles(
  files: readonly RenderedFile[],
  context: ReadContext,
  platform: Platform,
  known: readonly string[],
): LinuxFilesRead {
  const diagnostics: Diagnostic[] = [];
  for (const f of files) {
    const base = f.path.slice(f.path.lastIndexOf('/') + 1);
    if (![SETUP_FILE, NFT_FILE, ...known].includes(base)) {
      diagnostics.push(
        diagnostic(
          Codes.readerFileMissing,
          fileSpan(f.path),
          `${f.path} is not a file of a ${platform} device; it is ignored`,
          { severity: 'warning' },
        ),
      );
    }
  }
  const setupFile = fileNamed(files, SETUP_FILE);
  const nftFile = fileNamed(files, NFT_FILE);
  const missing = (name: string): void =>
    void diagnostics.push(
      diagnostic(
        Codes.readerFileMissing,
        fileSpan(name),
        `the ${platform} device ${context.id} has no ${name}`,
      ),
    );
  if (!nftFile) missing(NFT_FILE);
  if (!setupFile) {
    missing(SETUP_FILE);
    return { diagnostics, vlanModelNames: new Map() };
  }
  const setup = readSetup(setupFile.path, setupFile.content);
  diagnostics.push(...setup.diagnostics);
  if (setup.deviceId !== undefined && setup.deviceId !== context.id) {
    diagnostics.push(
      diagnostic(
        Codes.readerOtherDevice,
        fileSpan(setupFile.path),
        `${setupFile.path} is for ${setup.deviceId}, not ${context.id}`,
        { severity: 'warning' },
      ),
    );
  }
  const nft = nftFile ? readNftables(nftFile.path, nftFile.content) : undefined;
  if (nft) diagnostics.push(...nft.diagnostics);

  const interfaces = setup.interfaces.map((i) => ({ ...i }));
  // nftables.conf binds filters and zones to the interfaces setup.sh configures.
  const refs = new References({ hints: { interface: `Configure it in ${SETUP_FILE}, or fix the name.` } });
  for (const i of interfaces) refs.define('interface', i.name, i.origin);
  if (nftFile) bindToInterfaces(interfaces, nft, nftFile.path, refs);
  const report = (code: DiagnosticCode, span: Span, message: string, hint?: string): void =>
    void diagnostics.push(diagnostic(code, span, message, { hint }));
  refs.report({ error: report });
  applyUrpf(interfaces, setup.rpFilter, nft?.urpf6 ?? new Map(), fileSpan(setupFile.path), report);
  const vlanModelNames = checkVlans(interfaces, setup.vlans, fileSpan(setupFile.path), report);
  const filters = (nft?.filters ?? []).map((f) =>
    f.name === nft?.localFilter ? { ...f, rules: localRulesFromRead(f.rules, interfaces) } : f,
  );
  const origin: Span = setup.origin ?? fileSpan(setupFile.path);
  const device: DeviceModel = {
    id: context.id,
    site: context.site,
    name: context.name,
    role: context.role,
    platform,
    stateful: nft?.stateful ?? false,
    ...(setup.routerId !== undefined ? { routerId: setup.routerId } : {}),
    interfaces,
    filters,
    zones: nft?.zones ?? [],
    securityRules: nft?.securityRules ?? [],
    ...(nft?.localFilter !== undefined ? { localFilter: nft.localFilter } : {}),
    ...(nft?.nat ? { nat: nft.nat } : {}),
    staticRoutes: setup.staticRoutes,
    fib: [],
    origin,
  };
  return { device, setup, diagnostics, vlanModelNames };
}

export function readLinux(files: RenderedFile[], context: ReadContext): ReadResult {
  if (context.source === 'running') return readLinuxRunningResult(files, context);
  const { device, diagnostics, vlanModelNames } = readLinuxFiles(files, context, 'linux', []);
  return device ? { device: withModelNames(device, vlanModelNames), diagnostics } : { diagnostics };
}
