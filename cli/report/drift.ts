// What the drift check compared (`plumb verify --configs DIR`): the summary line ("5 devices read
// back, 0 differences"), what became of the keys (how many compared with the secrets' values,
// which secrets could not be read and why, which keys are encrypted and were not compared: no
// value, ever) and, per device read from running configuration, the lines outside Plumb's scope
// (unmanaged: listed, never errors). Text: counts, the lines with `--verbose`; JSON: everything,
// under `configs`.

import { visibleText } from '../../language/safe-text.js';
import type { DeployedNetwork } from '../../pipeline/deployed.js';
import type { KeyCheck } from '../../pipeline/key-drift.js';

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
    if (s.keys) out.push(...keysText(s.keys, verbose));
  }
  for (const u of c.unmanaged) {
    out.push(`${visibleText(u.device)}: ${plural(u.lines.length, 'unmanaged line')} (outside Plumb's scope, not compared)${verbose ? ':' : ''}`);
    if (verbose) for (const l of u.lines) out.push(`    ${visibleText(l.file)}:${l.line}: ${visibleText(l.text)}`);
  }
  if (!verbose && c.unmanaged.length > 0) out.push('(--verbose lists the unmanaged lines)');
  return out.length > 0 ? `${out.join('\n')}\n` : '';
}

/** The lines on the keys: compared, not compared and why (secrets unread, keys encrypted). */
function keysText(k: KeyCheck, verbose: boolean): string[] {
  const out = [`keys: ${k.compared} compared with the secrets' values, ${k.differing} differing`];
  for (const u of k.unresolved) out.push(`keys of secret ${visibleText(u.secret)} not compared (names only): ${visibleText(u.reason)}`);
  if (k.encrypted.length > 0) {
    out.push(`${plural(k.encrypted.length, 'key')} encrypted on the device${k.encrypted.length === 1 ? ' was' : ' were'} not compared${verbose ? ':' : ' (--verbose lists them)'}`);
    if (verbose) for (const e of k.encrypted) out.push(`    ${visibleText(e.file)}:${e.line}: ${visibleText(e.device)}, secret ${visibleText(e.secret)}, ${visibleText(e.form)}`);
  }
  return out;
}

/** The JSON report's `configs` field: the summary's counts and every unmanaged line. */
export function configsJson(c: ConfigsReport): object {
  return { ...(c.summary ? c.summary : {}), unmanaged: c.unmanaged };
}
