// Proofs in the background: saving a file whose intent checks without errors compiles it and
// proves its assertions; the next edit of the project aborts the run. Results are kept with the
// contents they were proven for, so a stale proof is never shown.

import type { Diagnostic as PlumbDiagnostic, Span } from '../language/diagnostic.js';
import { DiagnosticSeverity, type Diagnostic, type DiagnosticRelatedInformation } from 'vscode-languageserver';
import { spanLocation, spanRange, toLspDiagnostic } from './convert.js';
import type { CheckedIntent } from '../language/intent.js';
import { loadProver, type ProofVerdict, type Prover } from './prover.js';
import { match } from 'ts-pattern';
import type { Counterexample, Packet, Trace, TraceOutcome } from '../verifier/verdict.js';
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
    const controller = this.running.get(project);
    if (!controller) return;
    controller.abort();
    this.running.delete(project);
    // A cancelled proof has no result: saving the same contents again (after an undo) re-proves.
    if (this.states.get(project)?.status === 'running') this.states.delete(project);
  }

  /** Starts proving the project's intent unless a proof of these contents exists or runs. */
  start(project: Project, key: string, intent: CheckedIntent): void {
    const existing = this.states.get(project);
    if (existing && existing.key === key && existing.status !== 'failed') return;
    this.cancel(project);
    const controller = new AbortController();
    this.running.set(project, controller);
    this.states.set(project, { key, status: 'running', verdicts: [], diagnostics: [] });
    // The intent's spans are shared with the incremental parser, which moves them in place when
    // later edits shift their text; the proof keeps its own copy, true to the text it proves.
    void this.run(project, key, structuredClone(intent), controller);
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
  const counts = { proven: 0, refuted: 0, unknown: 0, vacuous: 0 };
  for (const v of verdicts) counts[v.status]++;
  return counts;
}

/** The LSP diagnostics a proof contributes to one file. */
export function proofDiagnostics(state: ProofState, file: ProjectFile, project: Project): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of state.diagnostics) if (d.span.file === file.name) out.push(toLspDiagnostic(d, file, project));
  for (const v of state.verdicts) {
    // A vacuous assertion is the front end's P604 (or the lint's V803) already.
    if (v.assertion.origin.file !== file.name || v.status === 'proven' || v.status === 'vacuous') continue;
    const range = spanRange(v.assertion.origin, file);
    if (v.status === 'refuted') {
      const summary = describeCounterexample(v.counterexample);
      const related: DiagnosticRelatedInformation[] = [];
      const here = spanLocation(v.assertion.origin, project);
      if (here && v.counterexample) related.push({ location: here, message: `counterexample packet: ${describePacket(v.counterexample.packet)}` });
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

/** A packet in one line, e.g. `tcp 10.20.0.1:1024 -> 10.10.1.1:443`. */
export function describePacket(p: Packet): string {
  const proto = p.protocol === 6 ? 'tcp' : p.protocol === 17 ? 'udp' : p.protocol === 1 || p.protocol === 58 ? 'icmp' : `protocol ${p.protocol}`;
  const src = p.sourcePort !== undefined ? `${p.source}:${p.sourcePort}` : p.source;
  const dst = p.destinationPort !== undefined ? `${p.destination}:${p.destinationPort}` : p.destination;
  const icmp = p.icmpType !== undefined ? ` type ${p.icmpType}` : '';
  const flags = p.tcpFlags && p.tcpFlags.length > 0 ? ` [${p.tcpFlags.join(',')}]` : '';
  return `${proto} ${src} -> ${dst}${icmp}${flags}`;
}

/** The counterexample in one line: what went wrong, with the packet. */
export function describeCounterexample(c: Counterexample | undefined): string | undefined {
  if (!c) return undefined;
  return `${c.summary} (packet ${describePacket(c.packet)})`;
}

function describeOutcome(o: TraceOutcome): string {
  return match(o)
    .with({ kind: 'delivered' }, (x) => `delivered at ${x.device} ${x.interface} to ${x.endpoints.join(', ')}`)
    .with({ kind: 'dropped' }, (x) => `dropped at ${x.device} (${x.stage === 'urpf' ? 'uRPF' : x.stage === 'state' ? 'unsolicited ICMP error, conntrack state invalid' : `${x.stage} filter`})`)
    .with({ kind: 'no-route' }, (x) => `no route at ${x.device}`)
    .with({ kind: 'discarded' }, (x) => `discarded at ${x.device} (route ${x.prefix} to nowhere)`)
    .with({ kind: 'to-device' }, (x) => `delivered to ${x.device} itself`)
    .with({ kind: 'lost' }, (x) => `leaves ${x.device} by ${x.interface} and is lost`)
    .with({ kind: 'loop' }, (x) => `loops at ${x.device} ${x.interface}`)
    .with({ kind: 'same-segment' }, (x) => `stays inside ${x.endpoint}`)
    .exhaustive();
}

/**
 * The hops of a counterexample's traces that point at the intent: each filter decision with its
 * rule's line, and each trace's outcome. The forward traces come first, then the reply's.
 */
export function traceSteps(c: Counterexample | undefined): { span: Span; message: string }[] {
  if (!c) return [];
  const out: { span: Span; message: string }[] = [];
  const walk = (traces: readonly Trace[], label: string): void => {
    traces.forEach((trace, i) => {
      const path = traces.length > 1 ? `${label} path ${i + 1}` : label;
      const hops = trace.hops.map((h) => h.device).join(' → ');
      for (const hop of trace.hops) {
        for (const t of hop.translations ?? []) {
          if (t.origin) out.push({ span: t.origin, message: `${path}: at ${hop.device} ${t.field} ${t.before} -> ${t.after} (${t.kind === 'restore' ? 'reply translated back' : t.kind}: ${t.description})` });
        }
        for (const d of hop.decisions) {
          if (!d.origin) continue;
          const verb = d.byState ? 'admitted as a reply' : d.action === 'permit' ? 'permitted' : 'denied';
          out.push({ span: d.origin, message: `${path}: ${verb} at ${hop.device} (${d.stage} ${d.filter}): ${d.description}` });
        }
      }
      const anchor = out.length > 0 ? out[out.length - 1]!.span : undefined;
      if (anchor) out.push({ span: anchor, message: `${path}: ${hops || trace.entry.device}, ${describeOutcome(trace.outcome)}` });
    });
  };
  walk(c.traces, 'packet');
  if (c.reply) walk(c.reply.traces, 'reply');
  return out.slice(0, 50);
}
