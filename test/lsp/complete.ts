// Completion as the editor asks for it, on acme with more text: `|` in the text marks the cursor.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { completionsAt } from '../../lsp/completion.js';
import type { Workspace } from '../../lsp/workspace.js';
import { ROOT } from './harness.js';

export const ACME = readFileSync(join(ROOT, 'examples/acme/acme.plumb'), 'utf8');
const URI = 'untitled:acme.plumb';

/** The labels completion offers at the `|` of `text`, opened as acme.plumb in `workspace`. */
export function completeAt(workspace: Workspace, text: string): string[] {
  const offset = text.indexOf('|');
  const project = workspace.setDocument(URI, text.slice(0, offset) + text.slice(offset + 1), 1);
  const file = project.fileByName('acme.plumb')!;
  const answer = completionsAt(file, offset, workspace.analysis(project).index.allDefinitions());
  return (Array.isArray(answer) ? answer : answer.items).map((c) => c.label);
}
