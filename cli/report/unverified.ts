// The assertions an intent states, read from its syntax trees alone: what a CI report lists as
// "not verified" when the intent has errors and nothing could be compiled or proven.

import { parse } from '../../language/parser.js';
import type { SourceText } from '../../pipeline/sources.js';
import type { UnverifiedAssertion } from './verdicts.js';

/** Every `assert` statement of the files, in file order then source order, with its text. */
export function statedAssertions(sources: readonly SourceText[]): UnverifiedAssertion[] {
  const out: UnverifiedAssertion[] = [];
  for (const s of sources) {
    const { file } = parse(s.text, s.path);
    for (const d of file.declarations) {
      if (d.kind !== 'assert') continue;
      const text = s.text.slice(d.span.start.offset, d.span.end.offset).replace(/\s+/g, ' ').trim();
      out.push({ text, origin: d.span });
    }
  }
  return out;
}
