// plumb.lock: the addresses the compiler allocated from the pools, kept next to the intent so
// that an edit never renumbers what it did not touch. The compiler allocates in reading order
// (first free address, devices and links as declared); without a record, adding a device in the
// middle would shift every later loopback. With the lock, an item keeps its address while the
// item exists and the address stays inside a pool and unused by the intent.
//
// The format is line-based text, for review in diffs and for hand repair after a merge:
//
//   # comments (a line whose first non-blank character is `#`)
//   network acme
//   loopback fra1.edge1 10.255.0.1/32
//   link fra1.edge1 -- fra1.fw1 10.255.0.6/31
//   link fra1.core1:eth1 -- ams1.core2 #1 10.255.0.8/31
//
// One section per network, so that single-file intents sharing a folder share one lock. A link
// is named by its two ends (device, or device:interface when the intent pins the name), sorted,
// and `#k` for the k-th parallel link between them (from 0, written when k > 0): the identities
// of compiler/addressing.ts. Entries are written sorted by address, IPv4 first.
//
// This file reads and writes the text; what the entries mean is compiler/addressing.ts's, and
// where the file lives and when it is written is pipeline/lock.ts's.

import { BITS, comparePrefixes, formatPrefix, network, parsePrefix } from './address.js';
import { diagnostic, type Diagnostic, type Position, type Span } from './diagnostic.js';
import { Codes } from './diagnostics/index.js';

/** The lock's file name, in the intent's folder. */
export const LOCK_FILE_NAME = 'plumb.lock';

/** Whether a source path names a lock file rather than intent text. */
export function isLockPath(path: string): boolean {
  return path === LOCK_FILE_NAME || path.endsWith(`/${LOCK_FILE_NAME}`) || path.endsWith(`\\${LOCK_FILE_NAME}`);
}

/** One allocation: an item (`loopback:DEVICE` or `link:END--END#k`) and its prefix (canonical). */
export interface Allocation {
  item: string;
  prefix: string;
}

/** An allocation as read from the lock, with the line it was read from. */
export interface LockEntry extends Allocation {
  span: Span;
}

export interface LockSection {
  network: string;
  entries: LockEntry[];
}

export interface ParsedLock {
  sections: LockSection[];
  diagnostics: Diagnostic[];
}

const NAME = /^[A-Za-z_][\w.-]*$/;
const END = /^[A-Za-z_][\w.-]*(:[^\s:]+)?$/;
/** Parallel links between two ends: at most 16 (C705), so k < 16. */
const PARALLEL = /^#(1[0-5]|[1-9])$/;

const HINT = 'correct or delete the line: `plumb lock` allocates what the lock does not hold, first free address first, and writes it again';

export function parseLock(text: string, path: string): ParsedLock {
  const sections: LockSection[] = [];
  const diagnostics: Diagnostic[] = [];
  const seen = new Map<string, Span>(); // network + item + family → first line
  let section: LockSection | undefined;
  let offset = 0;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i]!.replace(/\r$/, '');
    const lineOffset = offset;
    offset += lines[i]!.length + 1;
    const content = raw.trim();
    if (content === '' || content.startsWith('#')) continue;
    const lead = raw.length - raw.trimStart().length;
    const span = spanOf(path, i + 1, lead, content.length, lineOffset);
    const fail = (message: string, hint = HINT) => diagnostics.push(diagnostic(Codes.malformedLock, span, message, { hint }));
    if (/^(<{7}|={7}|>{7}|\|{7})/.test(content)) {
      fail(`${LOCK_FILE_NAME} holds a merge conflict marker`, 'keep either side of the conflict (or delete both), then run `plumb lock`: it allocates what is missing and writes the file again');
      continue;
    }
    const words = content.split(/\s+/);
    const keyword = words[0]!;
    if (keyword === 'network') {
      if (words.length !== 2 || !NAME.test(words[1]!)) {
        fail(`expected \`network NAME\`, found \`${shown(content)}\``);
        continue;
      }
      if (sections.some((s) => s.network === words[1])) {
        fail(`network ${words[1]} has two sections in ${LOCK_FILE_NAME}`, 'join the two sections into one');
        section = sections.find((s) => s.network === words[1]);
        continue;
      }
      section = { network: words[1]!, entries: [] };
      sections.push(section);
      continue;
    }
    if (keyword !== 'loopback' && keyword !== 'link') {
      fail(`unknown line \`${shown(content)}\` in ${LOCK_FILE_NAME}: a line is \`network NAME\`, \`loopback DEVICE PREFIX\` or \`link END -- END [#K] PREFIX\``);
      continue;
    }
    if (!section) {
      fail(`\`${keyword}\` before any \`network NAME\` line`, 'start the file with the `network` line of the intent the addresses belong to');
      continue;
    }
    const entry = keyword === 'loopback' ? readLoopback(words) : readLink(words);
    if (typeof entry === 'string') {
      fail(entry);
      continue;
    }
    const family = entry.prefix.includes(':') ? 6 : 4;
    const key = `${section.network}|${entry.item}|${family}`;
    const first = seen.get(key);
    if (first) {
      diagnostics.push(
        diagnostic(Codes.malformedLock, span, `${describeItem(entry.item)} has two IPv${family} entries in ${LOCK_FILE_NAME}`, {
          hint: 'delete one of them',
          related: [{ span: first, message: 'the first entry' }],
        }),
      );
      continue;
    }
    seen.set(key, span);
    section.entries.push({ ...entry, span });
  }
  return { sections, diagnostics };
}

