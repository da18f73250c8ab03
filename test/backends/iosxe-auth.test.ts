// IOS-XE authentication (backends/cisco-iosxe/auth.ts): a BGP password and OSPFv2 MD5 are
// written with the comment that names their secret and read back by that name (the law
// read(render(d)) = d); as a router prints them under `service password-encryption` (type 7)
// they read back to the same keys, the names filled from the intent; a changed key and a
// removed password are the delta lines IOS applies; OSPFv3 authentication stays refused (C720).

import { describe, expect, it } from 'vitest';
import { backendFor } from '../../backends/index.js';
import type { ReadContext } from '../../backends/backend.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { fillSecrets } from '../../backends/secret-text.js';
import { decodeType7, encodeType7 } from '../../backends/cisco-iosxe/auth.js';
import { iosxeDeltaLines } from '../../backends/cisco-iosxe/delta.js';
import { fillFromIntent } from '../../pipeline/running.js';
import { Codes } from '../../language/diagnostics/index.js';
import { compileText, device } from '../compiler/helpers.js';
import { applyIosxe, canonicalIosxe } from './iosxe-apply.js';
import { runningForm } from './iosxe-running-form.js';

const iosxe = backendFor('cisco-iosxe')!;
const ctx = (source?: 'running'): ReadContext => ({ id: 's1.r1', site: 's1', name: 'r1', role: 'router', ...(source ? { source } : {}) });

const intent = (opts: { password?: boolean; ipv6?: boolean } = {}): string => `network lab
routing ospf authentication ospf-core
pool infra 10.255.0.0/16
secret ospf-core from file "keys/ospf.key"
secret partner-bgp from env PLUMB_PARTNER_BGP

site s1 {
  router r1 cisco-iosxe asn 65001
  router r2 cisco-iosxe
  link r1 -- r2
}
segment lan 10.1.0.0/24${opts.ipv6 ? ', 2001:db8:1::/64' : ''} at s1.r2
external partner {
  asn 64600
  ${opts.password === false ? '' : 'password partner-bgp'}
  prefixes 198.51.100.0/24
  attach s1.r1 address 169.254.1.1/30 peer 169.254.1.2
  announce lan
}
policy { allow lan -> partner : https }
`;

