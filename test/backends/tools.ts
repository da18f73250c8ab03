// The real validators (nft, vtysh, iproute2 in a throwaway network namespace), for tests.
// A missing tool skips its tests loudly outside CI and fails them in CI (CI set).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface ToolRun {
  status: number | null;
  output: string;
  ms: number;
}

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).status === 0;
}

/** Whether unshare -n works here (root, or user namespaces allowed). */
function canUnshare(): boolean {
  return has('unshare') && spawnSync('unshare', ['-n', 'true']).status === 0;
}

export const TOOLS = {
  nft: has('nft') && canUnshare(),
  vtysh: has('vtysh'),
  ip: has('ip') && has('sysctl') && canUnshare(),
};

/**
 * True when tests needing `tool` must be skipped: outside CI, with a loud message. In CI a
 * missing tool is not a skip: the caller's tests run and fail.
 */
export function skipWithout(tool: keyof typeof TOOLS, debianPackage: string): boolean {
  if (TOOLS[tool]) return false;
  if (process.env.CI) return false;
  console.warn(`\n*** SKIPPING ${tool} checks: ${tool} (Debian package ${debianPackage}) is missing or unshare -n is not permitted. CI runs them. ***\n`);
  return true;
}

function withFile<T>(name: string, content: string, f: (path: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-tool-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, content);
    return f(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[]): ToolRun {
  const t0 = performance.now();
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  const ms = performance.now() - t0;
  const output = `${r.stdout ?? ''}${r.stderr ?? ''}${r.error ? String(r.error) : ''}`;
  return { status: r.status, output, ms };
}

/**
 * `nft -c -f`, then loading the file twice for real (kernel-only checks such as jump loops; a
 * second load must replace the first), all in a throwaway network namespace: the host's ruleset
 * is never touched.
 */
export function nftCheck(content: string): ToolRun {
  return withFile('nftables.conf', content, (p) => run('unshare', ['-n', 'sh', '-c', `nft -c -f ${p} && nft -f ${p} && nft -f ${p}`]));
}

/** FRR's own parser over every daemon's commands (exit 0 valid; 2 or 4 invalid). */
export function vtyshCheck(content: string): ToolRun {
  return withFile('frr.conf', content, (p) => run('vtysh', ['-C', '-f', p]));
}

/**
 * Runs setup.sh twice (it must be safe to re-run) in a throwaway network namespace where the
 * device's interfaces exist as veths, then prints the addresses and routes it installed.
 */
export function setupRun(content: string, interfaces: string[]): ToolRun {
  return withFile('setup.sh', content, (p) => {
    const links = interfaces
      .filter((n) => n !== 'lo')
      .map((n, i) => `ip link add ${n} type veth peer name plumbpeer${i} && ip link set plumbpeer${i} up`)
      .join(' && ');
    const script = `set -e; ip link set lo up; ${links ? `${links};` : ''} sh ${p}; sh ${p}; ip -o addr show; ip route show; ip -6 route show`;
    return run('unshare', ['-n', 'sh', '-c', script]);
  });
}
