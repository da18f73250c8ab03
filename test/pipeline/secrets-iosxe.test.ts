// `plumb compile -o` with secrets for IOS-XE routers, run in-process: the keys land in exactly
// the lines that carry them (` neighbor A password`, ` ip ospf message-digest-key 1 md5`), in
// files written 0600, never in the model, the manifest or what the command prints; a missing
// secret writes nothing; a changed key and a removed password are the delta's lines, which
// carry no old key.

import { existsSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { run } from '../../cli/program.js';
import { BGP_KEY, capture, filesBelow, intentFolder, OSPF_KEY } from '../intent-runs.js';
import { readIosxe } from '../../backends/cisco-iosxe/read.js';


const intent = (password = true): string => `network lab
routing ospf authentication ospf-core
pool infra 10.255.0.0/16
secret ospf-core from file "keys/ospf.key"
${password ? 'secret partner-bgp from env PLUMB_PARTNER_BGP' : ''}

site s1 {
  router r1 cisco-iosxe asn 65001
  router r2 cisco-iosxe
  link r1 -- r2
}
segment lan 10.1.0.0/24 at s1.r2
external partner {
  asn 64600
  ${password ? 'password partner-bgp' : ''}
  prefixes 198.51.100.0/24
  attach s1.r1 address 169.254.1.1/30 peer 169.254.1.2
  announce lan
}
policy { allow lan -> partner : https }
`;



describe('plumb compile -o with secrets on IOS-XE', () => {
  let dir: string;
  beforeEach(() => {
    dir = intentFolder('plumb-secrets-iosxe-', { 'lab.plumb': intent(), 'keys/ospf.key': `${OSPF_KEY}\n` });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each key where it is used, in private files, and nowhere else; the files read back by name', async () => {
    const c = capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY });
    expect(await run(['compile', 'lab.plumb', '-o', 'out'], c.io), c.err()).toBe(0);
    const r1 = readFileSync(join(dir, 'out/s1/r1/r1.cfg'), 'utf8');
    expect(r1).toContain(` ! secret partner-bgp\n neighbor 169.254.1.2 password ${BGP_KEY}\n`);
    expect(r1).toContain(` ip ospf authentication message-digest\n ! secret ospf-core\n ip ospf message-digest-key 1 md5 ${OSPF_KEY}\n`);
    expect(r1).not.toContain('plumb-secret.');
    const r2 = readFileSync(join(dir, 'out/s1/r2/r2.cfg'), 'utf8');
    expect(r2).toContain(` ip ospf message-digest-key 1 md5 ${OSPF_KEY}\n`);
    expect(r2).not.toContain(BGP_KEY);
    for (const f of filesBelow(join(dir, 'out'))) {
      const text = readFileSync(f, 'utf8');
      const holds = text.includes(BGP_KEY) || text.includes(OSPF_KEY);
      expect(holds, f).toBe(f.endsWith('.cfg'));
      expect(statSync(f).mode & 0o777, f).toBe(holds ? 0o600 : 0o644);
    }
    expect(c.out() + c.err()).not.toMatch(/bgp-K3y|ospf=Key/);
    const model = capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY });
    expect(await run(['compile', 'lab.plumb', '--emit', 'model'], model.io)).toBe(0);
    expect(model.out()).toContain('"password": {\n');
    expect(model.out()).not.toMatch(/bgp-K3y|ospf=Key/);
    const read = readIosxe([{ path: 'r1.cfg', content: r1 }], { id: 's1.r1', site: 's1', name: 'r1', role: 'router' });
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(read.device?.bgp?.neighbors[0]?.password).toEqual({ secret: 'partner-bgp' });
    expect(read.device?.ospf?.interfaces.find((i) => !i.passive)?.authentication).toEqual({ secret: 'ospf-core' });
    expect(read.secrets?.map((s) => [s.secret, s.value])).toEqual([
      ['ospf-core', OSPF_KEY],
      ['partner-bgp', BGP_KEY],
    ]);
  });

  it('refuses a missing variable at its secret line and writes nothing', async () => {
    const c = capture(dir, {});
    expect(await run(['compile', 'lab.plumb', '-o', 'out'], c.io)).toBe(1);
    expect(c.err()).toContain('error[C721]: secret `partner-bgp`: the environment variable PLUMB_PARTNER_BGP is not set');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('a changed key is the one delta line that replaces it; a removed password is `no neighbor A password`, without the old key', async () => {
    expect(await run(['compile', 'lab.plumb', '-o', 'v1'], capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY }).io)).toBe(0);
    const c = capture(dir, { PLUMB_PARTNER_BGP: 'new-Key-2' });
    expect(await run(['compile', 'lab.plumb', '-o', 'v2', '--previous', 'v1'], c.io), c.err()).toBe(0);
    const delta = readFileSync(join(dir, 'v2/s1/r1/r1.delta.cfg'), 'utf8');
    // the block's annotation is repeated (IOS ignores it), then the one line that changes
    expect(delta).toMatch(/\nrouter bgp 65001\n(?: ! plumb [^\n]*\n)? neighbor 169\.254\.1\.2 password new-Key-2\n!\n/);
    expect(delta).not.toContain(BGP_KEY);
    expect(statSync(join(dir, 'v2/s1/r1/r1.delta.cfg')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(dir, 'v2/s1/r2/r2.delta.cfg'))).toBe(false);
    expect(c.out()).toMatch(/changed\s+s1\.r1/);
    expect(c.out()).not.toContain('new-Key-2');

    writeFileSync(join(dir, 'lab.plumb'), intent(false));
    const d = capture(dir, {});
    expect(await run(['compile', 'lab.plumb', '-o', 'v3', '--previous', 'v2'], d.io), d.err()).toBe(0);
    const removed = readFileSync(join(dir, 'v3/s1/r1/r1.delta.cfg'), 'utf8');
    expect(removed).toContain('\n no neighbor 169.254.1.2 password\n');
    expect(removed).not.toContain('new-Key-2');
    expect(readFileSync(join(dir, 'v3/s1/r1/r1.cfg'), 'utf8')).not.toContain('password');
  });
});
