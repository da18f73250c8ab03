// A Linux or FRR box brought up from Plumb's files in a throwaway network namespace, and what it
// then prints of its running state, captured with the commands docs/backends/linux.md and
// docs/backends/frr.md name: `vtysh -c 'show running-config'` (frr.conf), `nft list ruleset`
// (ruleset.nft), `ip -j -p -d address show` (ip-addr.json), `ip -j -p route show table main` and
// `ip -j -p -6 route show table main` (ip-route.json, ip-route6.json) and the sysctls the model
// depends on (sysctl.txt). The box's neighbours' ends of its veths live in a second namespace,
// so that only the box's own interfaces are printed. `edits` are shell commands run in the box
// after its files are loaded (an operator's hand edits); a capture is taken before and after.
// Everything (daemons, namespaces, folders) is gone when it returns.

import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderedFile } from '../../backends/backend.js';
import { FRR_DAEMONS } from './tools.js';

/** The commands that capture the running state, each with the file it writes. */
export const CAPTURES: readonly { file: string; command: string; frrOnly?: boolean }[] = [
  { file: 'frr.conf', command: "vtysh --vty_socket $d -c 'show running-config'", frrOnly: true },
  { file: 'ruleset.nft', command: 'nft list ruleset' },
  { file: 'ip-addr.json', command: 'ip -j -p -d address show' },
  { file: 'ip-route.json', command: 'ip -j -p route show table main' },
  { file: 'ip-route6.json', command: 'ip -j -p -6 route show table main' },
  {
    file: 'sysctl.txt',
    command:
      "sysctl -a -r '^net\\.(ipv4\\.ip_forward|ipv6\\.conf\\.all\\.forwarding|ipv4\\.conf\\.[^.]+\\.rp_filter|ipv6\\.conf\\.[^.]+\\.disable_ipv6)$'",
  },
];

export interface RunningCapture {
  status: number | null;
  output: string;
  /** The running files before the edits. */
  before: RenderedFile[];
  /** After the edits (the same as `before` without edits). */
  after: RenderedFile[];
}

/**
 * Brings up a box from `files` (its setup.sh, nftables.conf and, with `frr`, frr.conf loaded
 * into FRR's daemons), waits `settleMs`, captures, runs `edits`, captures again.
 */
export function captureRunning(
  files: readonly RenderedFile[],
  interfaces: readonly string[],
  options: { frr: boolean; hostname: string; edits?: readonly string[]; vlanStandIns?: readonly string[] },
): Promise<RunningCapture> {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-running-'));
  for (const f of files) writeFileSync(join(dir, f.path), f.content);
  const captures = CAPTURES.filter((c) => options.frr || !c.frrOnly);
  const capture = (to: string): string =>
    [`mkdir -p $d/${to}`, ...captures.map((c) => `${c.command} > $d/${to}/${c.file} || exit 95`)].join('\n');
  const peers = [...interfaces.filter((n) => n !== 'lo'), ...(options.vlanStandIns ?? [])];
  const script = `set -u
d=${dir}
P=plumbrun$$
stop() {
  for p in $d/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; done
  for k in $(seq 50); do
    alive=0
    for p in $d/*.pid; do [ -f "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
  ip netns del $P 2>/dev/null
}
trap stop EXIT
hostname ${options.hostname}
ip netns add $P || exit 90
ip link set lo up
${peers.map((n, i) => `ip link add ${n} type veth peer name peer${i} netns $P && ip -n $P link set peer${i} up || exit 91`).join('\n')}
sh $d/setup.sh || exit 92
nft -f $d/nftables.conf || exit 93
${
  options.frr
    ? `chown -R frr:frr $d
for dmn in ${FRR_DAEMONS.join(' ')}; do
  /usr/lib/frr/$dmn -d --vty_socket $d -z $d/zserv.api -P 0 -f /dev/null -i $d/$dmn.pid --log file:$d/$dmn.log 2>$d/$dmn.err
done
for dmn in ${FRR_DAEMONS.join(' ')}; do
  for k in $(seq 50); do [ -S $d/$dmn.vty ] && break; sleep 0.1; done
done
vtysh --vty_socket $d -f $d/frr.conf || exit 94
sleep 1`
    : ''
}
${capture('before')}
${(options.edits ?? []).map((e) => `${e.replaceAll('vtysh ', 'vtysh --vty_socket $d ')} || exit 96`).join('\n')}
${options.edits?.length ? 'sleep 1' : ''}
${capture('after')}
`;
  writeFileSync(join(dir, 'lab.sh'), script);
  return new Promise((resolve) => {
    const child = spawn('unshare', ['-n', '-u', 'sh', join(dir, 'lab.sh')], { timeout: 120_000 });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const done = (status: number | null): void => {
      const read = (to: string): RenderedFile[] =>
        status === 0
          ? captures.map((c) => ({ path: c.file, content: readFileSync(join(dir, to, c.file), 'utf8') }))
          : [];
      const result = { status, output, before: read('before'), after: read('after') };
      rmSync(dir, { recursive: true, force: true });
      resolve(result);
    };
    child.on('error', (e) => {
      output += String(e);
      done(null);
    });
    child.on('close', (status) => done(status));
  });
}
