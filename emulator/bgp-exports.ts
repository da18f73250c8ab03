// What each external's BGP speaker receives from us, against what the model says each of our
// sessions to it exports (BgpNeighborModel.exportPrefixes): the speaker's own BGP tables
// (frr.ts reads them), their paths grouped by the peer they came from. A prefix the
// model exports and the speaker lacks is an announcement our configuration does not make (a BGP
// `network` without a route for it: FRR's `bgp network import-check`, IOS-XE always); one the
// speaker holds and the model does not export is a leak. Either is a disagreement of the lab.

import type { EndpointPlan } from './lab.js';
import { bgpTables, type FrrInstance } from './frr.js';

/** One session to an external, as its speaker sees it: what arrived that the model does not say, and the reverse. */
export interface ExportCheck {
  external: string;
  /** Our device on the session, and our address on it (the speaker's neighbour). */
  device: string;
  session: string;
  /** Exported by the model, absent from the speaker's table. */
  missing: string[];
  /** In the speaker's table from this session, not exported by the model. */
  extra: string[];
}

interface BgpPathJson {
  peerId?: string;
  valid?: boolean;
}

interface BgpTableJson {
  routes?: Record<string, BgpPathJson[]>;
}

/** The prefixes a BGP table holds from each peer (its own, `(unspec)`, are no peer's). */
export function receivedByPeer(tables: readonly unknown[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const t of tables) {
    const routes = t && typeof t === 'object' ? ((t as BgpTableJson).routes ?? {}) : {};
    for (const [prefix, paths] of Object.entries(routes)) {
      for (const p of Array.isArray(paths) ? paths : []) {
        if (!p.peerId || p.peerId === '(unspec)') continue;
        let set = out.get(p.peerId);
        if (!set) out.set(p.peerId, (set = new Set()));
        set.add(prefix);
      }
    }
  }
  return out;
}

/** The sessions of one external's speaker compared with the model's exports (pure). */
export function compareExports(ep: EndpointPlan, received: Map<string, Set<string>>): ExportCheck[] {
  return (ep.bgp?.neighbors ?? []).map((n) => {
    const held = received.get(n.address) ?? new Set<string>();
    const exports = new Set(n.exports);
    return {
      external: ep.name,
      device: n.device,
      session: n.address,
      missing: n.exports.filter((p) => !held.has(p)).sort(),
      extra: [...held].filter((p) => !exports.has(p)).sort(),
    };
  });
}

/** Reads an external's speaker and compares what each session brought with the model's exports. */
export async function checkExports(inst: FrrInstance, ep: EndpointPlan): Promise<ExportCheck[]> {
  const neighbors = ep.bgp?.neighbors ?? [];
  const families = ([4, 6] as const).filter((f) => neighbors.some((n) => n.address.includes(':') === (f === 6)));
  if (families.length === 0) return [];
  return compareExports(ep, receivedByPeer(await bgpTables(inst, families)));
}

/** The report's lines for one session: one per prefix missing or extra (none when they agree). */
export function exportCheckLines(c: ExportCheck): string[] {
  return [
    ...c.missing.map((p) => `external ${c.external}: its BGP speaker lacks ${p}, which ${c.device} exports to it (session ${c.session})`),
    ...c.extra.map((p) => `external ${c.external}: its BGP speaker holds ${p} from ${c.device} (session ${c.session}), which the model does not export to it`),
  ];
}
