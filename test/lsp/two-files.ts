// The intent cut in two files, checked by a project of the language server and by a full
// `analyze` of the same two files: the comparison the seeded edit tests make after every edit.

import { analyze } from '../../language/analyze.js';
import type { FrontEnd } from '../../lsp/frontend.js';
import { Project, ProjectFile } from '../../lsp/workspace.js';

/**
 * `pair`'s analysis of `texts` as `a.plumb` and `b.plumb` (replacing its files), and the full
 * check's: `analyze` of the two, or `known`, the full check of these very texts made before.
 */
export function checkTwoFiles(
  pair: Project,
  frontEnd: FrontEnd,
  texts: readonly [string, string],
  known?: ReturnType<typeof analyze>,
): { got: ReturnType<Project['analysis']>['result']; full: ReturnType<typeof analyze> } {
  pair.files.clear();
  pair.files.set('a.plumb', new ProjectFile('a.plumb', 'a.plumb', texts[0], undefined));
  pair.files.set('b.plumb', new ProjectFile('b.plumb', 'b.plumb', texts[1], undefined));
  const got = pair.analysis(frontEnd, { intent: false }).result;
  const full = known ?? fullCheckOfTwo(texts);
  return { got, full };
}

/** The full check of `texts` as `a.plumb` and `b.plumb`. */
export function fullCheckOfTwo(texts: readonly [string, string]): ReturnType<typeof analyze> {
  return analyze([
    { path: 'a.plumb', text: texts[0] },
    { path: 'b.plumb', text: texts[1] },
  ]);
}

/** The intent cut in two at the first `policy`, `segment` or `assert` past its middle. */
export function cutInTwo(original: string): [string, string] {
  const lines = original.split('\n');
  const cut = lines.findIndex((l, i) => i > lines.length / 2 && /^(policy|segment|assert)\b/.test(l));
  return [lines.slice(0, cut).join('\n') + '\n', lines.slice(cut).join('\n')];
}