function readLoopback(words: string[]): Allocation | string {
  if (words.length !== 3 || !NAME.test(words[1]!)) return `expected \`loopback DEVICE PREFIX\`, found \`${shown(words.join(' '))}\``;
  const prefix = hostPrefix(words[2]!, 0);
  if (prefix.startsWith('!')) return prefix.slice(1);
  return { item: `loopback:${words[1]}`, prefix };
}

function readLink(words: string[]): Allocation | string {
  const parallel = words.length === 6 ? words[4]! : undefined;
  const ok = (words.length === 5 || words.length === 6) && END.test(words[1]!) && words[2] === '--' && END.test(words[3]!);
  if (!ok || (parallel !== undefined && !PARALLEL.test(parallel))) {
    return `expected \`link END -- END [#K] PREFIX\` (K from 1 to 15), found \`${shown(words.join(' '))}\``;
  }
  const prefix = hostPrefix(words[words.length - 1]!, 1);
  if (prefix.startsWith('!')) return prefix.slice(1);
  const ends = [words[1]!, words[3]!].sort();
  return { item: `link:${ends[0]}--${ends[1]}#${parallel ? parallel.slice(1) : '0'}`, prefix };
}

/** The canonical prefix of a lock entry, or `!` and what is wrong with it. */
function hostPrefix(text: string, hostBits: 0 | 1): string {
  const p = parsePrefix(text);
  const want = (family: 4 | 6) => `/${BITS[family] - hostBits}`;
  if (!p) return `!\`${shown(text)}\` is not an address with its length (e.g. ${hostBits ? '10.255.0.0/31' : '10.255.0.1/32'})`;
  if (p.length !== BITS[p.family] - hostBits) return `!${hostBits ? 'a link' : 'a loopback'} takes a ${want(p.family)}, not \`${shown(text)}\``;
  if (network(p).value !== p.value) return `!\`${shown(text)}\` is not the first address of its ${want(p.family)}`;
  return formatPrefix(p);
}

/** The item as the lock and reports name it: `loopback fra1.edge1`, `link fra1.edge1 -- fra1.fw1 #1`. */
export function describeItem(item: string): string {
  if (item.startsWith('loopback:')) return `loopback ${item.slice('loopback:'.length)}`;
  const m = /^link:(.*)--(.*)#(\d+)$/.exec(item);
  if (!m) return item;
  return `link ${m[1]} -- ${m[2]}${m[3] === '0' ? '' : ` #${m[3]}`}`;
}

const HEADER = [
  `# ${LOCK_FILE_NAME}: the addresses Plumb allocated from the pools. Commit it with the intent: an`,
  '# item keeps its address while it exists and the address stays in a pool and unused by the',
  '# intent, so adding or removing a device renumbers nothing else. `plumb lock` writes it (and',
  '# `plumb compile -o`); docs/language.md, "Allocation and plumb.lock".',
];

/**
 * The lock's text with the network's section holding exactly `allocations`: the other networks'
 * sections are kept as they were (sorted by name), so that intents sharing a folder share the
 * file. Deterministic: entries sorted by address, IPv4 first.
 */
export function renderLock(previous: ParsedLock | undefined, networkName: string, allocations: readonly Allocation[]): string {
  const sections = new Map<string, readonly Allocation[]>();
  for (const s of previous?.sections ?? []) sections.set(s.network, s.entries);
  if (allocations.length > 0) sections.set(networkName, allocations);
  else sections.delete(networkName);
  const out = [...HEADER];
  for (const name of [...sections.keys()].sort()) {
    out.push('', `network ${name}`);
    const sorted = [...sections.get(name)!].sort((a, b) => comparePrefixes(parsePrefix(a.prefix)!, parsePrefix(b.prefix)!) || (a.item < b.item ? -1 : 1));
    for (const a of sorted) out.push(`${describeItem(a.item)} ${a.prefix}`);
  }
  return `${out.join('\n')}\n`;
}

function spanOf(file: string, line: number, column0: number, length: number, lineOffset: number): Span {
  const start: Position = { line, column: column0 + 1, offset: lineOffset + column0 };
  const end: Position = { line, column: column0 + 1 + length, offset: lineOffset + column0 + length };
  return { file, start, end };
}

/** Text of the file as a report quotes it: at most 80 characters. */
function shown(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
