// One FRR box in a throwaway network namespace, for the re-apply tests: its interfaces as veths,
// a version's setup.sh, FRR's zebra, staticd, ospfd, ospf6d and bgpd with their vty sockets in a
// folder of their own (`--vty_socket`), that version's frr.conf loaded with `vtysh -f`; then the
// caller's shell commands in the folder of the next version's files, and FRR's running
// configuration at the end. The daemons (killed by their pid files) and the namespace are gone
// when it returns.
//
// frr-reload.py finds these daemons with `--vty_socket RUN` (it passes it to every vtysh it
// starts), keeps its temporary file in `--rundir RUN`, reads `vtysh.conf` from `--confdir ETC`
// and saves the result there (`vtysh write` writes ETC/frr.conf): the commands get RUN and ETC
// as shell variables.

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RenderedFile } from '../../backends/backend.js';

export const DAEMONS = ['zebra', 'staticd', 'ospfd', 'ospf6d', 'bgpd'];

export interface FrrLabRun {
  status: number | null;
  output: string;
  /** `show running-config` at the end, without vtysh's two header lines. */
  running: string;
  /** ETC/frr.conf at the end, if something saved it. */
  saved?: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/**
 * Loads `first` (setup.sh, then frr.conf into the daemons), then runs `then.run` in the folder
 * of `then.files` (with $RUN and $ETC set).
 */
export async function frrLab(interfaces: readonly string[], first: readonly RenderedFile[], then?: { files: readonly RenderedFile[]; run: string }): Promise<FrrLabRun> {
  const dir = mkdtempSync(join(tmpdir(), 'plumb-frr-reload-'));
  try {
    for (const [name, files] of [['first', first], ['then', then?.files ?? []]] as const) {
      mkdirSync(join(dir, name));
      for (const f of files) writeFileSync(join(dir, name, f.path), f.content);
    }
    mkdirSync(join(dir, 'run'));
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc', 'vtysh.conf'), 'service integrated-vtysh-config\n');
    const links = interfaces
      .filter((n) => n !== 'lo')
      .map((n, i) => `ip link add ${n} type veth peer name plumbpeer${i}; ip link set plumbpeer${i} up`);
    const script = `set -e
RUN=${dir}/run
ETC=${dir}/etc
stop() {
  for p in $RUN/*.pid; do [ -f "$p" ] && kill "$(cat "$p")" 2>/dev/null || true; done
  for k in $(seq 50); do
    alive=0
    for p in $RUN/*.pid; do [ -f "$p" ] && kill -0 "$(cat "$p")" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break
    sleep 0.1
  done
}
trap stop EXIT
ip link set lo up
${links.join('\n')}
(cd ${dir}/first && sh setup.sh)
chown -R frr:frr '${dir}'
for dmn in ${DAEMONS.join(' ')}; do
  /usr/lib/frr/$dmn -d --vty_socket $RUN -z $RUN/zserv.api -P 0 -f /dev/null -i $RUN/$dmn.pid --log file:$RUN/$dmn.log
done
for dmn in ${DAEMONS.join(' ')}; do
  for k in $(seq 100); do [ -S $RUN/$dmn.vty ] && break; sleep 0.1; done
done
vtysh --vty_socket $RUN -f ${dir}/first/frr.conf
set +e
${then ? `(cd ${dir}/then && { ${then.run}; })` : 'true'}
rc=$?
vtysh --vty_socket $RUN -c 'show running-config' > ${dir}/running.conf
exit $rc
`;
    writeFileSync(join(dir, 'lab.sh'), script);
    const r = await new Promise<{ status: number | null; output: string }>((resolve) => {
      const child = spawn('unshare', ['-n', 'sh', join(dir, 'lab.sh')], { timeout: 180_000 });
      let output = '';
      child.stdout.on('data', (d: Buffer) => (output += d.toString()));
      child.stderr.on('data', (d: Buffer) => (output += d.toString()));
      child.on('error', (e) => resolve({ status: null, output: output + String(e) }));
      child.on('close', (status) => resolve({ status, output }));
    });
    const running = (read(join(dir, 'running.conf')) ?? '').replace(/^Building configuration\.\.\.\n\nCurrent configuration:\n/, '');
    const saved = read(join(dir, 'etc', 'frr.conf'));
    return { ...r, running, ...(saved !== undefined ? { saved } : {}) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
