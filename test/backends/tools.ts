// The real validators (nft, vtysh, iproute2 in a throwaway network namespace), for tests.
// A missing tool skips its tests loudly outside CI and fails them in CI (CI set).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  console.warn(
    `\n*** SKIPPING ${tool} checks: ${tool} (Debian package ${debianPackage}) is missing or unshare -n is not permitted. CI runs them. ***\n`,
  );
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
  return withFile('nftables.conf', content, (p) =>
    run('unshare', ['-n', 'sh', '-c', `nft -c -f ${p} && nft -f ${p} && nft -f ${p}`]),
  );
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

export const FRR_DAEMONS = ['zebra', 'staticd', 'ospfd', 'ospf6d', 'bgpd'];

/** Whether FRR's daemons can be started here (root, frr installed, unshare permitted). */
export const FRR_LOADABLE =
  TOOLS.vtysh &&
  TOOLS.ip &&
  FRR_DAEMONS.every((d) => spawnSync('test', ['-x', `/usr/lib/frr/${d}`]).status === 0) &&
  process.getuid?.() === 0;

/**
 * Loads a device into FRR's real daemons in a throwaway network namespace: its interfaces as
 * veths, its setup.sh, then zebra, staticd, ospfd, ospf6d and bgpd with their sockets in a
 * temporary folder, then `vtysh -f frr.conf` (a command a daemon refuses fails it). Returns
 * vtysh's exit status and FRR's own `show running-config`. The daemons (started here, killed
 * by their pid files) and the namespace are gone when it returns.
 */
export function frrLoad(files: Map<string, string>, interfaces: string[]): ToolRun & { running: string } {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-frr-'));
  try {
    for (const [name, content] of files) writeFileSync(join(dir, name), content);
    const links = interfaces
      .filter((n) => n !== 'lo')
      .map((n, i) => `ip link add ${n} type veth peer name plumbpeer${i}; ip link set plumbpeer${i} up`)
      .join('\n');
    const script = `set -e
d=${dir}
stop() {
  for p in $d/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; done
  for k in $(seq 50); do
    alive=0
    for p in $d/*.pid; do [ -f "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
}
trap stop EXIT
ip link set lo up
${links}
sh $d/setup.sh
chown -R frr:frr $d
for dmn in ${FRR_DAEMONS.join(' ')}; do
  /usr/lib/frr/$dmn -d --vty_socket $d -z $d/zserv.api -P 0 -f /dev/null -i $d/$dmn.pid --log file:$d/$dmn.log 2>$d/$dmn.err
done
for dmn in ${FRR_DAEMONS.join(' ')}; do
  for k in $(seq 50); do [ -S $d/$dmn.vty ] && break; sleep 0.1; done
done
set +e
vtysh --vty_socket $d -f $d/frr.conf
rc=$?
vtysh --vty_socket $d -c 'show running-config' > $d/running.conf
exit $rc
`;
    writeFileSync(join(dir, 'load.sh'), script);
    const r = run('unshare', ['-n', 'sh', join(dir, 'load.sh')]);
    let running = '';
    try {
      running = readFileSync(join(dir, 'running.conf'), 'utf8');
    } catch {
      running = '';
    }
    return { ...r, running };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
