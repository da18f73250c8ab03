// The delta of a Linux box (linux, and the Linux side of frr): `setup.delta.sh`, which removes
// what the previous setup.sh made that the new one no longer makes. Re-running the new setup.sh
// over the old state replaces what both set (every command is a `replace` or a `set`) but never
// undoes what only the old one set: an address, a kernel route, a VLAN device, an interface left
// up with its alias, a per-interface sysctl. nftables.conf needs nothing: loading it replaces the
// table `inet plumb` atomically; a table the previous file had and the new one lacks is deleted.
//
// The previous files are read as commands, not through the reader: what matters is what they
// did to the kernel, in whatever version of Plumb wrote them. Pure and deterministic: the
// removals follow the previous file's order.

import type { DeviceModel } from '../../compiler/model.js';
import type { RenderedFile } from '../backend.js';
import { NFT_FILE } from './nft-render.js';
import { BATCH_END, SETUP_FILE } from './setup-render.js';
import { commentText } from './text.js';

export const SETUP_DELTA_FILE = 'setup.delta.sh';

/** What a setup.sh does to the kernel, keyed so that two versions can be compared. */
interface SetupEffects {
  /** sysctl key → value. */
  sysctls: Map<string, string>;
  /** Interfaces it brings up. */
  up: Set<string>;
  /** Interfaces it sets to `addrgenmode none`. */
  noAddrgen: Set<string>;
  /** Interfaces it gives an alias. */
  aliases: Set<string>;
  /** `ADDRESS dev NAME` → the arguments of its `address del`. */
  addresses: Map<string, string>;
  /** type, prefix, table and metric → the arguments of its `route del`. */
  routes: Map<string, string>;
  /** Links it creates (`ip link add`): VLAN devices. */
  links: Set<string>;
}

/** A word that is safe in a shell line and an iproute2 batch line as it is. */
const SAFE_WORD = /^[A-Za-z0-9_.:@/+-]+$/;
const ROUTE_TYPES = ['unicast', 'local', 'broadcast', 'multicast', 'throw', 'unreachable', 'prohibit', 'blackhole', 'nat'];
const ROUTE_KEYS = ['table', 'metric', 'priority', 'preference'];

/** The words of an iproute2 command; a double-quoted argument is one word, quotes kept. */
function words(text: string): string[] {
  return text.match(/"[^"]*"|\S+/g) ?? [];
}

function emptyEffects(): SetupEffects {
  return { sysctls: new Map(), up: new Set(), noAddrgen: new Set(), aliases: new Set(), addresses: new Map(), routes: new Map(), links: new Set() };
}

/** Reads the effects of one iproute2 command (without `ip` and its options). */
function ipCommand(w: readonly string[], ipv6: boolean, into: SetupEffects): void {
  const [object, verb] = w;
  if (object === 'link' && verb === 'add') {
    const name = linkAddName(w.slice(2));
    if (name !== undefined && SAFE_WORD.test(name)) into.links.add(name);
  } else if (object === 'link' && verb === 'set') {
    const rest = w[2] === 'dev' ? w.slice(3) : w.slice(2);
    const dev = rest[0];
    if (dev === undefined || !SAFE_WORD.test(dev)) return;
    if (rest.includes('up')) into.up.add(dev);
    const gen = rest.indexOf('addrgenmode');
    if (gen >= 0 && rest[gen + 1] === 'none') into.noAddrgen.add(dev);
    const alias = rest.indexOf('alias');
    if (alias >= 0 && rest[alias + 1] !== undefined && rest[alias + 1] !== '""') into.aliases.add(dev);
  } else if ((object === 'address' || object === 'addr') && (verb === 'replace' || verb === 'add')) {
    const address = w[2];
    const dev = w[w.indexOf('dev') + 1];
    if (address && dev && w.includes('dev') && SAFE_WORD.test(address) && SAFE_WORD.test(dev))
      into.addresses.set(`${address} dev ${dev}`, `${address} dev ${dev}`);
  } else if (object === 'route' && (verb === 'replace' || verb === 'add' || verb === 'append')) {
    route(w.slice(2), ipv6, into);
  }
}

