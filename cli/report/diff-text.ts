// `plumb diff --format text`: flows first (what the change lets through or cuts off), then
// assertions whose verdict changed, contracts (what each party newly allows the other, when
// either side implements one), routes per device, and the configuration files' diffs.
// Every line of intent-supplied text is shown through visibleText.

import { lockChangeLines, lockChangeSummary } from '../../pipeline/lock.js';
import { visibleText } from '../../language/safe-text.js';
import type { DiffReport } from '../../pipeline/diff.js';
import type { FlowChange } from '../../verifier/flow-diff.js';
import { formatPacket } from './counterexample.js';
import {
  countsOf,
  familyText,
  nextHopsText,
  NO_FLOW_CHANGE,
  rangesText,
  rulesText,
  stopText,
} from './diff-format.js';

export function renderDiffText(r: DiffReport, labels: { old: string; new: string }): string {
  const out: string[] = [];
  const counts = countsOf(r);
  out.push(`plumb diff ${labels.old} -> ${labels.new}`, '');
  if (counts.allowed + counts.blocked === 0 && r.flows.undecided.length === 0) {
    out.push(`flows: ${NO_FLOW_CHANGE} (${r.flows.pairs} ordered pairs of endpoints and devices compared)`);
  } else {
    out.push(
      `flows: ${counts.allowed} newly allowed, ${counts.blocked} lost (${r.flows.pairs} ordered pairs of endpoints and devices compared)`,
    );
    for (const c of r.flows.changes) out.push(...flowLines(c));
  }
  for (const u of r.flows.undecided) {
    out.push(
      `  ? ${u.source} -> ${u.destination} (IPv${u.family}): ${u.change === 'allowed' ? 'newly allowed' : 'lost'} flows undecided: ${u.reason}`,
    );
  }
  for (const t of r.flows.truncated) out.push(`  … truncated: ${t}`);
  out.push('');
  if (r.assertions.length === 0) out.push('assertions: no verdict changed');
  else {
    out.push(`assertions: ${r.assertions.length} changed`);
    for (const a of r.assertions) {
      const was = a.old === undefined ? 'new assertion' : a.new === undefined ? 'removed' : `was ${a.old}`;
      out.push(
        `  ${(a.new ?? 'removed').toUpperCase().padEnd(8)} ${a.text}  (${was})${a.line ? `  ${a.line.file}:${a.line.line}` : ''}`,
      );
      if (a.detail) out.push(`      ${a.detail}`);
    }
  }
  if (r.contracts.compared > 0) out.push('', ...contractLines(r));
  out.push('');
  if (r.routes.length === 0) out.push('routes: no change');
  else {
    out.push(`routes: ${r.routes.length} changed`);
    for (const x of r.routes) {
      const sign = x.change === 'added' ? '+' : x.change === 'removed' ? '-' : '~';
      const now = nextHopsText(x.new ?? x.old);
      out.push(
        `  ${sign} ${x.device}  ${x.prefix}  ${now}${x.change === 'changed' ? `  (was ${nextHopsText(x.old)})` : ''}`,
      );
    }
  }
  // Addresses from the pools, when any changed: a move renumbers a device (plumb.lock).
  if (r.addresses.length > 0) {
    out.push('', `addresses: ${lockChangeSummary(r.addresses)}`, ...lockChangeLines(r.addresses));
  }
  out.push('');
  if (r.configs.length === 0) out.push('configs: no change');
  else {
    out.push(`configs: ${r.configs.length} file(s) changed`);
    for (const c of r.configs) out.push(`  ${c.change.padEnd(7)} ${c.path}  +${c.added} -${c.removed}`);
    for (const c of r.configs) out.push('', c.diff.trimEnd());
  }
  return `${out
    .flatMap((l) => l.split('\n'))
    .map(visibleText)
    .join('\n')}\n`;
}

/** `contracts: N changed`, a line per change: `+ NAME: datahub newly allows acme to ...  FILE:LINE`. */
export function contractLines(r: DiffReport): string[] {
  const changes = r.contracts.changes;
  if (changes.length === 0) return [`contracts: no change (${r.contracts.compared} compared)`];
  return [`contracts: ${changes.length} changed`, ...changes.map((c) => `  ${c.change} ${c.contract}: ${c.text}${c.line ? `  ${c.line.file}:${c.line.line}` : ''}`)];
}

function flowLines(c: FlowChange): string[] {
  const sign = c.change === 'allowed' ? '+' : '-';
  const before = c.change === 'allowed' ? 'before' : 'now';
  return [
    `  ${sign} ${c.source} -> ${c.destination}  ${rangesText(c)}  (${familyText(c)})`,
    `      example: ${formatPacket(c.example)}`,
    ...rulesText(c.admittedBy).map(
      (t) => `      ${c.change === 'allowed' ? 'admitted by' : 'was admitted by'}: ${t}`,
    ),
    `      ${before}: ${stopText(c.stoppedBy)}`,
  ];
}
