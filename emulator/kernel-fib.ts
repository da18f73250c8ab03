// Each device namespace's kernel routing tables (`ip -j route show table main|local`, both
// families), compared with the model's FIB by fib-compare.ts: what the daemons and setup scripts
// running the emitted configs actually installed, against what the compiler says they do.

import type { RouteModel } from '../compiler/model.js';
import { compareFib, type FibDifference, type KernelRoute, type KernelTables } from './fib-compare.js';
import { ipIn } from './netns.js';

async function table(ns: string, family: '-4' | '-6', name: 'main' | 'local'): Promise<KernelRoute[]> {
  const out = await ipIn(ns, [family, '-j', 'route', 'show', 'table', name]);
  return out.trim() === '' ? [] : (JSON.parse(out) as KernelRoute[]);
}

export async function readKernelTables(ns: string): Promise<KernelTables> {
  const [main4, main6, local4] = await Promise.all([
    table(ns, '-4', 'main'),
    table(ns, '-6', 'main'),
    table(ns, '-4', 'local'),
  ]);
  return { main4, main6, local4 };
}

/** Every difference between the model's FIB and the kernel's, over the given devices. */
export async function kernelFibDifferences(
  devices: readonly { id: string; ns: string; device: { fib: RouteModel[] } }[],
): Promise<FibDifference[]> {
  const per = await Promise.all(
    devices.map(async (d) => compareFib(d.id, d.device.fib, await readKernelTables(d.ns))),
  );
  return per.flat();
}
