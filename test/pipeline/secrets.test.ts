// `plumb compile -o` with secrets, run in-process: the keys come from the environment and from
// a private file, land in exactly the lines that carry them (files 0600), never in the model,
// the manifest or what the command prints; a missing, shared or unusable secret is an error at
// its `secret` line with nothing written; a changed key is a delta line; FRR itself accepts
// every emitted form (`vtysh -C`) and the files read back to the model.

import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { BGP_KEY, capture, filesBelow, intentFolder, OSPF_KEY } from '../intent-runs.js';
import { readFrr } from '../../backends/frr/read.js';
import { sharedSolvers } from '../shared-solvers.js';

// One pool of Z3 workers for the file's runs (test/shared-solvers.ts): each command that proves
// would otherwise start and close workers of its own; every query starts from a clean solver.
const inPool = sharedSolvers();
const runInPool = (args: string[], c: Parameters<typeof run>[1]): Promise<number> => inPool(() => run(args, c));


const INTENT = `network lab
routing ospf authentication ospf-core
pool infra 10.255.0.0/16
secret ospf-core from file "keys/ospf.key"
secret partner-bgp from env PLUMB_PARTNER_BGP

site s1 {
  router r1 frr asn 65001
  router r2 frr
  link r1 -- r2
}
segment lan 10.1.0.0/24, 2001:db8:1::/64 at s1.r2
external partner {
  asn 64600
  password partner-bgp
  prefixes 198.51.100.0/24
  attach s1.r1 address 169.254.1.1/30 peer 169.254.1.2
  announce lan
}
policy { allow lan -> partner : https }
`;



