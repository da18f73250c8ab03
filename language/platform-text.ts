// What each platform's configuration can carry: interface names (the grammar of the box's own
// names) and description text (length, whitespace the box keeps, character set). `plumb check`
// reports an intent that breaks these (P510-P515, check-platforms.ts); the backends refuse a
// model that breaks the name rules (a model can be built by code without `check`), so that a
// name never adds a word, a quote or a path to a config file. The rules are general; what each
// platform accepts is its row of the platform table (platforms.ts).

import type { Platform } from './intent.js';
import { PLATFORM_TRAITS, type DescriptionPlace } from './platforms.js';

export type { DescriptionPlace } from './platforms.js';

/** Linux's IFNAMSIZ is 16 bytes with the terminating NUL. */
export const LINUX_IFNAME_MAX = 15;

/**
 * Why `name` cannot be an interface of `platform`, in words that fit "… is not a valid
 * interface name: REASON"; undefined when it can.
 */
export function interfaceNameProblem(platform: Platform, name: string): string | undefined {
  const rule = PLATFORM_TRAITS[platform].interfaces.accepted;
  if (rule.kind === 'linux-kernel') return linuxNameProblem(name);
  return rule.pattern.test(name) ? undefined : rule.explanation;
}

const UTF8 = new TextEncoder();

/** The length of `text` in UTF-8 bytes; its length when it is ASCII, as names nearly always are. */
function utf8Length(text: string): number {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return UTF8.encode(text).length;
  return text.length;
}

function linuxNameProblem(name: string): string | undefined {
  const bytes = utf8Length(name);
  if (bytes === 0) return 'it is empty';
  if (bytes > LINUX_IFNAME_MAX) return `Linux names are at most ${LINUX_IFNAME_MAX} bytes (this one has ${bytes})`;
  if (name === '.' || name === '..') return 'the kernel refuses `.` and `..`';
  if (/[/:\s]/.test(name)) return 'the kernel refuses `/`, `:` and whitespace in a name';
  // Not the kernel's rule, but the configs': a name is one bare word in setup.sh, frr.conf and
  // a quoted string in nftables.conf.
  if (!/^[\x21-\x7e]+$/.test(name) || /["'#\\;`$]/.test(name))
    return 'Plumb writes Linux names as one bare word: printable ASCII without quotes, `#`, `\\`, `;`, `` ` `` or `$`';
  return undefined;
}

/** The longest description a platform keeps, in characters; undefined: no limit that matters. */
export function descriptionMax(platform: Platform, place: DescriptionPlace): number | undefined {
  return PLATFORM_TRAITS[platform].descriptions.maxLength[place];
}

/**
 * Whitespace a platform does not keep as written: IOS-XE drops leading and trailing spaces; FRR
 * and PAN-OS also collapse runs of spaces. Undefined when the text keeps.
 */
export function whitespaceProblem(platform: Platform, text: string): string | undefined {
  const whitespace = PLATFORM_TRAITS[platform].descriptions.whitespace;
  if (whitespace === 'kept') return undefined;
  if (/^\s|\s$/.test(text)) return 'starts or ends with a space';
  if (whitespace === 'trimmed-and-collapsed' && /\s\s/.test(text)) return 'has two spaces in a row';
  return undefined;
}

/**
 * A character of `text` that the platform's config shows %-escaped, with the reason; undefined
 * when there is none (IOS-XE configurations are ASCII; a PAN-OS `set` command cannot hold `"`
 * inside its quoted value).
 */
export function escapedCharacter(platform: Platform, text: string): { char: string; why: string } | undefined {
  const escaped = PLATFORM_TRAITS[platform].descriptions.escaped;
  if (escaped === undefined) return undefined;
  const char = [...text].find((c) => escaped.character.test(c));
  return char === undefined ? undefined : { char, why: escaped.why };
}
