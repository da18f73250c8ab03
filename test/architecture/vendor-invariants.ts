// The invariants about vendor knowledge: what a platform's configuration looks like belongs
// under backends/<platform>/, reached through the registry, and what the other layers need to
// know of a platform is its row of the platform table (language/platforms.ts). The few files
// outside both that still name a platform or write its text are named here, each with what it
// knows; the lists only shrink (an excuse that no longer excuses anything fails). Each sentence
// is word for word a bullet of the "Invariants" section of docs/architecture.md.

import { PLATFORMS } from '../../language/intent.js';
import {
  allImports,
  allLiterals,
  folderOf,
  importFinding,
  literalFinding,
  type Invariant,
} from './checker.js';

const PLATFORM_NAMES = new Set<string>(PLATFORMS);

/** The platform folder of a path under backends/ (`backends/frr/read.ts` → `frr`), if any. */
function platformFolderOf(path: string): string | undefined {
  const parts = path.split('/');
  return parts[0] === 'backends' && parts.length > 2 ? parts[1] : undefined;
}

const throughTheRegistry: Invariant = {
  sentence:
    "Outside `backends/`, a backend is reached through the registry (`backends/index.ts`) and the shared files of `backends/`: no file imports a platform's folder.",
  findings: (tree) =>
    allImports(tree)
      .filter((i) => folderOf(i.file) !== 'backends' && i.target !== undefined && platformFolderOf(i.target))
      .map((i) => importFinding(i, 'ask the registry: backendFor(platform) (backends/index.ts)')),
  counterexample: {
    files: { 'cli/validate.ts': "import { renderFrr } from '../backends/frr/render.js';\n" },
    caughtAt: ['cli/validate.ts:1:1'],
  },
};

/** What one platform's folder may take from another's: only the same box. Shared reading and
 * rendering parts live in backends/ itself. */
const SHARED_ACROSS_PLATFORMS: Readonly<Record<string, (target: string) => boolean>> = {
  frr: (target) => platformFolderOf(target) === 'linux',
};

const platformFolders: Invariant = {
  sentence:
    "A platform's folder imports no other platform's folder, except `frr/`, which builds on `linux/` (the same Linux box); what readers and renderers share lives in `backends/` itself.",
  findings: (tree) =>
    allImports(tree).flatMap((i) => {
      const from = platformFolderOf(i.file);
      const to = i.target === undefined ? undefined : platformFolderOf(i.target);
      if (!from || !to || from === to || SHARED_ACROSS_PLATFORMS[from]?.(i.target!)) return [];
      return [importFinding(i, `backends/${from}/ may not depend on backends/${to}/`)];
    }),
  counterexample: {
    files: {
      'backends/linux/read.ts': "import { readFrr } from '../frr/read.js';\n",
      'backends/paloalto-panos/read.ts':
        "import { R } from '../reader-codes.js';\nimport { sectionsOf } from '../cisco-iosxe/lines.js';\n",
    },
    caughtAt: ['backends/linux/read.ts:1:1', 'backends/paloalto-panos/read.ts:2:1'],
  },
};

const platformNames: Invariant = {
  sentence:
    "Outside `backends/`, code names a platform (`'cisco-iosxe'`, `'paloalto-panos'`, `'frr'`, `'linux'`) only in the files listed here, each for the reason given.",
  // A whole literal equal to a platform's name: the code decides something by platform. Pieces
  // of templates (a folder `frr${n}`) and longer text (messages) do not decide anything.
  findings: (tree) =>
    allLiterals(tree)
      .filter((l) => folderOf(l.file) !== 'backends' && !l.piece && PLATFORM_NAMES.has(l.text))
      .map((l) => literalFinding(l, 'what a platform is and does belongs in backends/<platform>/')),
  exceptions: {
    'language/intent.ts': 'the `Platform` type and the list of platforms: the words of the language',
    'language/platforms.ts': 'the platform table: what each platform is and does, one row per platform',
    'emulator/frr.ts': "the lab's FRR daemons run as FRR's own `frr` user",
    'bench/generate.ts': 'the generated intents mix every platform',
  },
  counterexample: {
    files: {
      'verifier/simulate.ts': "if (d.platform === 'cisco-iosxe') stateless();\nconst dir = `frr${n}`;\n",
    },
    caughtAt: ['verifier/simulate.ts:1:20'],
  },
};

/** Text that only a platform's configuration contains, by what it is. */
const VENDOR_TEXT: readonly (readonly [string, RegExp])[] = [
  ['an IOS-XE or PAN-OS interface name', /GigabitEthernet|Loopback\d|ethernet\d+\/|loopback\.\d/],
  [
    'an IOS-XE or FRR statement',
    /\brouter (bgp|ospf6?)\b|\b(ip|ipv6) (access-list|prefix-list|route)\b|\broute-map\b|\bobject-group\b|^show (ip|ipv6|bgp)\b/,
  ],
  ['nftables syntax', /\btable (inet|ip6?)\b|\bct state\b|\bmeta l4proto\b|\b[io]ifname\b/],
  ['PAN-OS XML or set syntax', /<entry name=|\bdeviceconfig\b|\brulebase\b/],
];

const vendorText: Invariant = {
  sentence:
    'Outside `backends/`, configuration text of a platform (its interface names, IOS-XE and FRR statements, nftables rules, PAN-OS XML) is written only by the files listed here, each for the reason given.',
  findings: (tree) =>
    allLiterals(tree)
      .filter((l) => folderOf(l.file) !== 'backends')
      .flatMap((l) => {
        const kind = VENDOR_TEXT.find(([, pattern]) => pattern.test(l.text));
        return kind
          ? [literalFinding(l, `${kind[0]}: configuration text belongs in backends/<platform>/`)]
          : [];
      }),
  exceptions: {
    'language/platforms.ts':
      "the platform table: the names of each platform's ports and loopbacks, and the names it accepts (P510-P512)",
    'emulator/frr.ts': "the config of an external's own BGP speaker in the lab, and FRR's `show` commands",
    'emulator/filters.ts':
      'nftables for the devices the lab runs as FRR boxes (IOS-XE, PAN-OS), from the model',
    'emulator/nat.ts': "the address translations of the devices the lab runs as FRR boxes, in their platform's order, from the model",
    'emulator/probe.ts': "the probes' own nftables counters",
  },
  counterexample: {
    files: {
      'cli/commands/compile.ts': "const line = `router bgp ${asn}`;\nconst port = 'GigabitEthernet2';\n",
    },
    caughtAt: ['cli/commands/compile.ts:1:14', 'cli/commands/compile.ts:2:14'],
  },
};

export const VENDOR_INVARIANTS: readonly Invariant[] = [
  throughTheRegistry,
  platformFolders,
  platformNames,
  vendorText,
];
