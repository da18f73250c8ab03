// The joint lab's plan (emulator/joint.ts), without root: both parties of the federation example
// in one plan, their namespaces apart, one veth between the two attach interfaces where each
// party's lab alone has a stub for the other, each device rendered from its own party's model;
// and the two intents refused when they are not the two parties of one contract.

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planJointLab, type JointParty } from '../../emulator/joint.js';
import { endpointOwning, planLab } from '../../emulator/lab.js';
import { compileIntent } from '../../pipeline/compile.js';
import { emulateJointIntents, probeLeftOut } from '../../pipeline/emulate-joint.js';
import type { ContractGuarantee } from '../../compiler/model.js';
import { readSources, type SourceText } from '../../pipeline/sources.js';
import { withContractGuarantees } from '../../verifier/contracts.js';
import { run } from '../../cli/program.js';
import { capturedIo } from '../cli/captured-io.js';

const FEDERATION = join(import.meta.dirname, '..', '..', 'examples', 'federation');
const RUN = 'pl0a0b0c';

function sources(party: string): SourceText[] {
  return readSources([party], FEDERATION);
}

function party(srcs: SourceText[]): JointParty {
  const model = compileIntent(srcs).model!;
  expect(model).toBeDefined();
  const contract = model.contracts![0]!;
  return { party: contract.us.name, model: withContractGuarantees(model), contract };
}

/** Datahub's intent with its border router named as Acme's edge: both parties have fra1.edge1. */
function sameNames(srcs: SourceText[]): SourceText[] {
  return srcs.map((s) => (s.path.endsWith('datahub.plumb') ? { ...s, text: s.text.replaceAll('fr5', 'fra1').replaceAll('border', 'edge1') } : s));
}

describe('the joint lab plan of the federation example', () => {
  const acme = party(sources('acme'));
  const datahub = party(sources('datahub'));
  const plan = planJointLab(acme, datahub, RUN);

  it("tags every namespace with its party and keeps each party's own layout", () => {
    const names = plan.build.namespaces.map((n) => n.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names.every((n) => n.startsWith(`${RUN}-acme-`) || n.startsWith(`${RUN}-datahub-`))).toBe(true);
    expect(names).toContain(`${RUN}-acme-d-fra1_edge1`);
    expect(names).toContain(`${RUN}-datahub-d-fr5_border`);
    // The internet is still a stub of Acme's; neither party is a stub of the other's.
    expect(names).toContain(`${RUN}-acme-x-internet`);
    expect(names.filter((n) => /-x-(acme|datahub)$/.test(n))).toEqual([]);
  });

  it('joins the two attach interfaces, the meet addresses at their ends, with one veth and no stub', () => {
    expect(plan.meet).toHaveLength(1);
    const [veth] = plan.meet;
    const edge = plan.views[0].plan.devices.find((d) => d.id === 'fra1.edge1')!;
    const border = plan.views[1].plan.devices.find((d) => d.id === 'fr5.border')!;
    expect(veth!.a.ns).toBe(edge.ns);
    expect(veth!.b.ns).toBe(border.ns);
    const address = (d: typeof edge, ifname: string): string[] => d.device.interfaces.find((i) => i.name === ifname)!.addresses;
    expect(address(edge, veth!.a.ifname)).toEqual(['169.254.20.1/30']);
    expect(address(border, veth!.b.ifname)).toEqual(['169.254.20.2/30']);
    expect(plan.build.veths.filter((v) => v.b.ifname.endsWith('-stb'))).toEqual([]);
    expect(plan.build.veths).toContainEqual(veth);
    // Each party's own lab has a stub namespace for the other party on that interface instead.
    const alone = planLab(acme.model, { runId: RUN });
    expect(alone.namespaces.map((n) => n.name)).toContain(`${RUN}-x-datahub`);
  });

  it("puts a part of the other party (datahub.api) in its party's stub, with an address inside the part", () => {
    const alone = planLab(acme.model, { runId: RUN });
    // No namespace of its own: it enters and leaves where datahub attaches, as the model says.
    expect(alone.namespaces.filter((n) => n.of.startsWith('datahub'))).toEqual([{ name: `${RUN}-x-datahub`, kind: 'external', of: 'datahub' }]);
    const stub = alone.endpoints.find((e) => e.name === 'datahub')!;
    const part = alone.endpoints.find((e) => e.name === 'datahub.api')!;
    expect(part.ns).toBe(stub.ns);
    expect(part.representative[4]).toMatch(/^198\.51\.100\.([0-9]|[1-9][0-9]|1[01][0-9]|12[0-7])$/);
    expect(stub.addresses).toContainEqual({ ifname: 'lo', address: `${part.representative[4]}/32` });
    // An address inside the part belongs to the part, one outside it to the party.
    expect(endpointOwning(alone, part.representative[4]!)?.name).toBe('datahub.api');
    expect(endpointOwning(alone, '198.51.100.200')?.name).toBe('datahub');
  });

  it("gives each device its party's tag in the lab and its own id and model for its configuration", () => {
    expect(plan.build.devices.map((d) => d.id).sort()).toEqual(['acme:fra1.core1', 'acme:fra1.edge1', 'datahub:fr5.border', 'datahub:fr5.core']);
    const owner = plan.owners.get('datahub:fr5.border')!;
    expect(owner.device.id).toBe('fr5.border');
    expect(owner.device.device.id).toBe('fr5.border');
    expect(owner.model.name).toBe('datahub');
    const core = plan.build.devices.find((d) => d.id === 'acme:fra1.core1')!;
    expect(core.device.interfaces.filter((i) => i.peer).map((i) => i.peer!.device)).toEqual(['acme:fra1.edge1']);
  });

  it("stands the other party's endpoints within its announcements in for the contract's external", () => {
    const [ofAcme, ofDatahub] = plan.views;
    // DataHub's two segments stand for datahub; the one inside its named part `api` for datahub.api too.
    expect(ofAcme.standIns.map((e) => [e.name, e.ns, e.representative[4]])).toEqual([
      ['datahub', `${RUN}-datahub-s-api`, '198.51.100.100'],
      ['datahub.api', `${RUN}-datahub-s-api`, '198.51.100.100'],
      ['datahub', `${RUN}-datahub-s-lake`, '198.51.100.228'],
    ]);
    // Acme's office is not announced: it never stands for acme.
    expect(ofDatahub.standIns.map((e) => [e.name, e.ns])).toEqual([
      ['acme', `${RUN}-acme-s-app`],
      ['acme', `${RUN}-acme-s-billing`],
    ]);
    expect(ofAcme.attached).toEqual([{ device: 'fra1.edge1', neighbors: ['169.254.20.2'] }]);
  });

  it('keeps the namespaces apart when both parties have a device of the same name', () => {
    const twin = party(sameNames(sources('datahub')));
    const both = planJointLab(acme, twin, RUN);
    const names = both.build.namespaces.map((n) => n.name);
    expect(names).toContain(`${RUN}-acme-d-fra1_edge1`);
    expect(names).toContain(`${RUN}-datahub-d-fra1_edge1`);
    expect(new Set(names).size).toBe(names.length);
    expect(both.build.devices.map((d) => d.id)).toContain('datahub:fra1.edge1');
  });
});

