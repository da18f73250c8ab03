// The IOS-XE zone-based firewall (backends/cisco-iosxe/zbf-*.ts): a `firewall NAME cisco-iosxe`
// is stateful, its zone policy is written as zones, zone-pairs, inspect class-maps and
// policy-maps, reads back exactly, and every edit that changes what it does is caught.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ciscoIosxeBackend as ios } from '../../backends/cisco-iosxe/index.js';
import { canonicalDevice } from '../../backends/canonical.js';
import { compile } from '../../compiler/index.js';
import type { DeviceModel, NetworkModel } from '../../compiler/model.js';
import { analyze } from '../../language/analyze.js';
import { SWAP_SUFFIX } from '../../backends/cisco-iosxe/delta.js';
import { applyIosxe, canonicalIosxe, withoutUnusedPorts } from './iosxe-apply.js';
import type { CliIo } from '../../cli/io.js';
import { run } from '../../cli/program.js';
import { verifyModel } from '../../verifier/index.js';
import { contextOf } from './vendor-fixtures.js';
import { sharedPool } from '../shared-solvers.js';
import { withSolverPool } from '../../verifier/solver-scope.js';

// One pool of Z3 workers for the file's proofs (test/shared-solvers.ts): each would otherwise
// start and close workers of its own; every query starts from a clean solver.
const pool = sharedPool(2);
const runInPool = (args: string[], c: Parameters<typeof run>[1]): Promise<number> => withSolverPool(pool(), () => run(args, c));

const PATH = join(import.meta.dirname, '..', 'fixtures', 'zbf', 'zbf.plumb');
export const ZBF_TEXT = readFileSync(PATH, 'utf8');

export function compileZbf(text = ZBF_TEXT): { model: NetworkModel; fw: DeviceModel; codes: string[] } {
  const analysis = analyze([{ path: 'zbf.plumb', text }]);
  expect(analysis.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  const { model, diagnostics } = compile(analysis.intent!);
  return { model, fw: model.devices.find((d) => d.id === 'a.fw')!, codes: diagnostics.map((d) => d.code) };
}

describe('IOS-XE zone-based firewall: render and read back', () => {
  it('a cisco-iosxe firewall is stateful, with zones and a zone policy; a cisco-iosxe router is not', () => {
    const { model, fw } = compileZbf();
    expect(fw.stateful).toBe(true);
    expect(fw.zones.map((z) => z.name)).toEqual(['dmz', 'inside', 'transit']);
    expect(fw.securityRules.length).toBeGreaterThan(3);
    const asRouter = compile(analyze([{ path: 'r.plumb', text: ZBF_TEXT.replace('firewall fw cisco-iosxe', 'router fw cisco-iosxe') }]).intent!).model;
    expect(asRouter.devices.find((d) => d.id === 'a.fw')!.stateful).toBe(false);
    expect(model.devices.find((d) => d.id === 'a.r')!.stateful).toBe(true);
  });

  it('reads back exactly', () => {
    const { model, fw } = compileZbf();
    const files = ios.render(fw, model);
    const r = ios.read(files, contextOf(fw));
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(fw));
  });
});

const render = (): string => {
  const { model, fw } = compileZbf();
  return ios.render(fw, model)[0]!.content;
};
const readText = (content: string) => ios.read([{ path: 'fw.cfg', content }], { id: 'a.fw', site: 'a', name: 'fw', role: 'firewall' });
const errorCodes = (content: string): string[] => readText(content).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);

/** Replaces `from` (which must occur) by `to`. */
function edit(text: string, from: string | RegExp, to: string): string {
  const out = typeof from === 'string' ? text.replace(from, to) : text.replace(from, to);
  expect(out, `the edit of ${String(from)} changes the config`).not.toBe(text);
  return out;
}

