// A throwaway network namespace in which a Linux box's files are applied step by step (setup.sh,
// setup.delta.sh, nft -f nftables.conf), and what the kernel then holds: links (up, alias,
// VLAN), addresses, routes of every table, the per-interface sysctls Plumb sets and the nftables
// ruleset, with what the kernel makes by itself (EUI-64 link-local addresses, their routes)
// left out, so that two namespaces can be compared. Only the box's own interfaces are compared:
// the veth peers that stand for its neighbours are not.
//
// Where the kernel has no 802.1Q support (the test machine's does not: `ip link add … type vlan`
// answers "Unknown device type"), the VLAN devices the first step's setup.sh creates are made
// beforehand as veths of the same name, which setup.sh then finds and keeps: what is tested is
// that the delta deletes them, not the kernel's VLAN driver.

import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderedFile } from '../../backends/backend.js';

export interface Step {
  /** The folder's files. */
  files: readonly RenderedFile[];
  /** Shell commands run in that folder, e.g. `sh setup.sh && nft -f nftables.conf`. */
  run: string;
}

/** Whether this kernel can make 802.1Q devices. */
export const KERNEL_VLANS =
  spawnSync('unshare', ['-n', 'sh', '-c', 'ip link add plumbv type veth peer name plumbw && ip link add link plumbv name plumbv.9 type vlan id 9'])
    .status === 0;

/** The VLAN devices a setup.sh creates (`ip link add link PORT name NAME type vlan`). */
function vlanDevices(files: readonly RenderedFile[]): string[] {
  const setup = files.find((f) => f.path === 'setup.sh')?.content ?? '';
  return [...setup.matchAll(/ip link add link \S+ name (\S+) type vlan/g)].map((m) => m[1]!);
}

export interface KernelState {
  links: unknown[];
  routes: string[];
  sysctls: string[];
  nft: string;
}

export interface LabRun {
  status: number | null;
  output: string;
  state?: KernelState;
}

/** A link-local address the kernel generated from the MAC address (EUI-64: `…ff:fe…`). */
const kernelLinkLocal = (a: string): boolean => /^fe80:/.test(a) && /ff:fe/.test(a);

interface IpAddr {
  ifname: string;
  flags: string[];
  ifalias?: string;
  linkinfo?: { info_kind?: string; info_data?: { id?: number } };
  addr_info: { local: string; prefixlen: number; scope: string }[];
}

interface IpRoute {
  dst: string;
  [key: string]: unknown;
}

function state(dir: string): KernelState {
  const json = <T>(name: string): T => JSON.parse(readFileSync(join(dir, name), 'utf8') || '[]') as T;
  const own = (name: unknown): boolean => typeof name === 'string' && !name.startsWith('plumbpeer');
  const links = json<IpAddr[]>('addr.json')
    .filter((l) => own(l.ifname))
    .map((l) => ({
      name: l.ifname,
      up: l.flags.includes('UP'),
      alias: l.ifalias ?? '',
      kind: l.linkinfo?.info_kind ?? '',
      vlan: l.linkinfo?.info_data?.id ?? null,
      addresses: l.addr_info
        .filter((a) => !kernelLinkLocal(a.local))
        .map((a) => `${a.local}/${a.prefixlen} ${a.scope}`)
        .sort(),
    }))
    .sort((a, b) => (a.name < b.name ? -1 : 1));
  const routes = [...json<IpRoute[]>('route4.json'), ...json<IpRoute[]>('route6.json')]
    .filter((r) => !kernelLinkLocal(r.dst) && own(r.dev ?? 'lo'))
    .map((r) => JSON.stringify(r, Object.keys(r).sort()))
    .sort();
  const sysctls = readFileSync(join(dir, 'sysctl.txt'), 'utf8')
    .split('\n')
    .filter((l) => l !== '' && !l.includes('/plumbpeer'))
    .sort();
  return { links, routes, sysctls, nft: readFileSync(join(dir, 'nft.txt'), 'utf8') };
}

/**
 * Runs `steps` in order in a new network namespace where `interfaces` exist as veths (their
 * peers up), then reads the kernel's state. Everything is gone when it returns.
 */
export async function applyInNamespace(interfaces: readonly string[], steps: readonly Step[]): Promise<LabRun> {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-delta-'));
  try {
    const commands = steps.map((s, i) => {
      const at = join(dir, `step${i}`);
      mkdirSync(at);
      for (const f of s.files) writeFileSync(join(at, f.path), f.content);
      return `cd ${at} && { ${s.run}; } || { echo "step ${i} failed: $?"; exit 1; }`;
    });
    const links = interfaces
      .filter((n) => n !== 'lo')
      .map((n, i) => `ip link add ${n} type veth peer name plumbpeer${i} && ip link set plumbpeer${i} up`);
    const standIns = KERNEL_VLANS ? [] : vlanDevices(steps[0]?.files ?? []);
    links.push(...standIns.map((n, i) => `ip link add ${n} type veth peer name plumbpeerv${i} && ip link set plumbpeerv${i} up`));
    const script = [
      'set -u',
      'ip link set lo up',
      ...links,
      ...commands,
      `cd ${dir}`,
      'ip -j -d address show > addr.json',
      'ip -4 -j route show table all > route4.json',
      'ip -6 -j route show table all > route6.json',
      'for f in /proc/sys/net/ipv4/conf/*/rp_filter /proc/sys/net/ipv4/conf/*/forwarding /proc/sys/net/ipv6/conf/*/disable_ipv6 /proc/sys/net/ipv6/conf/*/addr_gen_mode /proc/sys/net/ipv6/conf/*/forwarding; do echo "$f $(cat $f)"; done > sysctl.txt',
      'nft list ruleset > nft.txt',
    ].join('\n');
    writeFileSync(join(dir, 'lab.sh'), script);
    const r = await runScript(join(dir, 'lab.sh'));
    if (r.status !== 0) return r;
    return { ...r, state: state(dir) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Runs a shell script in a new network namespace, without blocking the test worker. */
function runScript(path: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('unshare', ['-n', 'sh', path], { timeout: 120_000 });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', (e) => resolve({ status: null, output: output + String(e) }));
    child.on('close', (status) => resolve({ status, output }));
  });
}