describe('plumb compile -o with secrets', () => {
  let dir: string;
  beforeEach(() => {
    dir = intentFolder('plumb-secrets-', { 'lab.plumb': INTENT, 'keys/ospf.key': `${OSPF_KEY}\n` });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each key where it is used, in private files, and nowhere else', async () => {
    const c = capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY });
    expect(await runInPool(['compile', 'lab.plumb', '-o', 'out'], c.io), c.err()).toBe(0);
    const r1 = readFileSync(join(dir, 'out/s1/r1/frr.conf'), 'utf8');
    expect(r1).toContain(` ! secret partner-bgp\n neighbor 169.254.1.2 password ${BGP_KEY}\n`);
    expect(r1).toContain(` ip ospf authentication message-digest\n ! secret ospf-core\n ip ospf message-digest-key 1 md5 ${OSPF_KEY}\n`);
    expect(r1).toContain(` ! secret ospf-core\n ipv6 ospf6 authentication key-id 1 hash-algo hmac-sha-256 key ${OSPF_KEY}\n`);
    expect(r1).not.toContain('plumb-secret.');
    for (const f of filesBelow(join(dir, 'out'))) {
      const text = readFileSync(f, 'utf8');
      const holds = text.includes(BGP_KEY) || text.includes(OSPF_KEY);
      if (holds) expect(statSync(f).mode & 0o777, f).toBe(0o600);
      if (!f.endsWith('frr.conf')) expect(holds, f).toBe(false);
    }
    expect(c.out() + c.err()).not.toMatch(/bgp-K3y|ospf=Key/);
    const model = capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY });
    expect(await runInPool(['compile', 'lab.plumb', '--emit', 'model'], model.io)).toBe(0);
    expect(model.out()).toContain('"password": {\n');
    expect(model.out()).not.toMatch(/bgp-K3y|ospf=Key/);
    // FRR reads every line it is given.
    const vtysh = spawnSync('vtysh', ['-C', '-f', join(dir, 'out/s1/r1/frr.conf')], { encoding: 'utf8' });
    if (vtysh.error === undefined) expect(vtysh.status, vtysh.stdout + vtysh.stderr).toBe(0);
    else if (process.env.CI) throw vtysh.error;
    // Read back: the secrets by name, the keys listed for comparison.
    const read = readFrr(
      ['frr.conf', 'setup.sh', 'nftables.conf'].map((p) => ({ path: p, content: readFileSync(join(dir, 'out/s1/r1', p), 'utf8') })),
      { id: 's1.r1', site: 's1', name: 'r1', role: 'router' },
    );
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(read.device?.bgp?.neighbors[0]?.password).toEqual({ secret: 'partner-bgp' });
    expect(read.device?.ospf?.interfaces.find((i) => !i.passive)?.authentication).toEqual({ secret: 'ospf-core' });
    expect(read.secrets?.map((s) => [s.secret, s.value])).toEqual([
      ['ospf-core', OSPF_KEY],
      ['ospf-core', OSPF_KEY],
      ['partner-bgp', BGP_KEY],
    ]);
  });

  it('refuses a missing variable at its secret line and writes nothing', async () => {
    const c = capture(dir, {});
    expect(await runInPool(['compile', 'lab.plumb', '-o', 'out'], c.io)).toBe(1);
    expect(c.err()).toContain('error[C721]: secret `partner-bgp`: the environment variable PLUMB_PARTNER_BGP is not set');
    expect(c.err()).toContain('--> lab.plumb:5:1');
    expect(c.err()).toContain('nothing written');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('refuses a key file others may read, and a key the platforms cannot carry', async () => {
    chmodSync(join(dir, 'keys', 'ospf.key'), 0o644);
    const shared = capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY });
    expect(await runInPool(['compile', 'lab.plumb', '-o', 'out'], shared.io)).toBe(1);
    expect(shared.err()).toContain('error[C722]');
    expect(shared.err()).toContain('chmod 600');
    chmodSync(join(dir, 'keys', 'ospf.key'), 0o600);
    for (const bad of ['', 'has space', 'x'.repeat(81), 'quote"d']) {
      const c = capture(dir, { PLUMB_PARTNER_BGP: bad });
      expect(await runInPool(['compile', 'lab.plumb', '-o', 'out'], c.io)).toBe(1);
      expect(c.err()).toContain('error[C723]');
      if (bad !== '') expect(c.err()).not.toContain(bad);
    }
    writeFileSync(join(dir, 'keys', 'ospf.key'), 'seventeen-chars-x\n', { mode: 0o600 });
    const long = capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY });
    expect(await runInPool(['compile', 'lab.plumb', '-o', 'out'], long.io)).toBe(1);
    expect(long.err()).toContain('an OSPF MD5 key has at most 16');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('reports a changed key as a changed device, its delta files private', async () => {
    expect(await runInPool(['compile', 'lab.plumb', '-o', 'v1'], capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY }).io)).toBe(0);
    const c = capture(dir, { PLUMB_PARTNER_BGP: 'new-Key-2' });
    expect(await runInPool(['compile', 'lab.plumb', '-o', 'v2', '--previous', 'v1'], c.io), c.err()).toBe(0);
    const delta = filesBelow(join(dir, 'v2/s1/r1')).filter((f) => !/(frr\.conf|setup\.sh|nftables\.conf)$/.test(f));
    // FRR's delta applies the new frr.conf with frr-reload.py: the key line is what changes.
    expect(delta.length).toBeGreaterThan(0);
    expect(c.out()).toMatch(/changed\s+s1\.r1/);
    expect(readFileSync(join(dir, 'v2/s1/r1/frr.conf'), 'utf8')).toContain(' neighbor 169.254.1.2 password new-Key-2\n');
    for (const f of delta) expect(statSync(f).mode & 0o777, f).toBe(0o600);
    expect(c.out()).not.toContain('new-Key-2');
  });

  it('finds a password or OSPF key removed on the device as drift, naming the secret and never a key', async () => {
    expect(await runInPool(['compile', 'lab.plumb', '-o', 'out'], capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY }).io)).toBe(0);
    const conf = join(dir, 'out/s1/r1/frr.conf');
    const text = readFileSync(conf, 'utf8');
    // an operator takes the session's password and the OSPFv2 key off the router
    writeFileSync(conf, text.replace(/ ! secret partner-bgp\n neighbor \S+ password \S+\n/, '').replace(/ ip ospf authentication message-digest\n ! secret ospf-core\n ip ospf message-digest-key 1 md5 \S+\n/, ''));
    const c = capture(dir, {});
    expect(await runInPool(['verify', 'lab.plumb', '--configs', 'out'], c.io)).toBe(1);
    expect(c.out() + c.err()).toMatch(/V886/);
    expect(c.out() + c.err()).toMatch(/password secret partner-bgp/);
    expect(c.out() + c.err()).not.toMatch(/bgp-K3y|ospf=Key/);
  });
});
