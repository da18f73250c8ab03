// What each platform's configuration can carry: interface names (the grammar of the box's own
// names) and description text (length, whitespace the box keeps, character set). `plumb check`
// reports an intent that breaks these (P510-P515, check-platforms.ts); the backends refuse a
// model that breaks the name rules (a model can be built by code without `check`), so that a
// name never adds a word, a quote or a path to a config file.

import type { Platform } from './intent.js';

/** Linux's IFNAMSIZ is 16 bytes with the terminating NUL. */
export const LINUX_IFNAME_MAX = 15;

/** Full IOS-XE interface types as IOS shows them (abbreviations are not names). */
const IOSXE_TYPES = [
  'GigabitEthernet',
  'TenGigabitEthernet',
  'TwentyFiveGigE',
  'FortyGigabitEthernet',
  'HundredGigE',
  'FastEthernet',
  'Ethernet',
  'Loopback',
  'Port-channel',
  'Tunnel',
  'Vlan',
];
const IOSXE_NAME = new RegExp(`^(?:${IOSXE_TYPES.join('|')})[0-9]{1,4}(?:/[0-9]{1,4}){0,2}(?:\\.[0-9]{1,4})?$`);
const PANOS_NAME = /^(?:ethernet[1-9][0-9]?\/[1-9][0-9]{0,2}(?:\.[1-9][0-9]{0,3})?|loopback\.[1-9][0-9]{0,3})$/;

/**
 * Why `name` cannot be an interface of `platform`, in words that fit "… is not a valid
 * interface name: REASON"; undefined when it can.
 */
export function interfaceNameProblem(platform: Platform, name: string): string | undefined {
  if (platform === 'linux' || platform === 'frr') return linuxNameProblem(name);
  if (platform === 'cisco-iosxe') {
    return IOSXE_NAME.test(name)
      ? undefined
      : 'IOS-XE names are a full interface type and a slot/port number, e.g. `GigabitEthernet2`, `GigabitEthernet0/0/1`, `Loopback0` or the subinterface `GigabitEthernet2.100`';
  }
  return PANOS_NAME.test(name)
    ? undefined
    : 'PAN-OS names are `ethernetX/Y`, the subinterface `ethernetX/Y.N` or `loopback.N`';
}

function linuxNameProblem(name: string): string | undefined {
  const bytes = new TextEncoder().encode(name).length;
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

/** Where a description ends up, which decides its limit. */
export type DescriptionPlace = 'interface' | 'bgp-neighbor';

/** The longest description a platform keeps, in characters; undefined: no limit that matters. */
export function descriptionMax(platform: Platform, place: DescriptionPlace): number | undefined {
  if (platform === 'cisco-iosxe') return place === 'interface' ? 240 : 80;
  if (platform === 'paloalto-panos') return place === 'interface' ? 1023 : undefined;
  return undefined;
}

/**
 * Whitespace a platform does not keep as written: IOS-XE drops leading and trailing spaces; FRR
 * and PAN-OS also collapse runs of spaces. Undefined when the text keeps.
 */
export function whitespaceProblem(platform: Platform, text: string): string | undefined {
  if (platform === 'linux') return undefined;
  if (/^\s|\s$/.test(text)) return 'starts or ends with a space';
  if (platform !== 'cisco-iosxe' && /\s\s/.test(text)) return 'has two spaces in a row';
  return undefined;
}

/**
 * A character of `text` that the platform's config shows %-escaped, with the reason; undefined
 * when there is none. IOS-XE configurations are ASCII; a PAN-OS `set` command cannot hold `"`
 * inside its quoted value.
 */
export function escapedCharacter(platform: Platform, text: string): { char: string; why: string } | undefined {
  if (platform === 'cisco-iosxe') {
    const char = [...text].find((c) => !/^[\x20-\x7e]$/.test(c));
    return char === undefined ? undefined : { char, why: 'IOS-XE configurations are ASCII' };
  }
  if (platform === 'paloalto-panos' && text.includes('"'))
    return { char: '"', why: 'a PAN-OS set command cannot hold `"` in a quoted value' };
  return undefined;
}
