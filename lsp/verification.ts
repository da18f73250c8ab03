// Proofs in the background: saving a file whose intent checks without errors compiles it and
// proves its assertions; the next edit of the project aborts the run. Results are kept with the
// contents they were proven for, so a stale proof is never shown.

import type { Diagnostic as PlumbDiagnostic, Span } from '../language/diagnostic.js';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { spanLocation, spanRange, toLspDiagnostic } from './convert.js';
import type { CheckedIntent } from '../language/intent.js';
import { loadProver, type ProofVerdict, type Prover } from './prover.js';
import type { Project, ProjectFile } from './workspace.js';

export interface ProofState {
  /** The project key (file contents) the proof is about. */
  key: string;
  status: 'running' | 'done' | 'unavailable' | 'failed';
  verdicts: ProofVerdict[];
  diagnostics: PlumbDiagnostic[];
  message?: string;
  millis?: number;
}

export interface ProofOptions {
  timeoutMs: number;
  /** Called when a project's proof state changed (to republish its diagnostics). */
  changed(project: Project): void;
  log(message: string): void;
  /** Replaces the real compiler and verifier (tests of the cancellation logic). */
  prover?: () => Promise<Prover | undefined>;
}

export class ProofRunner {
  private readonly states = new Map<Project, ProofState>();
  private readonly running = new Map<Project, AbortController>();

  constructor(private readonly options: ProofOptions) {}

  /** The proof state that matches the project's current contents, if any. */
  state(project: Project): ProofState | undefined {
    const s = this.states.get(project);
    return s && s.key === project.key ? s : undefined;
  }

  /** Stops a running proof of the project (its files changed). */
  cancel(project: Project): void {
    this.running.get(project)?.abort();
    this.running.delete(project);
  }

  /** Starts proving the project's intent unless a proof of these contents exists or runs. */
  start(project: Project, key: string, intent: CheckedIntent): void {
    const existing = this.states.get(project);
    if (existing && existing.key === key && existing.status !== 'failed') return;
    this.cancel(project);
    const controller = new AbortController();
    this.running.set(project, controller);
    this.states.set(project, { key, status: 'running', verdicts: [], diagnostics: [] });
    void this.run(project, key, intent, controller);
  }

  private async run(project: Project, key: string, intent: CheckedIntent, controller: AbortController): Promise<void> {
    const started = performance.now();
    let state: ProofState;
    try {
      const prover = await (this.options.prover ?? loadProver)();
      if (!prover) {
        state = { key, status: 'unavailable', verdicts: [], diagnostics: [], message: 'the verifier is not available' };
      } else {
        const result = await prover.prove(intent, { timeoutMs: this.options.timeoutMs, signal: controller.signal });
        state = { key, status: 'done', verdicts: result.verdicts, diagnostics: result.diagnostics };
      }
    } catch (err) {
      if (controller.signal.aborted) return;
      const message = err instanceof Error ? err.message : String(err);
      this.options.log(`verification failed: ${message}`);
      state = { key, status: 'failed', verdicts: [], diagnostics: [], message };
    }
    if (controller.signal.aborted || this.running.get(project) !== controller) return;
    this.running.delete(project);
    state.millis = Math.round(performance.now() - started);
    this.states.set(project, state);
    const counts = countStatuses(state.verdicts);
    this.options.log(
      `verified ${project.id}: ${counts.proven} proven, ${counts.refuted} refuted, ${counts.unknown} unknown (${state.millis} ms)`,
    );
    this.options.changed(project);
  }
}

function countStatuses(verdicts: readonly ProofVerdict[]): Record<ProofVerdict['status'], number> {
  const counts = { proven: 0, refuted: 0, unknown: 0 };
  for (const v of verdicts) counts[v.status]++;
  return counts;
}

