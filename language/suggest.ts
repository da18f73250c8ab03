// Did-you-mean: the nearest known name to an unknown one, by edit distance, as a hint and as
// the fix that writes it (which the language server offers as a quick fix).

import { proposal, type Replacement, type Span } from './diagnostic.js';

/**
 * Edit distance with adjacent transpositions (optimal string alignment): `wbe` is one edit from
 * `web`. Gives up (returning `limit + 1`) once the distance must exceed `limit`.
 */
export function editDistance(a: string, b: string, limit = Infinity): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let prevPrev: number[] = [];
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prevPrev[j - 2]! + 1);
      cur.push(v);
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > limit) return limit + 1;
    prevPrev = prev;
    prev = cur;
  }
  return prev[b.length]!;
}

/**
 * The candidate nearest to `name`, if it is near enough to be a plausible typo: at most a third
 * of the name's length, rounded up (at least 1, at most 3), edits away. Ties go to the alphabetically first,
 * so the suggestion is deterministic.
 */
export function suggest(name: string, candidates: Iterable<string>): string | undefined {
  const limit = Math.min(3, Math.max(1, Math.ceil(name.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  const lower = name.toLowerCase();
  for (const c of candidates) {
    if (c === name) continue;
    const d = editDistance(lower, c.toLowerCase(), bestDistance);
    if (d < bestDistance || (d === bestDistance && best !== undefined && c < best)) {
      if (d <= limit) {
        best = c;
        bestDistance = d;
      }
    }
  }
  return best;
}

/** A did-you-mean for the name written at `span`: the hint and its fix, or undefined when no candidate is near. */
export function proposeName(span: Span, name: string, candidates: Iterable<string>): { hint: string; fix: Replacement[] } | undefined {
  const s = suggest(name, candidates);
  return s === undefined ? undefined : proposal(span, s);
}
