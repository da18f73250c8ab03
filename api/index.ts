// Plumb as a library: `import { analyze, compile, verify, render, diff, format, lock, emulate } from 'plumb-net'`
// (docs/api.md). Each function takes an intent (paths, or `{ path, text }` sources in memory)
// and returns the JSON-serialisable result the CLI prints with `--format json`; none prints,
// exits or leaves a Z3 worker running. Problems are values (diagnostics, `inputProblem`,
// `labProblem`); only arguments of the wrong type throw (TypeError).

export { analyze, type AnalyzeResult, type ModelSummary } from './analyze.js';
export {
  compile,
  render,
  type CompileOptions,
  type CompileResult,
  type ConfigFile,
  type DeviceConfig,
  type DeviceModel,
  type Manifest,
  type NetworkModel,
  type RenderDeviceOptions,
  type RenderOptions,
  type RenderResult,
  type ValidationFailure,
  type ValidationOutcome,
  type ValidationSummary,
} from './compile.js';
export { format, type FormatResult, type FormattedFile } from './format.js';
export { lock, writeLock, type LockChange, type LockOptions, type LockResult, type LockUpdate } from './lock.js';
export { mergeVerifyReports, verify, verifyEach, type VerifyEachResult, type VerifyOptions, type VerifyResult } from './verify.js';
export { MAX_SHARDS, type Shard, type ShardInfo } from './shards.js';
export {
  emulate,
  type EmulateJsonReport,
  type EmulateOptions,
  type EmulateResult,
  type EmulationReport,
  type FailureSetReport,
  type LabProblem,
  type ProbeResult,
  type SweepReport,
} from './emulate.js';
export {
  diff,
  DIFF_REPORT_VERSION,
  type AssertionChange,
  type ConfigChange,
  type DiffDiagnostic,
  type DiffJsonReport,
  type DiffOptions,
  type DiffResult,
  type FlowChange,
  type FlowDiff,
  type JsonFlowChange,
  type JsonLine,
  type JsonRuleRef,
  type RouteChange,
  type RuleRef,
  type StopReason,
} from './diff.js';
export { writeOutput, type WriteOutputOptions, type WriteOutputResult } from './write.js';
export type { InputOptions, InputProblem, IntentInput, SourceText } from './input.js';
export {
  VERIFY_REPORT_VERSION,
  type CheckReport,
  type ConfigLineRef,
  type Counterexample,
  type Diagnostic,
  type DriftJson,
  type JsonDiagnostic,
  type JsonPosition,
  type KeyCheck,
  type Span,
  type Verdict,
  type VerificationReport,
  type VerifyReport,
} from './reports.js';
