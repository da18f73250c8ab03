// The emulator on a hand-built network (fixture.ts): a real lab in network namespaces — TCP, UDP
// and ICMP flows that pass, denied ones that are blocked, the verifier's counterexample packets
// crafted as they are, an external announcing more than its prefixes, and nothing left behind
// afterwards. The plan without a lab is in lab-plan.test.ts.

import { execFileSync, spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { emulate, missingPrerequisites, newRunId } from '../../emulator/index.js';
import { planLab } from '../../emulator/lab.js';
import { buildLab } from '../../emulator/build.js';
import { runProbes } from '../../emulator/probe.js';
import { RUN_ROOT, cleanStaleRuns, teardownRunAsync } from '../../emulator/teardown.js';
import { verifyModel } from '../../verifier/index.js';
import { ASSERTIONS, handBuiltModel, handWrittenConfigs } from './fixture.js';
import { dualStack, statefulVariant, withoutPartner } from './fixture-variants.js';
import { twoRouterIntent } from '../intent-runs.js';

/** A two-router OSPF intent for the command-line tests. */
const TINY_INTENT = twoRouterIntent({ network: 'tiny', routing: 'ospf', tail: 'assert reach a -> b : https\nassert isolate b -> a\n' });

const missing = missingPrerequisites();
const canRun = missing.length === 0;
if (!canRun && !process.env.CI) {
  console.warn(
    `\n*** SKIPPING the emulator's lab tests: missing ${missing.join(', ')} (they run in CI as root) ***\n`,
  );
}
/** Outside CI a machine without root or the tools skips; in CI it must not. */
const labIt = canRun || process.env.CI ? it : it.skip;
/**
 * The labs run at once (most of a lab is waiting for routing), each in namespaces of its own run
 * id, so each test tells its own things apart from the others': by run id, and by namespace.
 */
const labItAtOnce = canRun || process.env.CI ? it.concurrent : it.skip;

function namespaces(): string[] {
  return execFileSync('ip', ['netns', 'list'], { encoding: 'utf8' })
    .split('\n')
    .map((l) => l.split(' ')[0]!)
    .filter(Boolean);
}

/** Processes whose command line matches (FRR daemons name their pathspace, the run id). */
function processesOf(pattern: string | RegExp): string[] {
  return processes(pattern).map((p) => `${p.pid} ${p.cmd}`);
}

function processes(pattern: string | RegExp): { pid: string; cmd: string }[] {
  const out: { pid: string; cmd: string }[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0/g, ' ');
      if (typeof pattern === 'string' ? cmd.includes(pattern) : pattern.test(cmd)) out.push({ pid, cmd });
    } catch {
      /* gone */
    }
  }
  return out;
}

/** A network namespace as its device and inode (the same for /proc/PID/ns/net and /run/netns/NAME). */
function netnsKey(path: string): string | undefined {
  try {
    const st = statSync(path);
    return `${st.dev}:${st.ino}`;
  } catch {
    return undefined;
  }
}

/**
 * Processes matching `pattern` in a network namespace that no longer has a name: their lab's
 * namespaces were deleted around them. Those of a lab still running (another test's, with the
 * same fixture addresses) are in named namespaces and do not count.
 */
function leftBehind(pattern: RegExp): string[] {
  const named = new Set(namespaces().map((n) => netnsKey(`/run/netns/${n}`)));
  return processes(pattern)
    .filter((p) => {
      const key = netnsKey(`/proc/${p.pid}/ns/net`);
      return key !== undefined && !named.has(key);
    })
    .map((p) => `${p.pid} ${p.cmd}`);
}

/** The run ids whose owner file names this process (the folder a run claims first). */
function ownedRuns(pid: number): string[] {
  if (!existsSync(RUN_ROOT)) return [];
  return readdirSync(RUN_ROOT).filter((id) => {
    try {
      return /^pl[0-9a-f]{6}$/.test(id) && Number(readFileSync(join(RUN_ROOT, id, 'owner'), 'utf8').trim()) === pid;
    } catch {
      return false;
    }
  });
}

labIt('this machine has root and every tool a lab needs', () => {
  expect(missing).toEqual([]);
});

