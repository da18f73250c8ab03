// `emulateJoint`: both parties of a contract in one lab (joint.ts plans it). The lab is built
// and torn down as one (one run id), routing must reach both parties' compiled FIBs, and every
// assertion of both parties (their intents' and their contract guarantees) is probed and judged
// against that party's own verdict. "Announces only its announcements" is judged by the BGP
// session itself: what each side's device advertises to the other across the interconnect.

import { containsPrefix, prefixOf } from '../language/address.js';
import type { AssertionModel, DeviceModel } from '../compiler/model.js';
import type { Verdict } from '../verifier/verdict.js';
import { judge, packetsAgree, planAssertionProbes, type AssertionProbes, type PacketsVerdict } from './assertions.js';
import { buildLab, type Lab } from './build.js';
import { backendConfigs, type ConfigSource } from './configs.js';
import { bgpSession, routeTable } from './frr.js';
import type { AssertionOutcome, DeviceReport, EmulationReport } from './index.js';
import { recordLab, runInLab, startReport } from './lab-report.js';
import { planJointLab, taggedId, type JointParty, type JointPlan, type PartyView } from './joint.js';
import { prepareProbes, type AddedAddresses } from './probe-setup.js';
import { runProbes, type ProbePacket, type ProbeSpec } from './probe.js';
import { cleanStaleRuns } from './teardown.js';

export interface JointPartyInput extends JointParty {
  /** The party's verdicts, one per assertion of its model, in the same order. */
  verdicts: Verdict[];
}

/** Where a probe stands in the joint lab, for the caller's choice of which probes belong to an assertion. */
export interface ProbeContext {
  /** Index of the party (0 or 1) whose assertion it is. */
  party: number;
  assertion: AssertionModel;
  packet: ProbePacket;
  /** The probe starts at the other party's endpoint (a stand-in for the contract's external). */
  fromOtherParty: boolean;
}

export interface JointEmulateOptions {
  keep?: boolean;
  convergenceLimitMs?: number;
  runId: string;
  /**
   * Why a planned probe is not one of its assertion's packets (outside its scope, or a packet the
   * other party's own network does not send across), or undefined to send it.
   */
  leaveOut?: (probe: ProbeContext) => string | undefined;
  /**
   * For a probe from the other party that is sent: why that party's own network may stop it
   * before this side sees it (it does not send it across, by its model), for the report.
   */
  shielded?: (probe: ProbeContext) => string | undefined;
  log?: (line: string) => void;
}

/** One direction of the interconnect: what one party's device advertises to the other. */
export interface InterconnectSession {
  from: string;
  to: string;
  /** The sending device, tagged by party (`acme:fra1.edge1`), and its neighbour's address. */
  device: string;
  neighbor: string;
  /** The session's state at the sender (`Established` when up). */
  state: string;
  advertised: string[];
  /** The advertised prefixes outside the sender's announcements in the contract. */
  outside: string[];
  /**
   * The receiving device (tagged) and the prefixes its routing table holds from this session:
   * what its import filter let in of what was advertised.
   */
  receiver?: { device: string; accepted: string[] };
}

export interface JointReport {
  contract: string;
  parties: { party: string; network: string }[];
  sessions: InterconnectSession[];
  /** Probes left out of an assertion, per party and assertion text, with the reason (summed). */
  leftOut: { party: string; assertion: string; reason: string; probes: number }[];
}

