// JSON text in pieces: the same text as `JSON.stringify(value, null, indent)`, yielded a few
// objects at a time. A model of a few hundred devices prints as more text than one JavaScript
// string may hold (V8's limit is about 512 MiB: 400 devices' FIBs are 1.9 million routes), so the
// CLI writes it piece by piece; each piece is one value below `depth` levels, stringified whole.

/** What JSON.stringify leaves out of an object and writes as `null` in an array. */
function omitted(v: unknown): boolean {
  return v === undefined || typeof v === 'function' || typeof v === 'symbol';
}

/** The value JSON.stringify writes for `v` under `key`: its toJSON's result where it has one. */
function serialised(v: unknown, key: string): unknown {
  if (v !== null && typeof v === 'object' && typeof (v as { toJSON?: unknown }).toJSON === 'function') {
    return (v as { toJSON(k: string): unknown }).toJSON(key);
  }
  return v;
}

/**
 * The text of `JSON.stringify(value, null, indent)` in pieces, split into the members of
 * objects and arrays down to `depth` levels (each member below is one piece). Joined, the pieces
 * are that text exactly (test/cli/json-chunks.test.ts).
 */
export function* jsonChunks(value: unknown, indent = 2, depth = 2): Generator<string> {
  const v = serialised(value, '');
  if (omitted(v)) return; // as JSON.stringify(undefined): no text
  yield* chunksOf(v, ' '.repeat(indent), '', depth);
}

function* chunksOf(v: unknown, step: string, at: string, depth: number): Generator<string> {
  // boxed primitives: JSON.stringify writes the value they box
  const boxed = v instanceof Number || v instanceof String || v instanceof Boolean;
  if (depth === 0 || v === null || typeof v !== 'object' || boxed) {
    const text = JSON.stringify(v, null, step);
    // a string in JSON holds no raw line break: every one is the indentation's
    yield at === '' ? text : text.replaceAll('\n', `\n${at}`);
    return;
  }
  const inner = at + step;
  // with no indentation JSON.stringify writes no line breaks and no space after a colon
  const nl = step === '' ? '' : '\n';
  if (Array.isArray(v)) {
    if (v.length === 0) return yield '[]';
    yield '[';
    for (let i = 0; i < v.length; i++) {
      const member = serialised(v[i], String(i));
      yield `${i === 0 ? '' : ','}${nl}${inner}`;
      yield* omitted(member) ? ['null'] : chunksOf(member, step, inner, depth - 1);
    }
    return yield `${nl}${at}]`;
  }
  let first = true;
  for (const key of Object.keys(v)) {
    const member = serialised((v as Record<string, unknown>)[key], key);
    if (omitted(member)) continue;
    yield `${first ? '{' : ','}${nl}${inner}${JSON.stringify(key)}:${step === '' ? '' : ' '}`;
    first = false;
    yield* chunksOf(member, step, inner, depth - 1);
  }
  yield first ? '{}' : `${nl}${at}}`;
}
