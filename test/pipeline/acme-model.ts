// The acme example as the pipeline's tests compile it: its source, and its model after an
// optional edit of the text.

import { readFileSync } from 'node:fs';
import type { NetworkModel } from '../../compiler/model.js';
import { compileIntent } from '../../pipeline/compile.js';

export const ACME = [{ path: 'examples/acme/acme.plumb', text: readFileSync('examples/acme/acme.plumb', 'utf8') }];

export function acmeModel(edit: (text: string) => string = (t) => t): { model: NetworkModel; sources: typeof ACME } {
  const sources = ACME.map((s) => ({ ...s, text: edit(s.text) }));
  const compiled = compileIntent(sources);
  if (!compiled.model) throw new Error('acme does not compile');
  return { model: compiled.model, sources };
}