describe('which planned probes are packets of an assertion in the joint lab', () => {
  const acme = party(sources('acme'));
  const datahub = party(sources('datahub'));
  const guarantee = (p: JointParty, g: ContractGuarantee): NonNullable<ReturnType<typeof p.model.assertions.find>> => p.model.assertions.find((a) => a.contract?.guarantee === g)!;
  const tcp = (source: string, destination: string, destinationPort: number, tcpFlags?: ('ack' | 'rst')[]) => ({ source, destination, protocol: 6, destinationPort, ...(tcpFlags ? { tcpFlags } : {}) });

  it("leaves out what a guarantee's scope leaves out: sources within the announcements, packets that open nothing", () => {
    const sends = guarantee(acme, 'sends-only-announced');
    expect(probeLeftOut({ party: 0, assertion: sends, packet: tcp('10.20.1.100', '198.51.100.100', 80), fromOtherParty: false }, datahub.model, datahub.contract)).toBe("outside the assertion's scope");
    expect(probeLeftOut({ party: 0, assertion: sends, packet: tcp('10.30.0.100', '198.51.100.100', 80), fromOtherParty: false }, datahub.model, datahub.contract)).toBeUndefined();
    const accepts = guarantee(acme, 'accepts-only-offered');
    expect(probeLeftOut({ party: 0, assertion: accepts, packet: tcp('198.51.100.100', '10.30.0.100', 80, ['ack']), fromOtherParty: true }, datahub.model, datahub.contract)).toBe("outside the assertion's scope");
    // The offered callbacks to billing are the exception the guarantee makes.
    expect(probeLeftOut({ party: 0, assertion: accepts, packet: tcp('198.51.100.100', '10.20.2.100', 443), fromOtherParty: true }, datahub.model, datahub.contract)).toBe("outside the assertion's scope");
    expect(probeLeftOut({ party: 0, assertion: accepts, packet: tcp('198.51.100.100', '10.20.1.100', 443), fromOtherParty: true }, datahub.model, datahub.contract)).toBeUndefined();
  });

  it("probes a reach from the other party only with packets that party's own network sends across", () => {
    const offers = guarantee(datahub, 'offers');
    expect(probeLeftOut({ party: 1, assertion: offers, packet: tcp('10.20.1.100', '198.51.100.100', 8443), fromOtherParty: true }, acme.model, acme.contract)).toBeUndefined();
    expect(probeLeftOut({ party: 1, assertion: offers, packet: tcp('10.20.2.100', '198.51.100.100', 8443), fromOtherParty: true }, acme.model, acme.contract)).toBe(
      "acme's own network does not send it across (by its model)",
    );
  });
});

describe('two intents that are not the two parties of one contract', () => {
  it('refuses one party given twice', async () => {
    const r = await emulateJointIntents(sources('acme'), sources('acme'), { keep: false, convergenceLimitMs: 1000 });
    expect(r.report).toBeUndefined();
    expect(r.problem?.message).toBe('acme implements contracts.frankfurt as acme (meet 169.254.20.1); acme implements contracts.frankfurt as acme (meet 169.254.20.1): not the two opposite parties of one contract');
  });

  it('refuses an intent that implements no contract', async () => {
    const other = readSources(['failover'], join(FEDERATION, '..'));
    const r = await emulateJointIntents(sources('acme'), other, { keep: false, convergenceLimitMs: 1000 });
    expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(r.problem?.message).toBe('intent failover implements no contract: a joint lab holds the two parties of one');
  });

  it('says plainly that --failures does not apply to a joint lab (exit 2)', async () => {
    const c = capturedIo(FEDERATION);
    expect(await run(['emulate', 'acme', '--with', 'datahub', '--failures', '1'], c)).toBe(2);
    expect(c.err).toContain('--failures does not apply to a joint lab (--with)');
  });
});
