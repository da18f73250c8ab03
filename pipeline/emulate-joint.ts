// Emulating both parties of a contract in one lab, as plain data: each party's intent checked,
// compiled and proven on its own, with its contract guarantees, exactly as `plumb verify` proves
// that folder; then one lab of both networks joined at the contract's interconnect
// (emulator/joint.ts), where every assertion of both parties is probed and judged against that
// party's verdict. This file says which packets belong to an assertion (its scope, and what the
// other party's own network sends across); the emulator runs them.

import type { AssertionModel, ContractModel, NetworkModel } from '../compiler/model.js';
import { compareDiagnostics, type Diagnostic } from '../language/diagnostic.js';
import { withContractGuarantees } from '../verifier/contracts.js';
import { SolverPool, verifyModel } from '../verifier/index.js';
import { inBox, inScope } from '../verifier/scope.js';
import { deliveredTo, simulate } from '../verifier/simulate.js';
import type { Packet, Verdict } from '../verifier/verdict.js';
import { compileIntent, type Compiled } from './compile.js';
import { emulateJoint, newRunId, type EmulationReport, type ProbeContext } from './emulate.js';
import type { SourceText } from './sources.js';

export interface JointEmulateOptions {
  keep: boolean;
  convergenceLimitMs: number;
  log?: (line: string) => void;
}

/** Why two intents cannot share a lab (a usage error: exit 2), with a hint. */
export interface JointProblem {
  message: string;
  hint: string;
}

export interface JointEmulated {
  /** Both intents' front-end and compiler diagnostics, sorted by file and position. */
  diagnostics: Diagnostic[];
  /** Present when the two intents are not the two parties of one contract. */
  problem?: JointProblem;
  /** Present when the lab ran. */
  report?: EmulationReport;
}

export async function emulateJointIntents(a: readonly SourceText[], b: readonly SourceText[], options: JointEmulateOptions): Promise<JointEmulated> {
  const compiled: [Compiled, Compiled] = [compileIntent(a), compileIntent(b)];
  const diagnostics = [...compiled[0].diagnostics, ...compiled[1].diagnostics].sort(compareDiagnostics);
  const [ma, mb] = [compiled[0].model, compiled[1].model];
  if (!ma || !mb) return { diagnostics };
  const pair = commonContract(ma, mb);
  if ('message' in pair) return { diagnostics, problem: pair };
  const models = [withContractGuarantees(ma), withContractGuarantees(mb)] as const;
  const pool = new SolverPool(2);
  await pool.start();
  let verdicts: [Verdict[], Verdict[]];
  try {
    verdicts = [(await verifyModel(models[0], { pool })).verdicts, (await verifyModel(models[1], { pool })).verdicts];
  } finally {
    await pool.close();
  }
  const contracts = [pair.a, pair.b] as const;
  const report = await emulateJoint(
    { party: pair.a.us.name, model: models[0], contract: pair.a, verdicts: verdicts[0] },
    { party: pair.b.us.name, model: models[1], contract: pair.b, verdicts: verdicts[1] },
    {
      runId: newRunId(),
      keep: options.keep,
      convergenceLimitMs: options.convergenceLimitMs,
      leaveOut: (probe) => probeLeftOut(probe, models[1 - probe.party]!, contracts[1 - probe.party]!),
      shielded: (probe) => {
        const [other, ours] = [contracts[1 - probe.party]!, contracts[probe.party]!];
        if (sentAcross(probe, models[1 - probe.party]!, other)) return undefined;
        return `${other.us.name}'s own network does not send them across (by its model): they are stopped in the joint network whatever ${ours.us.name}'s side does`;
      },
      ...(options.log ? { log: options.log } : {}),
    },
  );
  return { diagnostics, report };
}

/** The contract both implement as opposite parties: same parties, ASNs and meet addresses, seen from each side. */
function commonContract(a: NetworkModel, b: NetworkModel): { a: ContractModel; b: ContractModel } | JointProblem {
  const hint = 'give the two parties of one contract: plumb emulate PARTY_PATH --with OTHER_PARTY_PATH';
  const ca = a.contracts ?? [];
  const cb = b.contracts ?? [];
  for (const [m, cs] of [[a, ca], [b, cb]] as const) {
    if (cs.length === 0) return { message: `intent ${m.name} implements no contract: a joint lab holds the two parties of one`, hint };
  }
  for (const x of ca) {
    for (const y of cb) {
      const opposite = x.us.name === y.them.name && x.them.name === y.us.name && x.us.asn === y.them.asn && x.them.asn === y.us.asn;
      if (opposite && x.meet.ours === y.meet.theirs && x.meet.theirs === y.meet.ours) return { a: x, b: y };
    }
  }
  const sides = (m: NetworkModel, cs: readonly ContractModel[]): string => cs.map((c) => `${m.name} implements ${c.name} as ${c.us.name} (meet ${c.meet.ours})`).join(', ');
  return { message: `${sides(a, ca)}; ${sides(b, cb)}: not the two opposite parties of one contract`, hint };
}

/**
 * Why a planned probe is not one of its assertion's packets: outside the assertion's scope (a
 * guarantee's sources, destinations, exceptions, openings), outside every offer's `at` of an
 * assumed party; or, for a `reach` from the other party, a packet that party's own network (its
 * model) does not send across the interconnect, which says nothing about this side.
 */
export function probeLeftOut(probe: ProbeContext, other: NetworkModel, otherContract: ContractModel): string | undefined {
  const p = packetOf(probe.packet);
  const a: AssertionModel = probe.assertion;
  if (!inScope(p, a.scope)) return "outside the assertion's scope";
  const assumes = a.assumes;
  const toOther = assumes !== undefined && !probe.fromOtherParty && inBox(p, { destinations: otherContract.us.announces, services: [{}] });
  if (assumes && toOther && !assumes.offers.some((o) => inBox(p, { ...(o.destinations ? { destinations: o.destinations } : {}), services: [{}] }))) {
    return `to ${assumes.party} outside every address it offers at`;
  }
  if (a.property === 'reach' && probe.fromOtherParty && !sentAcross(probe, other, otherContract)) return notSent(otherContract);
  return undefined;
}

/** Whether the other party's network, by its model, delivers the probe's packet to its external for us. */
function sentAcross(probe: ProbeContext, other: NetworkModel, otherContract: ContractModel): boolean {
  const traces = simulate(other, packetOf(probe.packet));
  return traces.length > 0 && traces.every((t) => deliveredTo(other, t, [otherContract.external]));
}

function notSent(otherContract: ContractModel): string {
  return `${otherContract.us.name}'s own network does not send it across (by its model)`;
}

function packetOf(p: ProbeContext['packet']): Packet {
  return { family: p.destination.includes(':') ? 6 : 4, ...p };
}