describe('IOS-XE zone-based firewall: what is written', () => {
  it('zones, a zone-pair for every ordered pair of zones (one zone with itself too), none with self', () => {
    const text = render();
    for (const z of ['dmz', 'inside', 'transit']) expect(text).toContain(`\nzone security ${z}\n`);
    const pairs = [...text.matchAll(/^zone-pair security (\S+) source (\S+) destination (\S+)$/gm)].map((m) => `${m[2]}>${m[3]}`);
    expect(pairs.sort()).toEqual(['dmz>dmz', 'dmz>inside', 'dmz>transit', 'inside>dmz', 'inside>inside', 'inside>transit', 'transit>dmz', 'transit>inside', 'transit>transit']);
    expect(text).not.toMatch(/self/);
    expect(text).toContain(' zone-member security inside\n');
  });

  it('each policy: the rules of its pair in order, inspect for allow, drop for deny, class-default drop', () => {
    const text = render();
    const policy = text.slice(text.indexOf('policy-map type inspect ZBF-inside-transit\n')).split('\n!\n')[0]!;
    const classes = [...policy.matchAll(/ class type inspect ZBF-R(\d+)\n {2}(\w+)/g)].map((m) => [Number(m[1]), m[2]]);
    expect(classes.map(([n]) => n)).toEqual([...classes.map(([n]) => n)].sort((a, b) => Number(a) - Number(b)));
    expect(classes.some(([, a]) => a === 'inspect')).toBe(true);
    expect(classes.some(([, a]) => a === 'drop')).toBe(true);
    expect(policy.endsWith(' class class-default\n  drop')).toBe(true);
    // the deny of admin's http precedes the allow of s1's http
    expect(text).toMatch(/ip access-list extended ZBF-R3\n remark deny admin -> s2 : http/);
  });
});

describe('IOS-XE zone-based firewall: edits are caught', () => {
  it('a class moved ahead of an earlier rule (R946)', () => {
    const text = render();
    const moved = edit(text, ' class type inspect ZBF-R4\n  inspect\n class type inspect ZBF-R5\n  inspect\n', ' class type inspect ZBF-R5\n  inspect\n class type inspect ZBF-R4\n  inspect\n');
    expect(errorCodes(moved)).toContain('R946');
  });

  it('an inspect turned into pass (R947), and a class-default that passes (R947)', () => {
    const text = render();
    expect(errorCodes(edit(text, ' class type inspect ZBF-R4\n  inspect', ' class type inspect ZBF-R4\n  pass'))).toContain('R947');
    expect(errorCodes(edit(text, /( class class-default\n) {2}drop/, '$1  pass'))).toContain('R947');
  });

  it('an inspect turned into drop: read back, it differs from the model', () => {
    const { model, fw } = compileZbf();
    const text = ios.render(fw, model)[0]!.content;
    const changed = edit(text, /( class type inspect ZBF-R4\n) {2}inspect/g, '$1  drop');
    const r = readText(changed);
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.device).not.toEqual(canonicalDevice(fw));
    expect(r.device!.securityRules[3]!.action).toBe('deny');
  });

  it('a zone-member changed (R946 against the annotation; without annotations the zones differ)', () => {
    const { model, fw } = compileZbf();
    const text = ios.render(fw, model)[0]!.content;
    const changed = edit(text, ' zone-member security dmz', ' zone-member security inside');
    expect(errorCodes(changed)).toContain('R946');
    const bare = changed.replace(/^ ! plumb interface .*\n/gm, '');
    const r = readText(bare);
    expect(r.device?.zones.find((z) => z.name === 'inside')?.interfaces).toEqual(['GigabitEthernet3', 'GigabitEthernet4']);
  });

  it('an interface without a zone, a missing intra-zone pair, a zone-pair with self (R946)', () => {
    const text = render();
    expect(errorCodes(edit(text, ' zone-member security dmz\n', ''))).toContain('R946');
    expect(errorCodes(edit(text, 'zone-pair security ZBF-inside-inside source inside destination inside\n service-policy type inspect ZBF-inside-inside\n', ''))).toContain('R946');
    expect(errorCodes(edit(text, '\nzone security dmz\n', '\nzone-pair security ZP-SELF source self destination inside\n service-policy type inspect ZBF-inside-inside\n!\nzone security dmz\n'))).toContain('R946');
  });

  it('a class removed from one policy: its zones no longer say where the rule applies (R946)', () => {
    const text = render();
    const policy = 'policy-map type inspect ZBF-dmz-inside\n class type inspect ZBF-R1\n  drop\n';
    expect(errorCodes(edit(text, policy, 'policy-map type inspect ZBF-dmz-inside\n'))).toContain('R946');
  });

  it('an access-list of a class edited: read back, the rule differs', () => {
    const { model, fw } = compileZbf();
    const text = ios.render(fw, model)[0]!.content;
    // rule 8 (s1 -> dmz : ssh) is IPv4 only: its list changes alone
    const r = readText(edit(text, '10.0.3.0 0.0.0.255 eq 22', '10.0.3.0 0.0.0.255 eq 23'));
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.device).not.toEqual(canonicalDevice(fw));
  });
});