export async function emulateJoint(a: JointPartyInput, b: JointPartyInput, opts: JointEmulateOptions): Promise<EmulationReport> {
  const cleanedStale = cleanStaleRuns();
  const plan = planJointLab(a, b, opts.runId);
  const keep = Boolean(opts.keep);
  const joint: JointReport = { contract: a.contract.name, parties: [a, b].map((p) => ({ party: p.party, network: p.model.name })), sessions: [], leftOut: [] };
  const report: EmulationReport = { ...startReport(plan.runId, plan.build.model.name, plan.build.namespaces.map((n) => n.name), deviceReports(plan, undefined), cleanedStale, keep), joint };
  return runInLab(report, keep, async (listeners) => {
    const lab = await buildLab(plan.build, {
      configs: ownConfigs(plan),
      ...(opts.convergenceLimitMs !== undefined ? { convergenceLimitMs: opts.convergenceLimitMs } : {}),
      ...(opts.log ? { log: opts.log } : {}),
    });
    recordLab(report, lab, deviceReports(plan, lab));
    joint.sessions = await interconnectSessions(plan, lab);

    const t0 = Date.now();
    const inputs = [a, b];
    // Both parties' device addresses: a party's view holds only its own devices.
    const deviceAddresses = new Set([...plan.owners.values()].flatMap((o) => o.device.device.interfaces.flatMap((i) => i.addresses.map((a) => a.split('/')[0]!))));
    const planned = plan.views.map((v, k) => planParty(v, k, inputs[k]!.verdicts, joint, opts, deviceAddresses));
    const added: AddedAddresses = new Map();
    const all = await prepareProbes(planned.flat(), listeners, added);
    const byId = new Map((await runProbes(all)).map((r) => [r.spec.id, r]));
    plan.views.forEach((v, k) => {
      for (const p of planned[k]!) {
        const probes = p.probes.map((s) => byId.get(s.id)!);
        const proof = inputs[k]!.verdicts[p.index]?.status ?? 'none';
        const packets = p.assertion.contract?.guarantee === 'announces-only' ? announcesVerdict(joint, v, p) : judge(p.assertion, probes, p.vacuous);
        const notes = p.notes.length > 0 ? { notes: p.notes } : {};
        report.results.push({ party: v.party, assertion: p.assertion, proof, packets, agrees: packetsAgree(proof, packets), probes, untested: p.untested, ...notes } satisfies AssertionOutcome);
      }
    });
    report.probeMillis = Date.now() - t0;
  });
}

/** Each device runs exactly what its own party compiles: its own device plan, its own party's model. */
function ownConfigs(plan: JointPlan): ConfigSource {
  return (devicePlan) => {
    const owner = plan.owners.get(devicePlan.id);
    if (!owner) throw new Error(`internal: no party owns ${devicePlan.id}`);
    return backendConfigs(owner.device, owner.model);
  };
}

/** A party's assertion planned in its own view, with what the reader needs to know about its probes. */
type PartyProbes = AssertionProbes & { notes: string[] };

/** A party's assertions planned in its own view, probe ids tagged by party, left-out probes noted. */
function planParty(v: PartyView, k: number, verdicts: Verdict[], joint: JointReport, opts: JointEmulateOptions, deviceAddresses: ReadonlySet<string>): PartyProbes[] {
  const standIns = new Set(v.standIns.map((s) => s.ns));
  return v.plan.model.assertions.map((assertion, i) => {
    const p = { ...planAssertionProbes(v.plan, i, verdicts[i]), notes: [] as string[] };
    // A counterexample at an address of the other party's devices (its gateway, say) is not
    // placed in an endpoint: the address would take the device's place there.
    const devices = p.extraAddresses.map((x) => x.address.split('/')[0]!).filter((a) => deviceAddresses.has(a));
    if (devices.length > 0) {
      p.extraAddresses = p.extraAddresses.filter((x) => !devices.includes(x.address.split('/')[0]!));
      p.probes = p.probes.filter((s) => !(s.note.startsWith("the verifier's") && (devices.includes(s.packet.source) || devices.includes(s.packet.destination))));
      p.untested.push(`counterexample: ${devices.join(', ')} is a device's own address`);
    }
    // About the BGP session, not packets (announcesVerdict): its counterexample is an announcement.
    if (assertion.contract?.guarantee === 'announces-only') return { ...p, probes: [], untested: [] };
    const reasons = new Map<string, number>();
    const shielded = new Map<string, number>();
    const kept: ProbeSpec[] = [];
    for (const s of p.probes) {
      const counterexample = s.note.startsWith("the verifier's");
      const context: ProbeContext = { party: k, assertion, packet: s.packet, fromOtherParty: standIns.has(s.fromNs) };
      const why = counterexample ? undefined : opts.leaveOut?.(context);
      if (why !== undefined) {
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
        continue;
      }
      kept.push({ ...s, id: `${k}${s.id}` });
      const stop = context.fromOtherParty ? opts.shielded?.(context) : undefined;
      if (stop !== undefined) shielded.set(stop, (shielded.get(stop) ?? 0) + 1);
    }
    for (const [why, n] of [...shielded].sort((x, y) => (x[0] < y[0] ? -1 : 1))) p.notes.push(`${n} of its probes from ${joint.parties[1 - k]?.party ?? 'the other party'}: ${why}`);
    const sorted = [...reasons].sort((x, y) => (x[0] < y[0] ? -1 : 1));
    for (const [reason, probes] of sorted) joint.leftOut.push({ party: v.party, assertion: assertion.text, reason, probes });
    if (kept.length === 0 && sorted.length > 0) p.untested.push(`every planned probe left out: ${sorted.map(([r]) => r).join('; ')}`);
    return { ...p, probes: kept };
  });
}

