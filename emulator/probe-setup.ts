// Getting a lab ready for a batch of planned probes: the counterexamples' addresses added to the
// endpoints' namespaces (a probe whose address the kernel refuses is dropped and said so), and a
// listener behind every connection (a device's TCP services: one listener per port for all its
// addresses, as the sweep's, none where a daemon already holds the port). Used for the probes of
// the intact network and again for each failure set's (failures.ts).

import type { AssertionProbes } from './assertions.js';
import { ipIn } from './netns.js';
import type { Listeners, ProbeSpec } from './probe.js';
import { listenOnDevice } from './sweep.js';

/** Addresses already added in this lab (`ns|address` → the kernel's refusal, if any). */
export type AddedAddresses = Map<string, string | undefined>;

/** Adds the planned extra addresses and starts the listeners; returns every probe to run. */
export async function prepareProbes(planned: AssertionProbes[], listeners: Listeners, added: AddedAddresses): Promise<ProbeSpec[]> {
  for (const p of planned) {
    for (const x of p.extraAddresses) {
      const key = `${x.ns}|${x.address}`;
      if (!added.has(key)) {
        const r = await ipIn(x.ns, ['addr', 'replace', x.address, 'dev', x.ifname]).then(
          () => undefined,
          (e: Error) => e.message,
        );
        added.set(key, r);
      }
      const failure = added.get(key);
      if (failure !== undefined) {
        // The kernel refused the address: the counterexample cannot be sent from or to it.
        const bare = x.address.split('/')[0]!;
        p.probes = p.probes.filter((s) => s.packet.source !== bare && s.packet.destination !== bare);
        p.untested.push(`counterexample address ${x.address}: ${failure}`);
      }
    }
  }
  const all = planned.flatMap((p) => p.probes);
  const deviceTcp = new Map<string, { addresses: string[]; ports: number[] }>();
  for (const s of all) {
    const p = s.packet;
    if (!s.toDevice || s.kind !== 'connect' || p.protocol !== 6 || p.destinationPort === undefined) continue;
    const e = deviceTcp.get(s.toNs) ?? { addresses: [], ports: [] };
    e.addresses.push(p.destination);
    e.ports.push(p.destinationPort);
    deviceTcp.set(s.toNs, e);
  }
  for (const [ns, e] of deviceTcp) await listenOnDevice(listeners, ns, e.addresses, e.ports);
  for (const s of all) {
    // The listener is where the packet arrives (through translations: the real address and port).
    const p = s.arrival ?? s.packet;
    if (s.toDevice && p.protocol === 6) continue;
    if (s.kind === 'connect' && (p.protocol === 6 || p.protocol === 17) && p.destinationPort !== undefined) {
      await listeners.ensure(s.toNs, p.protocol, p.destination, p.destinationPort);
    }
  }
  await listeners.settle();
  return all;
}