/** The name `ip link add` gives: `name N`, `dev N`, or its first bare word (`link P` names the parent). */
function linkAddName(w: readonly string[]): string | undefined {
  let bare: string | undefined;
  for (let i = 0; i < w.length && w[i] !== 'type'; i++) {
    if (w[i] === 'link') i++;
    else if (w[i] === 'name' || w[i] === 'dev') return w[i + 1];
    else bare ??= w[i];
  }
  return bare;
}

function route(w: readonly string[], ipv6: boolean, into: SetupEffects): void {
  let i = 0;
  const type = ROUTE_TYPES.includes(w[0] ?? '') ? w[i++] : undefined;
  let prefix = w[i];
  if (prefix === undefined || !SAFE_WORD.test(prefix)) return;
  if (prefix === 'default') prefix = ipv6 || w.some((x) => x.includes(':')) ? '::/0' : '0.0.0.0/0';
  const parts = [...(type ? [type] : []), prefix];
  for (const key of ROUTE_KEYS) {
    const at = w.indexOf(key, i + 1);
    const value = w[at + 1];
    if (at >= 0 && value !== undefined && SAFE_WORD.test(value)) parts.push(key, value);
  }
  const args = parts.join(' ');
  into.routes.set(args, args);
}

/** Reads a shell line: `sysctl -w K=V ...`, or `ip [OPTIONS] COMMAND`, alone or in a `||` / `&&` / `;` list. */
function shellLine(line: string, into: SetupEffects): void {
  for (const part of line.split(/\|\||&&|;/)) {
    const w = words(part.trim()).filter((x) => !/^\d?>/.test(x));
    if (w[0] === 'sysctl') {
      for (const kv of w.slice(1)) {
        const m = /^([A-Za-z0-9_./-]+)=([A-Za-z0-9_.:-]*)$/.exec(kv);
        if (m) into.sysctls.set(m[1]!, m[2]!);
      }
    } else if (w[0] === 'ip') {
      let i = 1;
      let ipv6 = false;
      while (i < w.length && w[i]!.startsWith('-')) {
        if (w[i] === '-6') ipv6 = true;
        if (w[i] === '-n' || w[i] === '-netns') i++;
        i++;
      }
      if (!w.slice(1, i).includes('-batch')) ipCommand(w.slice(i), ipv6, into);
    }
  }
}

/** What a setup.sh does: its shell lines and the commands of its iproute2 batches. */
export function setupEffects(content: string): SetupEffects {
  const out = emptyEffects();
  let batchEnd: string | undefined;
  for (const raw of content.split('\n')) {
    const line = raw.trim();
    if (batchEnd !== undefined) {
      if (line === batchEnd) batchEnd = undefined;
      else if (line !== '' && !line.startsWith('#')) ipCommand(words(line), false, out);
      continue;
    }
    if (line === '' || line.startsWith('#')) continue;
    const heredoc = /^ip\s.*-batch\s+-\s*<<-?\s*'?(\w+)'?\s*$/.exec(line);
    if (heredoc) batchEnd = heredoc[1];
    else shellLine(line, out);
  }
  return out;
}

