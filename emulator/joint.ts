// The plan of a joint lab: both parties of a contract in one lab (docs/emulator.md, "Both
// parties of a contract"). Each party's model is planned as for a lab of its own (lab.ts), with
// its namespaces tagged by its party, and without the external that stands for the other party:
// instead one veth joins the two sides' attach interfaces (the meet line's addresses), so that
// the BGP session between the two parties' devices runs on their own compiled configurations.
//
// Two views come out of it. The lab builds one plan of both networks, in which each device's id
// is tagged with its party (`acme:fra1.edge1`: both parties may have a device of the same name).
// Each party's assertions are probed in that party's own plan, where the external standing for
// the other party is the other party's real endpoints within its announcements. Pure.

import type { ContractModel, DeviceModel, NetworkModel } from '../compiler/model.js';
import { containsAddress, parseAddress, prefixOf, type Family } from '../language/address.js';
import { planLab, type DevicePlan, type EndpointPlan, type LabPlan, type VethPlan } from './lab.js';

/** One party: its name in the contract, its model (with its guarantees as assertions), its side of the contract. */
export interface JointParty {
  party: string;
  model: NetworkModel;
  contract: ContractModel;
}

/** A party's own plan, as its assertions are probed in the joint lab. */
export interface PartyView {
  party: string;
  contract: ContractModel;
  /** The party's plan, plus the other party's endpoints standing for the contract's external. */
  plan: LabPlan;
  /** Of `plan.endpoints`, those standing for the other party (named as the contract's external). */
  standIns: EndpointPlan[];
  /** The party's devices attached to the other party, with their sessions to it. */
  attached: { device: string; neighbors: string[] }[];
}

export interface JointPlan {
  runId: string;
  /** What the lab builds: both parties' namespaces, veths and devices (ids tagged by party). */
  build: LabPlan;
  views: [PartyView, PartyView];
  /** The veths between the two parties' attach interfaces. */
  meet: VethPlan[];
  /** Each tagged device id of `build`: its party's own device plan and model, for its configuration. */
  owners: Map<string, { party: string; device: DevicePlan; model: NetworkModel }>;
}

export class JointPlanError extends Error {
  override name = 'JointPlanError';
}

/** `acme:fra1.edge1`: a device's id in the joint build plan. */
export function taggedId(party: string, id: string): string {
  return `${party}:${id}`;
}

export function planJointLab(a: JointParty, b: JointParty, runId: string): JointPlan {
  const plans = [a, b].map((p) => planLab(p.model, { runId, party: p.party, joined: [p.contract.external] })) as [LabPlan, LabPlan];
  const meet = meetVeths(a, plans[0], b, plans[1]);
  const owners = new Map<string, { party: string; device: DevicePlan; model: NetworkModel }>();
  const devices: DevicePlan[] = [];
  [a, b].forEach((p, k) => {
    for (const d of plans[k]!.devices) {
      const id = taggedId(p.party, d.id);
      owners.set(id, { party: p.party, device: d, model: plans[k]!.model });
      devices.push({ ...d, id, device: taggedDevice(p.party, d.device) });
    }
  });
  const endpoints = [...plans[0].endpoints, ...plans[1].endpoints];
  const build: LabPlan = {
    runId,
    model: {
      ...plans[0].model,
      name: `${a.model.name} + ${b.model.name}`,
      devices: devices.map((d) => d.device),
      endpoints: [...plans[0].model.endpoints, ...plans[1].model.endpoints].filter((e) => e.kind !== 'external' || endpoints.some((x) => x.name === e.name)),
      assertions: [],
    },
    namespaces: [...plans[0].namespaces, ...plans[1].namespaces].sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0)),
    veths: [...plans[0].veths, ...plans[1].veths, ...meet],
    devices,
    endpoints,
  };
  const views: [PartyView, PartyView] = [view(a, plans[0], plans[1]), view(b, plans[1], plans[0])];
  return { runId, build, views, meet, owners };
}

/** The device model with its id, and the ids its interfaces' peers name, tagged by party. */
function taggedDevice(party: string, d: DeviceModel): DeviceModel {
  return {
    ...d,
    id: taggedId(party, d.id),
    interfaces: d.interfaces.map((i) => (i.peer ? { ...i, peer: { ...i.peer, device: taggedId(party, i.peer.device) } } : i)),
  };
}

/** One veth per attachment of the contract's external, joining the two sides in order. */
function meetVeths(a: JointParty, planA: LabPlan, b: JointParty, planB: LabPlan): VethPlan[] {
  const attachA = planA.model.endpoints.find((e) => e.name === a.contract.external)?.attachments ?? [];
  const attachB = planB.model.endpoints.find((e) => e.name === b.contract.external)?.attachments ?? [];
  if (attachA.length === 0 || attachA.length !== attachB.length) {
    throw new JointPlanError(
      `${a.party} attaches ${attachA.length} device interface(s) to ${b.party} and ${b.party} ${attachB.length} to ${a.party}: the joint lab joins them one to one`,
    );
  }
  const nsA = new Map(planA.devices.map((d) => [d.id, d.ns]));
  const nsB = new Map(planB.devices.map((d) => [d.id, d.ns]));
  return attachA.map((x, k) => {
    const y = attachB[k]!;
    return { a: { ns: nsA.get(x.device)!, ifname: x.interface }, b: { ns: nsB.get(y.device)!, ifname: y.interface } };
  });
}

function view(us: JointParty, ours: LabPlan, theirs: LabPlan): PartyView {
  const within = (prefixes: readonly string[]) => (address: string): boolean => {
    const a = parseAddress(address);
    return a !== undefined && prefixes.some((p) => p.includes(':') === (a.family === 6) && containsAddress(prefixOf(p), a));
  };
  // The other party's segments and hosts, each with the representatives inside its announcements,
  // stand for the contract's external; those inside a part of it (`datahub.api`) for that part.
  const standIns: EndpointPlan[] = [];
  const stands = [
    { name: us.contract.external, inside: within(us.contract.them.announces) },
    ...ours.model.endpoints.filter((e) => e.partOf === us.contract.external).map((e) => ({ name: e.name, inside: within(e.include) })),
  ];
  for (const ep of theirs.endpoints) {
    if (ep.kind === 'external' || ep.device) continue;
    for (const stand of stands) {
      const representative: Partial<Record<Family, string>> = {};
      for (const f of [4, 6] as const) {
        const r = ep.representative[f];
        if (r !== undefined && stand.inside(r)) representative[f] = r;
      }
      if (Object.keys(representative).length === 0) continue;
      standIns.push({ ...ep, name: stand.name, kind: 'external', representative });
    }
  }
  const attached = ours.devices
    .filter((d) => (d.device.bgp?.neighbors ?? []).some((n) => n.external === us.contract.external) || ours.model.endpoints.some((e) => e.name === us.contract.external && e.attachments.some((x) => x.device === d.id)))
    .map((d) => ({ device: d.id, neighbors: (d.device.bgp?.neighbors ?? []).filter((n) => n.external === us.contract.external).map((n) => n.address) }));
  return { party: us.party, contract: us.contract, plan: { ...ours, endpoints: [...ours.endpoints, ...standIns] }, standIns, attached };
}
