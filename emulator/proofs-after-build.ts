// A lab needs its proofs only for the probes: building it and waiting for routing need the model
// alone. So `emulate` takes the verdicts (and failure sets) as promises while they are proven,
// and awaits them once routing has been waited for.

/**
 * Both values, awaited once the lab is built and routing waited for: proving (seconds under load)
 * and building (most of it OSPF's timers) overlap. Until then a rejection must not count as
 * unhandled: the build may fail first, and then that is the run's error.
 */
export function awaitedAfterBuild<A, B>(a: A | Promise<A>, b: B | Promise<B>): Promise<[A, B]> {
  const both = Promise.all([a, b]);
  both.catch(() => undefined);
  return both;
}
