// The pipeline fuzz job's inputs, all drawn from one seeded generator so that a failure names a
// seed and an index that reproduce it: mutants of the bundled examples (line edits that keep
// many of them valid, so that they reach the compiler, the backends and the verifier, and
// character edits that attack the lexer and the parser), and hostile-text intents (the examples
// with every description and the file's own name replaced by text meant to break out of a
// config line: newlines, quotes, shell and nftables syntax, control and bidi characters, very
// long text).

import { readFileSync } from 'node:fs';
import { prng } from '../../bench/generate.js';

export interface FuzzFile {
  /** The file's name inside the intent's folder (may itself be hostile). */
  name: string;
  text: string;
}

export interface FuzzCase {
  /** Reproduces the case: `mutant 123` or `hostile 45`. */
  label: string;
  files: FuzzFile[];
}

export const SEEDS = ['acme', 'campus', 'multicloud'].map((name) => ({ name, text: readFileSync(`examples/${name}/${name}.plumb`, 'utf8') }));

/** Words that can stand in an intent: a mutation that inserts one often still parses. */
const VOCABULARY = [
  'site', 'router', 'firewall', 'link', '--', '->', 'segment', 'host', 'group', '=', ',', ':', '.', 'external', 'asn',
  'prefixes', 'attach', 'address', 'peer', 'announce', 'service', 'policy', 'allow', 'deny', 'assert', 'reach', 'isolate',
  'via', 'any', '{', '}', '"', '#', '\n', 'tcp', 'udp', 'icmp', '10.0.0.1/24', '10.0.0.0/8', '0.0.0.0/0', '2001:db8::/32',
  '::/0', '0', '65535', '4294967295', '1-2', '99999999999999999999', 'cisco-iosxe', 'paloalto-panos', 'linux', 'frr',
  'zone', 'vlan', 'cost', 'loopback', 'pool', 'network', 'ospf', 'static', 'web', 'fra1.edge1', 'é', '\t', '\r\n',
];

/**
 * Pieces of hostile text that every platform carries as written (a description made of them is
 * valid everywhere): each aims at one output language's quoting, comments or line structure.
 * Written as they stand inside a `.plumb` string literal.
 */
export const HOSTILE_ACCEPTED = [
  '\\"', // a quote, written as the language's escape
  '\\\\', // a backslash
  ';', '$(touch /tmp/plumb-fuzz-pwned)', '`id`', '#', '!', '{', '}', "'", '<', '>', '&', ']]>', '%s%n', '%0A',
  'accept', 'exit', 'end', 'commit', 'quit', '</description>', '<entry name=\\"x\\">', '\\\\n', 'x:y', 'a,b', '--', '->',
];

/**
 * Pieces that some platforms cannot keep as written, so that `check` refuses them there (P513,
 * P514) or warns that they are %-escaped (P515): repeated and invisible spaces, non-ASCII.
 */
export const HOSTILE_PLATFORM_DEPENDENT = ['  ', ' ', '\u00a0', '\u200b', '\u00e9', '\u{1F525}'];

/**
 * Pieces that no output may carry raw and that the front end refuses in a string: line breaks,
 * terminal escapes, control and bidi characters, and a bare quote that ends the string early.
 * (NUL is left out: a file holding one is not text, refused before parsing with exit 2.)
 */
export const HOSTILE_REFUSED = ['\n', '\r', '\t', '"', '\u001b[31m', '\u001a', '\u007f', '\u0085', '\u202e', '\u2066', '\u2028'];

/** Characters for hostile file names: the origin tags of every backend carry the file's path. */
const FILE_NAME_PIECES = ['\n', '\r', '"', "'", ';', '$(touch x)', '`', '#', '%', ':', ',', ' ', '\u001b[2J', '\u202e', 'é', '!', '{', '}', '\\', 'accept', 'touch FILE'];

function pick<T>(items: readonly T[], rand: () => number): T {
  return items[Math.floor(rand() * items.length)]!;
}