describe('IOS-XE zone-based firewall: protocols it cannot track (C725)', () => {
  it('an allow of any protocol through the firewall is an error; through an IOS-XE router it is not', () => {
    const text = ZBF_TEXT.replace('allow s1 -> dmz : ssh', 'allow s1 -> dmz : any');
    const analysis = analyze([{ path: 'zbf.plumb', text }]);
    const codes = compile(analysis.intent!).diagnostics.filter((d) => d.severity === 'error').map((d) => d.code);
    expect(codes).toEqual(['C725']);
    const asRouter = analyze([{ path: 'zbf.plumb', text: text.replace('firewall fw cisco-iosxe', 'router fw cisco-iosxe').replace(/ zone (inside|dmz)/g, '') }]);
    expect(compile(asRouter.intent!).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  });
});

const ZBF_V2: [string | RegExp, string][] = [
  ['  deny admin -> s2 : http\n', '  allow s2 -> s1 : ssh\n  deny admin -> s2 : http\n'], // a rule inserted first: every class after it moves
  ['  allow s1 -> dmz : ssh\n', ''], // a rule removed
  ['assert reach s1 -> dmz : ssh\n', ''],
  ['at a.fw zone dmz', 'at a.fw zone web'], // a zone renamed: members, pairs and policies change
  ['allow s1 -> s2 : https, http, dns', 'allow s1 -> s2 : https, dns'], // a rule changed
];

function version(edits: [string | RegExp, string][]): { model: NetworkModel; fw: DeviceModel; text: string } {
  let text = ZBF_TEXT;
  for (const [from, to] of edits) {
    const next = text.replace(from, to);
    expect(next, String(from)).not.toBe(text);
    text = next;
  }
  const { model, fw } = compileZbf(text);
  return { model, fw, text: ios.render(fw, model)[0]!.content };
}

describe('IOS-XE zone-based firewall: the delta applied over the previous version', () => {
  const v1 = version([]);
  const v2 = version(ZBF_V2);

  for (const [name, from, to] of [
    ['N -> N+1', v1, v2],
    ['N+1 -> N (rolled back)', v2, v1],
  ] as const) {
    it(`${name}: gives the new version exactly, nothing refused, no policy edited while applied`, () => {
      const delta = ios.delta!([{ path: 'fw.cfg', content: from.text }], [{ path: 'fw.cfg', content: to.text }], to.fw);
      expect(delta).toHaveLength(1);
      const applied = applyIosxe(from.text, delta[0]!.content);
      expect(applied.errors).toEqual([]);
      expect(applied.hazards).toEqual([]);
      expect(canonicalIosxe(applied.text)).toEqual(canonicalIosxe(to.text));
      expect(applied.text).not.toContain(SWAP_SUFFIX);
      const r = readText(withoutUnusedPorts(applied.text));
      expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      expect(r.device).toEqual(canonicalDevice({ ...to.fw, fib: [] }));
    });
  }

  it('a changed policy-map is swapped through a complete copy; pasting the full file instead reorders nothing', () => {
    const delta = ios.delta!([{ path: 'fw.cfg', content: v1.text }], [{ path: 'fw.cfg', content: v2.text }], v2.fw)[0]!.content;
    expect(delta).toContain(`policy-map type inspect ZBF-inside-transit${SWAP_SUFFIX}\n`);
    expect(delta).toMatch(/zone-pair security ZBF-inside-transit source inside destination transit\n no service-policy type inspect ZBF-inside-transit\n service-policy type inspect ZBF-inside-transit-PLUMB-SWAP\n/);
    // the full file pasted over N: policies edited live, classes appended in the wrong order
    const pasted = applyIosxe(v1.text, v2.text);
    expect(pasted.hazards.some((h) => h.startsWith('policy-map'))).toBe(true);
    expect(canonicalIosxe(pasted.text)).not.toEqual(canonicalIosxe(v2.text));
  });
});

describe('IOS-XE zone-based firewall: the verifier reads it from the model', () => {
  const statuses = async (model: NetworkModel): Promise<string[]> =>
    (await verifyModel(model, { timeoutMs: 30_000, lint: false, pool: pool() })).verdicts.map((v) => `${v.assertion.text}: ${v.status}`);

  it('proves every assertion of the fixture, on the model and on the firewall read back from its config', async () => {
    const { model, fw } = compileZbf();
    const proven = await statuses(model);
    expect(proven.length).toBe(7);
    for (const s of proven) expect(s).toMatch(/: proven$/);
    const read = readText(ios.render(fw, model)[0]!.content).device!;
    const fromConfig: NetworkModel = { ...model, devices: model.devices.map((d) => (d.id === fw.id ? { ...read, fib: fw.fib } : d)) };
    expect(await statuses(fromConfig)).toEqual(proven);
  });

  it("the firewall's own connections are untracked: their replies meet its stateless infrastructure ACL, as on the router", async () => {
    const text = ZBF_TEXT.replace('manage a.fw from admin : ssh\n', 'manage a.fw from admin : ssh\nmanage a.r from a.fw : ssh\n') + 'assert reach a.fw -> a.r : ssh\n';
    const { model, fw } = compileZbf(text);
    expect(fw.ownConnectionsUntracked).toBe(true);
    expect(model.devices.find((d) => d.id === 'a.r')!.ownConnectionsUntracked).toBeUndefined();
    const result = await verifyModel(model, { timeoutMs: 30_000, lint: false, pool: pool() });
    const own = result.verdicts.find((v) => v.assertion.text === 'assert reach a.fw -> a.r : ssh')!;
    // the SYN-ACK from a.r comes back to a.fw's own address, where only the local filter decides
    expect(own.status).toBe('refuted');
    expect(JSON.stringify(own)).toMatch(/local/);
    // read back from its config, the firewall says the same
    const read = readText(ios.render(fw, model)[0]!.content).device!;
    expect(read.ownConnectionsUntracked).toBe(true);
  });

  it('a deliberate hole (an allow back into the inside) refutes the isolate, and only it', async () => {
    const { model } = compileZbf(ZBF_TEXT.replace('  allow s2 -> dmz : https\n', '  allow s2 -> dmz : https\n  allow s2 -> s1 : https\n'));
    const out = await statuses(model);
    expect(out.filter((s) => !s.endsWith(': proven'))).toEqual(['assert isolate s2 -> s1 : https: refuted']);
  });
});

describe('IOS-XE zone-based firewall: drift of the deployed configuration', () => {
  it('compile -o validates it; an inspect turned into drop on the device is reported and refutes the reach it breaks', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'plumb-zbf-'));
    try {
      const out: string[] = [];
      const io: CliIo = { stdout: (t) => void out.push(t), stderr: (t) => void out.push(t), isTTY: false, cwd: join(import.meta.dirname, '../..'), env: {} };
      expect(await runInPool(['compile', 'test/fixtures/zbf/zbf.plumb', '-o', dir], io), out.join('')).toBe(0);
      expect(out.join('')).toMatch(/validated 2 devices/);
      const file = join(dir, 'a', 'fw', 'fw.cfg');
      writeFileSync(file, readFileSync(file, 'utf8').replace(/( class type inspect ZBF-R4\n) {2}inspect/g, '$1  drop'));
      out.length = 0;
      expect(await runInPool(['verify', 'test/fixtures/zbf/zbf.plumb', '--configs', dir], io)).toBe(1);
      const text = out.join('');
      expect(text).toMatch(/error\[V886\]: device a.fw does not behave as the intent compiles it: packet tcp \S+ -> \S+:443 \[syn\] forwarded from zone inside to zone transit is dropped by the config/);
      expect(text).toMatch(/REFUTED +assert reach s1 -> s2 : https/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});

describe('IOS-XE zone-based firewall: what the device prints', () => {
  it('show running-config without the ! plumb comments reads back the same zones and zone policy, nothing of it unmanaged', () => {
    const { model, fw } = compileZbf();
    const printed = ios.render(fw, model)[0]!.content.split('\n').filter((l) => !/^\s*! plumb/.test(l)).join('\n');
    const r = ios.read([{ path: 'running-config.txt', content: printed }], { id: 'a.fw', site: 'a', name: 'fw', role: 'firewall', source: 'running' });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.unmanaged ?? []).toEqual([]);
    expect(r.device!.stateful).toBe(true);
    expect(r.device!.zones).toEqual(fw.zones);
    expect(r.device!.securityRules).toEqual(canonicalDevice(fw).securityRules);
  });
});

describe('IOS-XE zone-based firewall: a tagged segment', () => {
  it('the subinterface is the zone member, reads back exactly; a zone-member on its parent is R946', () => {
    const { model, fw } = compileZbf(ZBF_TEXT.replace('at a.fw zone dmz', 'at a.fw zone dmz vlan 30'));
    const text = ios.render(fw, model)[0]!.content;
    expect(text).toMatch(/interface GigabitEthernet\d\.30\n(?: .*\n)* zone-member security dmz\n/);
    const r = readText(text);
    expect(r.diagnostics).toEqual([]);
    expect(r.device).toEqual(canonicalDevice(fw));
    const parent = /interface (GigabitEthernet\d)\n no shutdown\n/.exec(text)![1]!;
    expect(errorCodes(edit(text, `interface ${parent}\n no shutdown\n`, `interface ${parent}\n zone-member security dmz\n no shutdown\n`))).toContain('R946');
  });
});
