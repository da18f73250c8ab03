// What the uRPF tests (urpf-index, urpf-shared) draw their seeded FIBs from: one linear
// congruential generator, so a seed names the same case in both, and addresses inside 10.0.0.0/16.

/** A seeded generator of numbers in [0, 1). */
export function random(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return x / 2147483648;
  };
}

/** The n-th address of 10.0.0.0/16. */
export const address = (n: number) => `10.0.${(n >> 8) & 255}.${n & 255}`;