/** The nftables tables a file declares (`table FAMILY NAME {`), as `FAMILY NAME`. */
export function nftTables(content: string): string[] {
  const out = new Set<string>();
  for (const m of content.matchAll(/^\s*table\s+(ip|ip6|inet|arp|bridge|netdev)\s+([A-Za-z0-9_-]+)\s*\{/gm)) out.add(`${m[1]} ${m[2]}`);
  return [...out];
}

const fileOf = (files: readonly RenderedFile[], path: string): string =>
  files.find((f) => f.path === path)?.content ?? '';

/** A per-interface sysctl (`net.ipv4.conf.eth1.rp_filter`): its interface, and the key of the kernel's default for new interfaces. */
function interfaceSysctl(key: string): { dev: string; defaultKey: string } | undefined {
  const m = /^net\.(ipv4|ipv6)\.conf\.([^.]+)\.(.+)$/.exec(key);
  if (!m || m[2] === 'all' || m[2] === 'default') return undefined;
  return { dev: m[2]!.replaceAll('/', '.'), defaultKey: `net.${m[1]}.conf.default.${m[3]}` };
}

/**
 * The lines of setup.delta.sh after its header: what `previous` (setup.sh and nftables.conf)
 * made and `next` does not make, removed.
 */
function removals(previous: readonly RenderedFile[], next: readonly RenderedFile[]): string[] {
  const was = setupEffects(fileOf(previous, SETUP_FILE));
  const now = setupEffects(fileOf(next, SETUP_FILE));
  const goneLinks = [...was.links].filter((l) => !now.links.has(l));
  const deleted = new Set(goneLinks);
  const batch: string[] = [
    ...[...was.routes].filter(([k]) => !now.routes.has(k)).map(([, args]) => `route del ${args}`),
    ...[...was.addresses].filter(([k]) => !now.addresses.has(k)).map(([, args]) => `address del ${args}`),
    ...goneLinks.map((l) => `link del dev ${l}`),
  ];
  const devices = [...new Set([...was.up, ...was.aliases, ...was.noAddrgen])].filter((d) => !deleted.has(d));
  for (const dev of devices) {
    if (was.aliases.has(dev) && !now.aliases.has(dev)) batch.push(`link set dev ${dev} alias ""`);
    if (was.noAddrgen.has(dev) && !now.noAddrgen.has(dev)) batch.push(`link set dev ${dev} addrgenmode eui64`);
    if (was.up.has(dev) && !now.up.has(dev) && dev !== 'lo') batch.push(`link set dev ${dev} down`);
  }
  const out: string[] = [];
  if (batch.length > 0) out.push(`ip -force -batch - <<'${BATCH_END}' || gone=1`, ...batch, BATCH_END);
  const tables = new Set(nftTables(fileOf(next, NFT_FILE)));
  for (const t of nftTables(fileOf(previous, NFT_FILE))) if (!tables.has(t)) out.push(`nft delete table ${t} || gone=1`);
  for (const [key] of was.sysctls) {
    if (now.sysctls.has(key)) continue;
    const own = interfaceSysctl(key);
    if (!own) out.push(`# ${key} stays as the previous version set it: it has no default to go back to`);
    else if (!deleted.has(own.dev)) out.push(`sysctl -qw "${key}=$(sysctl -n ${own.defaultKey})" || gone=1`);
  }
  return out;
}

/**
 * setup.delta.sh for a box whose files go from `previous` to `next`; [] when no file changes.
 * `then` says what the operator runs after it (docs/deploy.md).
 */
export function setupDelta(previous: readonly RenderedFile[], next: readonly RenderedFile[], device: DeviceModel, then: string): RenderedFile[] {
  const same =
    previous.length === next.length && previous.every((f) => next.some((g) => g.path === f.path && g.content === f.content));
  if (same) return [];
  const body = removals(previous, next);
  const lines = [
    '#!/bin/sh',
    `# What turns ${commentText(device.id)} (${device.platform} ${device.role}) from the previous version into this folder's:`,
    '# removes what the previous setup.sh made that this folder\'s setup.sh no longer makes.',
    `# Run it on the device as root, first; then ${then} (docs/deploy.md).`,
    '# Something already gone is reported and skipped: running it twice is safe.',
    'set -u',
    'gone=0',
    ...(body.length > 0 ? body : ['# Nothing to remove: this folder\'s files apply over the previous version as they are.']),
    `[ "$gone" = 0 ] || echo "${SETUP_DELTA_FILE}: some of what it removes was already gone (above); the rest is done" >&2`,
    '',
  ];
  return [{ path: SETUP_DELTA_FILE, content: lines.join('\n') }];
}

/** The linux platform's delta: setup.delta.sh. */
export function linuxDelta(previous: RenderedFile[], next: RenderedFile[], device: DeviceModel): RenderedFile[] {
  return setupDelta(previous, next, device, `sh setup.sh, then nft -f ${NFT_FILE}`);
}
