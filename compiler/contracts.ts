// The contracts an intent implements, into the model (ContractModel): the checked intent's
// implementations as they are, each offer's services as service matches. The other party's
// external, its BGP session and its filters are built like any external's; this is what the
// verifier reads to tell what each side guarantees and may assume (docs/federation.md).

import type { IntentContract, IntentContractParty, ServiceClause } from '../language/intent.js';
import type { ContractModel, ContractPartyModel, ServiceModel } from './model.js';

export function contractModels(contracts: readonly IntentContract[]): ContractModel[] {
  return contracts.map((c) => ({
    name: c.name,
    us: partyModel(c.us),
    them: partyModel(c.them),
    external: c.external,
    meet: { ours: c.meet.ours, theirs: c.meet.theirs, prefixLength: c.meet.prefixLength, ...(c.meet.vlan !== undefined ? { vlan: c.meet.vlan } : {}), origin: c.meet.span },
    origin: c.span,
    implementsOrigin: c.implementsSpan,
  }));
}

function partyModel(p: IntentContractParty): ContractPartyModel {
  return {
    name: p.name,
    asn: p.asn,
    origin: p.span,
    announces: [...p.announces],
    announcesOrigin: p.announcesSpan,
    offers: p.offers.map((o) => ({
      services: o.clauses.map(serviceModel),
      serviceNames: [...o.serviceNames],
      at: [...o.at],
      to: [...o.to],
      text: o.text,
      origin: o.span,
    })),
  };
}

function serviceModel(clause: ServiceClause): ServiceModel {
  return {
    ...(clause.protocol !== undefined ? { protocol: clause.protocol } : {}),
    ...(clause.ports ? { ports: clause.ports.map((p) => ({ ...p })) } : {}),
    ...(clause.icmpType !== undefined ? { icmpType: clause.icmpType } : {}),
  };
}
