// How the compiler reads a device's forwarding table without making its route objects.
//
// A converged device's `fib` is made from its RIB when first read (SelectedFib in
// routing-rib.ts): `converge` puts an accessor on the device copies it returns, and the model's
// devices share it. Every reader of `device.fib` gets the same route objects as before, made
// once; the compiler's own readers (firewall relevance, uRPF, C704's counts) read a FibView
// instead, which answers from the RIB while the routes are not made. `compile -o` then never
// makes them: at 400 devices that is 1.93 M route objects (about 156 MiB live through the whole
// run) the collector no longer copies and marks.
//
// The accessor keeps the model plain data for everyone else: the property stays where `fib` was
// (JSON, spreads and `Object.keys` see it in the same place), reading it gives the routes, and
// assigning it replaces it with the value assigned (the device then has no SelectedFib).

import type { DeviceModel, NextHopModel, RouteModel, RouteProtocol } from './model.js';
import { routeClassesOfText, textClassOf, type FibTextClass, type RouteClassesByPosition, type SelectedFib } from './routing-rib.js';

/** A forwarding table read by position: a FIB's routes, or a SelectedFib not made into routes. */
export interface FibView {
  readonly length: number;
  prefixAt(position: number): string;
  nextHopsAt(position: number): readonly NextHopModel[];
  protocolAt(position: number): RouteProtocol;
  /** The class of its prefix texts among the FIBs of its convergence; undefined: not made by `select`. */
  readonly textClass: FibTextClass | undefined;
}

/** A FibView of route objects (a FIB read back, made by hand, or already made). */
export class ListedFib implements FibView {
  readonly textClass: FibTextClass | undefined;

  constructor(private readonly routes: readonly RouteModel[]) {
    this.textClass = textClassOf(routes);
  }

  get length(): number {
    return this.routes.length;
  }

  prefixAt(position: number): string {
    return this.routes[position]!.prefix;
  }

  nextHopsAt(position: number): readonly NextHopModel[] {
    return this.routes[position]!.nextHops;
  }

  protocolAt(position: number): RouteProtocol {
    return this.routes[position]!.protocol;
  }
}

/** The devices whose `fib` is the accessor of a SelectedFib, and that SelectedFib. */
const selectedFibs = new WeakMap<DeviceModel, SelectedFib>();

/** Gives `device` the FIB `fib` (routes made when `device.fib` is first read), in the place its `fib` property already has. */
export function putSelectedFib(device: DeviceModel, fib: SelectedFib): void {
  selectedFibs.set(device, fib);
  Object.defineProperty(device, 'fib', {
    configurable: true,
    enumerable: true,
    get: () => fib.routes(),
    set: (value: RouteModel[]) => {
      selectedFibs.delete(device);
      Object.defineProperty(device, 'fib', { configurable: true, enumerable: true, writable: true, value });
    },
  });
}

/**
 * A shallow copy of `device` with `fib` (in the place of its `fib`), without reading its `fib`: a
 * spread would read it and make its routes.
 */
export function copyWithFib(device: DeviceModel, fib: RouteModel[]): DeviceModel {
  const from = device as unknown as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(from)) out[key] = key === 'fib' ? fib : from[key];
  return out as unknown as DeviceModel;
}

/** `to.fib = from.fib`, without making `from`'s routes when they are not made yet. */
export function shareFib(from: DeviceModel, to: DeviceModel): void {
  const fib = selectedFibs.get(from);
  if (fib !== undefined) putSelectedFib(to, fib);
  else to.fib = from.fib;
}

/** A device's FIB to read by position: its SelectedFib while its routes are not made, else its routes. */
export function fibView(device: DeviceModel): FibView {
  const fib = selectedFibs.get(device);
  if (fib !== undefined && fib.routesMade === undefined) return fib;
  return new ListedFib(device.fib);
}

/**
 * Whether two FIBs hold routes of the same prefix texts in the same order. Most devices of a
 * network do (their tables come out of one numbering, in one order), and a reader of many FIBs
 * can reuse what it worked out for the texts of the one before.
 */
export function sameViewTexts(a: FibView, b: FibView): boolean {
  if (a.length !== b.length) return false;
  // Two FIBs of one convergence: their classes decide.
  const x = a.textClass;
  const y = b.textClass;
  if (x !== undefined && y !== undefined && x.lists === y.lists) return x === y;
  for (let i = 0; i < a.length; i++) if (a.prefixAt(i) !== b.prefixAt(i)) return false;
  return true;
}

/** The route class of each position of a FIB `select` made (route-classes.ts); undefined for any other FIB. */
export function routeClassesOfView(fib: FibView): RouteClassesByPosition | undefined {
  return routeClassesOfText(fib.textClass);
}

/**
 * What a reader of many FIBs works out from a FIB's prefix texts alone (their numbers, say),
 * kept for the last few distinct text lists: a FIB of the same texts in the same order as one of
 * them gets its value without a look-up per route.
 */
export class ByFibTexts<T> {
  private readonly kept: { fib: FibView; value: T }[] = [];

  constructor(private readonly make: (fib: FibView) => T) {}

  get(fib: FibView): T {
    for (const k of this.kept) if (sameViewTexts(k.fib, fib)) return k.value;
    const value = this.make(fib);
    if (this.kept.length >= 4) this.kept.pop();
    this.kept.unshift({ fib, value });
    return value;
  }
}
