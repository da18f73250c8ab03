// A bounded store of what a reader or renderer made for an IPv4 network, by prefix length and
// the network's 32-bit number: the routers of a large network name the same few thousand
// networks hundreds of thousands of times, and what is made once is shared by every use.

/** Values by length (0-32) and 32-bit number; emptied whole when it holds `max`. */
export class ByNetwork<T> {
  private readonly byLength: Map<number, T>[] = Array.from({ length: 33 }, () => new Map());
  private count = 0;

  constructor(private readonly max: number) {}

  get(length: number, network: number): T | undefined {
    return this.byLength[length]!.get(network | 0);
  }

  /** Keeps `value` (in place of the one held for the network, if any, counted as one more), emptying the store first when it is full. */
  set(length: number, network: number, value: T): void {
    if (this.count >= this.max) {
      for (const m of this.byLength) m.clear();
      this.count = 0;
    }
    this.byLength[length]!.set(network | 0, value);
    this.count++;
  }

  /** How many values are kept (for the tests of the bound). */
  get size(): number {
    return this.count;
  }
}