function r1(opts: { password?: boolean } = {}) {
  const { model, diagnostics } = compileText(intent(opts));
  expect(diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const d = device(model, 's1.r1');
  return { d, files: iosxe.render(d, model) };
}

const KEYS = new Map([
  ['partner-bgp', 'bgp-K3y+partner/1'],
  ['ospf-core', 'ospf=Key_42'],
]);

describe('IOS-XE authentication', () => {
  it('writes the password and the OSPF MD5 key after their secret comments, placeholders until compile fills them', () => {
    const { d, files } = r1();
    expect(d.bgp!.neighbors[0]!.password).toEqual({ secret: 'partner-bgp' });
    const text = files[0]!.content;
    expect(text).toContain(' neighbor 169.254.1.2 description partner\n ! secret partner-bgp\n neighbor 169.254.1.2 password plumb-secret.partner-bgp\n');
    expect(text).toContain(' ip ospf authentication message-digest\n ! secret ospf-core\n ip ospf message-digest-key 1 md5 plumb-secret.ospf-core\n');
    // the passive loopback forms no adjacency: no key there
    expect(text.match(/message-digest-key/g)).toHaveLength(1);
  });

  it('reads back to the device it was written from, the keys listed by secret (read(render(d)) = d)', () => {
    const { d, files } = r1();
    for (const f of [files, fillSecrets(files, KEYS)]) {
      const read = iosxe.read(f, ctx());
      expect(read.diagnostics.filter((x) => x.severity === 'error')).toEqual([]);
      expect(read.device).toEqual(canonicalDevice({ ...d, fib: [] }));
    }
    const filled = iosxe.read(fillSecrets(files, KEYS), ctx());
    expect(filled.secrets?.map((s) => [s.secret, s.value])).toEqual([
      ['ospf-core', 'ospf=Key_42'],
      ['partner-bgp', 'bgp-K3y+partner/1'],
    ]);
  });

  it('refuses a key without its authentication line and a second key id', () => {
    const cfg = fillSecrets(r1().files, KEYS)[0]!;
    const errors = (content: string): string[] => iosxe.read([{ ...cfg, content }], ctx()).diagnostics.filter((x) => x.severity === 'error').map((x) => `${x.code} ${x.message}`);
    expect(errors(cfg.content.replace(' ip ospf authentication message-digest\n', ''))).toEqual([
      `${Codes.readerMissingPart} interface GigabitEthernet2 has an OSPF MD5 key but no \`ip ospf authentication message-digest\``,
    ]);
    expect(errors(cfg.content.replace('message-digest-key 1 md5', 'message-digest-key 2 md5'))[0]).toMatch(/^R\d+ Plumb authenticates OSPF with one MD5 key, key id 1/);
    expect(errors(cfg.content.replace('password bgp-K3y+partner/1', 'password 7 0Z'))[0]).toMatch(/is not a type 7 key/);
  });

  it('decodes type 7 as IOS encodes it (published pairs) and round-trips any key', () => {
    for (const t of ['02050D480809', '094F471A1A0A', '0822455D0A16', '070C285F4D06', '104D000A0618']) expect(decodeType7(t)).toBe('cisco');
    for (const key of ['bgp-K3y+partner/1', 'ospf=Key_42', 'x'.repeat(80)]) for (const seed of [0, 7, 15, 52]) expect(decodeType7(encodeType7(key, seed))).toBe(key);
    expect(decodeType7('53AB')).toBeUndefined();
    expect(decodeType7('0')).toBeUndefined();
  });

  it('reads a running configuration with type 7 and type 0 keys: the same keys, the names from the intent', () => {
    const { files } = r1();
    const cfg = fillSecrets(files, KEYS)[0]!.content;
    const own = iosxe.read([{ path: 'r1.cfg', content: cfg }], ctx());
    for (const [bgp, ospf] of [
      [`7 ${encodeType7('bgp-K3y+partner/1', 5)}`, `7 ${encodeType7('ospf=Key_42', 11)}`],
      ['0 bgp-K3y+partner/1', 'ospf=Key_42'],
    ] as const) {
      const run = runningForm(cfg).replace('password bgp-K3y+partner/1', `password ${bgp}`).replace('md5 ospf=Key_42', `md5 ${ospf}`);
      expect(run).not.toContain('! secret');
      const r = iosxe.read([{ path: 'running-config.txt', content: run }], ctx('running'));
      expect(r.diagnostics.map((x) => `${x.code} ${x.span.start.line} ${x.message}`)).toEqual([]);
      expect(r.device!.bgp!.neighbors[0]!.password).toEqual({ secret: '' });
      expect(fillFromIntent(r.device!, own.device!)).toEqual(own.device);
      expect(r.secrets?.map((s) => [s.secret, s.value])).toEqual([
        ['', 'ospf=Key_42'],
        ['', 'bgp-K3y+partner/1'],
      ]);
    }
    // a changed key is no drift of the model (it holds names); the keys read differ
    const changed = runningForm(cfg).replace('password bgp-K3y+partner/1', `password 7 ${encodeType7('other', 3)}`);
    expect(iosxe.read([{ path: 'running-config.txt', content: changed }], ctx('running')).secrets?.[1]?.value).toBe('other');
  });

  it('a changed key replaces the password in one command; an OSPF key is removed before the new one; a removed password is `no neighbor X password`', () => {
    const before = fillSecrets(r1().files, KEYS)[0]!.content;
    const after = fillSecrets(r1().files, new Map([
      ['partner-bgp', 'new-Key-2'],
      ['ospf-core', 'ospf-Key-2'],
    ]))[0]!.content;
    const lines = iosxeDeltaLines(before, after);
    expect(lines).toContain(' neighbor 169.254.1.2 password new-Key-2');
    expect(lines).not.toContain(' no neighbor 169.254.1.2 password');
    const md5 = lines.filter((l) => l.includes('message-digest-key'));
    expect(md5).toEqual([' no ip ospf message-digest-key 1', ' ip ospf message-digest-key 1 md5 ospf-Key-2']);
    const applied = applyIosxe(before, lines.join('\n'));
    expect(applied.errors).toEqual([]);
    expect(canonicalIosxe(applied.text)).toEqual(canonicalIosxe(after));
    // the applier refuses a second key with the same id, as IOS does
    expect(applyIosxe(before, after.split('\n').filter((l) => !l.includes('no ip ospf message-digest-key')).join('\n')).errors).toContain('% OSPF: Key 1 already exists');

    const without = fillSecrets(r1({ password: false }).files, KEYS)[0]!.content;
    const removed = iosxeDeltaLines(before, without);
    expect(removed).toContain(' no neighbor 169.254.1.2 password');
    expect(removed.join('\n')).not.toContain('bgp-K3y');
    const gone = applyIosxe(before, removed.join('\n'));
    expect(gone.errors).toEqual([]);
    expect(canonicalIosxe(gone.text)).toEqual(canonicalIosxe(without));
  });

  it('keeps OSPFv3 authentication refused on IOS-XE (C720); a BGP password and OSPFv2 are no longer C724', () => {
    expect(compileText(intent()).diagnostics.map((x) => x.code)).not.toContain(Codes.authenticationNotWritten);
    const v6 = compileText(intent({ ipv6: true })).diagnostics.filter((x) => x.severity === 'error');
    expect(v6.map((x) => x.code)).toContain(Codes.ospfv3AuthenticationUnsupported);
    expect(v6.map((x) => x.code)).not.toContain(Codes.authenticationNotWritten);
  });
});
