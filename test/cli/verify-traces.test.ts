// A counterexample's hop trace: each rule decision names its intent line once, numbers the rule
// as the JSON does, and shows the rule's line in the configuration `plumb compile -o` writes
// (an IOS-XE entry with its sequence number, a PAN-OS rule by its name, an nftables rule's line):
// the very line of the written file.

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run as runCli } from '../../cli/program.js';
import { sharedSolvers } from '../shared-solvers.js';
import { capturedIo, type CapturedIo } from './captured-io.js';
import type { FilterDecision, Verdict } from '../../verifier/verdict.js';

const dir = mkdtempSync(join(tmpdir(), 'plumb-traces-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const io = (): CapturedIo => capturedIo(dir);
// One pool of Z3 workers for the file's commands (test/shared-solvers.ts): `compile -o` and each `verify` would
// otherwise start and close workers of its own.
const solvers = sharedSolvers();
const run = (...args: Parameters<typeof runCli>): ReturnType<typeof runCli> => solvers(() => runCli(...args));

// r1 (nftables) → fw (PAN-OS) → r2 (IOS-XE): the isolate is refuted by https, which every one
// of them admits by a rule.
const INTENT = `network t
routing static
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 cisco-iosxe
  firewall fw paloalto-panos
  link r1 -- fw
  link fw -- r2
}
segment a 10.1.0.0/24 at s.r1
segment b 10.2.0.0/24 at s.r2
policy {
  allow a -> b : https
}
assert isolate a -> b
`;

let text = '';
let decisions: { device: string; decision: FilterDecision }[] = [];

beforeAll(async () => {
  writeFileSync(join(dir, 't.plumb'), INTENT);
  const c = io();
  expect(await run(['verify', 't.plumb'], c)).toBe(1);
  text = c.out;
  const j = io();
  expect(await run(['verify', 't.plumb', '--format', 'json'], j)).toBe(1);
  const verdicts = (JSON.parse(j.out) as { verdicts: Verdict[] }).verdicts;
  decisions = verdicts[0]!.counterexample!.traces[0]!.hops.flatMap((h) => h.decisions.map((decision) => ({ device: h.device, decision })));
  expect(await run(['compile', 't.plumb', '-o', 'out'], io())).toBe(0);
}, 120_000);

describe('hop traces', () => {
  it('name the intent line once per decision', () => {
    const lines = text.split('\n').filter((l) => l.includes('permits: allow a -> b : https'));
    expect(lines).toHaveLength(3);
    for (const l of lines) expect(l.match(/t\.plumb:14/g)).toHaveLength(1);
    expect(text).not.toMatch(/\(t\.plumb:\d+\)\s+\(t\.plumb:\d+\)/);
  });

  it('number each rule in the text as the JSON does', () => {
    expect(decisions.map(({ device, decision }) => [device, decision.stage, decision.rule])).toEqual([
      ['s.r1', 'in', 1],
      ['s.fw', 'security', expect.any(Number)],
      ['s.r2', 'out', expect.any(Number)],
    ]);
    for (const { decision } of decisions) {
      const where = decision.stage === 'security' ? 'security policy' : `${decision.stage === 'in' ? 'inbound' : 'outbound'} filter ${decision.filter}`;
      expect(text).toContain(`${where}: rule ${decision.rule} permits: allow a -> b : https  (t.plumb:14)`);
    }
  });

  it("show each rule's line in the written configuration, with the device's own number or name for it", () => {
    const byDevice = new Map(decisions.map(({ device, decision }) => [device, decision.config!]));
    expect(byDevice.get('s.r1')).toMatchObject({ file: 's/r1/nftables.conf', text: expect.stringMatching(/tcp dport 443 .*comment "allow a -> b : https/) });
    expect(byDevice.get('s.fw')).toMatchObject({ file: 's/fw/fw.xml', text: '<entry name="allow-a-b-https">' });
    expect(byDevice.get('s.r2')).toMatchObject({ file: 's/r2/r2.cfg', text: expect.stringMatching(/^\d+ permit tcp 10\.1\.0\.0 0\.0\.0\.255 10\.2\.0\.0 0\.0\.0\.255 eq 443$/) });
    for (const config of byDevice.values()) {
      // The line of the file `plumb compile -o` wrote.
      const written = readFileSync(join(dir, 'out', config.file), 'utf8').split('\n')[config.line - 1]!;
      expect(written.trim()).toBe(config.text);
      expect(text).toContain(`config ${config.file}:${config.line}: ${config.text.slice(0, 40)}`);
    }
  });

  it('the IOS-XE entry is the one with the rule number\'s sequence', () => {
    const r2 = decisions.find((d) => d.device === 's.r2')!.decision;
    const sequence = Number(/^(\d+) /.exec(r2.config!.text)![1]);
    // Plumb numbers rule N's entries from N·step (IOS-XE's default step, 10, here).
    expect(sequence).toBe(r2.rule! * 10);
  });
});

describe('a rule written once per address family', () => {
  it("shows the line of the packet's family", async () => {
    writeFileSync(
      join(dir, 'd.plumb'),
      `network d
pool infra 10.255.0.0/16
site s {
  router r1 frr
  router r2 frr
  link r1 -- r2
}
segment a 10.1.0.0/24, 2001:db8:1::/64 at s.r1
segment b 10.2.0.0/24, 2001:db8:2::/64 at s.r2
host h6 2001:db8:1::9 in a
policy {
  allow a -> b : https
}
assert isolate h6 -> b
`,
    );
    const j = io();
    expect(await run(['verify', 'd.plumb', '--format', 'json'], j)).toBe(1);
    const cx = (JSON.parse(j.out) as { verdicts: Verdict[] }).verdicts[0]!.counterexample!;
    expect(cx.packet.family).toBe(6);
    const r1 = cx.traces[0]!.hops.find((h) => h.device === 's.r1')!.decisions.find((d) => d.rule !== undefined)!;
    expect(r1.config).toMatchObject({ file: 's/r1/nftables.conf', text: expect.stringMatching(/^ip6 saddr 2001:db8:1::\/64 ip6 daddr 2001:db8:2::\/64 .*dport 443/) });
  });
});