/** One or two line-level edits: a deleted, duplicated, swapped or renumbered line, or a word swapped. */
function mutateLines(text: string, rand: () => number): string {
  const lines = text.split('\n');
  const edits = 1 + Math.floor(rand() * 2);
  for (let k = 0; k < edits; k++) {
    const i = Math.floor(rand() * lines.length);
    const choice = Math.floor(rand() * 7);
    if (choice === 0) lines.splice(i, 1);
    else if (choice === 1) lines.splice(Math.floor(rand() * lines.length), 0, lines[i]!);
    else if (choice === 2) {
      const j = Math.floor(rand() * lines.length);
      [lines[i], lines[j]] = [lines[j]!, lines[i]!];
    } else if (choice <= 5) {
      lines[i] = lines[i]!.replace(/\d+/, (d) => String(Math.floor(rand() * (Number(d) * 2 + 2))));
    } else {
      // A word of the line replaced by a word of another line: a name where a name stood.
      const words = lines[i]!.split(' ');
      const donor = pick(lines, rand).split(' ');
      words[Math.floor(rand() * words.length)] = pick(donor, rand);
      lines[i] = words.join(' ');
    }
  }
  return lines.join('\n');
}

/** One to four character-level edits: truncation, deletion, insertion of a word or a character. */
function mutateCharacters(text: string, rand: () => number): string {
  const edits = 1 + Math.floor(rand() * 4);
  for (let k = 0; k < edits; k++) {
    const at = Math.floor(rand() * (text.length + 1));
    const choice = Math.floor(rand() * 4);
    if (choice === 0) text = text.slice(0, at);
    else if (choice === 1) text = text.slice(0, at) + text.slice(Math.min(text.length, at + 1 + Math.floor(rand() * 40)));
    else if (choice === 2) text = text.slice(0, at) + pick(VOCABULARY, rand) + text.slice(at);
    else text = text.slice(0, at) + String.fromCharCode(Math.floor(rand() * 0x3000)) + text.slice(at);
  }
  return text;
}

/** The `index`-th mutant of the corpus with `seed`: three in four are line-level. */
export function mutantCase(seed: number, index: number): FuzzCase {
  const rand = prng(seed * 100_003 + index);
  const base = SEEDS[index % SEEDS.length]!;
  const text = index % 4 === 3 ? mutateCharacters(base.text, rand) : mutateLines(base.text, rand);
  return { label: `mutant ${index} (seed ${seed}, from ${base.name})`, files: [{ name: `${base.name}.plumb`, text }] };
}

/**
 * A hostile string as it is written in a `.plumb` literal (the pieces are already escaped). A
 * `valid` one is made of pieces every platform keeps; otherwise one piece in four is one that
 * some platform or the front end refuses, and some are very long.
 */
function hostileLiteralBody(rand: () => number, valid: boolean): string {
  const piece = (): string => {
    if (valid || rand() < 0.75) return pick(HOSTILE_ACCEPTED, rand);
    return rand() < 0.5 ? pick(HOSTILE_PLATFORM_DEPENDENT, rand) : pick(HOSTILE_REFUSED, rand);
  };
  const style = Math.floor(rand() * 10);
  if (style === 0) return valid ? 'x'.repeat(1 + Math.floor(rand() * 60)) : 'x'.repeat(200 + Math.floor(rand() * 5000)); // long text
  if (style === 1) return piece(); // one piece alone, maybe at the very start
  let body = '';
  const pieces = 1 + Math.floor(rand() * 6);
  for (let i = 0; i < pieces; i++) body += (rand() < 0.5 ? 'web ' : '') + piece();
  return body;
}

/** A hostile file name: never `/` (one file in a folder), always ending in `.plumb`. */
function hostileFileName(rand: () => number, fallback: string): string {
  if (rand() < 0.25) return fallback;
  let name = '';
  const pieces = 1 + Math.floor(rand() * 4);
  for (let i = 0; i < pieces; i++) name += pick(FILE_NAME_PIECES, rand) + (rand() < 0.5 ? 'x' : '');
  // Linux allows any byte but `/` and NUL in a name, up to 255 bytes.
  // eslint-disable-next-line no-control-regex -- NUL is the one byte besides `/` a name cannot hold
  return `${name.replace(/[/\u0000]/g, '_')}.plumb`;
}

/**
 * The `index`-th hostile-text intent: an example with every string and its file name replaced.
 * Odd indexes mix in text the front end must refuse; even ones are valid intents, so that their
 * text reaches every backend.
 */
export function hostileCase(seed: number, index: number): FuzzCase {
  const rand = prng(seed * 7_919 + index);
  const base = SEEDS[index % SEEDS.length]!;
  const text = base.text.replace(/"(?:[^"\\\n]|\\.)*"/g, () => `"${hostileLiteralBody(rand, index % 2 === 0)}"`);
  return { label: `hostile ${index} (seed ${seed}, from ${base.name})`, files: [{ name: hostileFileName(rand, `${base.name}.plumb`), text }] };
}
