// The documents the editor has open, kept in step with the editor by didOpen, didChange and
// didClose whose parameters lsp/params.ts has checked. Every range of a change is clamped to the
// document before it is applied (a line past the end means the end), so no change can grow the
// line table beyond the text. A change that cannot be applied leaves the document out of step
// with the editor: its text is then unknown, and it stays so until the editor sends the whole
// text again (a change without a range, or a new didOpen), because analysing or formatting a
// text the user no longer has would show wrong results and could overwrite their edits.

import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, Range } from 'vscode-languageserver';
import type { ContentChange, DidChangeParams, DidOpenParams } from './params.js';

export interface OpenDocument {
  readonly uri: string;
  readonly version: number;
  /** The text, as the editor has it (meaningless while `lostReason` is set). */
  readonly text: string;
  /** Why the text is not known (a sentence for the user), when a message could not be applied. */
  readonly lostReason?: string;
}

export class OpenDocuments {
  private readonly docs = new Map<string, { doc: TextDocument; lostReason?: string }>();

  /** Opens a document; opened again, the newer text wins. */
  open(params: DidOpenParams): OpenDocument {
    const { uri, version, text } = params.textDocument;
    this.docs.set(uri, { doc: TextDocument.create(uri, 'plumb', version, text) });
    return this.get(uri)!;
  }

  /** Applies a change in order, each range clamped to the text as it is then; undefined if not open. */
  change(params: DidChangeParams): OpenDocument | undefined {
    const { uri, version } = params.textDocument;
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    let changes = params.contentChanges;
    if (entry.lostReason !== undefined) {
      // Only a whole text brings a lost document back; the changes before it are moot.
      const whole = changes.findLastIndex((c) => c.range === undefined);
      if (whole < 0) return this.get(uri);
      entry.lostReason = undefined;
      changes = changes.slice(whole);
    }
    for (const change of changes) TextDocument.update(entry.doc, [clampedChange(entry.doc, change)], version);
    if (changes.length === 0) TextDocument.update(entry.doc, [], version);
    return this.get(uri);
  }

  /** A document opened by a message that could not be read: open, with its text unknown. */
  openUnknown(uri: string, reason: string): OpenDocument {
    this.docs.set(uri, { doc: TextDocument.create(uri, 'plumb', 0, ''), lostReason: reason });
    return this.get(uri)!;
  }

  /** The editor sent a change that could not be read: the text is no longer known. */
  lose(uri: string, reason: string): OpenDocument | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    entry.lostReason = reason;
    return this.get(uri);
  }

  /** Closes a document; false if it was not open. */
  close(uri: string): boolean {
    return this.docs.delete(uri);
  }

  get(uri: string): OpenDocument | undefined {
    const entry = this.docs.get(uri);
    if (!entry) return undefined;
    return {
      uri,
      version: entry.doc.version,
      text: entry.doc.getText(),
      ...(entry.lostReason !== undefined ? { lostReason: entry.lostReason } : {}),
    };
  }
}

function clampedChange(doc: TextDocument, change: ContentChange): ContentChange {
  if (!change.range) return change;
  return { range: clampedRange(doc, change.range), text: change.text };
}

/** The range with each end moved onto the document: past the last line or character means the end. */
export function clampedRange(doc: TextDocument, range: Range): Range {
  return { start: clampedPosition(doc, range.start), end: clampedPosition(doc, range.end) };
}

function clampedPosition(doc: TextDocument, position: Position): Position {
  if (position.line >= doc.lineCount) return doc.positionAt(doc.getText().length);
  // offsetAt stops at the end of the line (before its line break); positionAt says where that is.
  return doc.positionAt(doc.offsetAt(position));
}
