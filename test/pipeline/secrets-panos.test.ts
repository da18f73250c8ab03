// `plumb compile -o` with secrets for a PAN-OS firewall, run in-process: the keys land in exactly
// the elements and `set` lines that carry them (the BGP auth profile's `secret`, the OSPF auth
// profile's MD5 `key`), in files written 0600, never in the model, the manifest or what the
// command prints; a changed key is the one `set` line of the delta, which carries no old key.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { readPanos } from '../../backends/paloalto-panos/read.js';

const BGP_KEY = 'bgp-K3y+partner/1';
const OSPF_KEY = 'ospf=Key_42';

const intent = `network lab
routing ospf authentication ospf-core
pool infra 10.255.0.0/16
secret ospf-core from file "keys/ospf.key"
secret partner-bgp from env PLUMB_PARTNER_BGP

site s1 {
  firewall fw1 paloalto-panos asn 65001
  router r2 frr
  link fw1 -- r2
}
segment lan 10.1.0.0/24 at s1.r2
external partner {
  asn 64600
  password partner-bgp
  prefixes 198.51.100.0/24
  attach s1.fw1 address 169.254.1.1/30 peer 169.254.1.2
  announce lan
}
policy { allow lan -> partner : https }
`;

function capture(cwd: string, env: Record<string, string | undefined>) {
  let out = '';
  let err = '';
  const io: CliIo = { stdout: (s) => void (out += s), stderr: (s) => void (err += s), isTTY: false, cwd, env };
  return { io, out: () => out, err: () => err };
}

function files(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name));
}

describe('plumb compile -o with secrets on PAN-OS', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'plumb-secrets-panos-'));
    writeFileSync(join(dir, 'lab.plumb'), intent);
    mkdirSync(join(dir, 'keys'));
    writeFileSync(join(dir, 'keys', 'ospf.key'), `${OSPF_KEY}\n`, { mode: 0o600 });
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('refuses a BGP key longer than PAN-OS keeps (63 characters), which FRR would take, before writing anything', async () => {
    const long = capture(dir, { PLUMB_PARTNER_BGP: 'k'.repeat(64) });
    expect(await run(['compile', 'lab.plumb', '-o', 'out'], long.io)).toBe(1);
    expect(long.err()).toContain('error[C723]');
    expect(long.err()).toContain('has 64 characters; a BGP TCP-MD5 password on paloalto-panos has at most 63');
    expect(long.err()).not.toContain('k'.repeat(64));
    expect(readdirSync(dir)).not.toContain('out');
    const fits = capture(dir, { PLUMB_PARTNER_BGP: 'k'.repeat(63) });
    expect(await run(['compile', 'lab.plumb', '-o', 'out'], fits.io), fits.err()).toBe(0);
  });

  it('writes each key where it is used, in private files, and nowhere else; the files read back by name', async () => {
    const c = capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY });
    expect(await run(['compile', 'lab.plumb', '-o', 'out'], c.io), c.err()).toBe(0);
    const xml = readFileSync(join(dir, 'out/s1/fw1/fw1.xml'), 'utf8');
    const set = readFileSync(join(dir, 'out/s1/fw1/fw1.set'), 'utf8');
    expect(xml).toMatch(new RegExp(`<!-- secret partner-bgp -->\\n\\s+<secret>${BGP_KEY.replace(/[+/]/g, '\\$&')}</secret>\\n`));
    expect(xml).toMatch(/<!-- secret ospf-core -->\n\s+<key>ospf=Key_42<\/key>\n/);
    expect(set).toContain(`set network virtual-router default protocol bgp auth-profile partner-bgp secret ${BGP_KEY}\n`);
    expect(set).toContain(`set network virtual-router default protocol ospf auth-profile ospf-core md5 1 key ${OSPF_KEY}\n`);
    for (const text of [xml, set]) {
      expect(text).not.toContain('plumb-secret.');
      expect(text.split('\n').filter((l) => l.includes(BGP_KEY) || l.includes(OSPF_KEY))).toHaveLength(2);
    }
    for (const f of files(join(dir, 'out'))) {
      const text = readFileSync(f, 'utf8');
      const holds = text.includes(BGP_KEY) || text.includes(OSPF_KEY);
      expect(holds, f).toBe(f.endsWith('fw1.xml') || f.endsWith('fw1.set') || f.endsWith('r2/frr.conf'));
      // a file with a key is its owner's alone; the others keep their modes (setup.sh runs)
      if (holds) expect(statSync(f).mode & 0o777, f).toBe(0o600);
      else expect(statSync(f).mode & 0o044, f).toBe(0o044);
    }
    expect(c.out() + c.err()).not.toMatch(/bgp-K3y|ospf=Key/);
    const model = capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY });
    expect(await run(['compile', 'lab.plumb', '--emit', 'model'], model.io)).toBe(0);
    expect(model.out()).toContain('"password": {\n');
    expect(model.out()).not.toMatch(/bgp-K3y|ospf=Key/);
    const read = readPanos(
      [
        { path: 'fw1.xml', content: xml },
        { path: 'fw1.set', content: set },
      ],
      { id: 's1.fw1', site: 's1', name: 'fw1', role: 'firewall' },
    );
    expect(read.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(read.device?.bgp?.neighbors[0]?.password).toEqual({ secret: 'partner-bgp' });
    expect(read.device?.ospf?.interfaces.find((i) => !i.passive)?.authentication).toEqual({ secret: 'ospf-core' });
    expect(read.secrets?.map((s) => [s.secret, s.value])).toEqual([
      ['ospf-core', OSPF_KEY],
      ['partner-bgp', BGP_KEY],
    ]);
  });

  it('a changed key is the one delta line that replaces it, without the old key', async () => {
    expect(await run(['compile', 'lab.plumb', '-o', 'v1'], capture(dir, { PLUMB_PARTNER_BGP: BGP_KEY }).io)).toBe(0);
    const c = capture(dir, { PLUMB_PARTNER_BGP: 'new-Key-2' });
    expect(await run(['compile', 'lab.plumb', '-o', 'v2', '--previous', 'v1'], c.io), c.err()).toBe(0);
    const delta = readFileSync(join(dir, 'v2/s1/fw1/fw1.delta.set'), 'utf8');
    expect(delta.split('\n').filter((l) => /^(set|delete|move) /.test(l))).toEqual(['set network virtual-router default protocol bgp auth-profile partner-bgp secret new-Key-2']);
    expect(delta).not.toContain(BGP_KEY);
    for (const f of ['fw1.delta.set', 'fw1.delta.xml']) {
      const text = readFileSync(join(dir, 'v2/s1/fw1', f), 'utf8');
      expect(text, f).not.toContain(BGP_KEY);
      expect(statSync(join(dir, 'v2/s1/fw1', f)).mode & 0o777, f).toBe(text.includes('new-Key-2') ? 0o600 : 0o644);
    }
    expect(c.out()).toMatch(/changed\s+s1\.fw1/);
    expect(c.out() + c.err()).not.toContain('new-Key-2');
  });
});
