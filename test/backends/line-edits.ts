// Seeded hand edits of a file's lines, for the readers' tests that compare a fast reading with
// the line-by-line one on text a person may have touched.

/** One of `xs`, chosen by `rand`. */
export const pick = <T>(rand: () => number, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

/**
 * `lines` with `edits` seeded hand edits: a piece of `noise` put in or put over a character, a
 * character dropped, a line dropped, doubled or moved, a carriage return at a line's end.
 */
export function editedLines(rand: () => number, lines: readonly string[], noise: readonly string[], edits: number): string[] {
  const out = [...lines];
  for (let e = 0; e < edits; e++) {
    const i = Math.floor(rand() * out.length);
    const line = out[i]!;
    const kind = Math.floor(rand() * 7);
    const at = Math.floor(rand() * (line.length + 1));
    if (kind === 0) out[i] = line.slice(0, at) + pick(rand, noise) + line.slice(at);
    else if (kind === 1) out[i] = line.slice(0, at) + pick(rand, noise) + line.slice(at + 1);
    else if (kind === 2) out[i] = line.slice(0, at) + line.slice(at + 1);
    else if (kind === 3) out.splice(i, 1);
    else if (kind === 4) out.splice(i, 0, line);
    else if (kind === 5) out.splice(Math.floor(rand() * out.length), 0, ...out.splice(i, 1));
    else out[i] = `${line}\r`;
  }
  return out;
}