/** Both directions of the interconnect, read at each sending device once routing has settled. */
async function interconnectSessions(plan: JointPlan, lab: Lab): Promise<InterconnectSession[]> {
  const out: InterconnectSession[] = [];
  for (const [k, v] of plan.views.entries()) {
    const other = plan.views[1 - k]!;
    for (const d of v.attached) {
      const device = taggedId(v.party, d.device);
      const inst = lab.frr.get(device);
      for (const neighbor of d.neighbors) {
        const s = inst ? await bgpSession(inst, neighbor) : { state: 'no routing daemon', advertised: [] };
        const outside = s.advertised.filter((p) => !within(p, v.contract.us.announces));
        const receiver = await acceptedBy(lab, other, v.plan.devices.find((x) => x.id === d.device)?.device);
        out.push({ from: v.party, to: other.party, device, neighbor, state: s.state, advertised: s.advertised, outside, ...(receiver ? { receiver } : {}) });
      }
    }
  }
  return out;
}

/** The other side's device with a session to one of the sender's addresses, and the BGP routes it holds from that address. */
async function acceptedBy(lab: Lab, receiver: PartyView, sender: DeviceModel | undefined): Promise<InterconnectSession['receiver']> {
  const own = new Set((sender?.interfaces ?? []).flatMap((i) => i.addresses.map((x) => x.split('/')[0]!)));
  for (const d of receiver.attached) {
    const peer = d.neighbors.find((n) => own.has(n));
    const inst = lab.frr.get(taggedId(receiver.party, d.device));
    if (peer === undefined || !inst) continue;
    const table = await routeTable(inst, peer.includes(':') ? 6 : 4);
    const accepted = Object.entries(table)
      .filter(([, entries]) => entries.some((e) => e.protocol === 'bgp' && (e.nexthops ?? []).some((h) => h.ip === peer)))
      .map(([prefix]) => prefix)
      .sort();
    return { device: taggedId(receiver.party, d.device), accepted };
  }
  return undefined;
}

function within(prefix: string, announces: readonly string[]): boolean {
  const p = prefixOf(prefix);
  return announces.some((x) => containsPrefix(prefixOf(x), p));
}

/**
 * "Announces only its announcements", by the sessions: fails when a session of the party
 * advertises a prefix outside them; untested when a session is not up (nothing to read).
 */
function announcesVerdict(joint: JointReport, v: PartyView, p: AssertionProbes): PacketsVerdict {
  const sessions = joint.sessions.filter((s) => s.from === v.party);
  if (sessions.some((s) => s.outside.length > 0)) return 'fails';
  const down = sessions.filter((s) => s.state !== 'Established');
  for (const s of down) p.untested.push(`the BGP session of ${s.device} to ${s.neighbor} is ${s.state}`);
  if (sessions.length === 0) p.untested.push(`no BGP session of ${v.party} to ${joint.parties.find((x) => x.party !== v.party)?.party ?? 'the other party'}`);
  return sessions.length > 0 && down.length === 0 ? 'holds' : 'untested';
}

function deviceReports(plan: JointPlan, lab: Lab | undefined): DeviceReport[] {
  return plan.build.devices.map((d) => ({
    id: d.id,
    platform: d.platform,
    emulatedAs: d.emulatedAs,
    native: d.native,
    filters: d.filters,
    configSource: lab?.configs.get(d.id)?.source ?? '',
    renamed: d.renamed,
  }));
}
