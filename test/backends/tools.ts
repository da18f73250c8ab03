// The real validators of every platform's files, for tests: nft, vtysh and iproute2 in a
// throwaway network namespace (linux, frr); xmllint (Debian libxml2-utils) and the shared
// prototypes panos_codegen_check.py (Palo Alto's pan-os-codegen specs; python3 + python3-yaml)
// and panos_xml_to_set.py (paloalto-panos), run by the system's Python where there is one
// (emulator/python.ts: a version manager's shim on PATH costs half a second of CPU per start).
// One table says which are here; a missing tool skips its tests loudly outside CI and fails them
// in CI (CI set).

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON } from '../../emulator/python.js';

/** Where the shared PAN-OS validators live (PLUMB_SHARED_TOOLS overrides). */
export const SHARED = process.env.PLUMB_SHARED_TOOLS ?? '/work/shared/tools';
export const SPECS = process.env.PLUMB_PANOS_SPECS ?? '/work/shared/reference/panos/pan-os-codegen-specs';

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

/** Which validators this machine has. */
export const TOOLS = {
  nft: has('nft') && canUnshare(),
  vtysh: has('vtysh'),
  ip: has('ip') && has('sysctl') && canUnshare(),
  xmllint: has('xmllint'),
  codegen:
    has(PYTHON) &&
    spawnSync(PYTHON, ['-c', 'import yaml'], { encoding: 'utf8' }).status === 0 &&
    existsSync(join(SHARED, 'panos_codegen_check.py')) &&
    existsSync(SPECS),
  xmlToSet: has(PYTHON) && existsSync(join(SHARED, 'panos_xml_to_set.py')),
};

/** The tools that need a network namespace of their own. */
const NAMESPACED: readonly (keyof typeof TOOLS)[] = ['nft', 'ip'];

/**
 * True when tests needing `tool` must be skipped: outside CI, with a loud message naming `what`
 * is missing (the tool or its Debian package). In CI a missing tool is not a skip: the caller's
 * tests run and fail.
 */
export function skipWithout(tool: keyof typeof TOOLS, what: string): boolean {
  if (TOOLS[tool]) return false;
  if (process.env.CI) return false;
  const unshare = NAMESPACED.includes(tool) ? ' or unshare -n is not permitted' : '';
  console.warn(`\n*** SKIPPING ${tool} checks: ${what} is missing${unshare}. CI runs them. ***\n`);
  return true;
}

export interface ToolResult {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a command on a temporary copy of `content`; resolves when it exits. */
export function runOnFile(
  name: string,
  content: string,
  command: string,
  args: (path: string) => string[],
): Promise<ToolResult> {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-tool-'));
  const path = join(dir, name);
  writeFileSync(path, content);
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args(path));
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = (status: number | null, extra = ''): void => {
      rmSync(dir, { recursive: true, force: true });
      resolve({ status, stdout, stderr: stderr + extra, ms: performance.now() - t0 });
    };
    child.on('error', (e) => done(null, String(e)));
    child.on('close', (code) => done(code));
  });
}

/** panos_xml_to_set.py on a temporary copy of `xml` (named `name`): the set form on stdout. */
export function panosXmlToSet(name: string, xml: string): Promise<ToolResult> {
  return runOnFile(name, xml, PYTHON, (p) => [join(SHARED, 'panos_xml_to_set.py'), p]);
}

const SPECS_CACHED = join(import.meta.dirname, 'panos-specs-cached.py');

/**
 * panos_codegen_check.py against the pan-os-codegen specs on a temporary copy of `xml` (named
 * `name`): "ERROR" lines and exit 1 for what the specs do not allow. The script runs as it is;
 * each spec file's YAML is parsed once for every run of the suite (panos-specs-cached.py), which
 * is nearly all of a run's time otherwise.
 */
