// `plumb diff --format markdown`: sized for a pull-request comment or a job summary. A summary
// table first, the flow changes as a table, then the details (flows' examples and rules,
// assertions, routes, each configuration file's diff) in <details> blocks. Past
// MAX_MARKDOWN_CHARS the remaining blocks are left out with a note saying how many.

import { lockChangeLines } from '../../pipeline/lock.js';
import type { DiffReport } from '../../pipeline/diff.js';
import type { FlowChange } from '../../verifier/flow-diff.js';
import { formatPacket } from './counterexample.js';
import {
  countsOf,
  familyText,
  nextHopsText,
  NO_FLOW_CHANGE,
  rangesText,
  responsibleText,
  rulesText,
  stopText,
} from './diff-format.js';

/** GitHub's limit for a comment is 65,536 characters; this leaves room for a caller's heading. */
export const MAX_MARKDOWN_CHARS = 60_000;

export function renderDiffMarkdown(
  r: DiffReport,
  labels: { old: string; new: string },
  maxChars = MAX_MARKDOWN_CHARS,
): string {
  const counts = countsOf(r);
  const head: string[] = [
    `### plumb diff: ${inline(labels.old)} → ${inline(labels.new)}`,
    '',
    '| | changes |',
    '|---|---:|',
    `| newly allowed flows | ${counts.allowed} |`,
    `| lost flows | ${counts.blocked} |`,
    `| assertions whose verdict changed | ${counts.assertions} |`,
    `| routes added, removed or changed | ${counts.routes} |`,
    `| configuration files changed | ${counts.configs} |`,
    ...(r.contracts.compared > 0 ? [`| contract changes | ${r.contracts.changes.length} |`] : []),
    '',
  ];
  if (counts.allowed + counts.blocked === 0 && r.flows.undecided.length === 0)
    head.push(`**${cell(NO_FLOW_CHANGE)}** (${r.flows.pairs} ordered pairs of endpoints and devices compared).`, '');
  else {
    head.push('| | from | to | traffic | rule | example |', '|---|---|---|---|---|---|');
    for (const c of r.flows.changes) {
      head.push(
        `| ${c.change === 'allowed' ? '➕ allowed' : '➖ lost'} | ${cell(c.source)} | ${cell(c.destination)} | ${cell(`${rangesText(c)} (${familyText(c)})`)} | ${cell(responsibleText(c))} | ${cell(formatPacket(c.example))} |`,
      );
    }
    head.push('');
  }
  for (const u of r.flows.undecided)
    head.push(
      `- ⚠️ ${cell(`${u.source} -> ${u.destination} (IPv${u.family})`)}: ${u.change === 'allowed' ? 'newly allowed' : 'lost'} flows undecided: ${cell(u.reason)}`,
    );
  for (const t of r.flows.truncated) head.push(`- ⚠️ truncated: ${cell(t)}`);
  if (r.flows.undecided.length + r.flows.truncated.length > 0) head.push('');

  const blocks: string[] = [];
  if (r.flows.changes.length > 0)
    blocks.push(details('Flow details', r.flows.changes.map(flowItem).join('\n')));
  if (r.assertions.length > 0) {
    const rows = r.assertions.map(
      (a) =>
        `| ${cell(a.text)} | ${a.old ?? '—'} | ${a.new ?? '—'} | ${a.line ? cell(`${a.line.file}:${a.line.line}`) : ''} | ${cell(a.detail ?? '')} |`,
    );
    blocks.push(
      details(
        `Assertions (${r.assertions.length})`,
        ['| assertion | before | after | line | detail |', '|---|---|---|---|---|', ...rows].join('\n'),
      ),
    );
  }
  if (r.contracts.changes.length > 0) {
    const lines = r.contracts.changes.map((c) => `${c.change === '~' ? '!' : c.change} ${c.contract}: ${c.text}${c.line ? `  (${c.line.file}:${c.line.line})` : ''}`);
    blocks.push(details(`Contracts (${r.contracts.changes.length})`, fenced(lines.join('\n'), 'diff')));
  }
  if (r.routes.length > 0) {
    const lines = r.routes.map((x) => {
      const sign = x.change === 'added' ? '+' : x.change === 'removed' ? '-' : '!';
      return `${sign} ${x.device}  ${x.prefix}  ${nextHopsText(x.new ?? x.old)}${x.change === 'changed' ? `  (was ${nextHopsText(x.old)})` : ''}`;
    });
    blocks.push(details(`Routes (${r.routes.length})`, fenced(lines.join('\n'), 'diff')));
  }
  if (r.addresses.length > 0)
    blocks.push(details(`Addresses (${r.addresses.length})`, fenced(lockChangeLines(r.addresses).map((l) => l.trimStart()).join('\n'), 'diff')));
  for (const c of r.configs)
    blocks.push(
      details(`${c.path} (${c.change}, +${c.added} −${c.removed})`, fenced(c.diff.trimEnd(), 'diff')),
    );

  let text = head.join('\n');
  let left = 0;
  for (const b of blocks) {
    if (left > 0 || text.length + b.length + 200 > maxChars) {
      left++;
      continue;
    }
    text += `\n${b}\n`;
  }
  if (left > 0)
    text += `\n_${left} more section(s) not shown: the comment would pass ${maxChars} characters. Run \`plumb diff\` locally for the whole report._\n`;
  return text.endsWith('\n') ? text : `${text}\n`;
}

function flowItem(c: FlowChange): string {
  const rules = rulesText(c.admittedBy).map(
    (t) => `  - ${c.change === 'allowed' ? 'admitted by' : 'was admitted by'}: ${cell(t)}`,
  );
  return [
    `- **${c.change === 'allowed' ? 'allowed' : 'lost'}** ${cell(c.source)} → ${cell(c.destination)}, ${cell(rangesText(c))} (${familyText(c)})`,
    `  - example: ${inline(formatPacket(c.example))}`,
    ...rules,
    `  - ${c.change === 'allowed' ? 'before' : 'now'}: ${cell(stopText(c.stoppedBy))}`,
  ].join('\n');
}

function details(summary: string, body: string): string {
  return `<details><summary>${html(summary)}</summary>\n\n${body}\n\n</details>`;
}

/** A code block whose fence is longer than any run of backticks inside. */
function fenced(text: string, lang: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

/** Text in a table cell or list item: no markup, no line breaks, no pipes. */
function cell(text: string): string {
  return html(text)
    .replace(/[\\`*_{}[\]()#+!|~]/g, (c) => `\\${c}`)
    .replace(/[\r\n]+/g, ' ');
}

function inline(text: string): string {
  const oneLine = text.replace(/[\r\n]+/g, ' ');
  const longest = Math.max(0, ...[...oneLine.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${oneLine} ${fence}`;
}

function html(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}
