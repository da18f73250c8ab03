// What the drift check compared (`plumb verify --configs DIR`): the summary line ("5 devices read
// back, 0 differences") and, per device read from running configuration, the lines outside
// Plumb's scope (unmanaged: listed, never errors). Text: a count per device, the lines with
// `--verbose`; JSON: everything, under `configs`.

import { visibleText } from '../../language/safe-text.js';
import type { DeployedNetwork } from '../../pipeline/deployed.js';

export interface ConfigsReport {
  /** Absent when no deployed network was built (the diagnostics say why). */
  summary?: NonNullable<DeployedNetwork['summary']>;
  unmanaged: DeployedNetwork['unmanaged'];
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** The text lines of the report, after the verdicts. */
export function configsText(c: ConfigsReport, verbose: boolean): string {
  const out: string[] = [];
  if (c.summary) {
    const s = c.summary;
    const running = s.running > 0 ? ` (${s.running === s.devices ? 'all' : s.running} from running configuration${s.running === 1 && s.devices > 1 ? '' : 's'})` : '';
    out.push(`${plural(s.devices, 'device')} read back${running}, ${plural(s.differences, 'difference')}`);
  }
  for (const u of c.unmanaged) {
    out.push(`${visibleText(u.device)}: ${plural(u.lines.length, 'unmanaged line')} (outside Plumb's scope, not compared)${verbose ? ':' : ''}`);
    if (verbose) for (const l of u.lines) out.push(`    ${visibleText(l.file)}:${l.line}: ${visibleText(l.text)}`);
  }
  if (!verbose && c.unmanaged.length > 0) out.push('(--verbose lists the unmanaged lines)');
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** The JSON report's `configs` field: the summary's counts and every unmanaged line. */
export function configsJson(c: ConfigsReport): object {
  return { ...(c.summary ? c.summary : {}), unmanaged: c.unmanaged };
}