describe('a lab in network namespaces', () => {
  const timings: string[] = [];
  afterAll(() => {
    if (timings.length > 0) console.log(`emulator timings (2-core machine): ${timings.join('; ')}`);
  });

  labItAtOnce(
    'real packets agree with every verdict of the verifier, and nothing is left behind',
    async () => {
      const model = handBuiltModel();
      const verification = await verifyModel(model);
      // The fixture is what it claims to be: these verdicts come from the verifier itself.
      expect(verification.verdicts.map((v) => v.status)).toEqual(ASSERTIONS.map((a) => a.expected));
      const runId = newRunId();
      const report = await emulate(model, {
        verdicts: verification.verdicts,
        configs: handWrittenConfigs,
        runId,
        extraAnnouncements: { partner: ['203.0.113.0/24', '10.2.0.0/25'] },
        convergenceLimitMs: 30_000,
      });
      timings.push(
        `hand-built: build ${report.buildMillis} ms, converge ${report.convergeMillis} ms, probes ${report.probeMillis} ms, teardown ${report.teardownMillis} ms`,
      );
      expect(report.error).toBeUndefined();
      expect(report.converged).toBe(true);
      expect(report.fixes).toEqual([]);
      for (const r of report.results) {
        expect({ assertion: r.assertion.text, agrees: r.agrees, untested: r.untested }).toEqual({
          assertion: r.assertion.text,
          agrees: true,
          untested: [],
        });
      }
      const byText = new Map(report.results.map((r) => [r.assertion.text, r]));
      // A flow that passes, per protocol: TCP data echoed, the UDP reply, the ICMP echo reply.
      expect(byText.get('reach lan -> srv : https')!.probes[0]).toMatchObject({
        connected: true,
        delivered: true,
      });
      expect(byText.get('reach lan -> api : dns')!.probes[0]).toMatchObject({
        connected: true,
        delivered: true,
      });
      expect(byText.get('reach lan -> srv : ping')!.probes[0]).toMatchObject({
        connected: true,
        delivered: true,
      });
      // A denied flow never arrives.
      expect(byText.get('isolate lan -> srv : ssh')!.probes[0]).toMatchObject({
        connected: false,
        delivered: false,
      });
      // The stateless ACL's hole: the verifier's crafted ACK from port 443 gets through, a SYN does not.
      const hole = byText.get('isolate srv -> lan : ssh')!;
      expect(hole.packets).toBe('fails');
      const crafted = hole.probes.find((p) => p.spec.note.startsWith("the verifier's counterexample"))!;
      expect(crafted.spec.packet).toMatchObject({ sourcePort: 443, tcpFlags: ['ack'] });
      expect(crafted.delivered).toBe(true);
      expect(hole.probes.find((p) => p.spec.kind === 'connect')!.delivered).toBe(false);
      // `via`: the waypoint's counter saw the packets.
      expect(byText.get('reach partner -> srv : https via s.r2')!.probes[0]!.viaSeen).toEqual({
        [`${runId}-d-s_r2`]: true,
      });
      // The partner announced more than its prefix: the import filter rejected it.
      expect(report.importChecks).toEqual([
        { external: 'partner', device: 's.r1', prefix: '203.0.113.0/24', rejected: true },
        { external: 'partner', device: 's.r1', prefix: '10.2.0.0/25', rejected: true },
      ]);
      expect(report.devices.find((d) => d.id === 's.r2')).toMatchObject({
        native: false,
        filters: 'emulator-stateless',
      });
      // Nothing left: namespaces, daemons and listeners (their command lines name the run), folders.
      // (Other runs may be in progress on the machine: only this run's things are counted.)
      expect(namespaces().filter((n) => n.startsWith(runId))).toEqual([]);
      expect(processesOf(runId)).toEqual([]);
      // The echo listeners (socat, bound to the fixture's addresses), in namespaces gone with the lab.
      expect(leftBehind(/^socat .*bind=(10\.[12]\.0\.|198\.51\.100\.)/)).toEqual([]);
      expect(existsSync(join(RUN_ROOT, runId))).toBe(false);
    },
    120_000,
  );

  labItAtOnce(
    'the same crafted ACK passes the stateless ACL but not the stateful zone policy, as the verifier says',
    async () => {
      const ack = 'isolate srv -> lan : ssh';
      // The two variants' labs at once, each in namespaces of its own run id.
      const variants = [
        ['stateless', withoutPartner(handBuiltModel())],
        ['stateful', statefulVariant(withoutPartner(handBuiltModel()))],
      ] as const;
      await Promise.all(
        variants.map(async ([variant, model]) => {
          const verdict = (await verifyModel(model)).verdicts.find((v) => v.assertion.text === ack)!;
          expect(verdict.status, variant).toBe(variant === 'stateless' ? 'refuted' : 'proven');
          const plan = planLab(model, { runId: newRunId() });
          try {
            const lab = await buildLab(plan, { configs: handWrittenConfigs, convergenceLimitMs: 20_000 });
            expect(lab.missing).toEqual([]);
            const srv = plan.endpoints.find((e) => e.name === 'srv')!;
            const lan = plan.endpoints.find((e) => e.name === 'lan')!;
            const packet = { source: srv.representative[4]!, destination: lan.representative[4]!, protocol: 6 };
            const [crafted, syn, https] = await runProbes([
              {
                id: 'ack',
                kind: 'craft',
                fromNs: srv.ns,
                toNs: lan.ns,
                note: 'ack',
                packet: { ...packet, sourcePort: 443, destinationPort: 22, tcpFlags: ['ack'] },
              },
              {
                id: 'syn',
                kind: 'craft',
                fromNs: srv.ns,
                toNs: lan.ns,
                note: 'syn',
                packet: { ...packet, sourcePort: 443, destinationPort: 23, tcpFlags: ['syn'] },
              },
              {
                id: 'https',
                kind: 'connect',
                fromNs: lan.ns,
                toNs: srv.ns,
                note: 'https',
                packet: {
                  source: lan.representative[4]!,
                  destination: srv.representative[4]!,
                  protocol: 6,
                  destinationPort: 443,
                },
              },
            ]);
            expect({ variant, delivered: crafted!.delivered }).toEqual({
              variant,
              delivered: variant === 'stateless',
            });
            expect(syn!.delivered).toBe(false);
            // Listeners are the emulate() run's job; with none, the connection is refused, but its
            // SYN arrived and the refusal came back: both ways pass.
            expect(https!.delivered).toBe(true);
          } finally {
            await teardownRunAsync(plan.runId);
          }
          expect(namespaces().filter((n) => n.startsWith(plan.runId))).toEqual([]);
        }),
      );
    },
    90_000,
  );

  labItAtOnce(
    'IPv6: a dual-stack network is probed in both families and agrees with the verifier',
    async () => {
      const model = dualStack(withoutPartner(handBuiltModel()));
      // The reply rule's hole, in both families: srv may send ACKs from port 443 to lan.
      const hole = handBuiltModel().assertions.find((a) => a.text === 'isolate srv -> lan : ssh')!;
      model.assertions.push(hole);
      // An IPv6-only host on lan and the IPv4-only host api: no family in common, so the
      // assertion between them is vacuous, which is no disagreement.
      const lan = model.endpoints.find((e) => e.name === 'lan')!;
      model.endpoints.push({ ...lan, name: 'h6', kind: 'host', include: ['2001:db8:1::20/128'], segment: 'lan' });
      const vacuous = { ...hole, sources: ['h6'], destinations: ['api'], text: 'isolate h6 -> api : ssh' };
      model.assertions.push(vacuous);
      const verification = await verifyModel(model);
      expect(verification.verdicts.slice(0, 4).map((v) => v.status)).toEqual(['proven', 'proven', 'proven', 'refuted']);
      expect(verification.verdicts[4]!.status).not.toBe('refuted');
      const report = await emulate(model, {
        verdicts: verification.verdicts,
        configs: handWrittenConfigs,
        convergenceLimitMs: 20_000,
      });
      expect(report.error).toBeUndefined();
      expect(report.notConverged).toEqual([]);
      for (const r of report.results)
        expect({ text: r.assertion.text, agrees: r.agrees }).toEqual({
          text: r.assertion.text,
          agrees: true,
        });
      expect(report.results.find((r) => r.assertion.text === vacuous.text)).toMatchObject({
        packets: 'vacuous',
        agrees: true,
        probes: [],
      });
      const v6 = report.results
        .filter((r) => r.assertion.text !== hole.text)
        .flatMap((r) => r.probes)
        .filter((p) => p.spec.packet.source.includes(':'));
      const holeProbes = report.results.find((r) => r.assertion.text === hole.text)!.probes;
      expect(
        holeProbes
          .filter((p) => p.delivered && p.spec.kind === 'craft')
          .map((p) => `${p.spec.packet.source.includes(':') ? 6 : 4} ${p.spec.packet.sourcePort} ${p.spec.packet.tcpFlags?.join(',')}`)
          .filter((x) => !x.includes('undefined'))
          .sort(),
      ).toEqual(expect.arrayContaining(['4 443 ack', '4 443 rst', '6 443 ack', '6 443 rst']));
      expect(
        v6
          .filter((p) => p.spec.kind === 'connect')
          .map(
            (p) =>
              `${p.spec.packet.protocol} ${p.spec.packet.destinationPort ?? p.spec.packet.icmpType} ${p.connected} ${p.delivered}`,
          ),
      ).toEqual(['6 443 true true', '58 128 true true', '6 22 false false']);
      // The isolate through the stateless r2: crafted IPv6 ACKs and RSTs from the reply rules'
      // ports, none delivered (the reply rule admits port 443 toward lan only).
      const crafted = v6.filter((p) => p.spec.kind === 'craft');
      expect(crafted.length).toBeGreaterThan(0);
      expect(crafted.filter((p) => p.delivered).map((p) => p.spec.packet)).toEqual([]);
    },
    90_000,
  );

  labItAtOnce(
    'Ctrl-C during plumb emulate tears the lab down',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'plumb-sigint-'));
      const file = join(dir, 'tiny.plumb');
      writeFileSync(file, TINY_INTENT);
      const root = join(import.meta.dirname, '../..');
      const child = spawn(join(root, 'node_modules/.bin/vite-node'), ['cli/main.ts', 'emulate', file], {
        cwd: root,
        stdio: 'ignore',
      });
      const exited = new Promise<{ code: number | null; signal: string | null }>((res) =>
        child.on('exit', (code, signal) => res({ code, signal })),
      );
      let runId: string | undefined;
      for (let i = 0; i < 240 && !runId; i++) {
        await new Promise((r) => setTimeout(r, 250));
        // The child's own run: the one whose owner file names it (other labs run meanwhile).
        const own = ownedRuns(child.pid!)[0];
        const ns = own && namespaces().find((n) => n === `${own}-d-s_r2`);
        // Interrupt once the routing daemons run (OSPF is still converging then).
        if (ns && processesOf(`${ns} `).some((p) => p.includes('ospfd'))) runId = own;
      }
      expect(runId, 'the lab came up').toBeDefined();
      child.kill('SIGINT');
      const { code, signal } = await exited;
      rmSync(dir, { recursive: true, force: true });
      expect(signal === 'SIGINT' || code === 130).toBe(true);
      expect(namespaces().filter((n) => n.startsWith(runId!))).toEqual([]);
      expect(processesOf(runId!)).toEqual([]);
      expect(existsSync(join(RUN_ROOT, runId!))).toBe(false);
    },
    120_000,
  );

  labIt('a lab left over by a killed run is removed by the next one', async () => {
    const stale = newRunId();
    const ns = `${stale}-d-left`;
    // Owned by this (live) process while it is set up, so that a run in another test file
    // cannot take it for stale half-way.
    mkdirSync(join(RUN_ROOT, stale), { recursive: true });
    writeFileSync(join(RUN_ROOT, stale, 'owner'), `${process.pid}\n`);
    execFileSync('ip', ['netns', 'add', ns]);
    const sleeper = spawn('ip', ['netns', 'exec', ns, 'sleep', '300'], { stdio: 'ignore', detached: true });
    await new Promise((r) => setTimeout(r, 200));
    expect(namespaces()).toContain(ns);
    // Now its owner is gone, as after a kill -9.
    writeFileSync(join(RUN_ROOT, stale, 'owner'), '999999999\n');
    // (Another run may remove it first: what matters is that it is gone.)
    cleanStaleRuns();
    expect(namespaces()).not.toContain(ns);
    expect(existsSync(join(RUN_ROOT, stale))).toBe(false);
    // The teardown killed it; its exit reaches this process through the event loop.
    const ended = (): boolean => sleeper.exitCode !== null || sleeper.signalCode !== null;
    for (const t0 = Date.now(); !ended() && Date.now() - t0 < 10_000; ) await new Promise((r) => setTimeout(r, 50));
    expect(ended()).toBe(true);
  });

  labIt('a lab whose owner is alive is not touched', () => {
    const live = newRunId();
    mkdirSync(join(RUN_ROOT, live), { recursive: true });
    writeFileSync(join(RUN_ROOT, live, 'owner'), `${process.pid}\n`);
    try {
      expect(cleanStaleRuns()).not.toContain(live);
      expect(existsSync(join(RUN_ROOT, live))).toBe(true);
    } finally {
      writeFileSync(join(RUN_ROOT, live, 'owner'), '999999999\n');
      cleanStaleRuns();
    }
  });
});
