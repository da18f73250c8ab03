// Route classes of one convergence: two prefixes are in one class when every device selected so
// far routes both, or neither, and sends both to the same next devices (the `device` of each next
// hop that has one, in the route's order). Firewall relevance (relevance.ts) reads nothing else
// of a route, so its walks toward prefixes whose matching routes are of the same classes visit
// the same devices: at 400 devices the 4,021 walks toward the segments' prefixes are 401 walks
// of distinct classes (a gateway's segments are routed alike everywhere but at the gateway,
// where each has its own connected interface and no next device).
//
// The classes are refined device by device as `select` makes each FIB (routing-rib.ts): a
// prefix's class at the end is its class before the device with the device's next devices
// added, so two prefixes share a class exactly when they agree on every device.

import type { NextHopModel } from './model.js';

export class RouteClasses {
  /** Each prefix number's class (all prefixes in class 0 before the first device). */
  private readonly classes: Int32Array;
  private count = 1;
  /** The next devices of each prefix number at the device being selected, plus one (0: no route). */
  private readonly viaOf: Int32Array;
  /** Per class: the device (counted from 1) that last met it, and the via of its first prefix there. */
  private readonly stamp: Int32Array;
  private readonly firstVia: Int32Array;
  private device = 0;
  /** Lists of next devices by number (0: none): one device by its id, several by their JSON. */
  private readonly single = new Map<string, number>();
  private readonly several = new Map<string, number>();
  private vias = 1;
  /** The last entry noted and its via: a class's candidate routes many prefixes in a row. */
  private lastEntry: unknown = undefined;
  private lastVia = 0;

  constructor(size: number) {
    this.classes = new Int32Array(size);
    this.viaOf = new Int32Array(size);
    this.stamp = new Int32Array(size);
    this.firstVia = new Int32Array(size);
  }

  /** The class of a prefix number. */
  of(id: number): number {
    return this.classes[id]!;
  }

  /**
   * The route of prefix number `id` at the device being selected: its RIB entry, and what gives
   * the entry's next hops (asked only when the entry is not the one noted last).
   */
  note<E>(id: number, entry: E, hopsOf: (entry: E) => readonly NextHopModel[]): void {
    if (entry !== this.lastEntry) {
      this.lastEntry = entry;
      this.lastVia = this.viaOfHops(hopsOf(entry));
    }
    this.viaOf[id] = this.lastVia + 1;
  }

  /** Ends a device: splits every class whose prefixes it routes differently. */
  refine(): void {
    const { classes, viaOf, stamp, firstVia } = this;
    const device = ++this.device;
    const size = classes.length;
    // A class keeps its number for the via of its first prefix here; each other via of it gets a
    // new number (found by class and via, for this device only).
    const split = new Map<number, number>();
    for (let id = 0; id < size; id++) {
      const c = classes[id]!;
      const v = viaOf[id]!;
      viaOf[id] = 0;
      if (stamp[c] !== device) {
        stamp[c] = device;
        firstVia[c] = v;
        continue;
      }
      if (firstVia[c] === v) continue;
      const key = c + v * size;
      let added = split.get(key);
      if (added === undefined) split.set(key, (added = this.count++));
      classes[id] = added;
    }
    this.lastEntry = undefined;
  }

  private viaOfHops(hops: readonly NextHopModel[]): number {
    let first: string | undefined;
    let list: string[] | undefined;
    for (const h of hops) {
      if (h.device === undefined) continue;
      if (first === undefined) first = h.device;
      else (list ??= [first]).push(h.device);
    }
    if (first === undefined) return 0;
    const map = list === undefined ? this.single : this.several;
    const key = list === undefined ? first : JSON.stringify(list);
    let via = map.get(key);
    if (via === undefined) map.set(key, (via = this.vias++));
    return via;
  }
}
