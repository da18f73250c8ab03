// What a reader reports while it reads: every problem of a file is collected (a reader never
// stops at the first), as diagnostics with spans into the configuration file.

import { diagnostic, type Diagnostic, type Span } from '../language/diagnostic.js';
import type { DiagnosticCode } from '../language/diagnostics/index.js';

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  error(code: DiagnosticCode, span: Span, message: string, hint?: string): void {
    this.diagnostics.push(diagnostic(code, span, message, { severity: 'error', ...(hint ? { hint } : {}) }));
  }
  warning(code: DiagnosticCode, span: Span, message: string, hint?: string): void {
    this.diagnostics.push(diagnostic(code, span, message, { severity: 'warning', ...(hint ? { hint } : {}) }));
  }
}