export function panosCodegenCheck(name: string, xml: string, specs = SPECS): Promise<ToolResult> {
  return runOnFile(name, xml, PYTHON, (p) => [SPECS_CACHED, join(SHARED, 'panos_codegen_check.py'), specs, p]);
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

async function withFileAsync<T>(name: string, content: string, f: (path: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-tool-'));
  try {
    const path = join(dir, name);
    writeFileSync(path, content);
    return await f(path);
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

/** `run` without blocking the worker: resolves when the command exits (killed after 30 s). */
function runAsync(command: string, args: string[]): Promise<ToolRun> {
  const t0 = performance.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { timeout: 30_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const done = (status: number | null, extra = ''): void =>
      resolve({ status, output: `${stdout}${stderr}${extra}`, ms: performance.now() - t0 });
    child.on('error', (e) => done(null, String(e)));
    child.on('close', (code) => done(code));
  });
}

/**
 * `nft -c -f`, then loading the file twice for real (kernel-only checks such as jump loops; a
 * second load must replace the first), all in a throwaway network namespace: the host's ruleset
 * is never touched.
 */
export function nftCheck(content: string): ToolRun {
  return withFile('nftables.conf', content, (p) => run('unshare', nftCheckArgs(p)));
}

function nftCheckArgs(p: string): string[] {
  return ['-n', 'sh', '-c', `nft -c -f ${p} && nft -f ${p} && nft -f ${p}`];
}

/** FRR's own parser over every daemon's commands (exit 0 valid; 2 or 4 invalid). */
export function vtyshCheck(content: string): ToolRun {
  return withFile('frr.conf', content, (p) => run('vtysh', ['-C', '-f', p]));
}

/**
 * Runs setup.sh twice in a throwaway network namespace where the device's interfaces exist as
 * veths: the second run must leave the global addresses and the routes exactly as the first
 * left them (safe to re-run). Prints the addresses and routes installed.
 */
export function setupRun(content: string, interfaces: string[]): ToolRun {
  return withFile('setup.sh', content, (p) => run('unshare', setupRunArgs(p, interfaces)));
}

function setupRunArgs(p: string, interfaces: string[]): string[] {
  const links = interfaces
    .filter((n) => n !== 'lo')
    .map((n, i) => `ip link add ${n} type veth peer name plumbpeer${i} && ip link set plumbpeer${i} up`)
    .join(' && ');
  const script = `set -e; ip link set lo up; ${links ? `${links};` : ''} state() { ip -o addr show scope global | awk '{print $2, $3, $4}'; ip route show; ip -6 route show | grep -v '^fe80::' || true; }; sh ${p}; state > ${p}.1; sh ${p}; state > ${p}.2; cmp -s ${p}.1 ${p}.2 || { echo 'a second run changed the state'; diff ${p}.1 ${p}.2; exit 1; }; ip -o addr show; ip route show; ip -6 route show`;
  return ['-n', 'sh', '-c', script];
}

/**
 * `nftCheck`, `setupRun` and `vtyshCheck` without blocking the test worker (a worker that blocks
 * for a minute misses the runner's calls): the same commands on the same files.
 */
export const validateAsync = {
  nftCheck: (content: string): Promise<ToolRun> => withFileAsync('nftables.conf', content, (p) => runAsync('unshare', nftCheckArgs(p))),
  setupRun: (content: string, interfaces: string[]): Promise<ToolRun> =>
    withFileAsync('setup.sh', content, (p) => runAsync('unshare', setupRunArgs(p, interfaces))),
  vtyshCheck: (content: string): Promise<ToolRun> => withFileAsync('frr.conf', content, (p) => runAsync('vtysh', ['-C', '-f', p])),
};

/**
 * `nftCheck`, `vtyshCheck` and `setupRun` made ahead of the tests that read them, several at a
 * time. Each run mostly waits (a network namespace made and torn down, a tool's start: about
 * 0.06 s of wall for 0.01 s of CPU alone on the machine), and one after another those waits were
 * most of the time of the tests that check many files. A test asks for a text's result as it would
 * run the check itself, and gets the result of the same command on the same text; a text not
 * made ahead (a counterexample being shrunk) is checked when asked.
 */
export class ToolRunsAhead {
  private readonly runs = new Map<string, ToolRun>();
  private readonly queued = new Map<string, () => Promise<ToolRun>>();

  nftCheckAhead(content: string): void {
    this.queue(`nft\0${content}`, () => validateAsync.nftCheck(content));
  }

  vtyshCheckAhead(content: string): void {
    this.queue(`vtysh\0${content}`, () => validateAsync.vtyshCheck(content));
  }

  setupRunAhead(content: string, interfaces: string[]): void {
    this.queue(`setup\0${interfaces.join(' ')}\0${content}`, () => validateAsync.setupRun(content, interfaces));
  }

  /** Runs what was queued, `atOnce` at a time; resolves when every run has ended. */
  async run(atOnce = 6): Promise<void> {
    const todo = [...this.queued];
    this.queued.clear();
    const next = async (): Promise<void> => {
      for (let job = todo.shift(); job; job = todo.shift()) this.runs.set(job[0], await job[1]());
    };
    await Promise.all(Array.from({ length: atOnce }, next));
  }

  nftCheck(content: string): ToolRun {
    return this.runs.get(`nft\0${content}`) ?? nftCheck(content);
  }

  vtyshCheck(content: string): ToolRun {
    return this.runs.get(`vtysh\0${content}`) ?? vtyshCheck(content);
  }

  setupRun(content: string, interfaces: string[]): ToolRun {
    return this.runs.get(`setup\0${interfaces.join(' ')}\0${content}`) ?? setupRun(content, interfaces);
  }

  private queue(key: string, start: () => Promise<ToolRun>): void {
    if (!this.runs.has(key)) this.queued.set(key, start);
  }
}

export const FRR_DAEMONS = ['zebra', 'staticd', 'ospfd', 'ospf6d', 'bgpd'];

/** Whether FRR's daemons can be started here (root, frr installed, unshare permitted). */
export const FRR_LOADABLE =
  TOOLS.vtysh &&
  TOOLS.ip &&
  FRR_DAEMONS.every((d) => spawnSync('test', ['-x', `/usr/lib/frr/${d}`]).status === 0) &&
  process.getuid?.() === 0;

/** The shell script of `frrLoad`: its interfaces, setup.sh, the daemons, frr.conf, the running config. */
function frrLoadScript(dir: string, interfaces: string[]): string {
  const links = interfaces
    .filter((n) => n !== 'lo')
    .map((n, i) => `ip link add ${n} type veth peer name plumbpeer${i}; ip link set plumbpeer${i} up`)
    .join('\n');
  return `set -e
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
}

function frrLoadResult(dir: string, r: ToolRun): ToolRun & { running: string } {
  let running = '';
  try {
    running = readFileSync(join(dir, 'running.conf'), 'utf8');
  } catch {
    running = '';
  }
  return { ...r, running };
}

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
    writeFileSync(join(dir, 'load.sh'), frrLoadScript(dir, interfaces));
    return frrLoadResult(dir, run('unshare', ['-n', 'sh', join(dir, 'load.sh')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `frrLoad` without blocking the test worker: each load has a network namespace and a folder of
 * its own (sockets, pid files), so several run at once.
 */
export async function frrLoadAsync(files: Map<string, string>, interfaces: string[]): Promise<ToolRun & { running: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-frr-'));
  try {
    for (const [name, content] of files) writeFileSync(join(dir, name), content);
    writeFileSync(join(dir, 'load.sh'), frrLoadScript(dir, interfaces));
    return frrLoadResult(dir, await runAsync('unshare', ['-n', 'sh', join(dir, 'load.sh')]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export const PACKETS_POSSIBLE =
  TOOLS.ip && TOOLS.nft && has('socat') && has('timeout') && process.getuid?.() === 0;

export interface Probe {
  /** 'a' (behind the device's eth1) or 'b' (behind eth2). */
  from: 'a' | 'b';
  port: number;
}

/**
 * Real packets through one device: namespaces a (10.1.0.10/24) -- eth1 [device] eth2 -- b
 * (10.2.0.10/24), the device running its setup.sh and nftables.conf. TCP servers listen on
 * every probed port of the other side; each probe connects and expects the server's reply.
 * Returns, per probe, whether the connection got through. Everything is removed afterwards.
 */
/**
 * The start of a shell script that wires namespaces A -- R -- B (R's eth1 to A's v0, R's eth2 to
 * B's v0, loopbacks up) under names unique to the process (`prefix` + pid), with `$d` the
 * folder of R's files, `$pids` the background jobs, and a trap that stops them and removes the
 * namespaces however the script ends. Exits 90 and 91 say which step failed.
 */
export function threeNamespaces(dir: string, prefix: string): string {
  return `set -u
d=${dir}
P=${prefix}$$
A=\${P}a; R=\${P}r; B=\${P}b
pids=""
cleanup() {
  for p in $pids; do kill $p 2>/dev/null; done
  for p in $pids; do wait $p 2>/dev/null; done
  ip netns del $A 2>/dev/null; ip netns del $R 2>/dev/null; ip netns del $B 2>/dev/null
}
trap cleanup EXIT
ip netns add $A && ip netns add $R && ip netns add $B || exit 90
ip link add eth1 netns $R type veth peer name v0 netns $A || exit 91
ip link add eth2 netns $R type veth peer name v0 netns $B || exit 91
for n in $A $B $R; do ip -n $n link set lo up; done
`;
}

export function throughDevice(
  files: Map<string, string>,
  probes: Probe[],
): { open: boolean[]; output: string } {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-packets-'));
  try {
    for (const [name, content] of files) writeFileSync(join(dir, name), content);
    const serverPorts = (side: 'a' | 'b'): number[] => [
      ...new Set(probes.filter((p) => p.from !== side).map((p) => p.port)),
    ];
    // The probes run side by side, each writing its verdict to a file of its own, printed in
    // the probes' order: a closed port costs a probe its whole connect timeout, and one after
    // another those were most of a test's time. Each probe is its own connection (its own
    // ports), so none changes what another sees, stateful or not.
    const script = `${threeNamespaces(dir, 'plumbbk')}ip -n $A link set v0 up; ip -n $A addr add 10.1.0.10/24 dev v0; ip -n $A route add default via 10.1.0.1
ip -n $B link set v0 up; ip -n $B addr add 10.2.0.10/24 dev v0; ip -n $B route add default via 10.2.0.1
ip netns exec $R sh $d/setup.sh || exit 92
ip netns exec $R nft -f $d/nftables.conf || exit 93
for p in ${serverPorts('b').join(' ')}; do ip netns exec $B socat TCP-LISTEN:$p,fork,reuseaddr SYSTEM:'echo ok' & pids="$pids $!"; done
for p in ${serverPorts('a').join(' ')}; do ip netns exec $A socat TCP-LISTEN:$p,fork,reuseaddr SYSTEM:'echo ok' & pids="$pids $!"; done
sleep 0.5
probe() {
  out=$(ip netns exec $1 timeout 4 socat -T2 - TCP:$2:$3,connect-timeout=1 </dev/null 2>/dev/null)
  if [ "$out" = ok ]; then echo "probe open"; else echo "probe closed"; fi >$d/probe.$4
}
probes=""
${probes.map((p, i) => `probe ${p.from === 'a' ? '$A 10.2.0.10' : '$B 10.1.0.10'} ${p.port} ${i} & probes="$probes $!"`).join('\n')}
wait $probes
${probes.map((_, i) => `cat $d/probe.${i}`).join('\n')}
`;
    writeFileSync(join(dir, 'lab.sh'), script);
    const r = run('sh', [join(dir, 'lab.sh')]);
    const open = r.output
      .split('\n')
      .filter((l) => l.startsWith('probe '))
      .map((l) => l === 'probe open');
    return { open, output: r.output };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
