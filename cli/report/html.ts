// `plumb report`'s page: one HTML file that holds everything and loads nothing: a header (the
// network, the counts), the topology picture (inline SVG), every assertion with its verdict, each
// counterexample's path as text and drawn on the picture, the diagnostics, with `--against` the
// flow diff, each device's configuration files linked to the intent lines they came from, and
// the intent itself. Every text from the intent or the files is escaped (escape.ts); the page is
// the same bytes for the same input unless it carries the time it was made and solver times.

import type { Diagnostic } from '../../language/diagnostic.js';
import type { SourceText } from '../../pipeline/sources.js';
import type { VerificationStats, Verdict } from '../../verifier/verdict.js';
import { formatCounterexample } from './counterexample.js';
import { xmlAttribute as attr, xmlText as text } from './escape.js';
import { REPORT_CSS, REPORT_SCRIPT } from './html-assets.js';
import { configsSection, intentLink, linkOrigins, sourcesSection, type ReportDevice } from './html-configs.js';
import { markPath, pathGroups, type ReportPicture } from './html-picture.js';

export interface ReportPage {
  name: string;
  description?: string;
  /** When the report was made (ISO 8601); absent with `--no-times`. */
  madeAt?: string;
  /** Show each assertion's solver time (not with `--no-times`: it differs from run to run). */
  times: boolean;
  picture: ReportPicture;
  verdicts: readonly Verdict[];
  stats: VerificationStats;
  diagnostics: readonly Diagnostic[];
  sources: readonly SourceText[];
  devices: readonly ReportDevice[];
  /** Why there are no configuration files (a secret's problem, a platform without a backend). */
  configsProblem?: string;
  /** With `--against OLD`: the flow diff from OLD to this intent, as `plumb diff` prints it. */
  diff?: { against: string; text: string };
}

export function renderReportHtml(page: ReportPage): string {
  const paths = page.verdicts.map((v) => (v.counterexample ? pathGroups(page.picture, v.counterexample) : []));
  const selected = page.verdicts.findIndex((v, i) => v.status === 'refuted' && paths[i]!.length > 0);
  const svg = selected >= 0 ? markPath(page.picture.svg, paths[selected]!) : page.picture.svg;
  const title = `plumb report: ${page.name}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${text(title)}</title>`,
    `<style>${REPORT_CSS}</style>`,
    '</head><body>',
    header(page),
    `<section id="picture"><h2>Topology</h2>\n${svg}\n</section>`,
    assertionsSection(page, paths, selected),
    diagnosticsSection(page),
    page.diff ? `<section id="diff"><h2>Flow diff against ${text(page.diff.against)}</h2><pre class="diff">${text(page.diff.text)}</pre></section>` : '',
    configsSection(page.devices, page.sources, page.configsProblem),
    sourcesSection(page.sources),
    `<script>${REPORT_SCRIPT}</script>`,
    '</body></html>',
    '',
  ]
    .filter((part) => part !== '')
    .join('\n');
}

function header(page: ReportPage): string {
  const s = page.stats;
  const warnings = page.diagnostics.filter((d) => d.severity === 'warning').length;
  const errors = page.diagnostics.filter((d) => d.severity === 'error').length;
  const counts = [
    `${s.assertions} assertions`,
    `${s.proven} proven`,
    `${s.refuted} refuted`,
    `${s.unknown} unknown`,
    ...(s.vacuous > 0 ? [`${s.vacuous} vacuous`] : []),
    `${errors} errors`,
    `${warnings} warnings`,
  ];
  return [
    '<header>',
    `<h1>${text(page.name)}</h1>`,
    page.description ? `<p class="muted">${text(page.description)}</p>` : '',
    `<p class="counts">${counts.map((c) => `<span>${text(c)}</span>`).join('')}</p>`,
    page.madeAt ? `<p class="muted">made ${text(page.madeAt)}${page.times ? `, proofs took ${(s.totalMillis / 1000).toFixed(1)} s` : ''}</p>` : '',
    '</header>',
  ]
    .filter((l) => l !== '')
    .join('\n');
}

function assertionsSection(page: ReportPage, paths: readonly string[][], selected: number): string {
  const out = ['<section id="assertions"><h2>Assertions</h2>'];
  if (page.verdicts.length === 0) out.push('<p class="muted">The intent states no assertion.</p>');
  else {
    out.push(`<table><thead><tr><th>verdict</th><th>assertion</th><th>where</th>${page.times ? '<th>solver time</th>' : ''}</tr></thead><tbody>`);
    page.verdicts.forEach((v, i) => {
      const path = paths[i]!;
      const classes = ['assertion', ...(path.length > 0 ? ['has-path'] : []), ...(i === selected ? ['selected'] : [])];
      const origin = v.assertion.origin;
      out.push(
        `<tr class="${classes.join(' ')}" id="assertion-${i + 1}"${path.length > 0 ? ` data-path="${attr(path.join(' '))}"` : ''}>` +
          `<td class="verdict ${v.status}">${v.status}</td>` +
          `<td>${text(v.assertion.text)}${v.reason ? `<div class="muted">${text(v.reason)}</div>` : ''}${v.failed && v.failed.length > 0 ? `<div class="muted">failed: ${text(v.failed.join(', '))}</div>` : ''}</td>` +
          `<td>${intentLink(page.sources, origin.file, origin.start.line)}</td>` +
          (page.times ? `<td>${(v.millis / 1000).toFixed(2)} s</td>` : '') +
          '</tr>',
      );
      if (v.counterexample) {
        const trace = formatCounterexample(v.counterexample, '').join('\n');
        out.push(`<tr class="counterexample"><td></td><td colspan="${page.times ? 3 : 2}"><details${i === selected ? ' open' : ''}><summary>counterexample (click the assertion to draw its path)</summary><pre class="trace">${linkOrigins(trace, page.sources)}</pre></details></td></tr>`);
      }
    });
    out.push('</tbody></table>');
  }
  out.push('</section>');
  return out.join('\n');
}

function diagnosticsSection(page: ReportPage): string {
  const out = ['<section id="diagnostics"><h2>Warnings</h2>'];
  if (page.diagnostics.length === 0) out.push('<p class="muted">None.</p>');
  else {
    out.push('<table><tbody>');
    for (const d of page.diagnostics) {
      const hint = d.hint ? `<div class="muted">help: ${text(d.hint)}</div>` : '';
      out.push(
        `<tr class="diagnostic"><td class="severity-${d.severity}">${d.severity}[${text(d.code)}]</td><td>${text(d.message)}${hint}</td><td>${intentLink(page.sources, d.span.file, d.span.start.line)}</td></tr>`,
      );
    }
    out.push('</tbody></table>');
  }
  out.push('</section>');
  return out.join('\n');
}