/** The LSP diagnostics a proof contributes to one file. */
export function proofDiagnostics(state: ProofState, file: ProjectFile, project: Project): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of state.diagnostics) if (d.span.file === file.name) out.push(toLspDiagnostic(d, file, project));
  for (const v of state.verdicts) {
    if (v.assertion.origin.file !== file.name || v.status === 'proven') continue;
    const range = spanRange(v.assertion.origin, file);
    if (v.status === 'refuted') {
      const summary = describeCounterexample(v.counterexample);
      const related: DiagnosticRelatedInformation[] = [];
      const here = spanLocation(v.assertion.origin, project);
      if (here && summary) related.push({ location: here, message: `counterexample: ${summary}` });
      for (const step of traceSteps(v.counterexample)) {
        const location = spanLocation(step.span, project);
        if (location) related.push({ location, message: step.message });
      }
      out.push({
        range,
        severity: DiagnosticSeverity.Error,
        source: 'plumb verify',
        message: `assertion refuted: ${v.assertion.text}${summary ? `\ncounterexample: ${summary}` : ''}`,
        ...(related.length > 0 ? { relatedInformation: related } : {}),
      });
    } else {
      out.push({
        range,
        severity: DiagnosticSeverity.Warning,
        source: 'plumb verify',
        message: `assertion not proven: ${v.assertion.text}${v.reason ? ` (${v.reason})` : ''}`,
      });
    }
  }
  return out;
}

/** The proof status line of one assertion for hover, or undefined when none is known. */
export function verdictAt(state: ProofState | undefined, span: Span): ProofVerdict | undefined {
  return state?.verdicts.find(
    (v) => v.assertion.origin.file === span.file && v.assertion.origin.start.offset === span.start.offset,
  );
}

/**
 * A one-line description of a counterexample. The verifier's counterexample carries a packet
 * and a trace; this reads the fields it knows and falls back to compact JSON for the rest.
 */
export function describeCounterexample(counterexample: unknown): string | undefined {
  if (counterexample === undefined || counterexample === null) return undefined;
  if (typeof counterexample === 'string') return counterexample;
  if (typeof counterexample !== 'object') return String(counterexample);
  const c = counterexample as Record<string, unknown>;
  for (const field of ['summary', 'description', 'text', 'message']) {
    if (typeof c[field] === 'string') return c[field];
  }
  const packet = c.packet && typeof c.packet === 'object' ? describePacket(c.packet as Record<string, unknown>) : undefined;
  const outcome = typeof c.outcome === 'string' ? c.outcome : typeof c.result === 'string' ? c.result : undefined;
  if (packet) return outcome ? `${packet}: ${outcome}` : packet;
  return truncate(JSON.stringify(counterexample, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)), 300);
}

function describePacket(p: Record<string, unknown>): string {
  const protocol = p.protocol === 6 ? 'tcp' : p.protocol === 17 ? 'udp' : p.protocol === 1 ? 'icmp' : p.protocol;
  const src = [p.source ?? p.src, p.sourcePort ?? p.srcPort].filter((x) => x !== undefined).join(':');
  const dst = [p.destination ?? p.dst, p.destinationPort ?? p.dstPort].filter((x) => x !== undefined).join(':');
  return [protocol, `${src} -> ${dst}`].filter((x) => x !== undefined && x !== '').join(' ');
}

/** Steps of a counterexample's trace that point at the intent (filter rules, devices, links). */
export function traceSteps(counterexample: unknown): { span: Span; message: string }[] {
  if (!counterexample || typeof counterexample !== 'object') return [];
  const c = counterexample as Record<string, unknown>;
  const trace = Array.isArray(c.trace) ? c.trace : Array.isArray(c.hops) ? c.hops : [];
  const out: { span: Span; message: string }[] = [];
  for (const step of trace as unknown[]) {
    if (!step || typeof step !== 'object') continue;
    const s = step as Record<string, unknown>;
    const span = [s.origin, s.ruleOrigin, s.span].find(isSpan);
    if (!span) continue;
    const words = ['device', 'interface', 'action', 'description', 'rule', 'note']
      .map((k) => s[k])
      .filter((x): x is string => typeof x === 'string');
    out.push({ span, message: words.length > 0 ? words.join(' ') : 'trace step' });
  }
  return out;
}

function isSpan(x: unknown): x is Span {
  if (!x || typeof x !== 'object') return false;
  const s = x as Record<string, unknown>;
  return typeof s.file === 'string' && typeof s.start === 'object' && typeof s.end === 'object';
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}
