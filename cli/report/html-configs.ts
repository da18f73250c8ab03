// The configuration files and the intent's sources inside `plumb report`'s page. Each device's
// files are a collapsible block; every intent place a file names (its `! plumb … origin
// FILE:L:C` comments, `# @ FILE:L:C`, `remark intent FILE:L:C`, a rule's description
// `(FILE:L)`) becomes a link to that line of the intent, shown further down the page, with the
// line's text as its tooltip: the intent line each block came from.

import type { SourceText } from '../../pipeline/sources.js';
import { xmlAttribute as attr, xmlText as text } from './escape.js';

export interface ReportDevice {
  id: string;
  platform: string;
  dir: string;
  files: { path: string; content: string }[];
}

/** The anchor of a line of an intent file (the file's index among the sources, 1-based line). */
export function lineAnchor(fileIndex: number, line: number): string {
  return `src-${fileIndex}-L${line}`;
}

/** A link to the intent line `file:line`, or the plain text when the file is not among the sources. */
export function intentLink(sources: readonly SourceText[], file: string, line: number, shown = `${file}:${line}`): string {
  const index = sources.findIndex((s) => s.path === file);
  const lineText = index < 0 ? undefined : sources[index]!.text.split('\n')[line - 1];
  if (lineText === undefined) return text(shown);
  return `<a class="origin" href="#${lineAnchor(index, line)}" title="${attr(lineText.trim())}">${text(shown)}</a>`;
}

export function configsSection(devices: readonly ReportDevice[], sources: readonly SourceText[], problem?: string): string {
  const out = ['<section id="configs"><h2>Configurations</h2>'];
  if (problem !== undefined) out.push(`<p class="problem">${text(problem)}</p>`);
  else out.push('<p class="note">As <code>plumb compile -o</code> writes them, with keys left as their secrets\' placeholders. Each link is the intent line a block came from.</p>');
  for (const d of devices) {
    out.push(`<details class="device" id="${attr(`device-${d.id}`)}"><summary>${text(d.id)} <span class="platform">${text(d.platform)}</span></summary>`);
    for (const f of d.files) {
      out.push(`<div class="config-file"><h4>${text(`${d.dir}/${f.path}`)}</h4><pre class="config">${linkOrigins(f.content, sources)}</pre></div>`);
    }
    out.push('</details>');
  }
  out.push('</section>');
  return out.join('\n');
}

/** The file's text, escaped, with every `SOURCE:LINE` it names linked to that intent line. */
export function linkOrigins(content: string, sources: readonly SourceText[]): string {
  if (sources.length === 0) return text(content);
  const names = [...sources.map((s) => s.path)].sort((a, b) => b.length - a.length).map(escapeRegExp);
  const place = new RegExp(`(${names.join('|')}):([0-9]+)((?::[0-9]+-[0-9]+:[0-9]+)?)`, 'g');
  let out = '';
  let last = 0;
  for (const m of content.matchAll(place)) {
    out += text(content.slice(last, m.index));
    out += intentLink(sources, m[1]!, Number(m[2]), m[0]);
    last = m.index! + m[0].length;
  }
  return out + text(content.slice(last));
}

/** Every intent file, line by line, each line an anchor the links point at. */
export function sourcesSection(sources: readonly SourceText[]): string {
  const out = ['<section id="intent"><h2>Intent</h2>'];
  sources.forEach((s, i) => {
    out.push(`<details class="source"><summary>${text(s.path)}</summary><pre class="source-text">`);
    const lines = s.text.split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    out.push(lines.map((l, n) => `<span class="line" id="${lineAnchor(i, n + 1)}"><span class="ln">${n + 1}</span>${text(l)}</span>`).join('\n'));
    out.push('</pre></details>');
  });
  out.push('</section>');
  return out.join('\n');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
