// What a reader reports while it reads: every problem of a file is collected (a reader never
// stops at the first), as diagnostics with spans into the configuration file.

import type { Diagnostic, Span } from '../language/diagnostic.js';

export class Reporter {
  readonly diagnostics: Diagnostic[] = [];
  error(code: string, span: Span, message: string, hint?: string): void {
    this.diagnostics.push({ code, severity: 'error', span, message, related: [], ...(hint ? { hint } : {}) });
  }
  warning(code: string, span: Span, message: string, hint?: string): void {
    this.diagnostics.push({ code, severity: 'warning', span, message, related: [], ...(hint ? { hint } : {}) });
  }
}
